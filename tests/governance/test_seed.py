"""The demo's bodies and members: both bodies seated, the demo trustee and committee member on
them, one ended term on each; a second run adds nothing."""

import pytest

from innocluster.core.policy import values as policy
from innocluster.governance import selectors
from innocluster.governance.models import Membership
from innocluster.seed.foundation import seed_foundation
from innocluster.seed.governance import seed_governance_demo

pytestmark = pytest.mark.django_db


def test_the_demo_seats_both_bodies_and_is_idempotent():
    seed_foundation()
    result = seed_governance_demo()
    assert not result.skipped and result.bodies_added == 10 and result.members == 14 and result.ended == 2
    today = policy.today()
    for code, username in (("board_of_trustees", "trustee"), ("managing_committee", "committee-member")):
        body = selectors.body_in_force(code, today)
        voting = selectors.voting_members(body, today)
        assert voting.filter(user__username=username).exists()
        assert voting.filter(position="chair").count() == 1
        assert body.memberships.filter(term_end__lt=today).count() == 1
    again = seed_governance_demo()
    assert again.skipped and Membership.objects.count() == 14


def test_the_demo_holds_a_past_meeting_with_locked_minutes_and_coming_meetings():
    from innocluster.core.audit.models import AuditEvent
    from innocluster.governance.models import ItemStatus, Meeting, MeetingStatus, Minutes, Resolution
    from innocluster.seed.governance_meetings import seed_meetings_demo

    seed_foundation()
    seed_governance_demo()
    result = seed_meetings_demo()
    assert not result.skipped and result.meetings == 3 and result.resolutions == 1
    today = policy.today()
    past = Meeting.objects.get(status=MeetingStatus.CLOSED)
    assert past.date < today and past.convened_at is None  # entered from its paper record
    statuses = sorted(past.items.values_list("status", flat=True))
    assert statuses == [ItemStatus.ADOPTED, ItemStatus.REJECTED]  # 3 of 5 fail the two-thirds rule
    assert Resolution.objects.get().adopted_on == past.date
    minutes = Minutes.objects.get(meeting=past)
    assert minutes.status == "locked" and len(minutes.sha256) == 64
    assert AuditEvent.objects.filter(action="governance.minutes.locked").exists()
    coming = Meeting.objects.filter(status=MeetingStatus.CONVENED)
    assert {m.body.code for m in coming} == {"board_of_trustees", "managing_committee"}
    assert all(m.date > today and m.items.exists() for m in coming)
    assert seed_meetings_demo().skipped and Meeting.objects.count() == 3


def test_the_demo_strategy_is_approved_on_a_board_decision_with_six_kpis():
    from innocluster.governance.models import Kpi, KpiManualValue, Strategy, VersionStatus

    seed_foundation()
    result = seed_governance_demo()
    assert result.kpis == 6
    strategy = Strategy.objects.get()
    assert (strategy.first_year, strategy.last_year) == (2025, 2029)
    version = strategy.versions.get()
    assert version.status == VersionStatus.APPROVED and version.decision.body == "board_of_trustees"
    assert version.goals.count() == 3
    kpis = Kpi.objects.filter(goal__version=version)
    assert set(kpis.exclude(metric="").values_list("metric", flat=True)) == {
        "registry.participants",
        "registry.applications_decided_on_time",
        "levy.collected",
        "workforce.active",
        "finance.committed",
    }
    assert kpis.filter(metric="").count() == 1 and KpiManualValue.objects.exists()
    assert all(kpi.targets.count() == 5 for kpi in kpis)
    assert selectors.kpi_report(version, policy.today().year)  # evaluates over the installed apps
    assert seed_governance_demo().kpis == 0 and Strategy.objects.count() == 1
