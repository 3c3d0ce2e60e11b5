"""The finance API: the ledger read, the reconciliation queue and its commands."""
