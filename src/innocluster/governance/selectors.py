"""Reads of the bodies and their members, for the pages, other apps and the voting rules."""

import datetime as dt

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from innocluster.core.calendar import ALMATY
from innocluster.core.policy import values as policy
from innocluster.governance.models import (
    Ballot,
    Body,
    Execution,
    Meeting,
    MeetingStatus,
    Membership,
    Position,
    Resolution,
)

# The order a composition is shown in: the chair, deputies, the secretary, then members.
POSITION_ORDER = Case(
    *(When(position=p, then=Value(n)) for n, p in enumerate(Position.values)),
    output_field=IntegerField(),
)


def _existing_on(on: dt.date) -> Q:
    return Q(exists_from__lte=on) & (Q(exists_until__isnull=True) | Q(exists_until__gt=on))


def bodies_in_force(on: dt.date | None = None) -> QuerySet[Body]:
    """The bodies of the regime the timeline puts in force on ``on`` (default: today in Almaty)
    that exist on that day. Raises ``NoRegimeInForce`` before the timeline starts."""
    on = on or policy.today()
    return (
        Body.objects.filter(_existing_on(on), regime__code=policy.regime_on(on))
        .select_related("regime")
        .order_by("exists_from", "id")
    )


def body_in_force(code: str, on: dt.date | None = None) -> Body | None:
    """The body ``code`` as it exists on ``on`` under the regime then in force, or ``None``."""
    return bodies_in_force(on).filter(code=code).first()


def body_by_pk(pk: int) -> Body | None:
    return Body.objects.select_related("regime").filter(pk=pk).first()


def _current_on(on: dt.date) -> Q:
    return Q(term_start__lte=on) & (Q(term_end__isnull=True) | Q(term_end__gte=on))


def composition(body: Body, on: dt.date | None = None) -> QuerySet[Membership]:
    """Members whose term covers ``on``: the chair first, then deputies, secretary, members."""
    on = on or policy.today()
    return body.memberships.filter(_current_on(on)).order_by(POSITION_ORDER, "full_name", "id")


def voting_members(body: Body, on: dt.date | None = None) -> QuerySet[Membership]:
    """Who may vote on ``body`` on ``on``: the chair, deputy chairs and members whose term covers
    that day (a member whose term ended does not vote). The secretary keeps the minutes and does
    not vote [design: as the secretary of a Kazakh commission is not one of its members]."""
    return composition(body, on).exclude(position=Position.SECRETARY)


def past_members(body: Body, on: dt.date | None = None) -> QuerySet[Membership]:
    on = on or policy.today()
    return body.memberships.filter(term_end__lt=on).order_by("-term_end", "id")


def memberships_of(user, on: dt.date | None = None) -> QuerySet[Membership]:
    """The terms ``user`` holds on ``on``, on any body."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    on = on or policy.today()
    return Membership.objects.filter(_current_on(on), user=user).select_related("body")


def sits_on(user, body: Body, on: dt.date | None = None) -> bool:
    return memberships_of(user, on).filter(body=body).exists()


# --- meetings -------------------------------------------------------------------------------


def meetings_of(body: Body) -> QuerySet:
    """A body's meetings, the latest first."""
    return Meeting.objects.filter(body=body).select_related("body").order_by("-starts_at", "-id")


def upcoming_meetings_for(user, now: dt.datetime | None = None) -> QuerySet:
    """Convened or running meetings from today on (Almaty) of the bodies where ``user`` holds a
    term that has not ended by today."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Meeting.objects.none()
    now = now or timezone.now()
    today = timezone.localdate(now, timezone=ALMATY)
    midnight = dt.datetime.combine(today, dt.time(), tzinfo=ALMATY)
    bodies = Membership.objects.filter(user=user).filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
    return (
        Meeting.objects.filter(
            body__in=bodies.values("body"),
            status__in=(MeetingStatus.CONVENED, MeetingStatus.HELD),
            starts_at__gte=midnight,
        )
        .select_related("body")
        .order_by("starts_at", "id")
    )


def rounds_of(item) -> QuerySet:
    """An item's ballot rounds in order, each with its stored result (``outcome``, counts, steps)."""
    return item.rounds.order_by("number")


def ballots_of(user) -> QuerySet:
    """The ballots cast by or for ``user``'s memberships, the latest first (a member's own votes)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Ballot.objects.none()
    return (
        Ballot.objects.filter(membership__user=user)
        .select_related("round__item__meeting__body", "membership")
        .order_by("-cast_at", "-id")
    )


# --- resolutions ----------------------------------------------------------------------------


def resolution_by_pk(pk: int) -> Resolution | None:
    return (
        Resolution.objects.select_related("body__regime", "item__meeting__body", "item__linked_type")
        .filter(pk=pk)
        .first()
    )


def executions_of(resolution: Resolution) -> QuerySet[Execution]:
    """Every attempt to carry ``resolution`` out, the first first, with its decision record."""
    return resolution.executions.select_related("decision", "by").order_by("attempt")
