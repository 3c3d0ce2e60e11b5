"""Who may do what with the Fund's money. Finance officers import, match and prepare; the chief
accountant approves manual entries above the threshold, closes periods and sets budgets; a fund
administrator reopens a closed period; auditors and the Fund's management read everything and
change nothing."""

from innocluster.core.access.permissions import declare, has_role
from innocluster.core.access.roles import AUDIT_READERS

OFFICER, CHIEF = "finance_officer", "chief_accountant"
READERS = (OFFICER, CHIEF, *AUDIT_READERS)

declare("finance.read", has_role(*READERS))
declare("finance.statements.import", has_role(OFFICER))
declare("finance.reconcile", has_role(OFFICER))
declare("finance.entry.propose", has_role(OFFICER, CHIEF))
declare("finance.entry.approve", has_role(CHIEF))
declare("finance.entry.reverse", has_role(CHIEF))
declare("finance.period.close", has_role(CHIEF))
declare("finance.period.reopen", has_role("fund_admin"))
declare("finance.budget.manage", has_role(CHIEF))
declare("finance.bank_accounts.manage", has_role(CHIEF, "fund_admin"))
