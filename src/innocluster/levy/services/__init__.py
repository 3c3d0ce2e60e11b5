"""The levy's writes, one module per concern: contracts (and their import), exchange rates,
declarations, assessment, settlement (payments, R&D spending, credits) and what a bank match does
to an obligation. Each write runs in a transaction, is audited and refuses with a domain error
naming the field or the file's line; a refusal writes nothing."""
