"""Hand-written: the ledger's protection in the database (triggers, see ``finance.protection``)
and the chart of accounts (``finance/data/chart_of_accounts.yaml``). Table names are read from the
historical models."""

from django.db import migrations


def _tables(apps):
    return (
        apps.get_model("finance", "JournalEntry")._meta.db_table,
        apps.get_model("finance", "JournalLine")._meta.db_table,
        apps.get_model("finance", "Period")._meta.db_table,
    )


def protect(apps, schema_editor):
    from innocluster.finance import protection

    protection.install(schema_editor.connection, *_tables(apps))


def unprotect(apps, schema_editor):
    from innocluster.finance import protection

    protection.uninstall(schema_editor.connection, *_tables(apps))


def chart(apps, schema_editor):
    from innocluster.finance.services.chart import load_chart

    load_chart(apps.get_model("finance", "Account"))


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [
        migrations.RunPython(protect, unprotect),
        migrations.RunPython(chart, migrations.RunPython.noop),
    ]
