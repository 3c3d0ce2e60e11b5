"""What the levy adds to the platform: its representative role, access rules, dated rules and law
cases (``policy.yaml``, ``lawcases/``), the declaration reminders, the ``innocluster levy`` command,
and its contributions to finance: the bank-line matcher and the listener that records payments."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import ApiRoute, CardSource, Manifest, Mount, NavEntry
from innocluster.levy import reminders
from innocluster.levy.cards import portal_card, staff_card
from innocluster.levy.matchers import LevyMatcher, LevyMatchListener
from innocluster.levy.roles import ROLES

# --- pages, cards and API (levy pages) -----------------------------------------------------------
API = "innocluster.levy.api."
PAGES = {
    "navigation": (
        NavEntry("levy:home", _("Subsoil users' levy"), "levy.read", order=520),
        NavEntry("levy_portal:home", _("Levy to the Fund"), "levy.portal", order=320),
    ),
    "cards": (
        CardSource("staff", staff_card, action="levy.read", order=520),
        CardSource("portal", portal_card, action="levy.portal", order=320),
    ),
    "urls": (
        Mount("staff/levy/", urls="innocluster.levy.urls.staff"),
        Mount("portal/levy/", urls="innocluster.levy.urls.portal"),
    ),
    "api": (
        ApiRoute("levy/contracts/", API + "endpoints.ContractListView", "levy-contracts"),
        ApiRoute("levy/contracts/<int:pk>/", API + "endpoints.ContractDetailView", "levy-contract"),
        ApiRoute("levy/declarations/", API + "endpoints.DeclarationListView", "levy-declarations"),
        ApiRoute("levy/declarations/<int:pk>/", API + "endpoints.DeclarationDetailView", "levy-declaration"),
        ApiRoute("levy/obligations/", API + "endpoints.ObligationListView", "levy-obligations"),
        ApiRoute("levy/obligations/<int:pk>/", API + "endpoints.ObligationDetailView", "levy-obligation"),
    ),
}
# --- end of the pages block ----------------------------------------------------------------------

MANIFEST = Manifest(
    roles=ROLES,
    permissions=("innocluster.levy.permissions",),
    reminders={"levy.declaration_deadline": reminders.declaration_reminders},
    commands=("levy",),
    hooks={
        "finance.matchers": (LevyMatcher(),),
        "finance.match_listeners": (LevyMatchListener(),),
    },
    **PAGES,
)
