"""Who may read the bodies: the Fund's staff and the auditor read every body; the members of the
bodies (trustees, committee members, or anyone holding a current term) read the bodies they sit
on. Object predicates take a :class:`~innocluster.governance.models.Body`; without one they say
whether the role could ever read a body (menus, the authorization table)."""

import rules

from innocluster.core.access.permissions import declare, has_role, in_role_group
from innocluster.core.access.roles import AUDITOR


@rules.predicate
def sits_on_body(user, obj=None) -> bool:
    from innocluster.governance.selectors import memberships_of, sits_on

    if obj is None:
        return memberships_of(user).exists()
    return sits_on(user, obj)


STAFF_OR_AUDITOR = in_role_group("staff") | has_role(AUDITOR)

# The bodies' list and pages at all.
declare("governance.read", STAFF_OR_AUDITOR | in_role_group("bodies") | sits_on_body)
# One body's page: its composition and rules.
declare("governance.body.read", STAFF_OR_AUDITOR | sits_on_body)
