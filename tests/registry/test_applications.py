"""The application workflow with the law's deadlines in Kazakh working days."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.core.decisions.services import record_decision
from innocluster.core.workflow import IllegalTransition, TransitionDenied
from innocluster.registry.models import Application, ParticipantCategory
from innocluster.registry.selectors.applications import current_comments, is_overdue
from innocluster.registry.services import applications, commission, moderation
from tests.factories.parties import charter, confirm_pending
from tests.factories.registry import (
    approved_application,
    commission_decision,
    draft_application,
    organisation_fields,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(people):
    return draft_application(people["applicant"])


def test_deadlines_across_nauryz(people, application):
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    application.refresh_from_db()
    assert application.status == "moderation"
    # Day 1 is Friday 20 March; 21-25 March are Nauryz and its carried days off.
    assert application.moderation_due == date(2026, 3, 31)
    assert application.total_due == date(2026, 4, 14)
    moderation.accept(application, by=people["registrar"], on=date(2026, 3, 30))
    application.refresh_from_db()
    # Ten working days from 30 March end on 13 April, inside the total deadline of 14 April.
    assert application.commission_due == date(2026, 4, 13)
    assert application.moderation_due is None


def test_the_commission_deadline_is_capped_by_the_total(people, application):
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    moderation.accept(application, by=people["registrar"], on=date(2026, 4, 3))
    application.refresh_from_db()
    assert application.commission_due == application.total_due == date(2026, 4, 14)


def test_a_return_stops_the_clock_and_a_resubmission_restarts_it(people, application):
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    moderation.return_for_revision(application, by=people["registrar"], reason="Business plan missing")
    application.refresh_from_db()
    assert (application.status, application.moderation_due, application.total_due) == ("returned", None, None)
    event = AuditEvent.objects.filter(action__endswith="return_for_revision").get()
    assert event.reason == "General: Business plan missing"
    [comment] = current_comments(application)
    applications.submit(
        application, by=people["applicant"], on=date(2026, 4, 6), responses={comment.pk: "Attached."}
    )
    application.refresh_from_db()
    assert application.status == "moderation"
    assert application.moderation_due == date(2026, 4, 13)
    assert application.submitted_on == date(2026, 4, 6)


def test_a_return_needs_reasons(people, application):
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    with pytest.raises(ValidationError) as exc:
        moderation.return_for_revision(application, by=people["registrar"], reason=" ")
    assert "reason" in exc.value.error_dict
    application.refresh_from_db()
    assert application.status == "moderation"


def test_wrong_role_and_wrong_applicant_are_refused_with_a_clear_message(people, application):
    with pytest.raises(TransitionDenied) as exc:
        applications.submit(application, by=people["other"], on=date(2026, 3, 19))
    assert "role does not allow" in str(exc.value)
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    with pytest.raises(TransitionDenied):
        moderation.accept(application, by=people["applicant"])
    with pytest.raises(TransitionDenied):
        moderation.accept(application, by=people["commission"])


def test_illegal_transitions_change_nothing(people, application):
    with pytest.raises(IllegalTransition):
        moderation.accept(application, by=people["registrar"])
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    with pytest.raises(IllegalTransition):
        applications.submit(application, by=people["applicant"], on=date(2026, 3, 20))  # double submit
    application.refresh_from_db()
    assert application.submitted_on == date(2026, 3, 19)


def test_the_commission_decides_on_a_decision_record(people, application):
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    moderation.accept(application, by=people["registrar"], on=date(2026, 3, 30))
    with pytest.raises(ValidationError):
        commission.decide(application, by=people["commission"], approve=True, decision=None)
    decision = record_decision(
        body="selection_commission",
        number="7",
        decided_on=date(2026, 4, 2),
        basis="Law 207-V, art. 5",
        outcome="approved",
        by=people["registrar"],
    )
    commission.decide(application, by=people["commission"], approve=True, decision=decision)
    application.refresh_from_db()
    assert application.status == "approved" and application.decision == decision
    assert application.commission_due is None


def test_overdue(people, application):
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    application.refresh_from_db()
    assert not is_overdue(application, today=date(2026, 3, 31))
    assert is_overdue(application, today=date(2026, 4, 1))


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


def test_every_illegal_transition_is_refused_and_changes_nothing(people, application):
    from innocluster.core.workflow import execute
    from innocluster.registry.workflow import APPLICATION_WORKFLOW

    actor_for = {
        "registry.application.submit": people["applicant"],
        "registry.application.moderate": people["registrar"],
        "registry.application.register": people["registrar"],
        "registry.application.decide": people["commission"],
    }
    checked = 0
    for transition in APPLICATION_WORKFLOW.transitions:
        for state in Application.Status.values:
            if transition.allowed_from(state):
                continue
            Application.objects.filter(pk=application.pk).update(status=state)
            with pytest.raises(IllegalTransition):
                execute(
                    APPLICATION_WORKFLOW,
                    application,
                    transition.name,
                    by=actor_for[transition.action],
                    reason="x",
                )
            assert Application.objects.get(pk=application.pk).status == state
            checked += 1
    assert checked == len(APPLICATION_WORKFLOW.transitions) * len(Application.Status.values) - sum(
        len(t.sources) for t in APPLICATION_WORKFLOW.transitions
    )


def test_a_draft_cannot_be_submitted_incomplete_and_says_what_is_missing(people):
    application = applications.start_application(
        by=people["applicant"], category=ParticipantCategory.objects.get(code="company")
    )
    applications.save_organisation(
        application, by=people["applicant"], authority_document=charter(), **organisation_fields()
    )
    confirm_pending(people["applicant"], application.organisation_id)
    with pytest.raises(ValidationError) as exc:
        applications.submit(application, by=people["applicant"])
    assert set(exc.value.error_dict) == {
        "project_summary",
        "project_starts_on",
        "project_ends_on",
        "measures",
        "budget",
        "priority_activities",
        "documents",
    }
    assert "Business plan" in str(exc.value.error_dict["documents"])
    application.refresh_from_db()
    assert application.status == "draft" and application.submitted_on is None


def test_one_application_in_progress_per_applicant(people, application):
    before = Application.objects.count()
    with pytest.raises(ValidationError, match=f"No. {application.pk}"):
        applications.start_application(by=people["applicant"], category=application.category)
    assert Application.objects.count() == before


def test_the_form_remembers_the_last_step_completed(people):
    application = applications.start_application(
        by=people["applicant"], category=ParticipantCategory.objects.get(code="company")
    )
    assert application.step == 1
    applications.save_organisation(
        application, by=people["applicant"], authority_document=charter(), **organisation_fields()
    )
    assert Application.objects.get(pk=application.pk).step == 2
    with pytest.raises(ValidationError):
        applications.save_project(application, by=people["applicant"], project_summary="too short")
    assert Application.objects.get(pk=application.pk).step == 2


def test_a_stranger_cannot_attach_a_known_organisation_by_its_bin(people, application):
    other = applications.start_application(by=people["other"], category=application.category)
    fields = organisation_fields(bin=application.organisation.bin)
    with pytest.raises(ValidationError) as exc:
        applications.save_organisation(other, by=people["other"], authority_document=charter(), **fields)
    assert "bin" in exc.value.error_dict
    other.refresh_from_db()
    assert other.organisation is None


def test_the_applicant_claims_to_be_head_and_a_bad_bin_is_refused(people):
    from innocluster.parties.models import AuthorityClaim, Organisation, Representative

    application = applications.start_application(
        by=people["applicant"], category=ParticipantCategory.objects.get(code="company")
    )
    with pytest.raises(ValidationError) as exc:
        applications.save_organisation(
            application, by=people["applicant"], **organisation_fields(bin="123456789012")
        )
    assert "bin" in exc.value.error_dict
    assert not Organisation.objects.filter(bin="123456789012").exists()
    # Without the document that shows the authority nothing is written.
    with pytest.raises(ValidationError) as exc:
        applications.save_organisation(application, by=people["applicant"], **organisation_fields())
    assert "authority_document" in exc.value.error_dict
    assert not Organisation.objects.exists()
    organisation = applications.save_organisation(
        application, by=people["applicant"], authority_document=charter(), **organisation_fields()
    )
    claim = AuthorityClaim.objects.get(organisation=organisation)
    assert (claim.user, claim.role, claim.status) == (people["applicant"], "head", "pending")
    assert not Representative.objects.filter(organisation=organisation).exists()
    confirm_pending(people["applicant"], organisation.pk)
    assert Representative.objects.get(organisation=organisation).role == "head"


def test_a_return_has_itemised_comments_and_a_resubmission_answers_each(people, application):
    from innocluster.registry.models import RevisionComment

    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    moderation.return_for_revision(
        application,
        by=people["registrar"],
        items=[
            ("Business plan", "Add the three-year financial model."),
            ("Address", "Use the legal address."),
        ],
    )
    comments = current_comments(application)
    assert [c.item for c in comments] == ["Business plan", "Address"] and {c.round for c in comments} == {1}
    with pytest.raises(ValidationError) as exc:
        applications.submit(application, by=people["applicant"], responses={comments[0].pk: "Added."})
    assert "Address" in str(exc.value.error_dict["responses"])
    application.refresh_from_db()
    assert application.status == "returned"
    applications.submit(
        application,
        by=people["applicant"],
        on=date(2026, 4, 6),
        responses={comments[0].pk: "Added on page 12.", comments[1].pk: "Corrected."},
    )
    assert list(RevisionComment.objects.order_by("id").values_list("response", flat=True)) == [
        "Added on page 12.",
        "Corrected.",
    ]
    moderation.return_for_revision(application, by=people["registrar"], items=[("Charter", "Unsigned copy.")])
    assert [c.round for c in current_comments(application)] == [2]


def test_a_batch_decision_is_one_record_for_all_or_nothing(people):
    from innocluster.core.decisions.models import Decision

    a = draft_application(people["applicant"])
    b = draft_application(people["other"])
    for application in (a, b):
        applications.submit(application, by=application.applicant, on=date(2026, 4, 1))
        moderation.accept(application, by=people["registrar"], on=date(2026, 4, 2))
    # b is pulled back to moderation: the batch must fail as a whole and leave no record.
    Application.objects.filter(pk=b.pk).update(status="moderation")
    with pytest.raises(IllegalTransition):
        commission.decide_batch([a, b], **commission_decision(people["commission"], number="B-1"))
    assert not Decision.objects.filter(number="B-1").exists()
    assert Application.objects.get(pk=a.pk).status == "commission"
    Application.objects.filter(pk=b.pk).update(status="commission")
    decided = commission.decide_batch([a, b], **commission_decision(people["commission"], number="B-2"))
    decision = Decision.objects.get(number="B-2")
    assert decision.meeting_reference == "Minutes No. 4"
    assert {x.decision_id for x in decided} == {decision.pk} and {x.status for x in decided} == {"approved"}
    with pytest.raises(ValidationError):
        commission.decide_batch([], **commission_decision(people["commission"]))


def test_a_rejection_needs_reasons(people):
    a = draft_application(people["applicant"])
    applications.submit(a, by=people["applicant"], on=date(2026, 4, 1))
    moderation.accept(a, by=people["registrar"], on=date(2026, 4, 2))
    fields = commission_decision(people["commission"], approve=False) | {"reason": " "}
    with pytest.raises(ValidationError):
        commission.decide_batch([a], **fields)
    assert Application.objects.get(pk=a.pk).status == "commission"


def test_agreement_then_certificate_registers_the_member(people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from innocluster.registry.models import Participant
    from tests.factories.registry import TINY_PDF

    application = approved_application(people["applicant"], people["registrar"], people["commission"])
    with pytest.raises(IllegalTransition):
        moderation.issue_certificate(application, by=people["registrar"])
    with pytest.raises(PermissionDenied):
        applications.sign_agreement(
            application, by=people["other"], uploaded_file=SimpleUploadedFile("a.pdf", TINY_PDF)
        )
    applications.sign_agreement(
        application, by=people["applicant"], uploaded_file=SimpleUploadedFile("a.pdf", TINY_PDF)
    )
    application.refresh_from_db()
    assert application.status == "agreement_signed"
    signed = application.documents.get(kind__code="signed_agreement")
    assert len(signed.sha256) == 64
    with pytest.raises(PermissionDenied):
        moderation.issue_certificate(application, by=people["commission"])
    moderation.issue_certificate(application, by=people["registrar"], on=date(2026, 4, 20))
    application.refresh_from_db()
    participant = Participant.objects.get(organisation=application.organisation)
    assert application.status == "registered" and application.participant == participant
    assert participant.number == "2026-00001" and participant.history.get().decision == application.decision


def test_assignment_is_audited_and_limited_to_handlers(people, application):
    moderation.assign(application, to=people["registrar"], by=people["registrar"])
    assert Application.objects.get(pk=application.pk).assignee == people["registrar"]
    assert AuditEvent.objects.filter(action="registry.application.assigned").count() == 1
    with pytest.raises(ValidationError):
        moderation.assign(application, to=people["other"], by=people["registrar"])
    with pytest.raises(PermissionDenied):
        moderation.assign(application, to=None, by=people["applicant"])


def test_each_step_tells_the_applicant_and_whoever_acts_next_with_their_own_link(
    people, application, django_capture_on_commit_callbacks
):
    from innocluster.core.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    sent = {n.recipient.username: n.url for n in Notification.objects.exclude(key="parties.claim.decided")}
    assert sent == {
        "acme": f"/portal/applications/{application.pk}/",
        "reg": f"/staff/registry/applications/{application.pk}/",
    }
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.accept(application, by=people["registrar"], on=date(2026, 3, 23))
    assert {n.recipient.username for n in Notification.objects.all()} == {"acme", "com"}
    assert "with the selection commission" in Notification.objects.get(recipient=people["applicant"]).subject
