"""Who may do what with the levy. Finance officers keep contracts and rates, declare on a company's
behalf, assess and settle; a representative declares for a company it represents (checked against
the company in the service: a confirmed claim); the chief accountant gives the second approval of
large R&D spending; auditors and finance staff read everything."""

from innocluster.core.access.permissions import declare, has_role
from innocluster.core.access.roles import AUDIT_READERS
from innocluster.levy.roles import CHIEF_ACCOUNTANT, FINANCE_OFFICER, SUBSOIL_REP

READERS = (FINANCE_OFFICER, CHIEF_ACCOUNTANT, *AUDIT_READERS)

declare("levy.read", has_role(*READERS))
declare("levy.contracts.manage", has_role(FINANCE_OFFICER))
declare("levy.rates.manage", has_role(FINANCE_OFFICER))
declare("levy.declare", has_role(FINANCE_OFFICER, SUBSOIL_REP))
declare("levy.assess", has_role(FINANCE_OFFICER))
declare("levy.settle", has_role(FINANCE_OFFICER))
declare("levy.rnd.approve", has_role(FINANCE_OFFICER, CHIEF_ACCOUNTANT))
declare("levy.rnd.second_approve", has_role(CHIEF_ACCOUNTANT))

# --- pages and API (levy pages) ------------------------------------------------------------------
# A representative's portal: what its organisations hold (the views filter by a confirmed claim,
# another company's object is not found). The API: staff readers see everything, a representative
# its own organisations' contracts, declarations and obligations.
declare("levy.portal", has_role(SUBSOIL_REP))
declare("levy.api", has_role(*READERS, SUBSOIL_REP))

# --- levy reports, account statements and notices (issue 12 items 5-7) ---
# A representative reads the statement and notices of an organisation it represents (the view
# checks the organisation: another's is a 404); the Fund's levy readers read any.
declare("levy.documents.own", has_role(SUBSOIL_REP))
declare("levy.statement.read", has_role(*READERS, SUBSOIL_REP))
