"""Ballot rounds of an agenda item: opening a round, ballots cast online or recorded by the
secretary, and the count (``voting.decide``) that closes the round and numbers a resolution, carried out at once
when an app contributes an executor for its decision type (``services.execution``). A closed round
never changes; a re-vote is a new round. Same conventions as ``services.meetings``
(who may call, validation by field, one transaction, an audit event)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.core.calendar import almaty_date
from innocluster.governance import authority, voting
from innocluster.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceMode,
    Ballot,
    BallotRound,
    Body,
    Choice,
    ItemStatus,
    MeetingKind,
    Membership,
    Position,
    Recusal,
    Resolution,
)
from innocluster.governance.selectors import voting_members
from innocluster.governance.services import execution, notices
from innocluster.governance.services.meetings import (
    RUN,
    VOTABLE,
    VOTE,
    check_meeting_running,
    mark_held,
    next_number,
    refuse,
)

LANGUAGES = ("en", "kk", "ru")
OUTCOME_STATUS = {
    voting.ADOPTED: ItemStatus.ADOPTED,
    voting.NOT_ADOPTED: ItemStatus.REJECTED,
    voting.NO_QUORUM: ItemStatus.NO_QUORUM,
}


@transaction.atomic
def open_round(item: AgendaItem, *, by, deadline: dt.datetime | None = None) -> BallotRound:
    """Put ``item`` to the vote: round 1, or the next round of a re-vote after a failed one."""
    item = AgendaItem.objects.select_for_update().select_related("meeting__body").get(pk=item.pk)
    meeting = item.meeting
    require(by, RUN, meeting.body)
    check_meeting_running(meeting)
    if item.status == ItemStatus.VOTING:
        refuse("item", _("A round is already open on this item."))
    if item.status not in VOTABLE:
        refuse("item", _("This item is no longer open for a vote."))
    now = timezone.now()
    if deadline is not None and (timezone.is_naive(deadline) or deadline <= now):
        refuse("deadline", _("The deadline must be a time after now."))
    rnd = BallotRound.objects.create(
        item=item, number=next_number(item.rounds.all()), opened_at=now, deadline=deadline
    )
    item.status = ItemStatus.VOTING
    item.save(update_fields=["status"])
    mark_held(meeting)
    record_event(
        action="governance.round.opened",
        actor=by,
        obj=rnd,
        changes={"item": [None, str(item)], "number": [None, rnd.number]},
    )
    if meeting.kind != MeetingKind.IN_PERSON or deadline is not None:
        notices.round_opened(rnd, by=by)
    return rnd


def _check_ballot(rnd: BallotRound, membership: Membership, choice: str) -> None:
    meeting = rnd.item.meeting
    if choice not in Choice.values:
        refuse("choice", _("Vote for, against or abstain."))
    if rnd.closed_at is not None:
        refuse("round", _("This round is closed: it takes no more ballots."))
    if rnd.deadline is not None and timezone.now() > rnd.deadline:
        refuse("round", _("The deadline of this round has passed."))
    if not voting_members(meeting.body, meeting.date).filter(pk=membership.pk).exists():
        refuse("membership", _("Only a member with a vote whose term covers the meeting's day may vote."))
    if Recusal.objects.filter(item=rnd.item, membership=membership).exists():
        refuse("membership", _("This member declared a conflict of interest on this item and does not vote."))
    if Ballot.objects.filter(round=rnd, membership=membership).exists():
        refuse("membership", _("This member has already voted in this round."))


def _lock_round(rnd: BallotRound) -> BallotRound:
    return BallotRound.objects.select_for_update().select_related("item__meeting__body").get(pk=rnd.pk)


def _cast(rnd: BallotRound, membership: Membership, choice: str, mode: str, by) -> Ballot:
    ballot = Ballot.objects.create(
        round=rnd, membership=membership, choice=choice, mode=mode, cast_by=by, cast_at=timezone.now()
    )
    record_event(
        action="governance.ballot.cast",
        actor=by,
        obj=ballot,
        changes={"round": [None, str(rnd)], "member": [None, membership.full_name], "mode": [None, mode]},
    )
    return ballot


@transaction.atomic
def cast_ballot(rnd: BallotRound, *, by, choice: str) -> Ballot:
    """The member ``by`` votes themself, online (or by absentee ballot at an absentee meeting).
    Refused unless they are a member with a vote on the meeting's day, not recused, have not voted
    in this round, and the round is open and within its deadline."""
    rnd = _lock_round(rnd)
    meeting = rnd.item.meeting
    if by is None or not Membership.objects.filter(body=meeting.body, user=by).exists():
        require(by, VOTE, meeting.body)  # refuses anyone who never sat on the body, with its reason
        raise PermissionDenied(_("You hold no term on this body."))
    membership = (
        voting_members(meeting.body, meeting.date).filter(user=by).first()
        or Membership.objects.filter(body=meeting.body, user=by).order_by("-term_start").first()
    )
    _check_ballot(rnd, membership, choice)
    mode = AttendanceMode.ABSENTEE if meeting.kind == MeetingKind.ABSENTEE else AttendanceMode.ONLINE
    return _cast(rnd, membership, choice, mode, by)


@transaction.atomic
def record_ballot(
    rnd: BallotRound, membership: Membership, *, choice: str, by, mode: str = AttendanceMode.IN_ROOM
) -> Ballot:
    """The secretary records a member's vote: in the room (the member is recorded present) or a
    written absentee ballot (where the body allows absentee voting). Same refusals as
    :func:`cast_ballot`."""
    rnd = _lock_round(rnd)
    meeting = rnd.item.meeting
    require(by, RUN, meeting.body)
    if mode == AttendanceMode.IN_ROOM:
        if not Attendance.objects.filter(meeting=meeting, membership=membership, present=True).exists():
            refuse("membership", _("Record the member as present before recording their vote in the room."))
    elif mode == AttendanceMode.ABSENTEE:
        if not meeting.body.absentee_voting:
            refuse("mode", _("This body's rules do not allow absentee voting."))
    else:
        refuse("mode", _("The secretary records votes cast in the room or absentee ballots."))
    _check_ballot(rnd, membership, choice)
    return _cast(rnd, membership, choice, mode, by)


def _tally(rnd: BallotRound) -> voting.Tally:
    """The count for ``rnd`` from the meeting's records: members with a vote on the day; present
    = recorded present or voted (an online or absentee ballot makes its member present); recused
    among those present; the ballots of the others."""
    item, meeting = rnd.item, rnd.item.meeting
    voters = {m.pk: m for m in voting_members(meeting.body, meeting.date)}
    ballots = [b for b in rnd.ballots.all() if b.membership_id in voters]
    present = {
        pk
        for pk in meeting.attendance.filter(present=True).values_list("membership_id", flat=True)
        if pk in voters
    } | {b.membership_id for b in ballots}
    recused = set(item.recusals.values_list("membership_id", flat=True)) & present
    ballots = [b for b in ballots if b.membership_id not in recused]
    chair = next((b for b in ballots if voters[b.membership_id].position == Position.CHAIR), None)
    return voting.Tally(
        members=len(voters),
        present=len(present),
        recused=len(recused),
        votes_for=sum(b.choice == Choice.FOR for b in ballots),
        against=sum(b.choice == Choice.AGAINST for b in ballots),
        abstain=sum(b.choice == Choice.ABSTAIN for b in ballots),
        chair_for=None if chair is None or chair.choice == Choice.ABSTAIN else chair.choice == Choice.FOR,
        absentee=sum(b.mode != AttendanceMode.IN_ROOM for b in ballots),
    )


def majority_for(item: AgendaItem) -> str:
    """The item's own majority; else the one the authority matrix names for its decision type on
    the meeting's day; else the body's default."""
    if item.majority:
        return item.majority
    if item.decision_type:
        row = authority.deciding(item.decision_type, item.meeting.date, item.amount)
        if row is not None and row.majority:
            return row.majority
    return item.meeting.body.majority


def rule_for(item: AgendaItem) -> voting.VotingRule:
    """The body's rule, with the majority of :func:`majority_for`."""
    body = item.meeting.body
    return voting.VotingRule(
        quorum=body.quorum_fraction,
        majority=majority_for(item),
        abstentions=body.abstentions,
        casting_vote=body.casting_vote,
        recused_count_for_quorum=body.recused_count_for_quorum,
    )


@transaction.atomic
def close_round(rnd: BallotRound, *, by) -> BallotRound:
    """Count the round: quorum and majority by ``voting.decide``, its arithmetic kept in English,
    Kazakh and Russian; the item becomes adopted, rejected or without quorum; an adopted item gets
    the body's next resolution number of the year. A closed round never changes."""
    rnd = _lock_round(rnd)
    item, meeting = rnd.item, rnd.item.meeting
    require(by, RUN, meeting.body)
    if rnd.closed_at is not None:
        refuse("round", _("This round is already closed."))
    tally, rule = _tally(rnd), rule_for(item)
    steps = {}
    for language in LANGUAGES:
        with translation.override(language):
            result = voting.decide(rule, tally)
            steps[language] = list(result.steps)
    now = timezone.now()
    rnd.closed_at = now
    rnd.outcome = result.outcome
    rnd.quorum_met = result.quorum_met
    rnd.members, rnd.present, rnd.recused = tally.members, tally.present, tally.recused
    rnd.votes_for, rnd.votes_against, rnd.votes_abstain = tally.votes_for, tally.against, tally.abstain
    rnd.steps = steps
    rnd.save()
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    item.status = OUTCOME_STATUS[result.outcome]
    item.save(update_fields=["status"])
    changes = {
        "outcome": [None, result.outcome],
        "votes": [None, {"for": tally.votes_for, "against": tally.against, "abstain": tally.abstain}],
        "present": [None, tally.present],
        "recused": [None, tally.recused],
    }
    resolution = None
    if result.adopted:
        # A meeting entered after the fact adopted its resolutions on its own day.
        adopted_on = meeting.date if meeting.convened_at is None else almaty_date(now)
        resolution = _resolve(item, meeting.body, adopted_on)
        changes["resolution"] = [None, str(resolution)]
    record_event(action="governance.round.closed", actor=by, obj=rnd, changes=changes)
    if resolution is not None and execution.executor_of(item) is not None:
        # Carried out at once; a failure is kept on the resolution and never undoes the count.
        execution.execute_resolution(resolution, by=by)
    return rnd


def _resolve(item: AgendaItem, body: Body, on: dt.date) -> Resolution:
    Body.objects.select_for_update().get(pk=body.pk)  # serialises the numbering per body
    return Resolution.objects.create(
        body=body,
        year=on.year,
        number=next_number(Resolution.objects.filter(body=body, year=on.year)),
        item=item,
        text_en=item.title_en,
        text_kk=item.title_kk,
        text_ru=item.title_ru,
        adopted_on=on,
    )
