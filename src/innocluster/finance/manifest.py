"""What finance adds to the platform: its roles, rules, pages, API and the ``finance.matchers``
extension point that other modules fill with their bank-line matchers."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.manifest import ApiRoute, CardSource, Manifest, Metric, Mount, NavEntry
from innocluster.finance.cards import reconciliation_card
from innocluster.finance.roles import ROLES
from innocluster.finance.selectors import metrics

# The year-to-date figures the dashboards and the strategy's KPIs read (``selectors.metrics``).
METRICS = (
    Metric("finance.committed", _("Funds committed this year"), "KZT", metrics.funds_committed),
    Metric("finance.paid", _("Funds paid against commitments this year"), "KZT", metrics.funds_paid),
    Metric("finance.budget_execution", _("Budget execution this year"), "ratio", metrics.budget_execution),
)

API = "innocluster.finance.api."

MANIFEST = Manifest(
    navigation=(NavEntry("finance:home", _("Finance"), "finance.read", order=500),),
    cards=(CardSource("staff", reconciliation_card, action="finance.read", order=500),),
    roles=ROLES,
    permissions=("innocluster.finance.permissions",),
    api=(
        ApiRoute("finance/accounts/", API + "ledger.AccountListView", "finance-accounts"),
        ApiRoute("finance/trial-balance/", API + "ledger.TrialBalanceView", "finance-trial-balance"),
        ApiRoute("finance/entries/<int:pk>/", API + "ledger.EntryDetailView", "finance-entry"),
        ApiRoute("finance/budgets/", API + "ledger.BudgetListView", "finance-budgets"),
        ApiRoute("finance/statement-lines/", API + "reconciliation.LineListView", "finance-lines"),
        ApiRoute("finance/statement-lines/<int:pk>/", API + "reconciliation.LineDetailView", "finance-line"),
        ApiRoute(
            "finance/statement-lines/<int:pk>/<str:action>/",
            API + "reconciliation.LineActionView",
            "finance-line-action",
        ),
    ),
    admin=("innocluster.finance.admin",),
    metrics=METRICS,
    commands=("ledger", "bank", "statements"),
    urls=(
        Mount("staff/finance/reports/", urls="innocluster.finance.urls.reports"),
        Mount("staff/finance/", urls="innocluster.finance.urls.staff"),
    ),
)
