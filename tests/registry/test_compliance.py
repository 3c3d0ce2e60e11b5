"""Annual reports: the regime's income-share test from dated policy, versions, the staff queue and
the reminder before the report date."""

import re
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from innocluster.core.access.services import revoke_role
from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import add_working_days, is_working_day
from innocluster.core.notifications import reminders
from innocluster.core.notifications.models import Notification
from innocluster.core.policy import lawcases
from innocluster.registry.models import ComplianceReport
from innocluster.registry.services import compliance, membership
from tests.factories.accounts import user_with_role
from tests.registry.test_membership import PEOPLE, make_participant  # noqa: F401  (PEOPLE: the same people)

pytestmark = pytest.mark.django_db

R = ComplianceReport.Result
SHARE = "registry.compliance.min_priority_income_share"


@pytest.fixture
def today(monkeypatch):
    """Filing in spring 2027 unless a test moves the day."""

    def move(day: date) -> None:
        monkeypatch.setattr(compliance, "_today", lambda: day)

    move(date(2027, 3, 1))
    return move


@pytest.fixture
def participant(people):
    return make_participant(people["rep"])


def figures(revenue: str, priority: str) -> dict:
    return {"revenue": Decimal(revenue), "priority_revenue": Decimal(priority)}


def file(participant, by, *, year=2026, revenue="1000000.00", priority="950000.00", **extra):
    values = {
        "year": year,
        "revenue": Decimal(revenue),
        "priority_revenue": Decimal(priority),
        "staff_count": 12,
        "rd_spend": Decimal("50000.00"),
        "exports": Decimal("0"),
    }
    return compliance.file_report(participant, by=by, **(values | extra))


def share_check(checks: list[dict]) -> dict:
    return next(c for c in checks if c["key"] == SHARE)


# --- the tests on the figures ----------------------------------------------------------------------


def test_the_2026_share_test_with_its_reference(policy_loaded):
    passing = compliance.evaluate(figures("1000000.00", "950000.00"), year=2026)
    assert compliance.outcome(passing) == R.PASSED
    check = share_check(passing)
    assert check["passed"] is True and check["value"] == "0.9500"
    assert "95%" in check["message"] and "90%" in check["message"]
    assert "art. 17" in check["reference"]
    assert set(check) == {"key", "passed", "message", "reference", "value"}

    failing = compliance.evaluate(figures("1000000.00", "850000.00"), year=2026)
    assert compliance.outcome(failing) == R.FAILED
    assert share_check(failing)["passed"] is False
    assert "Only 85%" in share_check(failing)["message"]
    # Exactly the minimum meets it.
    assert compliance.outcome(compliance.evaluate(figures("1000.00", "900.00"), year=2026)) == R.PASSED


def test_the_share_test_switches_off_for_2029_without_a_code_change(policy_loaded):
    low = figures("1000000.00", "850000.00")
    assert compliance.outcome(compliance.evaluate(low, year=2028)) == R.FAILED
    checks = compliance.evaluate(low, year=2029)
    assert compliance.outcome(checks) == R.NOT_APPLICABLE
    check = share_check(checks)
    assert check["passed"] is None and "2029" in check["message"]
    assert "until 1 January 2029" in check["reference"]


def test_a_regime_without_the_test_applies_none(policy_loaded):
    checks = compliance.evaluate(figures("1000000.00", "100.00"), year=2026, regime="pit-2014")
    assert compliance.outcome(checks) == R.NOT_APPLICABLE
    assert share_check(checks)["passed"] is None


def test_inconsistent_figures_fail(policy_loaded):
    negative = compliance.evaluate(figures("-5.00", "-10.00"), year=2026)
    assert compliance.outcome(negative) == R.FAILED
    check = next(c for c in negative if c["key"] == "registry.compliance.non_negative")
    assert check["value"] == ["revenue", "priority_revenue"]
    above = compliance.evaluate(figures("100.00", "200.00"), year=2026)
    assert compliance.outcome(above) == R.FAILED
    assert not next(c for c in above if c["key"] == "registry.compliance.priority_within_revenue")["passed"]


def test_no_revenue_means_no_share_to_test(policy_loaded):
    checks = compliance.evaluate(figures("0", "0"), year=2026)
    assert share_check(checks)["passed"] is None
    assert compliance.outcome(checks) == R.NOT_APPLICABLE


def test_money_is_never_a_float(policy_loaded):
    with pytest.raises(TypeError):
        compliance.evaluate({"revenue": 100.0, "priority_revenue": Decimal("95")}, year=2026)


MAX_TIYN = 10**18 - 1  # the largest amount a report stores, in tiyn
revenue_and_priority = st.integers(min_value=1, max_value=MAX_TIYN).flatmap(
    lambda revenue: st.tuples(st.just(revenue), st.integers(min_value=0, max_value=revenue))
)


@hyp_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=revenue_and_priority)
@example(amounts=(1000, 900))
@example(amounts=(1000, 899))
@example(amounts=(MAX_TIYN, 9 * 10**17))
@example(amounts=(MAX_TIYN, 9 * 10**17 - 1))
def test_passed_is_exactly_a_share_of_at_least_90_percent_in_2026(policy_loaded, amounts):
    """Random amounts in tiyn with priority <= revenue; the expectation computed exactly."""
    revenue, priority = amounts
    checks = compliance.evaluate(
        {"revenue": Decimal(revenue).scaleb(-2), "priority_revenue": Decimal(priority).scaleb(-2)}, year=2026
    )
    expected = Fraction(priority, revenue) >= Fraction(9, 10)
    assert share_check(checks)["passed"] is expected
    assert (compliance.outcome(checks) == R.PASSED) is expected


def test_the_law_cases_pass(policy_loaded):
    results = lawcases.run([Path(compliance.__file__).parents[1] / "lawcases" / "compliance.yaml"])
    assert len(results) == 9
    assert all(r.passed for r in results), [r.as_json() for r in results if not r.passed]


# --- filing ----------------------------------------------------------------------------------------


def test_filing_stores_the_result_and_the_checks(people, participant, today):
    report = file(participant, people["rep"])
    assert (report.year, report.version, report.result) == (2026, 1, R.PASSED)
    assert report.revenue == Decimal("1000000.00") and report.submitted_by == people["rep"]
    report.refresh_from_db()
    assert share_check(report.checks)["value"] == "0.9500"
    event = AuditEvent.objects.get(action="registry.compliance.filed")
    assert event.changes["result"] == [None, "passed"] and event.changes["version"] == [None, 1]
    assert not Notification.objects.exists()


def test_a_correction_is_a_new_version_and_earlier_ones_stay(people, participant, today):
    first = file(participant, people["rep"], priority="850000.00")
    second = file(participant, people["rep"], priority="950000.00")
    assert (first.version, second.version) == (1, 2)
    assert ComplianceReport.objects.filter(participant=participant, year=2026).count() == 2
    assert ComplianceReport.objects.get(pk=first.pk).result == R.FAILED
    assert list(compliance.latest_reports()) == [second]
    # A failure corrected by a passing version leaves the staff queue.
    assert list(compliance.failed_reports()) == []


def test_versions_count_per_year(people, participant, today):
    today(date(2028, 3, 1))
    assert file(participant, people["rep"], year=2026).version == 1
    assert file(participant, people["rep"], year=2027).version == 1
    assert file(participant, people["rep"], year=2026).version == 2


def test_the_2029_report_is_filed_with_no_test(people, participant, today):
    today(date(2030, 3, 1))
    report = file(participant, people["rep"], year=2029, priority="100.00")
    assert report.result == R.NOT_APPLICABLE


def test_a_failure_goes_to_every_active_registrar(people, participant, today):
    second = user_with_role("registrar", "reg2", enrolled=False)
    former = user_with_role("registrar", "reg3", enrolled=False)
    revoke_role(user=former, role="registrar", reason="moved")
    admin = user_with_role("fund_admin", "boss", enrolled=False)
    report = file(participant, people["rep"], priority="850000.00")
    assert report.result == R.FAILED
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {"reg", "reg2"}
    note = Notification.objects.get(recipient=second)
    assert "does not meet the requirements" in note.subject
    assert "Only 85%" in note.body
    assert note.object_id == str(report.pk)
    assert not Notification.objects.filter(recipient__in=[former, admin, people["rep"]]).exists()
    assert list(compliance.failed_reports()) == [report]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"year": 2028}, "year"),  # the future on 1 March 2027
        ({"year": 2027}, "year"),  # the running year on 1 March 2027: it has not ended
        ({"year": 2025}, "year"),  # before the participant was registered (2026)
        ({"revenue": Decimal("-1.00"), "priority_revenue": Decimal("0")}, "revenue"),
        ({"revenue": Decimal("100.001")}, "revenue"),
        ({"rd_spend": Decimal("-0.01")}, "rd_spend"),
        ({"exports": "lots"}, "exports"),
        ({"priority_revenue": Decimal("1000000.01")}, "priority_revenue"),
        ({"staff_count": -1}, "staff_count"),
        ({"revenue": Decimal("10000000000000000.00")}, "revenue"),
    ],
)
def test_invalid_reports_are_refused_naming_the_field(people, participant, today, change, field):
    values = {
        "year": 2026,
        "revenue": Decimal("1000000.00"),
        "priority_revenue": Decimal("950000.00"),
        "staff_count": 3,
        "rd_spend": Decimal("0"),
        "exports": Decimal("0"),
    }
    with pytest.raises(ValidationError) as exc:
        compliance.file_report(participant, by=people["rep"], **(values | change))
    assert field in exc.value.error_dict
    assert not ComplianceReport.objects.exists()


def test_a_float_is_refused(people, participant, today):
    with pytest.raises(TypeError):
        file(participant, people["rep"], rd_spend=0.5)


@pytest.mark.parametrize("who", ["registrar", "stranger"])
def test_only_the_participants_representative_files(people, participant, today, who):
    with pytest.raises(PermissionDenied):
        file(participant, people[who])
    assert not ComplianceReport.objects.exists()


# --- who still owes a report, and the reminder ---------------------------------------------------


def test_reports_due(people, today):
    filed = make_participant(people["rep"], name="Filed")
    owing = make_participant(name="Owing")
    suspended = make_participant(name="Suspended")
    membership.suspend(suspended, by=people["registrar"], grounds="Check", on=date(2026, 6, 1))
    make_participant(name="Joined later", registered_on=date(2027, 2, 1))
    file(filed, people["rep"])
    assert list(compliance.reports_due(2026)) == [owing]


@pytest.fixture
def registered_source():
    reminders.register_reminder_source("registry.compliance_reports_due", compliance.report_reminders)
    yield
    reminders.unregister_reminder_source("registry.compliance_reports_due")


def test_representatives_are_reminded_the_working_day_before_the_report_date(
    people,
    today,
    registered_source,
):
    owing = make_participant(people["rep"], name="Owing")
    filed = make_participant(people["stranger"], name="Filed")
    file(filed, people["stranger"])
    due = date(2027, 4, 30)
    assert compliance.report_due_date(2026) == due
    day_before = date(2027, 4, 29)
    assert is_working_day(day_before) and add_working_days(day_before, 1) == due

    assert list(compliance.report_reminders(date(2027, 4, 28))) == []
    assert reminders.enqueue_due_reminders(day_before) == 1
    assert reminders.enqueue_due_reminders(day_before) == 0  # tick twice: once
    note = Notification.objects.get(recipient=people["rep"], key="reminder.deadline")
    assert note.object_id == str(owing.pk)
    assert "annual report for 2026" in note.body and "April 30, 2027" in note.subject
    assert not Notification.objects.filter(recipient=people["stranger"]).exists()
    # Nothing after the date, nor for the year's own report the following spring.
    assert list(compliance.report_reminders(date(2027, 5, 3))) == []


def test_a_participant_that_left_files_no_report(people, participant, today):
    from innocluster.registry.services import membership

    membership.exit_voluntarily(participant, by=people["rep"], reason="Closing", on=date(2026, 6, 1))
    with pytest.raises(ValidationError) as exc:
        file(participant, people["rep"])
    assert "year" in exc.value.error_dict
    assert not participant.compliance_reports.exists()


# --- a report only for a year that has ended --------------------------------------------------------


def test_the_running_year_is_refused_until_it_ends(people, participant, today):
    """Almaty's today decides: on 31 December 2026 the 2026 report is refused, naming ``year``;
    on 1 January 2027 it is filed."""
    today(date(2026, 12, 31))
    with pytest.raises(ValidationError) as exc:
        file(participant, people["rep"], year=2026)
    assert list(exc.value.error_dict) == ["year"]
    assert "only for a year that has ended" in exc.value.message_dict["year"][0]
    assert "1 January 2027" in exc.value.message_dict["year"][0]
    assert not ComplianceReport.objects.exists()
    today(date(2027, 1, 1))
    assert file(participant, people["rep"], year=2026).year == 2026


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 3, 2), []),  # the day of entry
        (date(2026, 12, 31), []),  # the last day of the year of entry
        (date(2027, 1, 1), [2026]),
        (date(2029, 6, 1), [2028, 2027, 2026]),
    ],
)
def test_only_ended_years_from_the_year_of_entry_are_offered(participant, on, expected):
    assert compliance.reportable_years(participant, on) == expected


def test_the_portal_offers_only_ended_years(client, people, participant, monkeypatch):
    from django.urls import reverse

    from innocluster.registry.selectors import portal as portal_selectors

    def on(day: date) -> None:
        monkeypatch.setattr(portal_selectors, "today", lambda: day)
        monkeypatch.setattr(compliance, "_today", lambda: day)

    client.force_login(people["rep"])
    url = reverse("portal:report", args=[participant.organisation_id])
    on(date(2026, 11, 20))  # in the year of entry: nothing has ended yet
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="revenue"' not in page
    assert "The first report, for 2026, can be filed from 1 January 2027." in page
    response = client.post(url, {"year": "2026", "revenue": "1", "priority_revenue": "1"})
    assert response.status_code == 303 and not ComplianceReport.objects.exists()

    on(date(2028, 2, 1))
    page = client.get(url).content.decode()
    options = re.findall(r'<option value="(\d+)"', page)
    assert options == ["2027", "2026"]
    figures = {
        "revenue": "100.00",
        "priority_revenue": "95.00",
        "staff_count": "1",
        "rd_spend": "0",
        "exports": "0",
    }
    response = client.post(url, {**figures, "year": "2028"})  # not offered: refused beside the field
    assert response.status_code == 200 and 'id="id_year_error"' in response.content.decode()
    assert client.post(url, {**figures, "year": "2027"}).status_code == 303
    assert ComplianceReport.objects.get().year == 2027
