from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "innocluster.workforce"
    label = "workforce"
    verbose_name = _("Foreign specialists")
    manifest = "innocluster.workforce.manifest.MANIFEST"

    def ready(self):
        from innocluster.workforce import permissions, rules  # noqa: F401  (access rules; the law formulas)
