"""The Board of Trustees approves a strategy version at a meeting: an adopted item of type
``governance.strategy`` linked to a draft version approves it on a decision of the Board numbered
after the resolution, and the version approved before it is superseded; a version that is no
longer a draft fails the executor's check and nothing changes."""

import datetime as dt

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from innocluster.core.access import permissions as access
from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import ALMATY
from innocluster.core.decisions.executors import executor_for
from innocluster.core.decisions.models import Decision
from innocluster.governance import authority
from innocluster.governance.executors import check_strategy, find_version, reference
from innocluster.governance.models import (
    AttendanceMode,
    Execution,
    ExecutionStatus,
    Position,
    Resolution,
    ResolutionStatus,
    StrategyVersion,
    VersionStatus,
)
from innocluster.governance.services import ballots as ballots_svc
from innocluster.governance.services import meetings as svc
from innocluster.governance.services import strategy as s
from innocluster.governance.services.members import appoint
from tests.factories.accounts import user_with_role
from tests.governance.conftest import board_decision, drafted_strategy

pytestmark = pytest.mark.django_db

START = dt.date(2025, 10, 10)
FIRST_APPROVAL = dt.date(2026, 2, 20)


def _in_days(days: int) -> dt.datetime:
    today = timezone.localdate(timezone.now(), timezone=ALMATY)
    return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(15), tzinfo=ALMATY)


@pytest.fixture
def secretary():
    return user_with_role("corporate_secretary", "corpsec")


@pytest.fixture
def trustees(board):
    """Five trustees with a vote, the chair first."""
    return [
        appoint(
            board,
            full_name=f"Trustee {n}",
            position=Position.CHAIR if n == 0 else Position.MEMBER,
            term_start=START,
            user=None,
        )
        for n in range(5)
    ]


@pytest.fixture
def meeting(board, trustees, secretary):
    planned = svc.plan_meeting(board, starts_at=_in_days(10), by=secretary)
    meeting = svc.convene_meeting(planned, by=secretary)
    for member in trustees:
        svc.record_attendance(meeting, member, present=True, by=secretary)
    return meeting


@pytest.fixture
def versions(secretary):
    """Version 1 approved on an earlier decision of the Board, version 2 a draft copied from it."""
    strategy, first, _goal, _kpi = drafted_strategy(secretary)
    s.approve_version(first, decision=board_decision(secretary, on=FIRST_APPROVAL), by=secretary)
    second = s.new_version(strategy, by=secretary)
    return first, second


def _adopt(meeting, trustees, secretary, version) -> Resolution:
    item = svc.add_item(
        meeting,
        title_en=f"Approve version {version.number} of the development strategy",
        decision_type="governance.strategy",
        linked=version,
        by=secretary,
    )
    rnd = ballots_svc.open_round(item, by=secretary)
    for member in trustees:
        ballots_svc.record_ballot(rnd, member, choice="for", by=secretary, mode=AttendanceMode.IN_ROOM)
    rnd = ballots_svc.close_round(rnd, by=secretary)
    assert rnd.outcome == "adopted"
    return Resolution.objects.get(item=item)


def test_the_executor_is_contributed_for_strategy_versions():
    executor = executor_for("governance.strategy")
    assert executor is not None and executor.model == "governance.strategyversion"


def test_an_adopted_strategy_item_approves_the_draft_and_supersedes_the_previous(
    meeting, trustees, secretary, versions
):
    first, second = versions
    earlier = StrategyVersion.objects.get(pk=first.pk).decision
    resolution = _adopt(meeting, trustees, secretary, second)

    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.EXECUTED
    decision = Decision.objects.exclude(pk=earlier.pk).get()
    assert decision.body == "board_of_trustees" and decision.outcome == "approved"
    assert decision.number == f"{resolution.year}/{resolution.number}"
    assert decision.decided_on == resolution.adopted_on
    assert decision.basis == authority.deciding("governance.strategy", resolution.adopted_on).reference
    second.refresh_from_db()
    assert second.status == VersionStatus.APPROVED
    assert (second.decision, second.approved_on) == (decision, resolution.adopted_on)
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED and first.superseded_on == resolution.adopted_on
    attempt = Execution.objects.get(resolution=resolution)
    assert (attempt.status, attempt.decision, attempt.by) == (ExecutionStatus.SUCCEEDED, decision, secretary)
    approved = AuditEvent.objects.filter(action="governance.strategy.version_approved").latest("id")
    assert approved.object_id == str(second.pk) and approved.actor == secretary
    assert AuditEvent.objects.filter(action="governance.strategy.version_superseded").count() == 1


def test_a_version_no_longer_a_draft_fails_the_check_and_nothing_changes(
    meeting, trustees, secretary, versions
):
    first, second = versions
    decisions = Decision.objects.count()
    resolution = _adopt(meeting, trustees, secretary, first)  # version 1 is already approved

    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.EXECUTION_FAILED
    attempt = Execution.objects.get(resolution=resolution)
    assert attempt.status == ExecutionStatus.FAILED and attempt.decision is None
    assert "only a draft can be approved" in attempt.error
    assert Decision.objects.count() == decisions
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == VersionStatus.APPROVED and first.approved_on == FIRST_APPROVAL
    assert second.status == VersionStatus.DRAFT and second.decision is None
    assert not AuditEvent.objects.filter(action="governance.strategy.version_superseded").exists()


def test_a_draft_without_a_kpi_fails_the_check(meeting, trustees, secretary):
    empty = s.create_strategy(title_en="Empty", first_year=2026, last_year=2027, by=secretary)
    version = empty.versions.get()
    with pytest.raises(ValidationError) as refused:
        check_strategy(version)
    assert set(refused.value.message_dict) == {"version"}
    resolution = _adopt(meeting, trustees, secretary, version)
    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.EXECUTION_FAILED
    assert "at least one goal with a KPI" in resolution.executions.get().error
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT and not Decision.objects.exists()


def test_carrying_out_needs_no_right_to_edit_the_strategy(
    meeting, trustees, secretary, versions, monkeypatch
):
    """The person closing the round carries the Board's decision out: the strategy's own edit
    right is not asked of them then (and is asked again outside)."""
    _first, second = versions
    monkeypatch.setitem(access._ACTIONS, "governance.strategy.edit", rules.always_deny)
    with pytest.raises(PermissionDenied):
        s.add_goal(second, title_en="Refused outside a decision", by=secretary)
    resolution = _adopt(meeting, trustees, secretary, second)
    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.EXECUTED
    assert StrategyVersion.objects.get(pk=second.pk).status == VersionStatus.APPROVED


def test_a_body_secretary_without_the_right_to_carry_out_fails_the_attempt(
    board, trustees, secretary, versions
):
    clerk = user_with_role("trustee", "clerk")
    appoint(board, full_name="Clerk", position=Position.SECRETARY, term_start=START, user=clerk)
    planned = svc.plan_meeting(board, starts_at=_in_days(10), by=clerk)
    meeting = svc.convene_meeting(planned, by=clerk)
    for member in trustees:
        svc.record_attendance(meeting, member, present=True, by=clerk)
    _first, second = versions
    resolution = _adopt(meeting, trustees, clerk, second)
    resolution.refresh_from_db()
    assert resolution.status == ResolutionStatus.EXECUTION_FAILED
    second.refresh_from_db()
    assert second.status == VersionStatus.DRAFT
    with pytest.raises(PermissionDenied):
        s.approve_version(second, decision=board_decision(secretary, number="PS-7"), by=clerk)


def test_a_version_is_found_by_its_reference_or_its_key(secretary, versions):
    first, second = versions
    assert reference(second) == f"{second.strategy_id}/2"
    assert find_version(reference(second)) == second
    assert find_version(f" {first.strategy_id} / 1 ") == first
    assert find_version(str(second.pk)) == second
    for missing in (f"{first.strategy_id}/9", "x/1", "1/y", "abc", ""):
        assert find_version(missing) is None


def test_an_agenda_item_of_the_managing_committee_cannot_approve_the_strategy(committee, secretary, versions):
    planned = svc.plan_meeting(committee, starts_at=_in_days(10), by=secretary)
    _first, second = versions
    with pytest.raises(ValidationError) as refused:
        svc.add_item(
            planned, title_en="Strategy", decision_type="governance.strategy", linked=second, by=secretary
        )
    assert set(refused.value.message_dict) == {"decision_type"}
