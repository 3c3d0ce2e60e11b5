"""The minutes of a meeting: drafted by the secretary once the meeting is held, edited while a
draft, circulated to the members for comments by a due date, approved, then locked with the
SHA-256 of their content. Same conventions as ``services.meetings``: who may call is checked
(``governance.meeting.run``: the corporate secretary or the body's secretary;
``governance.minutes.comment``: a member with a vote), refusals are ``ValidationError`` by field
and change nothing, each function runs in one transaction and writes an audit event.

The hash covers ``selectors_minutes.minutes_canonical(meeting)``: the meeting, attendance, every item with
its rounds' counts, outcome and stored arithmetic in Kazakh and Russian, the resolutions with
their numbers and texts, and the summary and notes. Circulation needs the meeting closed, so
nothing the hash covers can change under the members' eyes."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.core.notifications.services import notify
from innocluster.core.policy import values as policy
from innocluster.governance.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesComment,
    MinutesItemNote,
    MinutesStatus,
    Position,
)
from innocluster.governance.selectors import composition, memberships_of
from innocluster.governance.selectors_minutes import minutes_sha256
from innocluster.governance.services.meetings import RUN, refuse

COMMENT = "governance.minutes.comment"
LANGUAGES = ("en", "kk", "ru")


def _lock(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__body").get(pk=minutes.pk)


def _expect(minutes: Minutes, status: str, message: str) -> None:
    if minutes.status != status:
        refuse("status", message)


@transaction.atomic
def draft_minutes(meeting: Meeting, by) -> Minutes:
    """The minutes of a held or closed meeting, created as a draft; asked again, the existing
    minutes are returned unchanged (whatever their state)."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    require(by, RUN, meeting.body)
    existing = Minutes.objects.filter(meeting=meeting).first()
    if existing is not None:
        return existing
    if meeting.status not in (MeetingStatus.HELD, MeetingStatus.CLOSED):
        refuse("meeting", _("Minutes are drafted once the meeting has been held."))
    minutes = Minutes.objects.create(meeting=meeting)
    record_event(
        action="governance.minutes.drafted",
        actor=by,
        obj=minutes,
        changes={"meeting": [None, str(meeting)], "status": [None, MinutesStatus.DRAFT]},
    )
    return minutes


@transaction.atomic
def edit_minutes(
    minutes: Minutes,
    by,
    *,
    summary_en: str | None = None,
    summary_kk: str | None = None,
    summary_ru: str | None = None,
    notes: dict | None = None,
) -> Minutes:
    """Write the summary of the discussion (the languages given; ``None`` leaves one as it is)
    and ``notes`` on items (``{item or its id: {"en": ..., "kk": ..., "ru": ...}}``). Drafts only."""
    minutes = _lock(minutes)
    meeting = minutes.meeting
    require(by, RUN, meeting.body)
    _expect(minutes, MinutesStatus.DRAFT, _("Only draft minutes can be edited."))
    items = {}
    for key in notes or {}:
        pk = key.pk if isinstance(key, AgendaItem) else key
        item = AgendaItem.objects.filter(pk=pk, meeting=meeting).first()
        if item is None:
            refuse("notes", _("A note belongs to an item of this meeting's agenda."))
        items[key] = item
    changes = {}
    given = {"summary_en": summary_en, "summary_kk": summary_kk, "summary_ru": summary_ru}
    for field, value in given.items():
        if value is None:
            continue
        value = value.strip()
        if value != getattr(minutes, field):
            changes[field] = [getattr(minutes, field), value]
            setattr(minutes, field, value)
    if changes:
        minutes.save(update_fields=list(changes))
    for key, texts in (notes or {}).items():
        item = items[key]
        note, _created = MinutesItemNote.objects.get_or_create(minutes=minutes, item=item)
        before = {language: getattr(note, f"text_{language}") for language in LANGUAGES}
        for language in LANGUAGES:
            if (texts or {}).get(language) is not None:
                setattr(note, f"text_{language}", texts[language].strip())
        after = {language: getattr(note, f"text_{language}") for language in LANGUAGES}
        if after != before:
            note.save()
            changes[f"note {item.pk}"] = [before, after]
    if changes:
        record_event(action="governance.minutes.edited", actor=by, obj=minutes, changes=changes)
    return minutes


@transaction.atomic
def circulate_minutes(minutes: Minutes, by, comments_due: dt.date) -> Minutes:
    """Send draft minutes of a closed meeting to the members for comments until ``comments_due``
    (today or later): every member of the body with a current term and an account is notified.
    A summary, where written, must be in Kazakh and in Russian (the minutes are issued in both)."""
    minutes = _lock(minutes)
    meeting = minutes.meeting
    body = meeting.body
    require(by, RUN, body)
    _expect(minutes, MinutesStatus.DRAFT, _("These minutes have already been circulated."))
    if meeting.status != MeetingStatus.CLOSED:
        refuse("meeting", _("Close the meeting before circulating its minutes: its record must be final."))
    today = policy.today()
    if not isinstance(comments_due, dt.date) or isinstance(comments_due, dt.datetime):
        refuse("comments_due", _("Enter the day by which members may comment."))
    if comments_due < today:
        refuse("comments_due", _("The day for comments cannot be in the past."))
    written = [minutes.summary_en, minutes.summary_kk, minutes.summary_ru]
    if any(written) and not (minutes.summary_kk and minutes.summary_ru):
        refuse("summary_kk", _("Write the summary in Kazakh and in Russian: the minutes are issued in both."))
    now = timezone.now()
    minutes.status = MinutesStatus.CIRCULATED
    minutes.circulated_at, minutes.comments_due = now, comments_due
    minutes.save(update_fields=["status", "circulated_at", "comments_due"])
    recipients = [m.user for m in composition(body, today).select_related("user") if m.user_id]
    notify(
        recipients=recipients,
        key="governance.minutes.circulated",
        context={
            "body_name": {language: body.text("name", language) for language in LANGUAGES},
            "meeting": meeting,
            "meeting_date": meeting.date,
            "comments_due": comments_due,
        },
        obj=minutes,
        actor=by,
        url=reverse("governance:minutes", args=[meeting.pk]),
    )
    record_event(
        action="governance.minutes.circulated",
        actor=by,
        obj=minutes,
        changes={
            "status": [MinutesStatus.DRAFT, MinutesStatus.CIRCULATED],
            "comments_due": [None, comments_due],
            "notified": [None, len(recipients)],
        },
    )
    return minutes


@transaction.atomic
def comment_on_minutes(minutes: Minutes, by, text: str) -> MinutesComment:
    """A member with a vote on the body (a current term) comments on circulated minutes, until
    the day for comments has passed."""
    minutes = _lock(minutes)
    body = minutes.meeting.body
    require(by, COMMENT, body)
    membership = memberships_of(by).filter(body=body).exclude(position=Position.SECRETARY).first()
    if membership is None:  # the predicate says yes only for such a term; kept for a stale caller
        raise PermissionDenied(_("You hold no term on this body."))
    _expect(minutes, MinutesStatus.CIRCULATED, _("Comments are taken only while the minutes are circulated."))
    if minutes.comments_due and policy.today() > minutes.comments_due:
        refuse("text", _("The day for comments has passed."))
    text = (text or "").strip()
    if not text:
        refuse("text", _("Write your comment."))
    comment = MinutesComment.objects.create(minutes=minutes, membership=membership, text=text)
    record_event(
        action="governance.minutes.commented",
        actor=by,
        obj=minutes,
        changes={"member": [None, membership.full_name], "comment": [None, text]},
    )
    return comment


@transaction.atomic
def approve_minutes(minutes: Minutes, by) -> Minutes:
    """Approve circulated minutes; their comments stay attached."""
    minutes = _lock(minutes)
    require(by, RUN, minutes.meeting.body)
    _expect(minutes, MinutesStatus.CIRCULATED, _("Minutes are approved after they have been circulated."))
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_at, minutes.approved_by = timezone.now(), by
    minutes.save(update_fields=["status", "approved_at", "approved_by"])
    record_event(
        action="governance.minutes.approved",
        actor=by,
        obj=minutes,
        changes={
            "status": [MinutesStatus.CIRCULATED, MinutesStatus.APPROVED],
            "comments": [None, minutes.comments.count()],
        },
    )
    return minutes


@transaction.atomic
def lock_minutes(minutes: Minutes, by) -> Minutes:
    """Lock approved minutes: the SHA-256 of their content is stored and written in the audit
    event; nothing about them changes afterwards."""
    minutes = _lock(minutes)
    require(by, RUN, minutes.meeting.body)
    _expect(minutes, MinutesStatus.APPROVED, _("Minutes are locked once they have been approved."))
    digest = minutes_sha256(minutes.meeting)
    minutes.status = MinutesStatus.LOCKED
    minutes.locked_at, minutes.sha256 = timezone.now(), digest
    minutes.save(update_fields=["status", "locked_at", "sha256"])
    record_event(
        action="governance.minutes.locked",
        actor=by,
        obj=minutes,
        changes={"status": [MinutesStatus.APPROVED, MinutesStatus.LOCKED], "sha256": [None, digest]},
    )
    return minutes
