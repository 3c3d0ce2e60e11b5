"""Who may do what with decision records (imported by ``DecisionsConfig.ready``).

Recording is the Fund's secretariat work: the administrator and the executive enter decisions from
signed documents, and so does any role whose app gives it ``decisions.record`` (the corporate
secretary's). Publishing to the public register is the administrator's and the roles given
``decisions.publish``. Carrying a body's recorded decision out through the command an app
contributes for it (``executors.carry_out``) is the administrator's and the roles given
``decisions.execute``. Reading the records is open to the Fund's staff, the auditor and the members
of the governing bodies, whose decisions these are. Roles are counted from the manifests.
"""

from innocluster.core.access.permissions import declare, granted, has_role, in_role_group
from innocluster.core.access.roles import AUDITOR, FUND_ADMIN, FUND_EXECUTIVE

recorders = has_role(FUND_ADMIN, FUND_EXECUTIVE) | granted("decisions.record")
readers = in_role_group("staff") | has_role(AUDITOR) | in_role_group("bodies")

declare("decisions.record", recorders)
declare("decisions.attach_document", recorders)
declare("decisions.view", readers)
declare("decisions.publish", has_role(FUND_ADMIN) | granted("decisions.publish"))
declare("decisions.revoke", recorders)
declare("decisions.execute", has_role(FUND_ADMIN) | granted("decisions.execute"))
