"""What the levy adds to the platform: its representative role, access rules, dated rules and law
cases (``policy.yaml``, ``lawcases/``), the declaration reminders, the ``innocluster levy`` command,
and its contributions to finance: the bank-line matcher and the listener that records payments."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import ApiRoute, Manifest, Metric, Mount
from innocluster.levy import reminders
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
METRICS = (
    Metric("levy.due", _("Levy due this year"), "KZT", levy_reports.due_in_year),
    Metric("levy.collected", _("Levy collected this year"), "KZT", levy_reports.collected_in_year),
    Metric(
        "levy.collection_rate", _("Levy collection rate this year"), "ratio", levy_reports.collection_rate
    ),
    Metric("levy.arrears", _("Levy arrears"), "KZT", levy_reports.arrears_total),
    Metric("levy.debtors", _("Subsoil users in arrears"), "count", levy_reports.debtors_count),
)
# --- end of reports ---

MANIFEST = Manifest(
    roles=ROLES,
    permissions=("innocluster.levy.permissions",),
    reminders={"levy.declaration_deadline": reminders.declaration_reminders},
    commands=("levy",),
    urls=REPORT_URLS,
    api=REPORT_API,
    metrics=METRICS,
    hooks={
        "finance.matchers": (LevyMatcher(),),
        "finance.match_listeners": (LevyMatchListener(),),
    },
)
