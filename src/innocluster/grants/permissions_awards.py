"""Who reads a financing agreement (stage: awards): the Fund's staff and the auditor, and a
participant's representative for the organisations it acts for (the selector looks the award up
through the user: someone else's is not found)."""

from innocluster.core.access.permissions import declare, has_role, in_role_group
from innocluster.core.access.roles import AUDITOR

declare("grants.agreement.read", in_role_group("staff") | has_role(AUDITOR, "participant_rep"))
