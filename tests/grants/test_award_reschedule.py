"""An amendment in force that moves a milestone or the project's end moves the reports not yet
submitted with it, in the approval's transaction and with an audit entry: a milestone report
follows its milestone, the final report the end; a submitted or accepted report keeps its date;
a periodic report past an earlier end is removed while it is still due, never once submitted."""

import datetime as dt

import pytest
from django.utils import timezone

from innocluster.core.audit.models import AuditEvent
from innocluster.grants import rules
from innocluster.grants.models import GranteeReport
from innocluster.grants.services import agreements as svc
from tests.grants.awards_support import cast_fixture, make_award, org_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
Kind = GranteeReport.Kind


@pytest.fixture
def made(programme, cast, org):
    """Project 1 March to 28 February next year; milestones due 31 August and 28 February; the
    award scheduled the reports (milestone 1 and 2, progress and financial on 31 August, final)."""
    return make_award(programme, cast, org)


def _amend(award, cast, **changes):
    version = svc.propose_amendment(award, reason="Plan changed", by=cast["pm"], **changes)
    return svc.approve_amendment(version, by=cast["pm2"])


def _report(award, kind, milestone=None):
    rows = award.reports.filter(kind=kind)
    if milestone is not None:
        rows = rows.filter(milestone=milestone)
    return rows.get()


def _due(end):
    return rules.report_due(period_end=end)


def test_moving_milestone_2_by_a_month_moves_its_report_but_not_a_submitted_one(made, cast):
    m1, m2 = made.milestones.order_by("position")
    first = _report(made, Kind.MILESTONE, m1)
    GranteeReport.objects.filter(pk=first.pk).update(status="submitted", submitted_at=timezone.now())
    second = _report(made, Kind.MILESTONE, m2)
    assert second.due_on == _due(m2.due_on)
    new_m1, new_m2 = m1.due_on + dt.timedelta(days=30), m2.due_on - dt.timedelta(days=28)
    before = made.reports.count()
    _amend(made, cast, milestones={1: {"due_on": new_m1}, 2: {"due_on": new_m2}})
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.period_end, second.due_on) == (new_m2, _due(new_m2))
    assert first.due_on == _due(m1.due_on) and first.status == "submitted"  # submitted: stays
    assert made.reports.count() == before
    event = AuditEvent.objects.get(action="grants.report.rescheduled")
    assert event.changes["moved"][1] == [
        f"milestone {_due(m2.due_on).isoformat()} → {_due(new_m2).isoformat()}"
    ]
    assert event.changes["version"] == [None, 2]


def test_an_amendment_of_amounts_only_reschedules_nothing(made, cast):
    dates = list(made.reports.order_by("id").values_list("due_on", flat=True))
    _amend(made, cast, milestones={1: {"amount": "9500000.00"}, 2: {"amount": "5500000.00"}})
    assert list(made.reports.order_by("id").values_list("due_on", flat=True)) == dates
    assert not AuditEvent.objects.filter(action="grants.report.rescheduled").exists()


def test_ending_earlier_moves_the_final_report_and_cancels_the_periods_past_the_end(made, cast):
    version = made.versions.get()
    m1 = made.milestones.get(position=1)
    periodic = made.reports.filter(kind__in=[Kind.PROGRESS, Kind.FINANCIAL])
    assert set(periodic.values_list("period_end", flat=True)) == {m1.due_on}
    count = made.reports.count()
    returned = periodic.get(kind=Kind.FINANCIAL)
    GranteeReport.objects.filter(pk=returned.pk).update(
        status="returned", submitted_at=timezone.now(), text="Spent 1.2 million on the sensors."
    )
    new_end = m1.due_on  # 31 August: the only periodic period now ends with the project
    _amend(made, cast, ends_on=new_end, milestones={2: {"due_on": new_end}})
    final = _report(made, Kind.FINAL)
    assert (final.period_end, final.due_on) == (new_end, _due(new_end))
    m2 = made.milestones.get(position=2)
    assert _report(made, Kind.MILESTONE, m2).due_on == _due(new_end)
    # Both periodic reports are past the new end: cancelled, never removed; what the grantee
    # wrote in the returned one stays.
    assert made.reports.count() == count
    assert sorted(periodic.values_list("kind", "status")) == [
        (Kind.FINANCIAL, "cancelled"),
        (Kind.PROGRESS, "cancelled"),
    ]
    assert GranteeReport.objects.get(pk=returned.pk).text == "Spent 1.2 million on the sensors."
    event = AuditEvent.objects.get(action="grants.report.rescheduled")
    assert sorted(event.changes["cancelled"][1]) == [
        f"financial {_due(m1.due_on).isoformat()}",
        f"progress {_due(m1.due_on).isoformat()}",
    ]
    assert version.ends_on != new_end
    # A cancelled report is neither late nor waited for when the project closes.
    from innocluster.grants.selectors import reports as report_selectors

    far = _due(version.ends_on) + dt.timedelta(days=400)
    assert not GranteeReport.objects.filter(report_selectors.late_q(far), pk=returned.pk).exists()


def test_a_later_amendment_brings_a_cancelled_period_back(made, cast):
    m1 = made.milestones.get(position=1)
    version = made.versions.get()
    _amend(made, cast, ends_on=m1.due_on, milestones={2: {"due_on": m1.due_on}})
    progress = made.reports.get(kind=Kind.PROGRESS)
    assert progress.status == "cancelled"
    _amend(made, cast, ends_on=version.ends_on, milestones={2: {"due_on": version.ends_on}})
    progress.refresh_from_db()
    assert progress.status == "due" and progress.due_on == _due(progress.period_end)
    assert made.reports.filter(kind=Kind.PROGRESS).count() == 1  # restored, not made again
    event = AuditEvent.objects.filter(action="grants.report.rescheduled").latest("id")
    assert event.changes["restored"][1]


def test_ending_later_adds_the_new_periods_and_moves_the_final_report(made, cast):
    version = made.versions.get()
    new_end = dt.date(version.ends_on.year, 8, 31)
    _amend(made, cast, ends_on=new_end)
    periods = rules.report_periods(starts_on=version.starts_on, ends_on=new_end)
    for kind in (Kind.PROGRESS, Kind.FINANCIAL):
        ends = sorted(made.reports.filter(kind=kind).values_list("period_end", flat=True))
        assert ends == periods[:-1]
    final = _report(made, Kind.FINAL)
    assert (final.period_end, final.due_on) == (new_end, _due(new_end))
    event = AuditEvent.objects.get(action="grants.report.rescheduled")
    assert len(event.changes["created"][1]) == 2 * (len(periods) - 2)


def test_a_refused_approval_reschedules_nothing(made, cast):
    """The reports move in the approval's transaction: an approval refused leaves them as they were."""
    from django.core.exceptions import ValidationError

    m2 = made.milestones.get(position=2)
    before = _report(made, Kind.MILESTONE, m2).due_on
    version = svc.propose_amendment(
        made, milestones={2: {"due_on": m2.due_on - dt.timedelta(days=28)}}, reason="x", by=cast["pm"]
    )
    with pytest.raises(ValidationError):
        svc.approve_amendment(version, by=cast["pm"])  # the proposer
    assert _report(made, Kind.MILESTONE, m2).due_on == before
    assert not AuditEvent.objects.filter(action="grants.report.rescheduled").exists()
