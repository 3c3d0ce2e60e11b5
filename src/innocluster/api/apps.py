from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "innocluster.api"
    label = "api"
    verbose_name = _("API")
    manifest = "innocluster.api.manifest.MANIFEST"
    manifest = "innocluster.api.manifest.MANIFEST"

    def ready(self):
        # permissions declares the API's access actions.
        from . import permissions  # noqa: F401
