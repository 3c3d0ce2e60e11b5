"""Who may do what with decision records (imported by ``DecisionsConfig.ready``).

Recording is the Fund's secretariat work: the administrator, the executive and the corporate
secretary enter decisions from signed documents. Publishing to the public register is the corporate
secretary's (and the administrator's) job. Reading the records is open to the Fund's staff, the
auditor and the members of the governing bodies, whose decisions these are.
"""

from innocluster.core.access.permissions import declare, has_role
from innocluster.core.access.roles import FUND_STAFF, GOVERNANCE, Role

RECORDERS = (Role.FUND_ADMIN, Role.FUND_EXECUTIVE, Role.CORPORATE_SECRETARY)
READERS = (*sorted(FUND_STAFF), Role.AUDITOR, *sorted(GOVERNANCE))

declare("decisions.record", has_role(*RECORDERS))
declare("decisions.attach_document", has_role(*RECORDERS))
declare("decisions.view", has_role(*READERS))
declare("decisions.publish", has_role(Role.CORPORATE_SECRETARY, Role.FUND_ADMIN))
declare("decisions.revoke", has_role(*RECORDERS))
