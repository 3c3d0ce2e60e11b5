"""A body's meetings: convening (with the notice period checked), the agenda, attendance,
and conflicts of interest (ballot rounds and their count: ``services.ballots``). Each function checks who calls it
(``governance.meeting.run``: the corporate secretary or the body's secretary; ``governance.vote``:
a member with a vote), validates (``ValidationError`` by field), runs in one transaction and
writes an audit event. The count itself is ``voting.decide``: this module only gathers the tally.

Days are Almaty calendar days: a meeting's day is ``almaty_date(starts_at)``; a member votes when
their term covers that day (``selectors.voting_members``)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.core.calendar import almaty_date
from innocluster.core.decisions.executors import (
    body_label,
    decision_type_label,
    executor_for,
    model_label,
)
from innocluster.governance import authority
from innocluster.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceMode,
    Ballot,
    Body,
    ItemStatus,
    Majority,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Membership,
    Recusal,
)
from innocluster.governance.services import notices

RUN = "governance.meeting.run"
VOTE = "governance.vote"
# An item may be put to a (new) vote from these states: a re-vote follows a failed round.
VOTABLE = (ItemStatus.OPEN, ItemStatus.REJECTED, ItemStatus.NO_QUORUM)


def refuse(field: str, message: str):
    raise ValidationError({field: [message]})


def check_meeting_open(meeting: Meeting, field: str = "meeting") -> None:
    if meeting.status == MeetingStatus.CLOSED:
        refuse(field, _("The meeting is closed: nothing more can be recorded on it."))


def next_number(queryset, field: str = "number") -> int:
    return (queryset.aggregate(top=Max(field))["top"] or 0) + 1


def mark_held(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CONVENED:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])


def _check_time(body: Body, starts_at, now) -> None:
    if not isinstance(starts_at, dt.datetime) or timezone.is_naive(starts_at):
        refuse("starts_at", _("Enter the day and time the meeting starts."))
    if starts_at <= now:
        refuse("starts_at", _("A meeting is convened before it starts: choose a later time."))
    if not body.exists_on(almaty_date(starts_at)):
        refuse("starts_at", _("The body does not exist on the meeting's day."))


@transaction.atomic
def plan_meeting(
    body: Body, *, starts_at: dt.datetime, by, kind: str = MeetingKind.IN_PERSON, place: str = ""
) -> Meeting:
    """A draft meeting of ``body`` at ``starts_at`` (aware), numbered per body and year (of its
    Almaty day). Its agenda can be prepared; members see it once it is convened."""
    require(by, RUN, body)
    if kind not in MeetingKind.values:
        refuse("kind", _("Choose the kind of meeting: in person, remote or absentee vote."))
    if kind == MeetingKind.ABSENTEE and not body.absentee_voting:
        refuse("kind", _("This body's rules do not allow absentee voting."))
    _check_time(body, starts_at, timezone.now())
    body = Body.objects.select_for_update().get(pk=body.pk)  # serialises the numbering
    year = almaty_date(starts_at).year
    meeting = Meeting.objects.create(
        body=body,
        year=year,
        number=next_number(Meeting.objects.filter(body=body, year=year)),
        kind=kind,
        starts_at=starts_at,
        place=(place or "").strip(),
        status=MeetingStatus.DRAFT,
    )
    record_event(
        action="governance.meeting.planned",
        actor=by,
        obj=meeting,
        changes={
            "body": [None, body.code],
            "number": [None, f"{meeting.year}/{meeting.number}"],
            "starts_at": [None, starts_at.isoformat()],
            "kind": [None, kind],
        },
    )
    return meeting


@transaction.atomic
def record_held_meeting(
    body: Body, *, starts_at: dt.datetime, by, kind: str = MeetingKind.IN_PERSON, place: str = "", reason: str
) -> Meeting:
    """Enter a meeting already held outside the system (its record kept on paper until now), so
    that its attendance, votes and resolutions can be recorded and its minutes kept here. Its
    notice is not known: the meeting says so (no convening date) instead of pretending."""
    require(by, RUN, body)
    if kind not in MeetingKind.values:
        refuse("kind", _("Choose the kind of meeting: in person, remote or absentee vote."))
    if not isinstance(starts_at, dt.datetime) or timezone.is_naive(starts_at):
        refuse("starts_at", _("Enter the day and time the meeting starts."))
    if starts_at >= timezone.now():
        refuse("starts_at", _("Only a meeting already held can be entered this way: plan a coming one."))
    if not body.exists_on(almaty_date(starts_at)):
        refuse("starts_at", _("The body does not exist on the meeting's day."))
    if not (reason or "").strip():
        refuse("reason", _("Say where the record of this meeting comes from."))
    body = Body.objects.select_for_update().get(pk=body.pk)
    year = almaty_date(starts_at).year
    meeting = Meeting.objects.create(
        body=body,
        year=year,
        number=next_number(Meeting.objects.filter(body=body, year=year)),
        kind=kind,
        starts_at=starts_at,
        place=(place or "").strip(),
        status=MeetingStatus.HELD,
    )
    record_event(
        action="governance.meeting.recorded",
        actor=by,
        obj=meeting,
        changes={
            "body": [None, body.code],
            "number": [None, f"{meeting.year}/{meeting.number}"],
            "starts_at": [None, starts_at.isoformat()],
            "status": [None, MeetingStatus.HELD],
        },
        reason=reason.strip(),
    )
    return meeting


@transaction.atomic
def convene_meeting(meeting: Meeting, *, by, reason: str = "") -> Meeting:
    """Convene a draft meeting: the members are given notice now. Notice shorter than
    ``body.notice_days`` calendar days (today to the meeting's day, in Almaty) is allowed but
    flagged, with the days given and required kept on the meeting."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    body = meeting.body
    require(by, RUN, body)
    if meeting.status != MeetingStatus.DRAFT:
        refuse("status", _("This meeting has already been convened."))
    now = timezone.now()
    _check_time(body, meeting.starts_at, now)
    given = (meeting.date - almaty_date(now)).days
    meeting.status = MeetingStatus.CONVENED
    meeting.convened_at, meeting.convened_by = now, by
    meeting.notice_late = given < body.notice_days
    meeting.notice_days_given, meeting.notice_days_required = given, body.notice_days
    meeting.save()
    record_event(
        action="governance.meeting.convened",
        actor=by,
        obj=meeting,
        changes={
            "status": [MeetingStatus.DRAFT, MeetingStatus.CONVENED],
            "notice_days": [None, {"given": given, "required": body.notice_days}],
            "notice_late": [None, meeting.notice_late],
        },
        reason=reason,
    )
    notices.meeting_convened(meeting, by=by)
    return meeting


def check_meeting_running(meeting: Meeting, field: str = "meeting") -> None:
    """Attendance, rounds and ballots need a convened (or running) meeting."""
    check_meeting_open(meeting, field)
    if meeting.status == MeetingStatus.DRAFT:
        refuse(field, _("The meeting has not been convened yet."))


@transaction.atomic
def close_meeting(meeting: Meeting, *, by) -> Meeting:
    """Close a meeting once no item is being voted on; nothing is recorded on it afterwards."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    require(by, RUN, meeting.body)
    check_meeting_open(meeting)
    if meeting.items.filter(status=ItemStatus.VOTING).exists():
        refuse("status", _("A vote is still open on this meeting: close its rounds first."))
    before = meeting.status
    meeting.status = MeetingStatus.CLOSED
    meeting.save(update_fields=["status"])
    record_event(
        action="governance.meeting.closed", actor=by, obj=meeting, changes={"status": [before, "closed"]}
    )
    return meeting


@transaction.atomic
def add_item(
    meeting: Meeting,
    *,
    title_en: str,
    by,
    title_kk: str = "",
    title_ru: str = "",
    parent: AgendaItem | None = None,
    decision_type: str = "",
    linked=None,
    majority: str = "",
    amount: Decimal | None = None,
) -> AgendaItem:
    """Put an item on the agenda, last among its siblings (``parent``: a sub-item). ``linked``: a
    record the item decides on (its type and id are kept, and its name as it reads today).

    A ``decision_type`` must be one the meeting's body decides under the authority matrix on the
    meeting's day (``amount``, in KZT, for a kind banded by amount); when an app carries that kind
    out (an executor), ``linked`` is the record of the executor's model."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    require(by, RUN, meeting.body)
    check_meeting_open(meeting)
    errors: dict[str, list[str]] = {}
    if not (title_en or "").strip():
        errors["title_en"] = [_("Enter the item's title in English.")]
    if parent is not None and parent.meeting_id != meeting.pk:
        errors["parent"] = [_("A sub-item belongs to an item of the same meeting.")]
    if majority and majority not in Majority.values:
        errors["majority"] = [_("Choose one of the majorities, or leave it empty for the body's default.")]
    decision_type = (decision_type or "").strip()
    amount = _clean_amount(amount, errors)
    if decision_type:
        errors.update(_check_decision_type(meeting, decision_type, amount, linked, errors))
    elif amount is not None and "amount" not in errors:
        errors["amount"] = [_("An amount belongs to an item with a decision type banded by amount.")]
    if errors:
        raise ValidationError(errors)
    siblings = meeting.items.filter(parent=parent)
    item = AgendaItem.objects.create(
        meeting=meeting,
        parent=parent,
        position=next_number(siblings, "position"),
        title_en=title_en.strip(),
        title_kk=(title_kk or "").strip(),
        title_ru=(title_ru or "").strip(),
        decision_type=decision_type,
        amount=amount,
        linked_type=ContentType.objects.get_for_model(linked) if linked is not None else None,
        linked_id=str(linked.pk) if linked is not None else "",
        linked_label=str(linked)[:300] if linked is not None else "",
        majority=majority or "",
    )
    record_event(
        action="governance.item.added",
        actor=by,
        obj=item,
        changes={
            "meeting": [None, str(meeting)],
            "position": [None, item.position],
            "title_en": [None, item.title_en],
            "majority": [None, item.majority or None],
            "decision_type": [None, item.decision_type or None],
            "amount": [None, str(amount) if amount is not None else None],
        },
    )
    return item


def _clean_amount(amount, errors: dict) -> Decimal | None:
    """An amount in tenge with at most two decimals, above zero (``None`` when not given)."""
    if amount is None or amount == "":
        return None
    try:
        found = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        found = None
    if found is None or not found.is_finite() or found <= 0 or found != found.quantize(Decimal("0.01")):
        errors["amount"] = [_("Enter the amount in tenge, above zero, with at most two decimals.")]
        return None
    return found


def _check_decision_type(meeting: Meeting, decision_type: str, amount, linked, errors: dict) -> dict:
    """The problems with deciding ``decision_type`` at ``meeting``, by field."""
    found: dict[str, list[str]] = {}
    on = meeting.date
    if authority.is_banded(decision_type, on) and amount is None and "amount" not in errors:
        found["amount"] = [
            _("This decision type is decided by a different body above an amount: enter the amount.")
        ]
        return found
    row = authority.deciding(decision_type, on, amount)
    kind = decision_type_label(decision_type)
    if row is None:
        found["decision_type"] = [
            _("The authority matrix in force on %(date)s names no body for %(kind)s.")
            % {"date": on.isoformat(), "kind": kind}
        ]
        return found
    if row.body != meeting.body.code:
        found["decision_type"] = [
            _("%(kind)s is decided by %(body)s, not by this body.")
            % {"kind": kind, "body": body_label(row.body)}
        ]
        return found
    executor = executor_for(decision_type)
    if executor is not None:
        if linked is None:
            found["linked"] = [_("Choose the record this decision is about: it is carried out on it.")]
        elif model_label(linked) != executor.model:
            found["linked"] = [_("This kind of decision is carried out on another kind of record.")]
    return found


@transaction.atomic
def withdraw_item(item: AgendaItem, *, by, reason: str) -> AgendaItem:
    """Take an item off the agenda before it is decided (not while a round is open, nor once
    adopted); its rounds so far stay as they were."""
    item = AgendaItem.objects.select_for_update().select_related("meeting__body").get(pk=item.pk)
    require(by, RUN, item.meeting.body)
    check_meeting_open(item.meeting)
    if not (reason or "").strip():
        refuse("reason", _("Say why the item is withdrawn."))
    if item.status == ItemStatus.VOTING:
        refuse("item", _("A round is already open on this item."))
    if item.status not in VOTABLE:
        refuse("item", _("This item is no longer open for a vote."))
    before = item.status
    item.status = ItemStatus.WITHDRAWN
    item.save(update_fields=["status"])
    record_event(
        action="governance.item.withdrawn",
        actor=by,
        obj=item,
        changes={"status": [before, ItemStatus.WITHDRAWN]},
        reason=reason.strip(),
    )
    return item


def check_member(meeting: Meeting, membership: Membership, field: str = "membership") -> Membership:
    """The membership as stored now (a caller's copy may be stale), if it may act on ``meeting``."""
    membership = Membership.objects.get(pk=membership.pk)
    if membership.body_id != meeting.body_id:
        refuse(field, _("This person is not a member of the meeting's body."))
    if not membership.current_on(meeting.date):
        refuse(field, _("This member's term does not cover the meeting's day."))
    return membership


@transaction.atomic
def record_attendance(
    meeting: Meeting, membership: Membership, *, present: bool, by, mode: str = AttendanceMode.IN_ROOM
) -> Attendance:
    """Record whether a member is present (in the room or online); one row per member, a second
    call corrects it. Only members whose term covers the meeting's day."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    require(by, RUN, meeting.body)
    check_meeting_running(meeting)
    membership = check_member(meeting, membership)
    if mode not in AttendanceMode.values:
        refuse("mode", _("Choose how the member takes part: in the room, online or by absentee ballot."))
    before = Attendance.objects.filter(meeting=meeting, membership=membership).first()
    row, _created = Attendance.objects.update_or_create(
        meeting=meeting,
        membership=membership,
        defaults={"present": bool(present), "mode": mode, "recorded_by": by, "recorded_at": timezone.now()},
    )
    mark_held(meeting)
    record_event(
        action="governance.attendance.recorded",
        actor=by,
        obj=row,
        changes={
            "member": [None, membership.full_name],
            "present": [before.present if before else None, row.present],
            "mode": [before.mode if before else None, row.mode],
        },
    )
    return row


@transaction.atomic
def declare_conflict(item: AgendaItem, membership: Membership, *, reason: str, by) -> Recusal:
    """A member declares a conflict of interest on ``item`` (themself, or the secretary for them):
    they do not vote on it. Refused once they have voted in the item's open round."""
    item = AgendaItem.objects.select_for_update().select_related("meeting__body").get(pk=item.pk)
    meeting = item.meeting
    if not (membership.user_id is not None and by is not None and membership.user_id == by.pk):
        require(by, RUN, meeting.body)
    check_meeting_open(meeting)
    membership = check_member(meeting, membership)
    if not (reason or "").strip():
        refuse("reason", _("Say what the conflict of interest is."))
    if item.status in (ItemStatus.ADOPTED, ItemStatus.WITHDRAWN):
        refuse("item", _("This item is no longer open for a vote."))
    if Recusal.objects.filter(item=item, membership=membership).exists():
        refuse("membership", _("This member has already declared a conflict on this item."))
    if Ballot.objects.filter(round__item=item, round__closed_at__isnull=True, membership=membership).exists():
        refuse("membership", _("This member has already voted in the open round on this item."))
    recusal = Recusal.objects.create(
        item=item, membership=membership, reason=reason.strip(), declared_at=timezone.now()
    )
    record_event(
        action="governance.conflict.declared",
        actor=by,
        obj=recusal,
        changes={"item": [None, str(item)], "member": [None, membership.full_name]},
        reason=recusal.reason,
    )
    return recusal
