from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LevyConfig(AppConfig):
    name = "innocluster.levy"
    label = "levy"
    verbose_name = _("Subsoil users' levy")
    manifest = "innocluster.levy.manifest.MANIFEST"

    def ready(self):
        from innocluster.levy import notices, permissions, reminders, rules  # noqa: F401  (access rules; the law formulas)
        from innocluster.levy.services import assessment, rnd  # noqa: F401  (the law formulas)
