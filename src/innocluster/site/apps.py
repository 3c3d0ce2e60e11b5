from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top layer: the homes per audience and the rules page, composed from the manifests."""

    name = "innocluster.site"
    label = "site"
    verbose_name = _("Site")
    manifest = "innocluster.site.manifest.MANIFEST"
