"""Grantee reports: the schedule, submitting, reviewing, late reports, closing the project, the
reminders and the metrics."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from innocluster.core.audit.models import AuditEvent
from innocluster.finance.models import Commitment
from innocluster.grants import metrics, rules
from innocluster.grants.models import Award, GranteeReport, KpiValue, Tranche
from innocluster.grants.reminders import report_reminders
from innocluster.grants.selectors import reports as selectors
from innocluster.grants.services import reports as services
from tests.grants.reports_helpers import make_award

D = Decimal
pytestmark = pytest.mark.django_db
Kind = GranteeReport.Kind


@pytest.fixture
def award(programme, people):
    found = make_award(programme, people)
    services.schedule_reports(found, by=people["pm"])
    return found


def kpi_values(award, value="5"):
    return {kpi.pk: value for kpi in award.application.kpis.all()}


def submit(report, people, **overrides):
    fields = {"text": "Done as planned.", "spent": "1000.00", "kpi_values": kpi_values(report.award)}
    return services.submit_report(report, by=people["rep"], **{**fields, **overrides})


def test_schedule_follows_the_rules_and_is_idempotent(award, people):
    version = award.versions.get()
    reports = list(award.reports.order_by("due_on", "kind"))
    milestones = [r for r in reports if r.kind == Kind.MILESTONE]
    assert [r.due_on for r in milestones] == [
        rules.report_due(period_end=m.due_on) for m in award.milestones.order_by("position")
    ]
    periods = rules.report_periods(starts_on=version.starts_on, ends_on=version.ends_on)
    for kind in (Kind.PROGRESS, Kind.FINANCIAL):
        assert sorted(r.period_end for r in reports if r.kind == kind) == periods[:-1]
        assert all(r.due_on == rules.report_due(period_end=r.period_end) for r in reports if r.kind == kind)
    (final,) = [r for r in reports if r.kind == Kind.FINAL]
    assert final.period_end == version.ends_on
    assert final.due_on == rules.report_due(period_end=version.ends_on)
    assert len(reports) == 2 + 2 * (len(periods) - 1) + 1
    assert services.schedule_reports(award, by=people["pm"]) == []
    assert award.reports.count() == len(reports)


def test_submit_requires_text_and_every_kpi_value(award, people):
    report = award.reports.filter(kind=Kind.PROGRESS).first()
    with pytest.raises(ValidationError) as refused:
        submit(report, people, text="  ", kpi_values={})
    errors = refused.value.message_dict
    assert "text" in errors
    assert {f"kpi_{k.pk}" for k in award.application.kpis.all()} <= set(errors)
    report.refresh_from_db()
    assert report.status == "due" and not KpiValue.objects.exists()

    upload = SimpleUploadedFile("отчёт.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    submit(report, people, file=upload)
    report.refresh_from_db()
    assert report.status == "submitted" and report.submitted_by == people["rep"]
    assert report.file_name == "отчёт.pdf" and len(report.file_sha256) == 64
    assert KpiValue.objects.filter(report=report).count() == 2
    assert AuditEvent.objects.filter(action="grants.report.submitted").exists()


def test_financial_report_needs_the_money_spent(award, people):
    report = award.reports.filter(kind=Kind.FINANCIAL).first()
    with pytest.raises(ValidationError) as refused:
        submit(report, people, spent="")
    assert "spent" in refused.value.message_dict
    submit(report, people, spent="2500000")
    report.refresh_from_db()
    assert report.spent == D("2500000.00")


def test_someone_elses_report_is_refused(award, people, django_user_model):
    from tests.factories.accounts import Person, make_people

    other = make_people({"other": Person("participant_rep", "other", enrolled=False)})["other"]
    report = award.reports.filter(kind=Kind.MILESTONE).first()
    with pytest.raises(ValidationError) as refused:
        services.submit_report(report, by=other, text="Mine")
    assert "award" in refused.value.message_dict
    assert selectors.report_of(other, report.pk) is None
    assert selectors.award_of(other, award.pk) is None


def test_late_flag(award):
    report = award.reports.filter(kind=Kind.MILESTONE).first()
    assert selectors.is_late(report, report.due_on) is False
    assert selectors.is_late(report, report.due_on + dt.timedelta(days=1)) is True
    report.status = "submitted"
    assert selectors.is_late(report, report.due_on + dt.timedelta(days=1)) is False
    report.status = "returned"
    assert selectors.is_late(report, report.due_on + dt.timedelta(days=1)) is True


def test_accept_and_return_with_comments(award, people):
    report = award.reports.filter(kind=Kind.MILESTONE).first()
    with pytest.raises(ValidationError) as refused:
        services.accept_report(report, by=people["pm"])
    assert "status" in refused.value.message_dict
    submit(report, people)
    with pytest.raises(ValidationError) as refused:
        services.return_report(report, by=people["pm"], comment=" ")
    assert "comment" in refused.value.message_dict
    report.refresh_from_db()
    assert report.status == "submitted"
    services.return_report(report, by=people["pm"], comment="Attach the model report.")
    report.refresh_from_db()
    assert report.status == "returned" and report.review_comment == "Attach the model report."
    submit(report, people, text="Model report attached.")  # resubmitted after the return
    services.accept_report(report, by=people["pm"], comment="Fine.")
    report.refresh_from_db()
    assert report.status == "accepted" and report.reviewed_by == people["pm"]
    assert report.review_comment == "Fine."
    assert AuditEvent.objects.filter(action="grants.report.returned").exists()


def _accept_all_but_final(award, people):
    for report in award.reports.exclude(kind=Kind.FINAL):
        submit(report, people)
        services.accept_report(report, by=people["pm"])


def test_close_refused_then_closes_and_releases_the_commitment(award, people):
    final = award.reports.get(kind=Kind.FINAL)
    submit(final, people)
    # Reports not accepted and tranches not paid: the final report cannot be accepted.
    with pytest.raises(ValidationError) as refused:
        services.accept_report(final, by=people["pm"], results="A working twin.")
    assert {"tranches", "reports"} <= set(refused.value.message_dict)
    final.refresh_from_db()
    award.refresh_from_db()
    assert final.status == "submitted" and award.status == "active"

    _accept_all_but_final(award, people)
    with pytest.raises(ValidationError) as refused:
        services.accept_report(final, by=people["pm"], results="A working twin.")
    assert set(refused.value.message_dict) == {"tranches"}

    # Two tranches paid (directly, the tranche service is another stage's), the last cancelled.
    Tranche.objects.filter(award=award, position__in=(1, 2)).update(status="paid", paid_on=dt.date.today())
    Tranche.objects.filter(award=award, position=3).update(status="cancelled")
    with pytest.raises(ValidationError) as refused:
        services.accept_report(final, by=people["pm"], results="  ")
    assert "results" in refused.value.message_dict

    services.accept_report(final, by=people["pm"], results="A working twin on one line.")
    award.refresh_from_db()
    assert award.status == Award.Status.CLOSED and award.closed_at is not None
    assert award.results == "A working twin on one line."
    assert award.application.status == "awarded"
    commitment = Commitment.objects.get(pk=award.commitment_id)
    assert commitment.status == Commitment.Status.CLOSED and commitment.outstanding == 0
    assert AuditEvent.objects.filter(action="grants.award.closed").exists()


def test_reminders_once_per_report_and_day(award, people):
    report = award.reports.order_by("due_on").first()
    before = rules.reminder_from(due_on=report.due_on, on=report.due_on) - dt.timedelta(days=1)
    assert not [r for r in report_reminders(before) if r.obj == report]
    day = report.due_on + dt.timedelta(days=3)  # late
    found = [r for r in report_reminders(day) if r.obj == report]
    assert [r.recipient for r in found] == [people["rep"]]
    assert found[0].context["days_left"] == -3
    assert found[0].dedupe_key == f"grants.report:{report.pk}:{day.isoformat()}:{people['rep'].pk}"
    submit(report, people)
    assert not [r for r in report_reminders(day) if r.obj == report]


def test_metrics_change_when_an_award_is_added(programme, people):
    today = dt.date.today()
    assert metrics.awarded_amount(today) == D("0.00")
    assert metrics.awards_active(today) == 0
    found = make_award(programme, people)
    services.schedule_reports(found, by=people["pm"])
    assert metrics.awarded_amount(today) == found.amount
    assert metrics.awards_active(today) == 1
    first = found.reports.order_by("due_on").first()
    assert metrics.reports_late(first.due_on + dt.timedelta(days=1)) >= 1
    assert metrics.paid_amount(today) == D("0.00")
    Tranche.objects.filter(award=found, position=1).update(status="paid", paid_on=today)
    assert metrics.paid_amount(today) == D("3000000.00")


def test_manifest_declares_the_reminders_and_the_metrics():
    from innocluster.core.manifest import manifest_of
    from innocluster.core.notifications.reminders import reminder_sources

    assert reminder_sources()["grants.reports"] is report_reminders
    codes = {metric.code for metric in manifest_of("grants").metrics}
    assert {
        "grants.awarded_amount",
        "grants.awards_active",
        "grants.reports_late",
        "grants.paid_amount",
    } <= codes
