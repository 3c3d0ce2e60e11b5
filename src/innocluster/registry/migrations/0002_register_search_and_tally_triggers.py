"""Hand-written: the register's search index and the triggers that keep the tallies.

Engine-specific SQL lives in ``innocluster.registry.search`` (SQLite: an FTS5 trigram table and
triggers; PostgreSQL: ``pg_trgm`` and a GIN index, a trigger function). Table names are read from
the historical models, never written here. Keep this migration as it is when the others are
regenerated, after the one that creates ``RegisterTally``; a later migration that makes SQLite
rebuild the participant table must run ``install`` and ``rebuild`` again.
"""

from django.db import migrations


def _tables(apps):
    return (
        apps.get_model("registry", "Participant")._meta.db_table,
        apps.get_model("registry", "RegisterTally")._meta.db_table,
    )


def forwards(apps, schema_editor):
    from innocluster.registry import search

    tables = _tables(apps)
    search.install(schema_editor.connection, *tables)
    search.rebuild(schema_editor.connection, *tables)


def backwards(apps, schema_editor):
    from innocluster.registry import search

    search.uninstall(schema_editor.connection, *_tables(apps))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
