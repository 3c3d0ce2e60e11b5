"""The Fund's money: chart of accounts, journal, periods, budgets and commitments, bank accounts,
statement importers and reconciliation. Every money movement of every module posts through this
app's commands; nothing else writes its tables."""
