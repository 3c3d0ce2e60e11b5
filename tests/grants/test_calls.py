"""Programmes and calls: the services' rules, each refusal naming its field."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.grants.models import Call, CallStatus
from innocluster.grants.services import calls
from tests.grants.conftest import ready_call, window

D = Decimal
pytestmark = pytest.mark.django_db


def refused(call_, field: str) -> str:
    with pytest.raises(ValidationError) as caught:
        call_()
    assert field in caught.value.message_dict, caught.value.message_dict
    return " ".join(caught.value.message_dict[field])


def test_programme_owns_a_budget_line_of_its_own(programme, people):
    from innocluster.grants.services.programmes import create_programme

    assert programme.budget_line.code == "IND"
    assert programme.budget_line.kind == "programme"
    assert AuditEvent.objects.filter(action="grants.programme.created").count() == 1
    message = refused(
        lambda: create_programme(
            code="IND", kind="grant", title_en="Again", fund_source="levy", by=people["pm"]
        ),
        "code",
    )
    assert "already exists" in message
    with pytest.raises(PermissionDenied):
        create_programme(code="X", kind="grant", title_en="X", fund_source="levy", by=people["auditor"])


def test_a_complete_draft_is_submitted_and_another_manager_publishes_it(programme, people):
    call = ready_call(programme, people["pm"])
    calls.submit_call(call, by=people["pm"])
    call.refresh_from_db()
    assert call.status == CallStatus.SUBMITTED and call.submitted_by == people["pm"]
    calls.approve_call(call, by=people["pm2"])
    call.refresh_from_db()
    assert call.status == CallStatus.PUBLISHED and call.approved_by == people["pm2"]
    assert call.is_open() and call.phase == "open"
    assert AuditEvent.objects.filter(action="grants.call.approved", object_id=str(call.pk)).exists()


def test_a_fund_executive_may_approve_too(programme, people):
    call = ready_call(programme, people["pm"])
    calls.submit_call(call, by=people["pm"])
    calls.approve_call(call, by=people["executive"])
    assert Call.objects.get(pk=call.pk).status == CallStatus.PUBLISHED


def test_the_submitter_or_creator_cannot_approve(programme, people):
    call = ready_call(programme, people["pm"])
    calls.submit_call(call, by=people["pm"])
    message = refused(lambda: calls.approve_call(call, by=people["pm"]), "approved_by")
    assert "second person" in message
    assert Call.objects.get(pk=call.pk).status == CallStatus.SUBMITTED

    # Drafted by one manager, submitted by another: neither approves.
    other = ready_call(programme, people["pm"], code="C2", budget=D("1000000.00"), max_amount=D("500000.00"))
    calls.submit_call(other, by=people["pm2"])
    refused(lambda: calls.approve_call(other, by=people["pm"]), "approved_by")
    refused(lambda: calls.approve_call(other, by=people["pm2"]), "approved_by")
    calls.approve_call(other, by=people["executive"])


def test_an_auditor_cannot_approve(programme, people):
    call = ready_call(programme, people["pm"])
    calls.submit_call(call, by=people["pm"])
    with pytest.raises(PermissionDenied):
        calls.approve_call(call, by=people["auditor"])


def test_weights_not_summing_to_100_are_refused_on_criteria(programme, people):
    call = ready_call(programme, people["pm"])
    calls.set_criteria(
        call, [{"code": "novelty", "title_en": "Novelty", "weight": "60", "scale_max": 10}], by=people["pm"]
    )
    message = refused(lambda: calls.submit_call(call, by=people["pm"]), "criteria")
    assert "60" in message and "100" in message
    assert Call.objects.get(pk=call.pk).status == CallStatus.DRAFT


def test_no_criterion_is_refused(programme, people):
    call = ready_call(programme, people["pm"])
    calls.set_criteria(call, [], by=people["pm"])
    message = refused(lambda: calls.submit_call(call, by=people["pm"]), "criteria")
    assert "at least one" in message


def test_no_required_document_is_refused(programme, people):
    call = ready_call(programme, people["pm"])
    calls.set_documents(call, [{"code": "x", "title_en": "Optional", "required": False}], by=people["pm"])
    refused(lambda: calls.submit_call(call, by=people["pm"]), "documents")


def test_a_window_in_the_past_is_refused(programme, people):
    opens, closes = window(-40, 30)
    call = ready_call(programme, people["pm"], opens_at=opens, closes_at=closes)
    message = refused(lambda: calls.submit_call(call, by=people["pm"]), "closes_at")
    assert "past" in message


def test_a_window_closing_before_it_opens_is_refused(programme, people):
    opens, closes = window(5, 30)
    call = ready_call(programme, people["pm"], opens_at=closes, closes_at=opens)
    refused(lambda: calls.submit_call(call, by=people["pm"]), "closes_at")


def test_a_budget_above_the_programmes_available_budget_is_refused(programme, people):
    call = ready_call(programme, people["pm"], budget=D("600000000.00"))
    message = refused(lambda: calls.submit_call(call, by=people["pm"]), "budget")
    assert "500" in message  # what is available is said
    # Calls already waiting or published hold their budget: two of 300 million do not fit in 500.
    first = ready_call(programme, people["pm"], code="C2", budget=D("300000000.00"))
    calls.submit_call(first, by=people["pm"])
    second = ready_call(programme, people["pm"], code="C3", budget=D("300000000.00"))
    refused(lambda: calls.submit_call(second, by=people["pm"]), "budget")


def test_a_budget_of_another_year_or_source_is_not_available(programme, people):
    from django.utils import timezone

    call = ready_call(programme, people["pm"], year=timezone.now().year + 1)
    refused(lambda: calls.submit_call(call, by=people["pm"]), "budget")


def test_largest_award_above_the_budget_and_no_category_are_refused(programme, people):
    call = ready_call(programme, people["pm"], max_amount=D("200000000.00"), eligible_categories=[])
    with pytest.raises(ValidationError) as caught:
        calls.submit_call(call, by=people["pm"])
    assert {"max_amount", "eligible_categories"} <= set(caught.value.message_dict)


def test_field_checks_name_their_field(programme, people):
    refused(lambda: ready_call(programme, people["pm"], cofinancing_share=D("1.5")), "cofinancing_share")
    refused(
        lambda: ready_call(programme, people["pm"], eligible_categories=["nobody"]), "eligible_categories"
    )
    ready_call(programme, people["pm"])
    refused(lambda: ready_call(programme, people["pm"]), "code")
    call = Call.objects.get()
    refused(
        lambda: calls.add_criterion(call, by=people["pm"], code="x", title_en="X", weight="10", scale_max=0),
        "scale_max",
    )


def test_edits_after_submission_are_refused(programme, people):
    call = ready_call(programme, people["pm"])
    calls.submit_call(call, by=people["pm"])
    refused(lambda: calls.update_call(call, by=people["pm"], title_en="Changed"), "status")
    refused(lambda: calls.add_document(call, by=people["pm"], code="more", title_en="More"), "status")
    refused(lambda: calls.set_criteria(call, [], by=people["pm"]), "status")
    call.refresh_from_db()
    assert call.title_en == "Industrial innovation 2026"
    assert call.criteria.count() == 3 and call.documents.count() == 2


def test_the_approver_returns_the_call_to_draft_with_a_reason(programme, people):
    call = ready_call(programme, people["pm"])
    calls.submit_call(call, by=people["pm"])
    refused(lambda: calls.return_call(call, by=people["pm2"], reason="  "), "reason")
    calls.return_call(call, by=people["pm2"], reason="Lower the largest award to 15 million")
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT
    assert call.returned_reason == "Lower the largest award to 15 million"
    # A draft again: it changes and goes back for approval.
    calls.update_call(call, by=people["pm"], max_amount=D("15000000.00"))
    calls.submit_call(call, by=people["pm"])
    assert Call.objects.get(pk=call.pk).returned_reason == ""


def test_a_published_call_is_withdrawn_with_a_reason(programme, people):
    call = ready_call(programme, people["pm"])
    refused(lambda: calls.withdraw_call(call, by=people["pm2"], reason="x"), "status")
    calls.submit_call(call, by=people["pm"])
    calls.approve_call(call, by=people["pm2"])
    calls.withdraw_call(call, by=people["executive"], reason="The programme is suspended")
    call.refresh_from_db()
    assert call.status == CallStatus.WITHDRAWN and not call.is_open()


def test_a_past_call_is_replayed_at_its_dates_and_refused_at_the_present(programme, people):
    """``now`` lets a loader of past calls publish one whose window is over; without it, the same
    call is refused because its window closed; an application is started only inside the window
    at the given instant."""
    import datetime as dt

    from django.core.exceptions import ValidationError as Refused

    from innocluster.grants.services import application_steps
    from tests.factories.registry import registered_participant

    past = ready_call(programme, people["pm"], code="PAST", days_from_now=-100)  # closed 70 days ago
    with pytest.raises(Refused) as caught:
        calls.submit_call(past, by=people["pm"])
    assert "closes_at" in caught.value.message_dict
    before = past.opens_at - dt.timedelta(days=2)
    calls.submit_call(past, by=people["pm"], now=before)
    published = calls.approve_call(past, by=people["pm2"], now=before)
    assert published.status == "published" and published.approved_at == before
    organisation = registered_participant(people["rep"]).organisation
    with pytest.raises(Refused) as caught:
        application_steps.start_application(published, organisation, by=people["rep"], title="Late")
    assert "call" in caught.value.message_dict
    inside = published.opens_at + dt.timedelta(days=1)
    draft = application_steps.start_application(
        published, organisation, by=people["rep"], title="In time", now=inside
    )
    assert draft.status == "draft"
