"""The finance app's tables, one module per concern."""

from innocluster.finance.models.accounts import Account, AccountType, FundSource, Side
from innocluster.finance.models.banking import (
    BankAccount,
    BankStatement,
    Match,
    MatchPart,
    StatementImport,
    StatementLine,
)
from innocluster.finance.models.budgets import Budget, BudgetLine, BudgetRevision, Commitment, CommitmentEvent
from innocluster.finance.models.journal import JournalEntry, JournalLine, Period

__all__ = [
    "Account",
    "AccountType",
    "BankAccount",
    "BankStatement",
    "Budget",
    "BudgetLine",
    "BudgetRevision",
    "Commitment",
    "CommitmentEvent",
    "FundSource",
    "JournalEntry",
    "JournalLine",
    "Match",
    "MatchPart",
    "Period",
    "Side",
    "StatementImport",
    "StatementLine",
]
