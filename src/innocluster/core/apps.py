from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "innocluster.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from innocluster.core import checks, formulas  # noqa: F401  (registers checks and law formulas)
