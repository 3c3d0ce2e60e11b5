"""Every write of the finance app: one function per business action, in a transaction, audited."""
