from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LevyConfig(AppConfig):
    name = "innocluster.levy"
    label = "levy"
    verbose_name = _("Subsoil users' levy")
    manifest = "innocluster.levy.manifest.MANIFEST"

    def ready(self):
        from innocluster.levy import permissions, rules  # noqa: F401  (access rules; the law formulas)
