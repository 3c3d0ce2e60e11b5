"""What access adds to the platform: the platform's own roles, the administration link, and the
platform's rows of the authorization table (``authorization.yaml`` beside this module)."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import Manifest, NavEntry

from .roles import PLATFORM_ROLES

MANIFEST = Manifest(
    roles=PLATFORM_ROLES,
    permissions=("innocluster.core.access.permissions",),
    navigation=(NavEntry("admin:index", _("Administration"), "admin.site", order=900),),
    commands=("role",),
    admin=("innocluster.core.access.admin",),
)
