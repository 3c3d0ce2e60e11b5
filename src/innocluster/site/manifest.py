"""What the site adds: the home and the rules page. (The roles and bodies of apps not built yet
once waited here, in ``pending/``; each app took its own when it landed, the grants app last.)"""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import Manifest, Mount, NavEntry

MANIFEST = Manifest(
    navigation=(
        NavEntry("home", _("Home"), "site.home", order=0),
        NavEntry("rules", _("Rules in force"), "site.rules", order=500),
    ),
    permissions=("innocluster.site.permissions",),
    urls=(Mount("", urls="innocluster.site.urls"),),
)
