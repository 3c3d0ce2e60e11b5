"""What the site adds: the home and the rules page, and (transitional, see ``pending/``) the roles
and bodies of apps not built yet. (The governance.* rules it once shipped were read by no code;
the governance app will ship its own.)"""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import Manifest, Mount, NavEntry

from .pending import roles as pending

MANIFEST = Manifest(
    navigation=(
        NavEntry("home", _("Home"), "site.home", order=0),
        NavEntry("rules", _("Rules in force"), "site.rules", order=500),
    ),
    roles=pending.ROLES,
    bodies=pending.BODIES,
    permissions=("innocluster.site.permissions",),
    urls=(Mount("", urls="innocluster.site.urls"),),
)
