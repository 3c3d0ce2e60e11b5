"""Meetings on the service level: convening with the notice period, attendance, conflicts,
ballot rounds counted by the voting engine, immutable ballots and numbered resolutions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import ALMATY
from innocluster.governance import selectors
from innocluster.governance.models import (
    AttendanceMode,
    Ballot,
    BallotRound,
    ItemStatus,
    MeetingKind,
    MeetingStatus,
    Position,
    Resolution,
)
from innocluster.governance.services import ballots as ballots_svc
from innocluster.governance.services import meetings as svc
from innocluster.governance.services import papers
from innocluster.governance.services.members import appoint, end_term
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.django_db

START = dt.date(2025, 10, 10)


def _in_days(days: int, hour: int = 15) -> dt.datetime:
    """``days`` Almaty calendar days from today, at ``hour`` o'clock in Almaty."""
    today = timezone.localdate(timezone.now(), timezone=ALMATY)
    return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), tzinfo=ALMATY)


@pytest.fixture
def secretary():
    return user_with_role("corporate_secretary", "corpsec")


@pytest.fixture
def members(committee):
    """Nine members with a vote (the chair first) and the body's secretary, each with an account."""
    people = []
    for n in range(9):
        user = user_with_role("committee_member", f"member{n}")
        position = Position.CHAIR if n == 0 else Position.MEMBER
        people.append(
            appoint(committee, full_name=f"Member {n}", position=position, term_start=START, user=user)
        )
    return people


@pytest.fixture
def meeting(committee, members, secretary):
    return _convene(committee, starts_at=_in_days(10), by=secretary, place="Astana Hub")


def _convene(body, *, by, **kwargs):
    return svc.convene_meeting(svc.plan_meeting(body, by=by, **kwargs), by=by)


def _attend(meeting, people, by, mode=AttendanceMode.IN_ROOM):
    for member in people:
        svc.record_attendance(meeting, member, present=True, by=by, mode=mode)


def _vote(rnd, people, choices, by):
    for member, choice in zip(people, choices, strict=True):
        ballots_svc.record_ballot(rnd, member, choice=choice, by=by)


def _fields(exc) -> set[str]:
    return set(exc.value.message_dict)


def test_a_full_meeting(committee, members, meeting, secretary):
    present = members[:6]
    _attend(meeting, present[:5], secretary)
    svc.record_attendance(meeting, present[5], present=True, by=secretary, mode=AttendanceMode.ONLINE)
    assert meeting.__class__.objects.get(pk=meeting.pk).status == MeetingStatus.HELD
    adopted = svc.add_item(meeting, title_en="Approve the plan", title_ru="Утвердить план", by=secretary)
    qualified = svc.add_item(
        meeting, title_en="Change the charter", majority="two_thirds_present", by=secretary
    )
    conflicted = svc.add_item(meeting, title_en="Grant to member 1's company", by=secretary)
    assert [adopted.position, qualified.position, conflicted.position] == [1, 2, 3]

    # 1. 6 of 9 present (quorum 2/3: 6), 4 for of 6: adopted. One votes online themself.
    rnd = ballots_svc.open_round(adopted, by=secretary)
    _vote(rnd, present[:5], ["for", "for", "for", "against", "abstain"], secretary)
    online = ballots_svc.cast_ballot(rnd, by=present[5].user, choice="for")
    assert online.mode == AttendanceMode.ONLINE and online.cast_by == present[5].user
    rnd = ballots_svc.close_round(rnd, by=secretary)
    assert (rnd.outcome, rnd.quorum_met, rnd.present, rnd.members) == ("adopted", True, 6, 9)
    assert (rnd.votes_for, rnd.votes_against, rnd.votes_abstain) == (4, 1, 1)
    assert set(rnd.steps) == {"en", "kk", "ru"} and rnd.steps["ru"] != rnd.steps["en"]
    assert any("Quorum: members present 6 of 9, 6 needed" in s for s in rnd.steps["en"])
    adopted.refresh_from_db()
    assert adopted.status == ItemStatus.ADOPTED
    resolution = Resolution.objects.get(item=adopted)
    assert (resolution.number, resolution.text_ru, resolution.body) == (1, "Утвердить план", committee)

    # 2. Two thirds of those present needed (4 of 6): 3 for is not enough.
    rnd2 = ballots_svc.open_round(qualified, by=secretary)
    _vote(rnd2, present, ["for", "for", "for", "against", "against", "abstain"], secretary)
    rnd2 = ballots_svc.close_round(rnd2, by=secretary)
    assert (rnd2.outcome, rnd2.quorum_met) == ("not adopted", True)
    assert any("at least two thirds" in s for s in rnd2.steps["en"])
    qualified.refresh_from_db()
    assert qualified.status == ItemStatus.REJECTED
    assert not Resolution.objects.filter(item=qualified).exists()

    # 3. A present member recuses: 5 of 8 counted, 6 needed: no quorum, whatever the votes.
    svc.declare_conflict(conflicted, present[1], reason="director of the applicant", by=present[1].user)
    rnd3 = ballots_svc.open_round(conflicted, by=secretary)
    _vote(rnd3, [present[0], *present[2:]], ["for"] * 5, secretary)
    rnd3 = ballots_svc.close_round(rnd3, by=secretary)
    assert (rnd3.outcome, rnd3.quorum_met, rnd3.recused, rnd3.votes_for) == ("no quorum", False, 1, 5)
    conflicted.refresh_from_db()
    assert conflicted.status == ItemStatus.NO_QUORUM
    assert AuditEvent.objects.filter(action="governance.round.closed").count() == 3

    svc.close_meeting(meeting, by=secretary)
    with pytest.raises(ValidationError) as exc:
        svc.add_item(meeting, title_en="Late item", by=secretary)
    assert _fields(exc) == {"meeting"}


def test_notice_is_checked_in_almaty_days(committee, members, secretary):
    on_time = _convene(committee, starts_at=_in_days(7), by=secretary)
    assert (on_time.notice_late, on_time.notice_days_given, on_time.notice_days_required) == (False, 7, 7)
    late = _convene(committee, starts_at=_in_days(3), by=secretary)
    assert (late.notice_late, late.notice_days_given, late.notice_days_required) == (True, 3, 7)
    assert late.status == MeetingStatus.CONVENED and late.convened_by == secretary
    assert (on_time.number, late.number) == (1, 2)
    event = AuditEvent.objects.get(action="governance.meeting.convened", object_id=str(late.pk))
    assert event.changes["notice_late"] == [None, True]


def test_convening_refuses_the_past_and_absentee_where_not_allowed(committee, board, secretary):
    with pytest.raises(ValidationError) as exc:
        _convene(committee, starts_at=timezone.now() - dt.timedelta(hours=1), by=secretary)
    assert _fields(exc) == {"starts_at"}
    with pytest.raises(ValidationError) as exc:
        _convene(board, starts_at=_in_days(20), kind=MeetingKind.ABSENTEE, by=secretary)
    assert _fields(exc) == {"kind"}
    assert _convene(committee, starts_at=_in_days(20), kind=MeetingKind.ABSENTEE, by=secretary).pk


def test_ballots_are_unique_and_immutable(members, meeting, secretary):
    _attend(meeting, members[:6], secretary)
    item = svc.add_item(meeting, title_en="Item", by=secretary)
    rnd = ballots_svc.open_round(item, by=secretary)
    ballot = ballots_svc.cast_ballot(rnd, by=members[0].user, choice="for")
    with pytest.raises(ValidationError) as exc:
        ballots_svc.cast_ballot(rnd, by=members[0].user, choice="against")
    assert _fields(exc) == {"membership"}
    with pytest.raises(ValidationError) as exc:
        ballots_svc.record_ballot(rnd, members[0], choice="against", by=secretary)
    assert _fields(exc) == {"membership"}
    ballot.choice = "against"
    with pytest.raises(ValidationError):
        ballot.save()
    with pytest.raises(ValidationError):
        ballot.delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(
            round=rnd,
            membership=members[0],
            choice="against",
            mode="online",
            cast_by=secretary,
            cast_at=timezone.now(),
        )
    assert Ballot.objects.get(pk=ballot.pk).choice == "for"
    with pytest.raises(ValidationError) as exc:
        ballots_svc.cast_ballot(rnd, by=members[1].user, choice="maybe")
    assert _fields(exc) == {"choice"}


def test_a_member_whose_term_ended_cannot_vote(members, meeting, secretary):
    end_term(
        members[8], on=timezone.localdate(timezone.now(), timezone=ALMATY), by=secretary, reason="resigned"
    )
    item = svc.add_item(meeting, title_en="Item", by=secretary)
    rnd = ballots_svc.open_round(item, by=secretary)
    with pytest.raises(ValidationError) as exc:
        ballots_svc.cast_ballot(rnd, by=members[8].user, choice="for")
    assert _fields(exc) == {"membership"}
    with pytest.raises(ValidationError) as exc:
        svc.record_attendance(meeting, members[8], present=True, by=secretary)
    assert _fields(exc) == {"membership"}
    assert not rnd.ballots.exists()
    # and the count leaves them out: 8 members with a vote on the day
    assert ballots_svc.close_round(rnd, by=secretary).members == 8


def test_a_recused_member_cannot_vote(members, meeting, secretary):
    _attend(meeting, members[:6], secretary)
    item = svc.add_item(meeting, title_en="Item", by=secretary)
    svc.declare_conflict(item, members[2], reason="related party", by=secretary)
    with pytest.raises(ValidationError) as exc:
        svc.declare_conflict(item, members[2], reason="again", by=secretary)
    assert _fields(exc) == {"membership"}
    rnd = ballots_svc.open_round(item, by=secretary)
    with pytest.raises(ValidationError) as exc:
        ballots_svc.cast_ballot(rnd, by=members[2].user, choice="for")
    assert _fields(exc) == {"membership"}
    with pytest.raises(ValidationError) as exc:
        ballots_svc.record_ballot(rnd, members[2], choice="for", by=secretary)
    assert _fields(exc) == {"membership"}
    # having voted in the open round, a member can no longer recuse on it
    ballots_svc.record_ballot(rnd, members[3], choice="for", by=secretary)
    with pytest.raises(ValidationError) as exc:
        svc.declare_conflict(item, members[3], reason="late", by=secretary)
    assert _fields(exc) == {"membership"}


def test_a_closed_round_refuses_ballots_and_never_changes(members, meeting, secretary):
    _attend(meeting, members[:6], secretary)
    item = svc.add_item(meeting, title_en="Item", by=secretary)
    rnd = ballots_svc.open_round(item, by=secretary)
    rnd = ballots_svc.close_round(rnd, by=secretary)
    assert rnd.outcome == "not adopted"  # present, no ballot: counted as abstaining
    with pytest.raises(ValidationError) as exc:
        ballots_svc.cast_ballot(rnd, by=members[0].user, choice="for")
    assert _fields(exc) == {"round"}
    with pytest.raises(ValidationError) as exc:
        ballots_svc.close_round(rnd, by=secretary)
    assert _fields(exc) == {"round"}
    rnd.outcome = "adopted"
    with pytest.raises(ValidationError):
        rnd.save()
    assert BallotRound.objects.get(pk=rnd.pk).outcome == "not adopted"


def test_a_round_past_its_deadline_refuses_ballots(members, meeting, secretary):
    item = svc.add_item(meeting, title_en="Item", by=secretary)
    rnd = ballots_svc.open_round(item, by=secretary, deadline=timezone.now() + dt.timedelta(hours=2))
    BallotRound.objects.filter(pk=rnd.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as exc:
        ballots_svc.cast_ballot(rnd, by=members[0].user, choice="for")
    assert _fields(exc) == {"round"}
    with pytest.raises(ValidationError) as exc:
        ballots_svc.open_round(
            svc.add_item(meeting, title_en="Other", by=secretary), by=secretary, deadline=timezone.now()
        )
    assert _fields(exc) == {"deadline"}


def test_a_re_vote_is_a_new_round(members, meeting, secretary):
    _attend(meeting, members[:6], secretary)
    item = svc.add_item(meeting, title_en="Item", by=secretary)
    first = ballots_svc.open_round(item, by=secretary)
    with pytest.raises(ValidationError) as exc:
        ballots_svc.open_round(item, by=secretary)
    assert _fields(exc) == {"item"}
    _vote(first, members[:6], ["for", "for", "against", "against", "against", "abstain"], secretary)
    ballots_svc.close_round(first, by=secretary)
    second = ballots_svc.open_round(item, by=secretary)
    assert second.number == 2 and second.pk != first.pk
    _vote(second, members[:6], ["for"] * 6, secretary)
    ballots_svc.close_round(second, by=secretary)
    assert [(r.number, r.outcome, r.votes_for) for r in selectors.rounds_of(item)] == [
        (1, "not adopted", 2),
        (2, "adopted", 6),
    ]
    with pytest.raises(ValidationError) as exc:
        ballots_svc.open_round(item, by=secretary)  # adopted: no more votes
    assert _fields(exc) == {"item"}


def test_resolution_numbers_are_sequential_per_body_and_year(committee, board, members, meeting, secretary):
    trustees = [
        appoint(board, full_name=f"Trustee {n}", term_start=START, user=user_with_role("trustee", f"t{n}"))
        for n in range(3)
    ]
    _attend(meeting, members[:6], secretary)
    numbers = []
    for title in ("First", "Second", "Third"):
        item = svc.add_item(meeting, title_en=title, by=secretary)
        rnd = ballots_svc.open_round(item, by=secretary)
        _vote(rnd, members[:6], ["for"] * 6, secretary)
        ballots_svc.close_round(rnd, by=secretary)
        numbers.append(Resolution.objects.get(item=item).number)
    assert numbers == [1, 2, 3]
    board_meeting = _convene(board, starts_at=_in_days(20), by=secretary)
    _attend(board_meeting, trustees, secretary)
    item = svc.add_item(board_meeting, title_en="Board item", by=secretary)
    rnd = ballots_svc.open_round(item, by=secretary)
    _vote(rnd, trustees, ["for"] * 3, secretary)
    ballots_svc.close_round(rnd, by=secretary)
    resolution = Resolution.objects.get(item=item)
    assert (resolution.body, resolution.number) == (board, 1)
    assert resolution.year == timezone.localdate(timezone.now(), timezone=ALMATY).year


def test_who_may_run_meetings_and_vote(committee, members, meeting, secretary):
    participant = user_with_role("participant_rep", "rep")
    with pytest.raises(PermissionDenied):
        _convene(committee, starts_at=_in_days(10), by=participant)
    item = svc.add_item(meeting, title_en="Item", by=secretary)
    with pytest.raises(PermissionDenied):
        svc.add_item(meeting, title_en="Item", by=participant)
    with pytest.raises(PermissionDenied):
        ballots_svc.open_round(item, by=members[1].user)  # a member votes, but does not run the meeting
    rnd = ballots_svc.open_round(item, by=secretary)
    with pytest.raises(PermissionDenied):
        ballots_svc.cast_ballot(rnd, by=participant, choice="for")
    with pytest.raises(PermissionDenied):
        ballots_svc.record_ballot(rnd, members[0], choice="for", by=members[1].user)
    with pytest.raises(PermissionDenied):
        svc.declare_conflict(item, members[0], reason="someone else's", by=members[1].user)
    with pytest.raises(PermissionDenied):
        ballots_svc.close_round(rnd, by=participant)
    # the body's own secretary runs its meetings, and has no vote
    body_secretary = user_with_role("committee_member", "bodysec")
    sec = appoint(
        committee, full_name="Secretary", position=Position.SECRETARY, term_start=START, user=body_secretary
    )
    assert svc.record_attendance(meeting, members[0], present=True, by=body_secretary).present
    with pytest.raises(ValidationError) as exc:
        ballots_svc.cast_ballot(rnd, by=body_secretary, choice="for")
    assert _fields(exc) == {"membership"}
    assert sec.position == Position.SECRETARY
    assert not Ballot.objects.exists()


def test_selectors(committee, members, meeting, secretary):
    assert list(selectors.meetings_of(committee)) == [meeting]
    assert list(selectors.upcoming_meetings_for(members[0].user)) == [meeting]
    assert list(selectors.upcoming_meetings_for(user_with_role("participant_rep", "rep"))) == []
    item = svc.add_item(meeting, title_en="Item", by=secretary)
    rnd = ballots_svc.open_round(item, by=secretary)
    ballot = ballots_svc.cast_ballot(rnd, by=members[0].user, choice="for")
    assert list(selectors.ballots_of(members[0].user)) == [ballot]
    assert list(selectors.ballots_of(members[1].user)) == []


def test_a_tie_is_decided_by_the_chairs_ballot(members, meeting, secretary):
    _attend(meeting, members[:6], secretary)
    item = svc.add_item(meeting, title_en="Item", by=secretary)
    rnd = ballots_svc.open_round(item, by=secretary)
    # members[0] is the chair: 3 for (with the chair), 3 against: the casting vote adopts
    _vote(rnd, members[:6], ["for", "for", "for", "against", "against", "against"], secretary)
    rnd = ballots_svc.close_round(rnd, by=secretary)
    assert rnd.outcome == "adopted"
    assert any("casting vote" in s for s in rnd.steps["en"])
    other = svc.add_item(meeting, title_en="Other", by=secretary)
    rnd = ballots_svc.open_round(other, by=secretary)
    _vote(rnd, members[:6], ["against", "for", "for", "for", "against", "against"], secretary)
    assert ballots_svc.close_round(rnd, by=secretary).outcome == "not adopted"


def test_an_absentee_meeting_takes_written_ballots(committee, members, secretary):
    meeting = _convene(committee, starts_at=_in_days(10), kind=MeetingKind.ABSENTEE, by=secretary)
    item = svc.add_item(meeting, title_en="Item", by=secretary)
    rnd = ballots_svc.open_round(item, by=secretary, deadline=_in_days(12))
    for member in members[:5]:
        assert ballots_svc.cast_ballot(rnd, by=member.user, choice="for").mode == AttendanceMode.ABSENTEE
    ballots_svc.record_ballot(rnd, members[5], choice="for", by=secretary, mode=AttendanceMode.ABSENTEE)
    with pytest.raises(ValidationError) as exc:  # in the room needs the member recorded present
        ballots_svc.record_ballot(rnd, members[6], choice="for", by=secretary)
    assert _fields(exc) == {"membership"}
    rnd = ballots_svc.close_round(rnd, by=secretary)
    assert (rnd.outcome, rnd.present, rnd.votes_for) == ("adopted", 6, 6)
    assert any("absentee or online ballot" in s for s in rnd.steps["en"])


def test_the_agenda_is_an_ordered_tree_with_linked_records(committee, members, meeting, secretary):
    first = svc.add_item(
        meeting, title_en="Budget", decision_type="governance.annual_budget", linked=committee, by=secretary
    )
    sub_a = svc.add_item(meeting, title_en="Income", parent=first, by=secretary)
    sub_b = svc.add_item(meeting, title_en="Spending", parent=first, by=secretary)
    second = svc.add_item(meeting, title_en="Other", by=secretary)
    assert [first.position, second.position, sub_a.position, sub_b.position] == [1, 2, 1, 2]
    assert first.linked_id == str(committee.pk) and first.linked_label == str(committee)
    assert first.linked_type.model_class() is type(committee)
    other = _convene(committee, starts_at=_in_days(30), by=secretary)
    with pytest.raises(ValidationError) as exc:
        svc.add_item(other, title_en="Wrong parent", parent=first, by=secretary)
    assert _fields(exc) == {"parent"}
    with pytest.raises(ValidationError) as exc:
        svc.add_item(other, title_en=" ", majority="most", by=secretary)
    assert _fields(exc) == {"title_en", "majority"}


def test_meeting_records_are_read_only_in_the_admin(rf):
    from django.contrib import admin

    request = rf.get("/")
    request.user = user_with_role("fund_admin", "admin1", superuser=True)
    for model in (Ballot, BallotRound, Resolution):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_papers_are_checked_by_their_bytes_and_filed_once(members, meeting, secretary, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"
    item = svc.add_item(meeting, title_en="Item", by=secretary)
    content = b"%PDF-1.4 the draft plan"
    paper = papers.attach_paper(item, SimpleUploadedFile("plan.pdf", content), by=secretary)
    assert (paper.original_name, paper.size) == ("plan.pdf", len(content))
    assert paper.file.name.startswith("governance/") and paper.file.read() == content
    with pytest.raises(ValidationError) as exc:
        papers.attach_paper(item, SimpleUploadedFile("copy.pdf", content), by=secretary)
    assert _fields(exc) == {"file"}
    with pytest.raises(ValidationError) as exc:
        papers.attach_paper(item, SimpleUploadedFile("plan.pdf", b"MZ not a pdf at all"), by=secretary)
    assert _fields(exc) == {"file"}
    with pytest.raises(PermissionDenied):
        papers.attach_paper(item, SimpleUploadedFile("other.pdf", b"%PDF-1.4 other"), by=members[0].user)
    assert item.papers.count() == 1
    assert [p.name for p in (tmp_path / "media" / "governance").rglob("*") if p.is_file()] == [
        paper.file.name.rsplit("/", 1)[1]
    ]


def test_a_draft_meeting_is_prepared_then_convened(committee, members, secretary):
    draft = svc.plan_meeting(committee, starts_at=_in_days(4), by=secretary)
    assert (draft.status, draft.convened_at, draft.notice_late) == (MeetingStatus.DRAFT, None, False)
    item = svc.add_item(draft, title_en="Prepared in the draft", by=secretary)
    assert list(selectors.upcoming_meetings_for(members[0].user)) == []
    with pytest.raises(ValidationError) as exc:
        svc.record_attendance(draft, members[0], present=True, by=secretary)
    assert _fields(exc) == {"meeting"}
    with pytest.raises(ValidationError) as exc:
        ballots_svc.open_round(item, by=secretary)
    assert _fields(exc) == {"meeting"}
    convened = svc.convene_meeting(draft, by=secretary, reason="urgent")
    assert (convened.status, convened.convened_by, convened.notice_late) == (
        MeetingStatus.CONVENED,
        secretary,
        True,
    )
    assert (convened.notice_days_given, convened.notice_days_required) == (4, 7)
    assert list(selectors.upcoming_meetings_for(members[0].user)) == [convened]
    with pytest.raises(ValidationError) as exc:
        svc.convene_meeting(convened, by=secretary)
    assert _fields(exc) == {"status"}
    stale = svc.plan_meeting(committee, starts_at=_in_days(9), by=secretary)
    type(stale).objects.filter(pk=stale.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as exc:
        svc.convene_meeting(stale, by=secretary)
    assert _fields(exc) == {"starts_at"}


def test_an_item_is_withdrawn_before_it_is_decided(members, meeting, secretary):
    _attend(meeting, members[:6], secretary)
    item = svc.add_item(meeting, title_en="Item", by=secretary)
    rnd = ballots_svc.open_round(item, by=secretary)
    with pytest.raises(ValidationError) as exc:
        svc.withdraw_item(item, by=secretary, reason="papers missing")
    assert _fields(exc) == {"item"}
    ballots_svc.close_round(rnd, by=secretary)
    with pytest.raises(ValidationError) as exc:
        svc.withdraw_item(item, by=secretary, reason=" ")
    assert _fields(exc) == {"reason"}
    with pytest.raises(PermissionDenied):
        svc.withdraw_item(item, by=members[0].user, reason="papers missing")
    assert svc.withdraw_item(item, by=secretary, reason="papers missing").status == ItemStatus.WITHDRAWN
    with pytest.raises(ValidationError) as exc:
        ballots_svc.open_round(item, by=secretary)
    assert _fields(exc) == {"item"}
    assert AuditEvent.objects.get(action="governance.item.withdrawn").reason == "papers missing"


@given(
    present=st.lists(st.booleans(), min_size=9, max_size=9),
    choices=st.lists(st.sampled_from(["for", "against", "abstain", None]), min_size=9, max_size=9),
    recused=st.sets(st.integers(0, 8), max_size=3),
)
@examples(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_count_matches_the_engine_on_a_hand_made_tally(
    members, secretary, committee, present, choices, recused
):
    """Whatever the attendance, recusals and ballots, close_round stores what voting.decide says
    of the tally counted by hand from the same facts."""
    from innocluster.governance import voting

    meeting = _convene(committee, starts_at=_in_days(10), by=secretary)
    item = svc.add_item(meeting, title_en="Item", by=secretary)
    for n in recused:
        svc.declare_conflict(item, members[n], reason="related party", by=secretary)
    rnd = ballots_svc.open_round(item, by=secretary)
    here = {n for n in range(9) if present[n]}
    for n in here:
        svc.record_attendance(meeting, members[n], present=True, by=secretary)
    voted = {}
    for n, choice in enumerate(choices):
        if choice is None or n in recused:
            continue
        if n in here:
            ballots_svc.record_ballot(rnd, members[n], choice=choice, by=secretary)
        else:
            ballots_svc.cast_ballot(rnd, by=members[n].user, choice=choice)
        voted[n] = choice
    rnd = ballots_svc.close_round(rnd, by=secretary)
    attending = here | set(voted)
    chair = voted.get(0)
    tally = voting.Tally(
        members=9,
        present=len(attending),
        recused=len(recused & attending),
        votes_for=sum(c == "for" for c in voted.values()),
        against=sum(c == "against" for c in voted.values()),
        abstain=sum(c == "abstain" for c in voted.values()),
        chair_for=None if chair in (None, "abstain") else chair == "for",
        absentee=len(set(voted) - here),
    )
    expected = voting.decide(ballots_svc.rule_for(item), tally)
    assert (rnd.outcome, rnd.quorum_met, rnd.present, rnd.recused) == (
        expected.outcome,
        expected.quorum_met,
        tally.present,
        tally.recused,
    )
    assert Resolution.objects.filter(item=item).exists() == (expected.outcome == "adopted")


def test_attendance_is_one_row_per_member_and_can_be_corrected(committee, board, members, meeting, secretary):
    svc.record_attendance(meeting, members[0], present=True, by=secretary)
    row = svc.record_attendance(meeting, members[0], present=False, by=secretary, mode=AttendanceMode.ONLINE)
    assert meeting.attendance.count() == 1 and (row.present, row.mode) == (False, AttendanceMode.ONLINE)
    event = AuditEvent.objects.filter(action="governance.attendance.recorded").order_by("-pk").first()
    assert event.changes["present"] == [True, False]
    with pytest.raises(ValidationError) as exc:
        svc.record_attendance(meeting, members[1], present=True, by=secretary, mode="telepathy")
    assert _fields(exc) == {"mode"}
    trustee = appoint(board, full_name="Trustee", term_start=START)
    with pytest.raises(ValidationError) as exc:  # another body's member
        svc.record_attendance(meeting, trustee, present=True, by=secretary)
    assert _fields(exc) == {"membership"}
    svc.close_meeting(meeting, by=secretary)
    with pytest.raises(ValidationError) as exc:
        svc.record_attendance(meeting, members[1], present=True, by=secretary)
    assert _fields(exc) == {"meeting"}


def test_a_meeting_held_before_the_system_is_entered_with_its_own_day(committee, members, secretary):
    day = _in_days(-30, hour=11)
    with pytest.raises(ValidationError) as refused:
        svc.record_held_meeting(committee, starts_at=_in_days(3), by=secretary, reason="paper")
    assert "starts_at" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        svc.record_held_meeting(committee, starts_at=day, by=secretary, reason=" ")
    assert "reason" in refused.value.message_dict
    meeting = svc.record_held_meeting(committee, starts_at=day, by=secretary, reason="paper minutes")
    assert meeting.status == MeetingStatus.HELD and meeting.convened_at is None
    item = svc.add_item(meeting, title_en="Report", by=secretary)
    _attend(meeting, members[:6], secretary)
    rnd = ballots_svc.open_round(item, by=secretary)
    _vote(rnd, members[:6], ["for"] * 6, secretary)
    ballots_svc.close_round(rnd, by=secretary)
    assert Resolution.objects.get(item=item).adopted_on == meeting.date  # not the day it was entered
    assert AuditEvent.objects.filter(action="governance.meeting.recorded", reason="paper minutes").exists()


@pytest.mark.parametrize(("counted", "outcome"), [(False, ItemStatus.NO_QUORUM), (True, ItemStatus.ADOPTED)])
def test_the_bodys_rule_says_whether_recused_members_count_for_the_quorum(
    committee, members, secretary, meeting, counted, outcome
):
    """9 members, 6 present, 2 recuse: 4 of the 7 who may vote is short of two thirds; 6 of 9 is not."""
    committee.recused_count_for_quorum = counted
    committee.save(update_fields=["recused_count_for_quorum"])
    item = svc.add_item(meeting, title_en="Grant to a related company", by=secretary)
    _attend(meeting, members[:6], secretary)
    for member in members[4:6]:
        svc.declare_conflict(item, member, reason="related company", by=secretary)
    rnd = ballots_svc.open_round(item, by=secretary)
    _vote(rnd, members[:4], ["for"] * 4, secretary)
    closed = ballots_svc.close_round(rnd, by=secretary)
    item.refresh_from_db()
    assert item.status == outcome and closed.recused == 2 and closed.present == 6
