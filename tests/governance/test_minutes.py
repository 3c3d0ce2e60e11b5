"""Minutes on the service level: drafted for a held meeting, edited while a draft, circulated to
the current members (notified), commented on by members with a vote, approved, then locked with
the SHA-256 of the record; once locked nothing about them changes."""

import datetime as dt
import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import ALMATY
from innocluster.core.notifications.models import Notification
from innocluster.core.policy import values as policy
from innocluster.governance import selectors_minutes
from innocluster.governance.models import (
    BallotRound,
    MeetingStatus,
    Minutes,
    MinutesComment,
    MinutesItemNote,
    MinutesStatus,
    Position,
    Resolution,
)
from innocluster.governance.services import ballots as ballots_svc
from innocluster.governance.services import meetings as svc
from innocluster.governance.services import minutes as minutes_svc
from innocluster.governance.services.members import appoint, end_term
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.django_db

START = dt.date(2025, 10, 10)


def _in_days(days: int, hour: int = 15) -> dt.datetime:
    today = timezone.localdate(timezone.now(), timezone=ALMATY)
    return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), tzinfo=ALMATY)


def _fields(exc) -> set[str]:
    return set(exc.value.message_dict)


@pytest.fixture
def secretary():
    return user_with_role("corporate_secretary", "corpsec")


@pytest.fixture
def members(committee):
    """Six members with a vote (the chair first), each with an account."""
    people = []
    for n in range(6):
        user = user_with_role("committee_member", f"member{n}")
        position = Position.CHAIR if n == 0 else Position.MEMBER
        people.append(
            appoint(committee, full_name=f"Member {n}", position=position, term_start=START, user=user)
        )
    return people


def hold_meeting(committee, members, secretary, *, close: bool = True):
    """A meeting of the committee with two items: the first adopted (resolution 1), the second
    rejected; closed unless ``close`` is false."""
    meeting = svc.convene_meeting(
        svc.plan_meeting(committee, starts_at=_in_days(10), by=secretary, place="Astana Hub"), by=secretary
    )
    for member in members[:5]:
        svc.record_attendance(meeting, member, present=True, by=secretary)
    plan = svc.add_item(
        meeting,
        title_en="Approve the plan",
        title_kk="Жоспарды бекіту",
        title_ru="Утвердить план",
        by=secretary,
    )
    other = svc.add_item(
        meeting,
        title_en="Change the charter",
        title_kk="Жарғыны өзгерту",
        title_ru="Изменить устав",
        by=secretary,
    )
    for item, choices in (
        (plan, ["for"] * 4 + ["against"]),
        (other, ["for", "against", "against", "against", "abstain"]),
    ):
        rnd = ballots_svc.open_round(item, by=secretary)
        for member, choice in zip(members[:5], choices, strict=True):
            ballots_svc.record_ballot(rnd, member, choice=choice, by=secretary)
        ballots_svc.close_round(rnd, by=secretary)
    if close:
        svc.close_meeting(meeting, by=secretary)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def meeting(committee, members, secretary):
    return hold_meeting(committee, members, secretary)


def _summaries(minutes, secretary):
    return minutes_svc.edit_minutes(
        minutes,
        secretary,
        summary_en="The plan was discussed.",
        summary_kk="Жоспар талқыланды.",
        summary_ru="План обсуждён.",
    )


def _locked(meeting, secretary, members):
    minutes = _summaries(minutes_svc.draft_minutes(meeting, secretary), secretary)
    minutes = minutes_svc.circulate_minutes(minutes, secretary, policy.today() + dt.timedelta(days=5))
    minutes_svc.comment_on_minutes(minutes, members[1].user, "Add the budget figures.")
    minutes = minutes_svc.approve_minutes(minutes, secretary)
    return minutes_svc.lock_minutes(minutes, secretary)


def test_the_whole_lifecycle(meeting, members, secretary):
    minutes = minutes_svc.draft_minutes(meeting, secretary)
    assert minutes.status == MinutesStatus.DRAFT
    assert minutes_svc.draft_minutes(meeting, secretary).pk == minutes.pk  # idempotent
    assert Minutes.objects.count() == 1
    assert AuditEvent.objects.filter(action="governance.minutes.drafted").count() == 1
    plan = meeting.items.get(position=1)
    minutes = minutes_svc.edit_minutes(
        minutes,
        secretary,
        summary_en="The plan was discussed.",
        summary_kk="Жоспар талқыланды.",
        summary_ru="План обсуждён.",
        notes={plan: {"en": "The chair presented the plan.", "ru": "Председатель представил план."}},
    )
    assert (
        MinutesItemNote.objects.get(minutes=minutes, item=plan).text("ru") == "Председатель представил план."
    )
    due = policy.today() + dt.timedelta(days=5)
    minutes = minutes_svc.circulate_minutes(minutes, secretary, due)
    assert (minutes.status, minutes.comments_due) == (MinutesStatus.CIRCULATED, due)
    comment = minutes_svc.comment_on_minutes(minutes, members[2].user, "  Add the figures.  ")
    assert (comment.membership, comment.text) == (members[2], "Add the figures.")
    minutes = minutes_svc.approve_minutes(minutes, secretary)
    assert (minutes.status, minutes.approved_by) == (MinutesStatus.APPROVED, secretary)
    assert list(minutes.comments.all()) == [comment]  # comments stay attached
    minutes = minutes_svc.lock_minutes(minutes, secretary)
    assert minutes.status == MinutesStatus.LOCKED and len(minutes.sha256) == 64
    assert [
        e.action for e in AuditEvent.objects.filter(action__startswith="governance.minutes.").order_by("pk")
    ] == [
        "governance.minutes.drafted",
        "governance.minutes.edited",
        "governance.minutes.circulated",
        "governance.minutes.commented",
        "governance.minutes.approved",
        "governance.minutes.locked",
    ]


def test_minutes_need_a_held_meeting(committee, members, secretary):
    convened = svc.convene_meeting(
        svc.plan_meeting(committee, starts_at=_in_days(9), by=secretary), by=secretary
    )
    with pytest.raises(ValidationError) as exc:
        minutes_svc.draft_minutes(convened, secretary)
    assert _fields(exc) == {"meeting"}
    assert not Minutes.objects.exists()
    held = hold_meeting(committee, members, secretary, close=False)
    assert held.status == MeetingStatus.HELD
    minutes = minutes_svc.draft_minutes(held, secretary)
    with pytest.raises(ValidationError) as exc:  # the record must be final before it is circulated
        minutes_svc.circulate_minutes(minutes, secretary, policy.today())
    assert _fields(exc) == {"meeting"}
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.DRAFT


def test_edit_after_circulation_is_refused(meeting, secretary):
    minutes = _summaries(minutes_svc.draft_minutes(meeting, secretary), secretary)
    minutes_svc.circulate_minutes(minutes, secretary, policy.today())
    with pytest.raises(ValidationError) as exc:
        minutes_svc.edit_minutes(minutes, secretary, summary_en="Rewritten")
    assert _fields(exc) == {"status"}
    assert Minutes.objects.get(pk=minutes.pk).summary_en == "The plan was discussed."
    with pytest.raises(ValidationError) as exc:
        minutes_svc.circulate_minutes(minutes, secretary, policy.today())
    assert _fields(exc) == {"status"}


def test_circulation_refusals(meeting, committee, members, secretary):
    minutes = minutes_svc.draft_minutes(meeting, secretary)
    with pytest.raises(ValidationError) as exc:
        minutes_svc.circulate_minutes(minutes, secretary, policy.today() - dt.timedelta(days=1))
    assert _fields(exc) == {"comments_due"}
    minutes_svc.edit_minutes(minutes, secretary, summary_en="Only in English")
    with pytest.raises(ValidationError) as exc:
        minutes_svc.circulate_minutes(minutes, secretary, policy.today())
    assert _fields(exc) == {"summary_kk"}
    with pytest.raises(PermissionDenied):
        minutes_svc.circulate_minutes(minutes, members[0].user, policy.today())
    other = svc.plan_meeting(committee, starts_at=_in_days(20), by=secretary)
    with pytest.raises(ValidationError) as exc:
        minutes_svc.edit_minutes(minutes, secretary, notes={other_item(other, secretary).pk: {"en": "x"}})
    assert _fields(exc) == {"notes"}
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.DRAFT
    assert not Notification.objects.filter(key="governance.minutes.circulated").exists()


def other_item(meeting, secretary):
    return svc.add_item(meeting, title_en="Elsewhere", by=secretary)


def test_who_may_comment_and_when(meeting, committee, board, members, secretary):
    minutes = _summaries(minutes_svc.draft_minutes(meeting, secretary), secretary)
    with pytest.raises(ValidationError) as exc:  # not circulated yet
        minutes_svc.comment_on_minutes(minutes, members[0].user, "Too early")
    assert _fields(exc) == {"status"}
    minutes = minutes_svc.circulate_minutes(minutes, secretary, policy.today())
    trustee = user_with_role("trustee", "trustee1")
    appoint(board, full_name="A trustee", term_start=START, user=trustee)
    for outsider in (trustee, user_with_role("participant_rep", "rep"), secretary):
        with pytest.raises(PermissionDenied):
            minutes_svc.comment_on_minutes(minutes, outsider, "Not mine to comment")
    body_secretary = user_with_role("committee_member", "bodysec")
    appoint(
        committee, full_name="Secretary", position=Position.SECRETARY, term_start=START, user=body_secretary
    )
    with pytest.raises(PermissionDenied):  # the body's secretary keeps the minutes, has no vote
        minutes_svc.comment_on_minutes(minutes, body_secretary, "Mine")
    with pytest.raises(ValidationError) as exc:
        minutes_svc.comment_on_minutes(minutes, members[0].user, "   ")
    assert _fields(exc) == {"text"}
    Minutes.objects.filter(pk=minutes.pk).update(comments_due=policy.today() - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        minutes_svc.comment_on_minutes(minutes, members[0].user, "Too late")
    assert _fields(exc) == {"text"}
    assert not MinutesComment.objects.exists()


def test_approve_before_circulation_and_lock_before_approval_are_refused(meeting, secretary, members):
    minutes = minutes_svc.draft_minutes(meeting, secretary)
    with pytest.raises(ValidationError) as exc:
        minutes_svc.approve_minutes(minutes, secretary)
    assert _fields(exc) == {"status"}
    with pytest.raises(ValidationError) as exc:
        minutes_svc.lock_minutes(minutes, secretary)
    assert _fields(exc) == {"status"}
    minutes = minutes_svc.circulate_minutes(minutes, secretary, policy.today())
    with pytest.raises(PermissionDenied):
        minutes_svc.approve_minutes(minutes, members[0].user)
    with pytest.raises(ValidationError) as exc:
        minutes_svc.lock_minutes(minutes, secretary)
    assert _fields(exc) == {"status"}
    minutes.refresh_from_db()
    assert (minutes.status, minutes.approved_at, minutes.sha256) == (MinutesStatus.CIRCULATED, None, "")


def test_locked_minutes_never_change(meeting, secretary, members):
    minutes = _locked(meeting, secretary, members)
    for call in (
        lambda: minutes_svc.edit_minutes(minutes, secretary, summary_en="Rewritten"),
        lambda: minutes_svc.circulate_minutes(minutes, secretary, policy.today()),
        lambda: minutes_svc.approve_minutes(minutes, secretary),
        lambda: minutes_svc.lock_minutes(minutes, secretary),
        lambda: minutes_svc.comment_on_minutes(minutes, members[0].user, "After the lock"),
    ):
        with pytest.raises(ValidationError):
            call()
    assert minutes_svc.draft_minutes(meeting, secretary).status == MinutesStatus.LOCKED
    minutes.summary_en = "Rewritten"
    with pytest.raises(ValidationError):
        minutes.save()
    with pytest.raises(ValidationError):
        minutes.delete()
    comment = minutes.comments.get()
    with pytest.raises(ValidationError):
        MinutesComment(minutes=minutes, membership=members[0], text="Sneaked in").save()
    comment.text = "Changed"
    with pytest.raises(ValidationError):
        comment.save()
    with pytest.raises(ValidationError):
        MinutesItemNote(minutes=minutes, item=meeting.items.first(), text_en="Late note").save()
    stored = Minutes.objects.get(pk=minutes.pk)
    assert (stored.summary_en, stored.sha256) == ("The plan was discussed.", minutes.sha256)
    assert list(stored.comments.values_list("text", flat=True)) == ["Add the budget figures."]
    assert not MinutesItemNote.objects.exists()


def test_the_hash_is_recomputed_from_the_stored_record(meeting, secretary, members):
    minutes = _locked(meeting, secretary, members)
    canonical = selectors_minutes.minutes_canonical(meeting)
    assert (
        hashlib.sha256(canonical).hexdigest() == minutes.sha256 == selectors_minutes.minutes_sha256(meeting)
    )
    assert selectors_minutes.minutes_intact(Minutes.objects.get(pk=minutes.pk)) is True
    event = AuditEvent.objects.get(action="governance.minutes.locked")
    assert event.changes["sha256"] == [None, minutes.sha256]
    assert event.object_id == str(minutes.pk)
    # what the hash covers: the record in kk and ru, with the arithmetic stored when rounds closed
    content = json.loads(canonical)
    assert set(content) == {"kk", "ru"}
    rnd = BallotRound.objects.get(item__position=1, item__meeting=meeting)
    plan = content["ru"]["items"][0]
    assert plan["title"] == "Утвердить план" and plan["rounds"][0]["steps"] == rnd.steps["ru"]
    assert content["kk"]["items"][0]["rounds"][0]["steps"] == rnd.steps["kk"]
    assert (plan["rounds"][0]["for"], plan["rounds"][0]["against"], plan["rounds"][0]["outcome"]) == (
        4,
        1,
        "adopted",
    )
    assert content["ru"]["resolutions"] == [
        {
            "number": 1,
            "year": Resolution.objects.get().year,
            "adopted_on": plan["resolution"]["adopted_on"],
            "text": "Утвердить план",
            "item": "1",
        }
    ]
    assert (
        content["kk"]["summary"] == "Жоспар талқыланды."
        and content["kk"]["body"]["name"] == "Басқарушы комитет"
    )
    assert sum(row["present"] for row in content["ru"]["attendance"]) == 5
    # a change to the record (done behind the services' back) no longer gives the stored value
    Resolution.objects.filter(item__meeting=meeting).update(text_ru="Другой текст")
    assert selectors_minutes.minutes_intact(Minutes.objects.get(pk=minutes.pk)) is False


def test_the_hash_does_not_depend_on_the_active_language(meeting, secretary, members):
    from django.utils import translation

    minutes = _locked(meeting, secretary, members)
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            assert selectors_minutes.minutes_sha256(meeting) == minutes.sha256


def test_circulation_notifies_each_current_member(meeting, committee, members, secretary):
    end_term(members[5], on=policy.today() - dt.timedelta(days=1), by=secretary, reason="resigned")
    no_account = appoint(committee, full_name="Without an account", term_start=START)
    minutes = _summaries(minutes_svc.draft_minutes(meeting, secretary), secretary)
    minutes_svc.circulate_minutes(minutes, secretary, policy.today() + dt.timedelta(days=3))
    notified = set(
        Notification.objects.filter(key="governance.minutes.circulated").values_list("recipient", flat=True)
    )
    assert notified == {m.user.pk for m in members[:5]}
    assert members[5].user.pk not in notified and no_account.user is None
    note = Notification.objects.filter(recipient=members[0].user, key="governance.minutes.circulated").get()
    assert note.object_id == str(minutes.pk) and f"/meetings/{meeting.pk}/minutes/" in note.url
    event = AuditEvent.objects.get(action="governance.minutes.circulated")
    assert event.changes["notified"] == [None, 5]
