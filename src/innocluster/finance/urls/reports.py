"""The Fund's financial reports (trial balance, ledgers, statements, budget execution), under
``/staff/finance/reports/``. Each page also answers ``?format=pdf`` and ``?format=xlsx``."""

from django.urls import path

from innocluster.finance.views import reports as views

app_name = "finance_reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("trial-balance/", views.trial_balance, name="trial_balance"),
    path("accounts/<str:code>/", views.account_ledger, name="account_ledger"),
    path("balance-sheet/", views.balance_sheet, name="balance_sheet"),
    path("income-and-expenses/", views.income_expenses, name="income_expenses"),
    path("cash-flow/", views.cash_flow, name="cash_flow"),
    path("budget-execution/", views.budget_execution, name="budget_execution"),
    path("parties/<str:bin>/", views.party_ledger, name="party_ledger"),
    path("postings.csv", views.postings_csv, name="postings_csv"),
    path("postings.xlsx", views.postings_xlsx, name="postings_xlsx"),
]
