from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "innocluster.core.decisions"
    label = "decisions"
    verbose_name = _("Decisions")
    manifest = "innocluster.core.decisions.manifest.MANIFEST"

    def ready(self):
        from . import permissions  # noqa: F401  (declares the decisions.* access actions)
