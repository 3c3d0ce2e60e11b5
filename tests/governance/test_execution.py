"""Carrying out a resolution: an adopted Managing Committee item excludes the participant it is
linked to, on a decision record numbered after the resolution; a failure leaves nothing half-done
and never undoes the count; a retry after the cause is fixed succeeds; the resolution's page."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import ALMATY, almaty_date
from innocluster.core.decisions.models import Decision
from innocluster.governance import authority
from innocluster.governance.models import (
    AttendanceMode,
    Execution,
    ExecutionStatus,
    ItemStatus,
    Position,
    Resolution,
    ResolutionStatus,
)
from innocluster.governance.services import ballots as ballots_svc
from innocluster.governance.services import execution
from innocluster.governance.services import meetings as svc
from innocluster.governance.services.members import appoint
from innocluster.registry import executors as registry_executors
from innocluster.registry.models import Participant, StatusChange
from innocluster.registry.services import membership
from innocluster.registry.services import register as register_services
from innocluster.registry.services.register import load_reference_data
from tests.factories.accounts import login_with_2fa, user_with_role
from tests.factories.registry import registered_participant

pytestmark = pytest.mark.django_db

START = dt.date(2025, 10, 10)
S = Participant.Status


def _in_days(days: int) -> dt.datetime:
    today = timezone.localdate(timezone.now(), timezone=ALMATY)
    return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(15), tzinfo=ALMATY)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def secretary():
    return user_with_role("corporate_secretary", "corpsec")


@pytest.fixture
def members(committee):
    """Seven members with a vote, the chair first; member 1 has an account."""
    people = []
    for n in range(7):
        user = user_with_role("committee_member", f"member{n}") if n == 1 else None
        position = Position.CHAIR if n == 0 else Position.MEMBER
        people.append(
            appoint(committee, full_name=f"Member {n}", position=position, term_start=START, user=user)
        )
    return people


@pytest.fixture
def meeting(committee, members, secretary):
    planned = svc.plan_meeting(committee, starts_at=_in_days(10), by=secretary)
    meeting = svc.convene_meeting(planned, by=secretary)
    for member in members:
        svc.record_attendance(meeting, member, present=True, by=secretary)
    return meeting


@pytest.fixture
def participant(policy_loaded):
    load_reference_data()
    return registered_participant()


def _adopt(meeting, members, secretary, **item):
    """Put an item on the agenda and adopt it unanimously; the round closes as ``secretary``."""
    item = svc.add_item(meeting, by=secretary, **item)
    rnd = ballots_svc.open_round(item, by=secretary)
    for member in members:
        ballots_svc.record_ballot(rnd, member, choice="for", by=secretary, mode=AttendanceMode.IN_ROOM)
    rnd = ballots_svc.close_round(rnd, by=secretary)
    assert rnd.outcome == "adopted"
    return Resolution.objects.get(item=item)


def _exclusion(meeting, members, secretary, participant):
    return _adopt(
        meeting,
        members,
        secretary,
        title_en="Exclude the participant for repeated breaches of the rules",
        decision_type="registry.exclusion",
        linked=participant,
    )


def test_an_adopted_exclusion_is_carried_out(meeting, members, secretary, participant):
    resolution = _exclusion(meeting, members, secretary, participant)
    today = almaty_date(timezone.now())

    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.EXECUTED
    participant.refresh_from_db()
    assert participant.status == S.EXCLUDED
    decision = Decision.objects.get()
    assert (decision.body, decision.number, decision.decided_on) == (
        "managing_committee",
        f"{today.year}/{resolution.number}",
        resolution.adopted_on,
    )
    assert decision.number == f"{today.year}/1" and decision.outcome == "approved"
    assert decision.basis == authority.deciding("registry.exclusion", today).reference
    assert f"meeting No. {meeting.year}/{meeting.number}" in decision.meeting_reference
    change = StatusChange.objects.filter(participant=participant).latest("id")
    assert change.decision == decision and change.reason.startswith("Exclude the participant")
    attempt = Execution.objects.get(resolution=resolution)
    assert (attempt.attempt, attempt.status, attempt.decision, attempt.by) == (
        1,
        ExecutionStatus.SUCCEEDED,
        decision,
        secretary,
    )
    event = AuditEvent.objects.get(action="governance.resolution.executed")
    assert event.changes["resolution"] == [None, f"managing_committee {today.year}/1"]
    assert event.object_id == str(resolution.pk)
    with pytest.raises(ValidationError) as exc:
        execution.retry_execution(resolution, by=secretary)
    assert set(exc.value.message_dict) == {"resolution"}
    with pytest.raises(ValidationError):
        execution.execute_resolution(resolution, by=secretary)
    assert Execution.objects.filter(resolution=resolution).count() == 1


def test_an_item_without_an_executor_stays_adopted(meeting, members, secretary):
    resolution = _adopt(
        meeting, members, secretary, title_en="Approve the rules", decision_type="governance.fund_rules"
    )
    assert resolution.status == ResolutionStatus.ADOPTED
    assert not Execution.objects.exists() and not Decision.objects.exists()


def test_a_participant_already_excluded_fails_and_the_round_stays_closed(
    meeting, members, secretary, participant
):
    resolution_item = svc.add_item(
        meeting, title_en="Exclude", decision_type="registry.exclusion", linked=participant, by=secretary
    )
    register_services.change_status(
        participant, status=S.EXCLUDED, effective_on=dt.date(2026, 11, 2), reason="x"
    )
    history = StatusChange.objects.filter(participant=participant).count()
    rnd = ballots_svc.open_round(resolution_item, by=secretary)
    for member in members:
        ballots_svc.record_ballot(rnd, member, choice="for", by=secretary)
    rnd = ballots_svc.close_round(rnd, by=secretary)

    rnd.refresh_from_db()
    assert rnd.closed_at is not None and rnd.outcome == "adopted"
    resolution_item.refresh_from_db()
    assert resolution_item.status == ItemStatus.ADOPTED
    resolution = Resolution.objects.get(item=resolution_item)
    assert resolution.status == ResolutionStatus.EXECUTION_FAILED
    attempt = Execution.objects.get(resolution=resolution)
    assert attempt.status == ExecutionStatus.FAILED and attempt.decision is None
    assert "only a registered or suspended participant can be excluded" in attempt.error
    assert not Decision.objects.exists()
    assert StatusChange.objects.filter(participant=participant).count() == history
    assert AuditEvent.objects.filter(action="governance.round.closed").exists()
    event = AuditEvent.objects.get(action="governance.resolution.execution_failed")
    assert event.changes["resolution"][1] == execution.reference(resolution)
    assert event.changes["error"][1] == attempt.error


def test_a_failing_command_leaves_nothing_and_a_retry_succeeds(
    meeting, members, secretary, participant, monkeypatch
):
    real = registry_executors.exclude

    def exclude_then_fail(*args, **kwargs):
        real(*args, **kwargs)  # the exclusion is written, then the rest fails: all must roll back
        raise RuntimeError("the notification service is down")

    monkeypatch.setattr(registry_executors, "exclude", exclude_then_fail)
    resolution = _exclusion(meeting, members, secretary, participant)

    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.EXECUTION_FAILED
    participant.refresh_from_db()
    assert participant.status == S.REGISTERED
    assert not StatusChange.objects.filter(participant=participant, status=S.EXCLUDED).exists()
    assert not Decision.objects.exists()
    failed = Execution.objects.get(resolution=resolution)
    assert (failed.status, failed.error) == (ExecutionStatus.FAILED, "the notification service is down")

    monkeypatch.setattr(registry_executors, "exclude", real)  # the cause is fixed
    attempt = execution.retry_execution(resolution, by=secretary)
    assert (attempt.attempt, attempt.status) == (2, ExecutionStatus.SUCCEEDED)
    resolution.refresh_from_db()
    participant.refresh_from_db()
    assert resolution.status == ResolutionStatus.EXECUTED and participant.status == S.EXCLUDED
    assert Decision.objects.get() == attempt.decision
    assert list(resolution.executions.values_list("status", flat=True)) == ["failed", "succeeded"]


def test_a_suspension_still_open_to_an_answer_fails_until_the_participant_is_reinstated(
    meeting, members, secretary, participant
):
    registrar = user_with_role("registrar", "reg")
    membership.suspend(participant, by=registrar, grounds="No report", on=almaty_date(timezone.now()))
    resolution = _exclusion(meeting, members, secretary, participant)
    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.EXECUTION_FAILED
    assert "may answer the grounds" in resolution.executions.get().error
    # The cause: the answer period. Reinstated, the participant can be excluded directly.
    membership.reinstate(participant, by=registrar, grounds="Report filed", on=almaty_date(timezone.now()))
    assert execution.retry_execution(resolution, by=secretary).status == ExecutionStatus.SUCCEEDED
    participant.refresh_from_db()
    assert participant.status == S.EXCLUDED


def test_a_body_secretary_without_the_right_to_carry_out_fails_the_attempt(
    meeting, members, committee, participant
):
    clerk = user_with_role("committee_member", "clerk")
    appoint(committee, full_name="Clerk", position=Position.SECRETARY, term_start=START, user=clerk)
    resolution = _exclusion(meeting, members, clerk, participant)
    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.EXECUTION_FAILED
    participant.refresh_from_db()
    assert participant.status == S.REGISTERED and not Decision.objects.exists()
    stranger = user_with_role("registrar", "reg2")
    with pytest.raises(PermissionDenied):
        execution.retry_execution(resolution, by=stranger)


# --- the resolution's page -----------------------------------------------------------------------


@pytest.fixture
def failed(meeting, members, secretary, participant, monkeypatch):
    real = registry_executors.exclude

    def fail(*args, **kwargs):
        raise RuntimeError("register unavailable")

    monkeypatch.setattr(registry_executors, "exclude", fail)
    resolution = _exclusion(meeting, members, secretary, participant)
    monkeypatch.setattr(registry_executors, "exclude", real)
    return resolution


def test_the_resolution_page_shows_the_attempts_and_the_retry_works(client, failed, secretary, participant):
    login_with_2fa(client, secretary)
    url = f"/staff/governance/resolutions/{failed.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Exclude the participant for repeated breaches" in html
    assert "register unavailable" in html and 'action="' + url + 'retry/"' in html
    assert page.context["number"] == f"{failed.year}/{failed.number}"
    assert page.context["linked"]["label"] == str(participant)

    response = client.post(f"{url}retry/")
    assert response.status_code == 302 and response["Location"] == url
    failed.refresh_from_db()
    participant.refresh_from_db()
    assert failed.status == ResolutionStatus.EXECUTED and participant.status == S.EXCLUDED
    page = client.get(url)
    assert "retry/" not in page.content.decode()
    assert str(Decision.objects.get().pk) in page.content.decode()


def test_the_resolution_page_in_russian(client, failed, secretary):
    Resolution.objects.filter(pk=failed.pk).update(text_ru="Исключить участника")
    login_with_2fa(client, secretary)
    client.cookies["innocluster_language"] = "ru"
    page = client.get(f"/staff/governance/resolutions/{failed.pk}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200 and page.context["text"] == "Исключить участника"


def test_a_member_of_the_body_reads_it_others_are_refused(client, failed, members):
    login_with_2fa(client, members[1].user)
    url = f"/staff/governance/resolutions/{failed.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and not page.context["may_retry"]
    assert client.post(f"{url}retry/").status_code == 403

    client.logout()
    login_with_2fa(client, user_with_role("participant_rep", "rep9", enrolled=False))
    assert client.get(url).status_code == 403
    assert client.post(f"{url}retry/").status_code == 403

    client.logout()
    login_with_2fa(client, user_with_role("trustee", "trustee9"))  # sits on no body: not this one's
    assert client.get(url).status_code == 403
    failed.refresh_from_db()
    assert failed.status == ResolutionStatus.EXECUTION_FAILED
