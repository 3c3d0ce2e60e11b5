"""Every write of the grants app: one function per business action, in a transaction, audited."""
