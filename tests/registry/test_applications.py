"""The application workflow with the law's deadlines in Kazakh working days."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.core.decisions.services import record_decision
from innocluster.core.workflow import IllegalTransition, TransitionDenied
from innocluster.registry import applications
from innocluster.registry.models import Activity, Application, ParticipantCategory, Region
from innocluster.registry.services import create_organisation, load_reference_data
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(policy_loaded):
    load_reference_data()
    return {
        "applicant": user_with_role("participant_rep", "acme", enrolled=False),
        "other": user_with_role("participant_rep", "other", enrolled=False),
        "registrar": user_with_role("registrar", "reg"),
        "commission": user_with_role("commission_member", "com"),
    }


@pytest.fixture
def application(people):
    from innocluster.core.identifiers import bin_check_digit

    prefix = "15024" + "0" + "00042"
    organisation = create_organisation(
        bin=prefix + str(bin_check_digit(prefix)),
        name_kk="«Тест» ЖШС",
        name_ru="ТОО «Тест»",
        legal_form="LLP",
        region=Region.objects.first(),
        activity=Activity.objects.get(oked="62"),
    )
    return Application.objects.create(
        applicant=people["applicant"],
        organisation=organisation,
        category=ParticipantCategory.objects.get(code="company"),
    )


def test_deadlines_across_nauryz(people, application):
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    application.refresh_from_db()
    assert application.status == "moderation"
    # Day 1 is Friday 20 March; 21-25 March are Nauryz and its carried days off.
    assert application.moderation_due == date(2026, 3, 31)
    assert application.total_due == date(2026, 4, 14)
    applications.accept(application, by=people["registrar"], on=date(2026, 3, 30))
    application.refresh_from_db()
    # Ten working days from 30 March end on 13 April, inside the total deadline of 14 April.
    assert application.commission_due == date(2026, 4, 13)
    assert application.moderation_due is None


def test_the_commission_deadline_is_capped_by_the_total(people, application):
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    applications.accept(application, by=people["registrar"], on=date(2026, 4, 3))
    application.refresh_from_db()
    assert application.commission_due == application.total_due == date(2026, 4, 14)


def test_a_return_stops_the_clock_and_a_resubmission_restarts_it(people, application):
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    applications.return_for_revision(application, by=people["registrar"], reason="Business plan missing")
    application.refresh_from_db()
    assert (application.status, application.moderation_due, application.total_due) == ("returned", None, None)
    event = AuditEvent.objects.filter(action__endswith="return_for_revision").get()
    assert event.reason == "Business plan missing"
    applications.submit(application, by=people["applicant"], on=date(2026, 4, 6))
    application.refresh_from_db()
    assert application.status == "moderation"
    assert application.moderation_due == date(2026, 4, 13)
    assert application.submitted_on == date(2026, 4, 6)


def test_a_return_needs_reasons(people, application):
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    with pytest.raises(ValidationError) as exc:
        applications.return_for_revision(application, by=people["registrar"], reason=" ")
    assert "reason" in exc.value.error_dict
    application.refresh_from_db()
    assert application.status == "moderation"


def test_wrong_role_and_wrong_applicant_are_refused_with_a_clear_message(people, application):
    with pytest.raises(TransitionDenied) as exc:
        applications.submit(application, by=people["other"], on=date(2026, 3, 19))
    assert "role does not allow" in str(exc.value)
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    with pytest.raises(TransitionDenied):
        applications.accept(application, by=people["applicant"])
    with pytest.raises(TransitionDenied):
        applications.accept(application, by=people["commission"])


def test_illegal_transitions_change_nothing(people, application):
    with pytest.raises(IllegalTransition):
        applications.accept(application, by=people["registrar"])
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    with pytest.raises(IllegalTransition):
        applications.submit(application, by=people["applicant"], on=date(2026, 3, 20))  # double submit
    application.refresh_from_db()
    assert application.submitted_on == date(2026, 3, 19)


def test_the_commission_decides_on_a_decision_record(people, application):
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    applications.accept(application, by=people["registrar"], on=date(2026, 3, 30))
    with pytest.raises(ValidationError):
        applications.decide(application, by=people["commission"], approve=True, decision=None)
    decision = record_decision(
        body="selection_commission",
        number="7",
        decided_on=date(2026, 4, 2),
        basis="Law 207-V, art. 5",
        outcome="approved",
        by=people["registrar"],
    )
    applications.decide(application, by=people["commission"], approve=True, decision=decision)
    application.refresh_from_db()
    assert application.status == "approved" and application.decision == decision
    assert application.commission_due is None


def test_overdue(people, application):
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    application.refresh_from_db()
    assert not applications.is_overdue(application, today=date(2026, 3, 31))
    assert applications.is_overdue(application, today=date(2026, 4, 1))


def test_tick_reminds_registrars_of_a_due_and_then_an_overdue_moderation_once_each(people, application):
    from innocluster.core.notifications.models import Notification
    from innocluster.core.notifications.reminders import enqueue_due_reminders

    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))  # due 31 March
    assert enqueue_due_reminders(today=date(2026, 3, 26)) == 0  # 27 March is not yet the day before
    assert enqueue_due_reminders(today=date(2026, 3, 30)) == 1  # the working day before
    assert enqueue_due_reminders(today=date(2026, 3, 30)) == 0  # a second tick the same day: nothing
    assert enqueue_due_reminders(today=date(2026, 4, 1)) == 1  # overdue
    notes = Notification.objects.filter(recipient=people["registrar"]).order_by("id")
    assert notes.count() == 2 and all(n.key == "reminder.deadline" for n in notes)
    assert not Notification.objects.filter(recipient=people["commission"]).exists()
