"""What the grants app adds to the platform: the programme manager's and the expert's roles, the
expert commission, the access rules, the staff pages of programmes and calls, the public list of
calls and its API."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import ApiRoute, Manifest, Mount, NavEntry
from innocluster.grants.roles import BODIES, ROLES

MANIFEST = Manifest(
    roles=ROLES,
    bodies=BODIES,
    permissions=("innocluster.grants.permissions",),
    navigation=(
        NavEntry("grants:index", _("Programmes and calls"), "grants.read", order=530),
        NavEntry("grants_public:calls", _("Calls for applications"), "grants.public", order=205),
    ),
    urls=(
        Mount("staff/grants/", urls="innocluster.grants.urls"),
        Mount("grants/", urls="innocluster.grants.urls_public"),
    ),
    api=(ApiRoute("grants/calls/", "innocluster.grants.api.endpoints.CallListView", "grants-calls"),),
)
