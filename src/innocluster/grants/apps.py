from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "innocluster.grants"
    label = "grants"
    verbose_name = _("Grants")
    manifest = "innocluster.grants.manifest.MANIFEST"

    def ready(self):
        from innocluster.grants import permissions, rules  # noqa: F401  (access rules; the law formulas)
