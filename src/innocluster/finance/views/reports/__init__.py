"""The Fund's financial reports, one module per kind; every page also answers ``?format=pdf`` and
``?format=xlsx`` (``common.report``)."""

from innocluster.finance.views.reports.budgets import budget_execution
from innocluster.finance.views.reports.exports import postings_csv, postings_xlsx
from innocluster.finance.views.reports.ledgers import account_ledger, index, party_ledger, trial_balance
from innocluster.finance.views.reports.statements import balance_sheet, cash_flow, income_expenses

__all__ = [
    "account_ledger",
    "balance_sheet",
    "budget_execution",
    "cash_flow",
    "income_expenses",
    "index",
    "party_ledger",
    "postings_csv",
    "postings_xlsx",
    "trial_balance",
]
