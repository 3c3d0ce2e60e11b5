"""What the grants app adds to the platform: the programme manager's and the expert's roles, the
expert commission, the access rules, the staff pages of programmes and calls, the public list of
calls and its API."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import ApiRoute, DecisionType, Manifest, Mount, NavEntry
from innocluster.grants.executors import EXECUTORS as AWARD_EXECUTORS  # stage: awards
from innocluster.grants.roles import BODIES, ROLES

# --- stage: awards, agreements, tranches (issue 13, deliverables 4 and 5) ---
AWARD_DECISION_TYPES = (
    DecisionType("grants.award", _("Grant award"), bodies=("fund_executive", "managing_committee")),
)
AWARD_NAVIGATION = (NavEntry("grants_awards:list", _("Grant awards"), "grants.read", order=535),)
# --- end of stage: awards ---

MANIFEST = Manifest(
    roles=ROLES,
    bodies=BODIES,
    permissions=("innocluster.grants.permissions", "innocluster.grants.permissions_awards"),
    decision_types=AWARD_DECISION_TYPES,  # stage: awards
    hooks={"decisions.executors": AWARD_EXECUTORS},  # stage: awards
    navigation=(
        NavEntry("grants:index", _("Programmes and calls"), "grants.read", order=530),
        NavEntry("grants_public:calls", _("Calls for applications"), "grants.public", order=205),
        *AWARD_NAVIGATION,  # stage: awards
    ),
    # The more specific mounts first: each stage of project financing has its own URL module.
    urls=(
        Mount("staff/grants/applications/", urls="innocluster.grants.urls_applications"),
        Mount("staff/grants/expertise/", urls="innocluster.grants.urls_expertise"),
        Mount("staff/grants/preselection/", urls="innocluster.grants.urls_preselection_staff"),
        Mount("staff/grants/awards/", urls="innocluster.grants.urls_awards"),
        Mount("staff/grants/reports/", urls="innocluster.grants.urls_reports"),
        Mount("portal/grants/preselection/", urls="innocluster.grants.urls_preselection"),
        Mount("portal/grants/agreements/", urls="innocluster.grants.urls_agreements"),
        Mount("portal/grants/awards/", urls="innocluster.grants.urls_grantee"),
        Mount("portal/grants/challenges/", urls="innocluster.grants.urls_challenges"),
        Mount("portal/grants/", urls="innocluster.grants.urls_portal"),
        Mount("staff/grants/", urls="innocluster.grants.urls"),
        Mount("grants/", urls="innocluster.grants.urls_public"),
    ),
    api=(ApiRoute("grants/calls/", "innocluster.grants.api.endpoints.CallListView", "grants-calls"),),
)
