from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "innocluster.finance"
    label = "finance"
    verbose_name = _("Finance")
    manifest = "innocluster.finance.manifest.MANIFEST"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from innocluster.finance import cards  # noqa: F401  (the law formulas)
        from innocluster.finance.models import Account
        from innocluster.finance.selectors.accounts import clear_cache
        from innocluster.finance.services import manual_entries  # noqa: F401  (the law formulas)

        # The chart is cached per process; any saved or deleted account drops the cache.
        post_save.connect(clear_cache, sender=Account, dispatch_uid="finance.chart.cache")
        post_delete.connect(clear_cache, sender=Account, dispatch_uid="finance.chart.cache.delete")
        post_migrate.connect(_protect, sender=self, dispatch_uid="finance.protection")


def _protect(sender, using="default", **kwargs):
    """After every migrate and every flush (a test database emptied): the ledger's protection is
    in place and the chart of accounts is loaded (both idempotent), and no process keeps accounts
    cached from before (nor periods remembered open)."""
    from django.db import connections

    from innocluster.finance.protection import install_models
    from innocluster.finance.selectors.accounts import clear_cache
    from innocluster.finance.services.chart import load_chart
    from innocluster.finance.services.journal import forget_periods

    install_models(connections[using])
    clear_cache()
    forget_periods()
    if using == "default":
        load_chart()
    clear_cache()
