"""What the levy adds to the platform: its representative role, access rules, dated rules and law
cases (``policy.yaml``, ``lawcases/``), the declaration reminders, the ``innocluster levy`` command,
and its contributions to finance: the bank-line matcher and the listener that records payments."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import ApiRoute, CardSource, Manifest, Metric, Mount, NavEntry
from innocluster.levy import reminders, what_if
from innocluster.levy.cards import portal_card, staff_card
from innocluster.levy.matchers import LevyMatcher, LevyMatchListener
from innocluster.levy.roles import ROLES
from innocluster.levy.selectors import reports as levy_reports

# --- reports, account statements, notices and metrics (issue 12 items 5-7) ---
REPORT_URLS = (
    Mount("staff/levy/reports/", urls="innocluster.levy.urls.reports"),
    Mount("portal/levy/documents/", urls="innocluster.levy.urls.documents"),
)
REPORT_API = (
    ApiRoute("levy/statements/<str:bin>/", "innocluster.levy.api.statement.StatementView", "levy-statement"),
)
# Each with its month-end series (``levy.selectors.reports.month_points``: three grouped queries).
METRICS = (
    Metric(
        "levy.due", _("Levy due this year"), "KZT", levy_reports.due_in_year, series=levy_reports.due_series
    ),
    Metric(
        "levy.collected",
        _("Levy collected this year"),
        "KZT",
        levy_reports.collected_in_year,
        series=levy_reports.collected_series,
    ),
    Metric(
        "levy.collection_rate",
        _("Levy collection rate this year"),
        "ratio",
        levy_reports.collection_rate,
        series=levy_reports.collection_rate_series,
    ),
    Metric(
        "levy.arrears",
        _("Levy arrears"),
        "KZT",
        levy_reports.arrears_total,
        series=levy_reports.arrears_series,
    ),
    Metric(
        "levy.debtors",
        _("Subsoil users in arrears"),
        "count",
        levy_reports.debtors_count,
        series=levy_reports.debtors_series,
    ),
)
# --- end of reports ---

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
    # After the reports' mounts (``staff/levy/reports/``, ``portal/levy/documents/``), which are
    # more specific.
    "urls": (
        *REPORT_URLS,
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
        *REPORT_API,
    ),
}
# --- end of the pages block ----------------------------------------------------------------------

MANIFEST = Manifest(
    roles=ROLES,
    permissions=("innocluster.levy.permissions",),
    reminders={"levy.declaration_deadline": reminders.declaration_reminders},
    commands=("levy",),
    metrics=METRICS,
    hooks={
        "finance.matchers": (LevyMatcher(),),
        "finance.match_listeners": (LevyMatchListener(),),
        "policy.what_ifs": what_if.WHAT_IFS,
    },
    **PAGES,
)
