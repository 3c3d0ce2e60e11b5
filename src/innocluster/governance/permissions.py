"""Who may read the bodies: the Fund's staff and the auditor read every body; the members of the
bodies (trustees, committee members, or anyone holding a current term) read the bodies they sit
on. Object predicates take a :class:`~innocluster.governance.models.Body`; without one they say
whether the role could ever read a body (menus, the authorization table)."""

import rules

from innocluster.core.access.permissions import anyone, declare, has_role, in_role_group
from innocluster.core.access.roles import AUDITOR, FUND_ADMIN
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


@rules.predicate
def reads_meeting(user, obj=None) -> bool:
    """A member of the body reads its meetings once convened (a draft is the secretary's work)."""
    from innocluster.governance.models import MeetingStatus

    if obj is None:
        return sits_on_body(user)
    return obj.status != MeetingStatus.DRAFT and sits_on_body(user, obj.body)


RUNS_MEETINGS = has_role(CORPORATE_SECRETARY) | is_body_secretary

# The meetings' list and one meeting with its agenda, papers, rounds and results.
declare("governance.meeting.read", STAFF_OR_AUDITOR | RUNS_MEETINGS | reads_meeting)
# Publishing an adopted resolution on the public page: whoever runs the body's meetings.
declare("governance.resolution.publish", RUNS_MEETINGS)
# A member's own page: coming meetings, ballots awaiting them, their votes.
declare("governance.my", in_role_group("bodies") | sits_on_body)
# The resolutions the bodies chose to publish: everyone, signed in or not.
declare("governance.public", anyone)


@rules.predicate
def sits_on_body_of(user, obj=None) -> bool:
    """The user holds a current term on the body of ``obj`` (a body, a meeting, minutes, a
    resolution); without one, on any body."""
    from innocluster.governance.selectors import memberships_of, sits_on

    if obj is None:
        return memberships_of(user).exists()
    return sits_on(user, _body_of(obj))


# A meeting's minutes and the PDFs of its minutes and resolutions: staff, the auditor, and the
# members of its body. Commenting on circulated minutes: a member with a vote on the body.
declare("governance.minutes.read", STAFF_OR_AUDITOR | sits_on_body_of)
declare("governance.minutes.comment", votes_on_body)
# The development strategy: drafting versions, goals, KPIs and targets, recording the Board's
# approval and entering by hand the values no metric measures.
declare("governance.strategy.edit", has_role(CORPORATE_SECRETARY, FUND_ADMIN))
