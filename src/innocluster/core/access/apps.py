from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "innocluster.core.access"
    label = "access"
    verbose_name = _("Roles and access")
    manifest = "innocluster.core.access.manifest.MANIFEST"

    def ready(self):
        from . import permissions  # noqa: F401  (declares the core actions)
