"""The development strategy: versions drafted, approved on the Board of Trustees' decision (a
decision of another body, or one that did not approve, is refused), the previous version
superseded; only a draft takes goals, KPIs and targets; values by hand only where no metric."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.governance import selectors
from innocluster.governance.models import Goal, Kpi, KpiTarget, StrategyVersion, VersionStatus
from innocluster.governance.services import strategy as s
from tests.factories.accounts import Person
from tests.governance.conftest import board_decision, drafted_strategy

pytestmark = pytest.mark.django_db

PEOPLE = {
    "secretary": Person("corporate_secretary", "secretary"),
    "admin": Person("fund_admin", "fund-admin"),
    "trustee": Person("trustee", "trustee"),
}


def test_a_version_approved_on_the_boards_decision_is_in_force_with_its_basis(people):
    by = people["secretary"]
    _strategy, version, _goal, kpi = drafted_strategy(by)
    decision = board_decision(by)
    approved = s.approve_version(version, decision=decision, by=by)
    assert approved.status == VersionStatus.APPROVED
    assert approved.decision == decision and approved.approved_on == dt.date(2026, 2, 20)
    assert selectors.version_for_year(2026) == approved
    assert selectors.version_for_year(2030) is None
    assert KpiTarget.objects.get(kpi=kpi, year=2027).value == Decimal("200.0000")
    actions = set(
        AuditEvent.objects.filter(action__startswith="governance.strategy.").values_list("action", flat=True)
    )
    assert {
        "governance.strategy.created",
        "governance.strategy.goal_added",
        "governance.strategy.kpi_added",
        "governance.strategy.target_set",
        "governance.strategy.version_approved",
    } <= actions


@pytest.mark.parametrize(
    ("body", "outcome", "words"),
    [
        ("managing_committee", "approved", "approved by the Board of Trustees"),
        ("board_of_trustees", "rejected", "did not approve"),
        ("board_of_trustees", "noted", "did not approve"),
    ],
)
def test_approval_needs_an_approving_decision_of_the_board(people, body, outcome, words):
    by = people["secretary"]
    _strategy, version, _goal, _kpi = drafted_strategy(by)
    decision = board_decision(by, body=body, outcome=outcome)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        s.approve_version(version, decision=decision, by=by)
    assert words in " ".join(refused.value.message_dict["decision"])
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT and version.decision is None
    assert AuditEvent.objects.count() == events


def test_approval_without_a_decision_record_or_without_a_kpi_is_refused(people):
    by = people["secretary"]
    strategy = s.create_strategy(title_en="Empty", first_year=2025, last_year=2026, by=by)
    version = strategy.versions.get()
    with pytest.raises(ValidationError) as refused:
        s.approve_version(version, decision=None, by=by)
    assert "decision" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        s.approve_version(version, decision=board_decision(by), by=by)
    assert "version" in refused.value.message_dict


def test_a_new_version_copies_the_latest_and_its_approval_supersedes_the_previous(people):
    by = people["secretary"]
    strategy, first, _goal, kpi = drafted_strategy(by)
    s.approve_version(first, decision=board_decision(by, number="PS-1"), by=by)
    second = s.new_version(strategy, by=by)
    assert second.number == 2 and second.status == VersionStatus.DRAFT
    copied = Kpi.objects.get(goal__version=second)
    assert copied.pk != kpi.pk and copied.metric == "registry.participants"
    assert dict(copied.targets.values_list("year", "value")) == dict(kpi.targets.values_list("year", "value"))
    with pytest.raises(ValidationError) as refused:
        s.new_version(strategy, by=by)  # one draft at a time
    assert "strategy" in refused.value.message_dict
    s.set_target(copied, year=2027, value=250, by=by)
    assert KpiTarget.objects.get(kpi=kpi, year=2027).value == Decimal("200.0000")  # the original is untouched
    later = board_decision(by, number="PS-9", on=dt.date(2026, 6, 1))
    s.approve_version(second, decision=later, by=by)
    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED and first.superseded_on == dt.date(2026, 6, 1)
    assert selectors.version_for_year(2027) == StrategyVersion.objects.get(pk=second.pk)
    assert AuditEvent.objects.filter(action="governance.strategy.version_superseded").count() == 1


def test_a_decision_older_than_the_version_in_force_cannot_supersede_it(people):
    by = people["secretary"]
    strategy, first, _goal, _kpi = drafted_strategy(by)
    s.approve_version(first, decision=board_decision(by, number="PS-2", on=dt.date(2026, 5, 1)), by=by)
    second = s.new_version(strategy, by=by)
    with pytest.raises(ValidationError) as refused:
        s.approve_version(second, decision=board_decision(by, number="PS-1", on=dt.date(2026, 4, 1)), by=by)
    assert "decision" in refused.value.message_dict
    first.refresh_from_db()
    assert first.status == VersionStatus.APPROVED


def test_only_a_draft_takes_goals_kpis_and_targets(people):
    by = people["secretary"]
    _strategy, version, goal, kpi = drafted_strategy(by)
    s.approve_version(version, decision=board_decision(by), by=by)
    goals = Goal.objects.count()
    for attempt in (
        lambda: s.add_goal(version, title_en="Another", by=by),
        lambda: s.add_kpi(goal, title_en="Another", metric="registry.participants", by=by),
        lambda: s.set_target(kpi, year=2026, value=1, by=by),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert "only a draft changes" in " ".join(refused.value.message_dict["version"])
    assert Goal.objects.count() == goals
    assert KpiTarget.objects.get(kpi=kpi, year=2026).value == Decimal("150.0000")
    with pytest.raises(ValidationError):
        s.approve_version(version, decision=board_decision(by, number="PS-3"), by=by)


def test_kpis_and_targets_are_checked(people):
    by = people["admin"]
    _strategy, _version, goal, kpi = drafted_strategy(by)
    assert kpi.unit == "count"  # taken from the metric
    with pytest.raises(ValidationError) as refused:
        s.add_kpi(goal, title_en="Typo", metric="registry.participantz", by=by)
    assert "registry.participants" in " ".join(refused.value.message_dict["metric"])
    with pytest.raises(ValidationError) as refused:
        s.add_kpi(goal, title_en="Wrong unit", metric="registry.participants", unit="KZT", by=by)
    assert "unit" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        s.add_kpi(goal, title_en="Patents", by=by)  # by hand: the unit must be said
    assert "unit" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        s.add_kpi(goal, title_en="", metric="registry.participants", by=by)
    assert "title_en" in refused.value.message_dict
    share = s.add_kpi(goal, title_en="Decided in time", metric="registry.applications_decided_on_time", by=by)
    assert share.unit == "ratio" and share.position == 2
    with pytest.raises(ValidationError) as refused:
        s.set_target(share, year=2026, value="85", by=by)
    assert "fraction from 0 to 1" in " ".join(refused.value.message_dict["value"])
    with pytest.raises(ValidationError) as refused:
        s.set_target(share, year=2031, value="0.85", by=by)
    assert "2025 to 2029" in " ".join(refused.value.message_dict["year"])
    with pytest.raises(ValidationError) as refused:
        s.set_target(share, year=2026, value=0.85, by=by)  # a float: never
    assert "value" in refused.value.message_dict
    assert s.set_target(share, year=2026, value="0,85", by=by).value == Decimal("0.8500")
    with pytest.raises(ValidationError) as refused:
        s.create_strategy(title_en="Backwards", first_year=2029, last_year=2025, by=by)
    assert "last_year" in refused.value.message_dict


def test_values_by_hand_only_for_a_kpi_without_a_metric_and_the_latest_counts(people):
    by = people["secretary"]
    _strategy, version, goal, kpi = drafted_strategy(by)
    patents = s.add_kpi(goal, title_en="Patents filed", unit="count", by=by)
    with pytest.raises(ValidationError) as refused:
        s.record_manual_value(kpi, year=2026, value=5, source="count", by=by)
    assert "kpi" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        s.record_manual_value(patents, year=2026, value=5, source="  ", by=by)
    assert "source" in refused.value.message_dict
    s.record_manual_value(patents, year=2026, value=5, source="Kazpatent letter No. 1", by=by)
    s.record_manual_value(patents, year=2026, value=7, source="Kazpatent letter No. 2", by=by)
    assert selectors.manual_values(version, 2026) == {patents.pk: Decimal("7.0000")}
    assert AuditEvent.objects.filter(action="governance.strategy.value_entered").count() == 2


def test_only_the_secretary_and_the_fund_admin_edit_the_strategy(people):
    with pytest.raises(PermissionDenied):
        s.create_strategy(title_en="Mine", first_year=2025, last_year=2029, by=people["trustee"])
    _strategy, version, goal, _kpi = drafted_strategy(people["admin"])
    with pytest.raises(PermissionDenied):
        s.add_goal(version, title_en="Theirs", by=people["trustee"])
    assert goal.version.goals.count() == 1
