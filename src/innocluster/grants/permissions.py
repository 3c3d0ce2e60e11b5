"""Who may do what with programmes and calls.

The programme manager enters programmes and calls; a call is published on a second person's
approval: another programme manager or a Fund executive (the service refuses the call's creator and
submitter). The Fund's staff and the auditor read everything; anyone reads the published calls."""

from innocluster.core.access.permissions import anyone, declare, has_role, in_role_group
from innocluster.core.access.roles import AUDITOR, FUND_EXECUTIVE
from innocluster.grants.roles import PROGRAMME_MANAGER

declare("grants.programme.manage", has_role(PROGRAMME_MANAGER))
declare("grants.call.edit", has_role(PROGRAMME_MANAGER))
declare("grants.call.approve", has_role(PROGRAMME_MANAGER, FUND_EXECUTIVE))
declare("grants.read", in_role_group("staff") | has_role(AUDITOR))
declare("grants.public", anyone)
