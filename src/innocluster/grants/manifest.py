"""What the grants app adds to the platform: the programme manager's, the expert's and the expert
commission chair's roles, the expert commission, the access rules, the dated rules and law cases
(``policy.yaml``, ``lawcases/``), the pages of every stage of project financing (calls,
applications, intake, pre-selection, expertise, awards, agreements, tranches, reports, challenges),
the public lists of calls, challenges and funded projects, the API, the reminders of grantee reports,
the metrics for the governance KPIs, and the ``grants.award`` decision with its executor."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import ApiRoute, CardSource, DecisionType, Manifest, Metric, Mount, NavEntry
from innocluster.grants import metrics, reminders
from innocluster.grants.executors import EXECUTORS
from innocluster.grants.roles import BODIES, ROLES
from innocluster.grants.selectors.portal import portal_card

NAVIGATION = (
    # public
    NavEntry("grants_public:calls", _("Calls for applications"), "grants.public", order=205),
    NavEntry("grants_public:challenges", _("Open innovation challenges"), "grants.public", order=206),
    NavEntry("grants_public:funded", _("Funded projects"), "grants.public", order=207),
    # participants and subsoil users
    NavEntry("grants_grantee:awards", _("Our grants"), "grants.report.submit", order=335),
    NavEntry("grants_preselection:index", _("Pre-selection of projects"), "grants.preselect", order=340),
    NavEntry("grants_portal:index", _("My project applications"), "grants.apply", order=345),
    NavEntry("grants_challenges:index", _("My challenges"), "grants.challenge.post", order=346),
    # the Fund's staff: one entry, and each stage a tab on its pages (templatetags/grants_tabs.py);
    # the chair of the expert commission and the experts are outside people with their own entry
    NavEntry("grants:index", _("Project financing"), "grants.read", order=530),
    NavEntry("grants_expertise:index", _("Expert commission"), "grants.expertise.chair", order=533),
    NavEntry("grants_expertise:mine", _("My reviews"), "grants.review", order=536),
)

# The more specific mounts first: each stage of project financing has its own URL module.
URLS = (
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
)

API = (
    ApiRoute("grants/calls/", "innocluster.grants.api.endpoints.CallListView", "grants-calls"),
    ApiRoute("grants/funded/", "innocluster.grants.api.funded.FundedListView", "grants-funded"),
    ApiRoute(
        "grants/applications/",
        "innocluster.grants.api.applications.StaffApplicationListView",
        "grants-applications",
    ),
    ApiRoute(
        "grants/my-applications/",
        "innocluster.grants.views_portal.MyApplicationsView",
        "grants-my-applications",
    ),
)

METRICS = (
    Metric("grants.awarded_amount", _("Grants awarded this year"), "KZT", metrics.awarded_amount),
    Metric("grants.awards_active", _("Grant projects in progress"), "count", metrics.awards_active),
    Metric("grants.reports_late", _("Grantee reports late"), "count", metrics.reports_late),
    Metric("grants.paid_amount", _("Grant tranches paid this year"), "KZT", metrics.paid_amount),
)

MANIFEST = Manifest(
    roles=ROLES,
    bodies=BODIES,
    permissions=("innocluster.grants.permissions",),
    decision_types=(
        DecisionType("grants.award", _("Grant award"), bodies=("fund_executive", "managing_committee")),
    ),
    hooks={"decisions.executors": EXECUTORS},
    navigation=NAVIGATION,
    cards=(CardSource("portal", portal_card, action="grants.apply", order=345),),
    urls=URLS,
    api=API,
    reminders={"grants.reports": reminders.report_reminders},
    metrics=METRICS,
)
