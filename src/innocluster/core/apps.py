from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "innocluster.core"
    label = "core"
    verbose_name = _("Core")
    manifest = "innocluster.core.declared.MANIFEST"

    def ready(self):
        from innocluster.core import checks, formulas  # noqa: F401  (registers checks and law formulas)
        from innocluster.core.manifest import manifests

        manifests()  # collect every installed app's manifest now: a broken one fails at start-up
        post_migrate.connect(_calendar_corrections, sender=self, dispatch_uid="core.calendar_corrections")


def _calendar_corrections(sender, using="default", **kwargs):
    """After every migrate (and flush): the shipped calendar corrections whose dates have no row
    yet, audited; rows already there, an administrator's included, are left alone."""
    from django.conf import settings

    if using == "default" and settings.CALENDAR_LOAD_ON_MIGRATE:
        from innocluster.core.services import load_overrides

        load_overrides()
