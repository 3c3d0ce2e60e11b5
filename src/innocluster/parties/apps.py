from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "innocluster.parties"
    label = "parties"
    verbose_name = _("Parties")

    def ready(self):
        from innocluster.parties import permissions  # noqa: F401  (declares the parties' actions)
