"""Notices to a body's members: the meeting convened (with its agenda so far and whether the
notice period was kept), and a ballot round open for them to vote online. Each member reads it in
their own language; the e-mail leaves after the transaction commits, so a refused change sends
nothing."""

from django.urls import reverse

from innocluster.core.notifications.services import notify
from innocluster.governance.models import BallotRound, Meeting
from innocluster.governance.selectors import composition, voting_members


def _people(memberships) -> list:
    return [m.user for m in memberships.select_related("user") if m.user_id is not None]


def meeting_convened(meeting: Meeting, *, by) -> None:
    """Every member whose term covers the meeting's day, the secretary included."""
    notify(
        recipients=_people(composition(meeting.body, meeting.date)),
        key="governance.meeting.convened",
        context={
            "meeting": meeting,
            "body": meeting.body,
            "items": list(meeting.items.filter(parent__isnull=True).order_by("position", "id")),
        },
        obj=meeting,
        actor=by,
        url=reverse("governance:meeting", args=[meeting.pk]),
        dedupe_key=f"governance.meeting.convened:{meeting.pk}",
    )


def round_opened(rnd: BallotRound, *, by) -> None:
    """The members with a vote on the day, told that they may vote online until the deadline."""
    meeting = rnd.item.meeting
    notify(
        recipients=_people(voting_members(meeting.body, meeting.date)),
        key="governance.round.opened",
        context={"round": rnd, "item": rnd.item, "meeting": meeting, "body": meeting.body},
        obj=rnd,
        actor=by,
        url=reverse("governance:vote", args=[rnd.pk]),
        dedupe_key=f"governance.round.opened:{rnd.pk}",
    )
