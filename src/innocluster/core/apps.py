from django.apps import AppConfig
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
