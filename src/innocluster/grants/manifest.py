"""What the grants app adds to the platform: the programme manager's and the expert's roles, the
expert commission, the access rules, the staff pages of programmes and calls, the public list of
calls and its API."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import ApiRoute, Manifest, Metric, Mount, NavEntry
from innocluster.grants import metrics as grants_metrics
from innocluster.grants import reminders as grants_reminders
from innocluster.grants.roles import BODIES, ROLES

# --- grantee reporting, project closure, funded projects, metrics (reports stage) ---
REPORTS_NAV = (
    NavEntry("grants_reports:queue", _("Grantee reports"), "grants.read", order=535),
    NavEntry("grants_grantee:awards", _("Our grants"), "grants.report.submit", order=335),
    NavEntry("grants_public:funded", _("Funded projects"), "grants.public", order=206),
)
REPORTS_API = (ApiRoute("grants/funded/", "innocluster.grants.api.funded.FundedListView", "grants-funded"),)
REPORTS_REMINDERS = {"grants.reports": grants_reminders.report_reminders}
REPORTS_METRICS = (
    Metric("grants.awarded_amount", _("Grants awarded this year"), "KZT", grants_metrics.awarded_amount),
    Metric("grants.awards_active", _("Grant projects in progress"), "count", grants_metrics.awards_active),
    Metric("grants.reports_late", _("Grantee reports late"), "count", grants_metrics.reports_late),
    Metric("grants.paid_amount", _("Grant tranches paid this year"), "KZT", grants_metrics.paid_amount),
)
# --- end of the reports stage block ---

MANIFEST = Manifest(
    roles=ROLES,
    bodies=BODIES,
    permissions=("innocluster.grants.permissions",),
    navigation=(
        NavEntry("grants:index", _("Programmes and calls"), "grants.read", order=530),
        NavEntry("grants_public:calls", _("Calls for applications"), "grants.public", order=205),
        NavEntry("grants_expertise:index", _("Expert commission"), "grants.expertise.read", order=533),
        NavEntry("grants_expertise:mine", _("My reviews"), "grants.review", order=534),
        *REPORTS_NAV,
        # --- stage: pre-selection by subsoil users and open-innovation challenges ---
        NavEntry("grants_public:challenges", _("Open innovation challenges"), "grants.public", order=206),
        NavEntry("grants_preselection:index", _("Pre-selection of projects"), "grants.preselect", order=340),
        NavEntry("grants_challenges:index", _("My challenges"), "grants.challenge.post", order=345),
        NavEntry(
            "grants_preselection_staff:index",
            _("Pre-selection by subsoil users"),
            "grants.financers.manage",
            order=535,
        ),
        # --- end of stage: pre-selection and challenges ---
        # --- intake (issue 13, 3a): the staff's list of project applications ---
        NavEntry("grants_applications:list", _("Project applications"), "grants.read", order=531),
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
    api=(
        ApiRoute("grants/calls/", "innocluster.grants.api.endpoints.CallListView", "grants-calls"),
        *REPORTS_API,
        ApiRoute(
            "grants/applications/",
            "innocluster.grants.api.applications.StaffApplicationListView",
            "grants-applications",
        ),
    ),
    reminders=REPORTS_REMINDERS,
    metrics=REPORTS_METRICS,
)

# --- participant's project applications (portal stage: urls_portal, views_portal) ---
from dataclasses import replace as _replace  # noqa: E402

from innocluster.core.manifest import CardSource  # noqa: E402
from innocluster.grants.selectors.portal import portal_card as _portal_card  # noqa: E402

PORTAL_NAV = NavEntry("grants_portal:index", _("My project applications"), "grants.apply", order=345)
PORTAL_CARD = CardSource("portal", _portal_card, action="grants.apply", order=345)
PORTAL_API = ApiRoute(
    "grants/my-applications/", "innocluster.grants.views_portal.MyApplicationsView", "grants-my-applications"
)
MANIFEST = _replace(
    MANIFEST,
    navigation=(*MANIFEST.navigation, PORTAL_NAV),
    cards=(*MANIFEST.cards, PORTAL_CARD),
    api=(*MANIFEST.api, PORTAL_API),
)
# --- end of the portal stage ---
