"""Reads of meetings for the pages: who sees which meetings, one meeting with everything its page
shows (in a fixed number of queries, whatever the agenda's size), the ballots awaiting a member,
and the resolutions a body chose to publish."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from innocluster.core.policy import values as policy
from innocluster.governance.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotRound,
    Body,
    ItemPaper,
    Meeting,
    MeetingStatus,
    Membership,
    Position,
    Recusal,
    Resolution,
)
from innocluster.governance.permissions import STAFF_OR_AUDITOR
from innocluster.governance.selectors import memberships_of, voting_members


def meetings_for(user) -> QuerySet[Meeting]:
    """The meetings ``user`` may read, the latest first: every meeting for the Fund's staff and
    the auditor (and whoever runs meetings); for a member, the convened meetings of the bodies
    they sit on today."""
    everything = Meeting.objects.select_related("body").order_by("-starts_at", "-id")
    if user is None or not getattr(user, "is_authenticated", False):
        return everything.none()
    if STAFF_OR_AUDITOR.test(user):
        return everything
    terms = memberships_of(user)
    own = Q(body__in=terms.values("body")) & ~Q(status=MeetingStatus.DRAFT)
    own |= Q(body__in=terms.filter(position=Position.SECRETARY).values("body"))
    return everything.filter(own)


def meeting_by_pk(pk: int) -> Meeting | None:
    return Meeting.objects.select_related("body__regime", "convened_by").filter(pk=pk).first()


@dataclass
class ItemView:
    """One agenda item as the page shows it, with its sub-items below it."""

    item: AgendaItem
    depth: int
    number: str
    children: list["ItemView"] = field(default_factory=list)


def agenda(meeting: Meeting) -> list[ItemView]:
    """The agenda as a flat list in reading order (1, 1.1, 1.2, 2 …), each item with its papers,
    recusals, rounds (with their ballots) and resolution prefetched: a fixed number of queries."""
    items = list(
        meeting.items.select_related("resolution", "linked_type")
        .prefetch_related(
            Prefetch("papers", queryset=ItemPaper.objects.order_by("uploaded_at", "id")),
            Prefetch("recusals", queryset=Recusal.objects.select_related("membership")),
            Prefetch(
                "rounds",
                queryset=BallotRound.objects.order_by("number").prefetch_related(
                    Prefetch("ballots", queryset=Ballot.objects.select_related("membership"))
                ),
            ),
        )
        .order_by("position", "id")
    )
    children: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    flat: list[ItemView] = []

    def walk(parent_id, prefix: str, depth: int) -> None:
        for n, item in enumerate(children.get(parent_id, []), start=1):
            view = ItemView(item=item, depth=depth, number=f"{prefix}{n}")
            flat.append(view)
            walk(item.pk, f"{view.number}.", depth + 1)

    walk(None, "", 0)
    return flat


def attendance(meeting: Meeting) -> list[dict]:
    """Each member with a vote on the meeting's day, with their recorded attendance (or none) and
    whether they voted online or by absentee ballot (which makes them present)."""
    rows = {a.membership_id: a for a in Attendance.objects.filter(meeting=meeting)}
    # A member who cast a ballot online or by absentee ballot counts as present (services.ballots).
    voted = set(
        Ballot.objects.filter(round__item__meeting=meeting)
        .exclude(mode="in_room")
        .values_list("membership_id", flat=True)
    )
    return [
        {"membership": m, "attendance": rows.get(m.pk), "voted": m.pk in voted}
        for m in voting_members(meeting.body, meeting.date).select_related("user")
    ]


def membership_for(user, body: Body, on: dt.date) -> Membership | None:
    """The term ``user`` holds with a vote on ``body`` on ``on``, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return voting_members(body, on).filter(user=user).first()


def awaiting_ballot(user) -> QuerySet[BallotRound]:
    """Open rounds (within their deadline) on items of convened meetings of the bodies ``user``
    sits on with a vote, where they have neither voted nor declared a conflict."""
    if user is None or not getattr(user, "is_authenticated", False):
        return BallotRound.objects.none()
    terms = memberships_of(user).exclude(position=Position.SECRETARY)
    now = timezone.now()
    voted = Ballot.objects.filter(round=OuterRef("pk"), membership__user=user)
    recused = Recusal.objects.filter(item=OuterRef("item"), membership__user=user)
    return (
        BallotRound.objects.filter(
            closed_at__isnull=True,
            item__meeting__body__in=terms.values("body"),
            item__meeting__status__in=(MeetingStatus.CONVENED, MeetingStatus.HELD),
        )
        .filter(Q(deadline__isnull=True) | Q(deadline__gt=now))
        .exclude(Exists(voted))
        .exclude(Exists(recused))
        .select_related("item__meeting__body")
        .order_by("deadline", "opened_at", "id")
    )


def published_resolutions() -> QuerySet[Resolution]:
    """The resolutions the bodies chose to publish, the latest first."""
    return (
        Resolution.objects.filter(published=True)
        .select_related("body", "item__meeting")
        .order_by("-adopted_on", "-number", "-id")
    )


def today() -> dt.date:
    return policy.today()
