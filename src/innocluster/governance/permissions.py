"""Who may read the bodies: the Fund's staff and the auditor read every body; the members of the
bodies (trustees, committee members, or anyone holding a current term) read the bodies they sit
on. Object predicates take a :class:`~innocluster.governance.models.Body`; without one they say
whether the role could ever read a body (menus, the authorization table)."""

import rules

from innocluster.core.access.permissions import declare, has_role, in_role_group
from innocluster.core.access.roles import AUDITOR
from innocluster.governance.roles import CORPORATE_SECRETARY


def _body_of(obj):
    """A body, or the body of a meeting or a resolution (an object with ``body``)."""
    return getattr(obj, "body", obj)


@rules.predicate
def sits_on_body(user, obj=None) -> bool:
    from innocluster.governance.selectors import memberships_of, sits_on

    if obj is None:
        return memberships_of(user).exists()
    return sits_on(user, _body_of(obj))


STAFF_OR_AUDITOR = in_role_group("staff") | has_role(AUDITOR)

# The bodies' list and pages at all.
declare("governance.read", STAFF_OR_AUDITOR | in_role_group("bodies") | sits_on_body)
# One body's page: its composition and rules.
declare("governance.body.read", STAFF_OR_AUDITOR | sits_on_body)
# One resolution's page (its text, decision record and execution attempts): staff, the auditor and
# the members of the body that adopted it.
declare("governance.resolution.read", STAFF_OR_AUDITOR | sits_on_body)


@rules.predicate
def is_body_secretary(user, obj=None) -> bool:
    """The user holds a current term as secretary of the body (of any body, without one)."""
    from innocluster.governance.models import Position
    from innocluster.governance.selectors import memberships_of

    found = memberships_of(user).filter(position=Position.SECRETARY)
    return found.exists() if obj is None else found.filter(body=_body_of(obj)).exists()


@rules.predicate
def votes_on_body(user, obj=None) -> bool:
    """The user holds a current term with a vote on the body (the secretary has none)."""
    from innocluster.governance.models import Position
    from innocluster.governance.selectors import memberships_of

    found = memberships_of(user).exclude(position=Position.SECRETARY)
    return found.exists() if obj is None else found.filter(body=_body_of(obj)).exists()


# Convening a body's meetings, its agenda, attendance, rounds and ballots recorded in the room:
# the Fund's corporate secretary, or the body's own secretary.
declare("governance.meeting.run", has_role(CORPORATE_SECRETARY) | is_body_secretary)
# Casting one's own ballot online: a member with a vote on the body.
declare("governance.vote", votes_on_body)
