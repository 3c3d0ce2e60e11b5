"""The request's workflow end to end, its refusals (state, role, missing documents), the
dispatcher every interface calls, and the letters issued on approval."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.core.workflow import IllegalTransition, TransitionDenied, UnknownTransition
from innocluster.workforce.errors import CheckFailed
from innocluster.workforce.models import EngagementRequest, Extension, Letter, RevisionItem
from innocluster.workforce.services import requests
from innocluster.workforce.workflow import WORKFLOW
from tests.factories.workforce import draft_request, pdf, submitted_request

S = EngagementRequest.Status
pytestmark = pytest.mark.django_db


def test_the_whole_life_of_a_request(people, employer):
    rep, hr = people["rep"], people["hr"]
    request = draft_request(employer, rep, documents_missing=("cv_experience",))
    assert request.status == S.DRAFT and request.filed_by == rep

    requests.submit(request, by=rep, on=dt.date(2026, 4, 6))
    request.refresh_from_db()
    assert request.status == S.SUBMITTED and request.deadline == dt.date(2026, 4, 13)

    # The check names what is missing and changes nothing.
    with pytest.raises(CheckFailed, match="missing documents: CV with proof of work experience"):
        requests.check(request, by=hr)
    request.refresh_from_db()
    assert request.status == S.SUBMITTED

    requests.return_for_revision(
        request, by=hr, items=[("cv_experience", "Attach the CV with the references.")]
    )
    request.refresh_from_db()
    assert request.status == S.RETURNED and request.deadline is None and request.round == 1
    item = RevisionItem.objects.get(request=request)
    assert (item.round, item.item) == (1, "cv_experience")

    from innocluster.workforce.services.documents import upload_document

    upload_document(request, "cv_experience", pdf("cv"), by=rep)
    requests.resubmit(request, by=rep, on=dt.date(2026, 4, 8), responses={str(item.pk): "CV attached."})
    request.refresh_from_db()
    item.refresh_from_db()
    assert request.status == S.SUBMITTED and request.deadline == dt.date(2026, 4, 15)
    assert item.response == "CV attached."

    requests.check(request, by=hr, on=dt.date(2026, 4, 9))
    requests.approve(request, by=hr, on=dt.date(2026, 4, 10))
    request.refresh_from_db()
    assert request.status == S.APPROVED and request.decided_by == hr
    letters = {letter.kind: letter for letter in Letter.objects.filter(request=request)}
    assert letters["confirmation"].number == "WF-C-2026-00001"
    assert letters["visa_support"].number == "WF-V-2026-00001"
    assert len({letter.verification_code for letter in letters.values()}) == 2

    requests.activate(request, by=hr, visa_valid_until=dt.date(2028, 5, 31))
    request.refresh_from_db()
    assert request.status == S.ACTIVE and request.visa_valid_until == dt.date(2028, 5, 31)

    requests.extend(request, by=hr, new_contract_end=dt.date(2029, 5, 31), reason="The project was extended.")
    request.refresh_from_db()
    assert request.status == S.ACTIVE and request.contract_end == dt.date(2029, 5, 31)
    extension = Extension.objects.get(request=request)
    assert (extension.previous_contract_end, extension.new_contract_end) == (
        dt.date(2028, 5, 31),
        dt.date(2029, 5, 31),
    )

    requests.end(request, by=hr, end_reason="departure")
    request.refresh_from_db()
    assert request.status == S.ENDED and request.end_reason == "departure" and request.ended_on is not None

    actions = list(
        AuditEvent.objects.filter(
            object_id=str(request.pk), action__startswith="workforce.engagementrequest."
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert [a.rsplit(".", 1)[1] for a in actions] == [
        "submit", "return_for_revision", "resubmit", "check", "approve", "activate", "extend", "end",
    ]  # fmt: skip


def test_the_dispatcher_performs_the_same_commands_and_refuses_plainly(people, employer):
    rep, hr = people["rep"], people["hr"]
    request = draft_request(employer, rep)
    WORKFLOW.perform(request, "submit", by=rep)
    WORKFLOW.perform(request, "check", by=hr)
    with pytest.raises(ValidationError) as refused:
        WORKFLOW.perform(request, "refuse", by=hr, grounds="  ")
    assert "grounds" in refused.value.message_dict
    with pytest.raises(UnknownTransition):
        WORKFLOW.perform(request, "promote", by=hr)
    WORKFLOW.perform(request, "refuse", by=hr, grounds="The position needs no foreign specialist.")
    request.refresh_from_db()
    assert request.status == S.REFUSED and request.grounds == "The position needs no foreign specialist."
    assert request.decided_at is not None


def test_illegal_transitions_are_refused_and_change_nothing(people, employer):
    rep, hr = people["rep"], people["hr"]
    request = draft_request(employer, rep)
    with pytest.raises(IllegalTransition):
        requests.approve(request, by=hr)
    with pytest.raises(IllegalTransition):
        requests.resubmit(request, by=rep)
    requests.submit(request, by=rep)
    with pytest.raises(IllegalTransition):
        requests.submit(request, by=rep)
    with pytest.raises(IllegalTransition):
        requests.approve(request, by=hr)  # not checked yet
    with pytest.raises(IllegalTransition):
        requests.activate(request, by=hr)
    with pytest.raises(IllegalTransition):
        requests.end(request, by=hr, end_reason="departure")
    request.refresh_from_db()
    assert request.status == S.SUBMITTED
    assert not Letter.objects.exists()


def test_who_may_do_what(people, employer, other_employer):
    rep, hr, other, auditor = people["rep"], people["hr"], people["other"], people["auditor"]
    request = draft_request(employer, rep)
    with pytest.raises(TransitionDenied):
        requests.submit(request, by=other)  # another participant's representative
    with pytest.raises(TransitionDenied):
        requests.submit(request, by=hr)  # the HR officer files for the Fund only
    requests.submit(request, by=rep)
    for user in (rep, other, auditor):
        with pytest.raises(TransitionDenied):
            requests.check(request, by=user)
        with pytest.raises(TransitionDenied):
            requests.refuse(request, by=user, grounds="no")
    with pytest.raises(PermissionDenied):
        requests.update_request(request, by=other, position="Another")
    # The employer cannot file for someone else's specialist, nor enter one for another employer.
    from tests.factories.workforce import specialist

    with pytest.raises(PermissionDenied):
        specialist(other_employer, rep)
    with pytest.raises(PermissionDenied):
        requests.start_request(by=other, specialist=request.specialist, **_fields())


def _fields():
    from tests.factories.workforce import RequestFieldsFactory

    return RequestFieldsFactory()


def test_the_hr_officer_files_for_the_fund_and_a_representative_cannot(people, fund):
    hr, rep = people["hr"], people["rep"]
    request = draft_request(fund, hr)
    requests.submit(request, by=hr)
    requests.check(request, by=hr)
    assert request.status == S.CHECKED
    from tests.factories.workforce import specialist

    with pytest.raises(PermissionDenied):
        specialist(fund, rep)


def test_a_return_needs_a_comment_and_a_refusal_grounds(people, employer):
    rep, hr = people["rep"], people["hr"]
    request = submitted_request(employer, rep)
    with pytest.raises(ValidationError) as refused:
        requests.return_for_revision(request, by=hr, items=[("x", "  ")])
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        requests.refuse(request, by=hr, grounds="")
    assert "grounds" in refused.value.message_dict
    requests.return_for_revision(request, by=hr, reason="Unreadable passport copy.")
    assert RevisionItem.objects.get(request=request).text == "Unreadable passport copy."


def test_documents_only_while_the_employer_may_change_the_request(people, employer):
    from innocluster.workforce.services.documents import upload_document

    rep = people["rep"]
    request = submitted_request(employer, rep)
    with pytest.raises(ValidationError) as refused:
        upload_document(request, "other", pdf("late"), by=rep)
    assert "file" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        upload_document(draft_request(employer, rep), "no_such_kind", pdf("x"), by=rep)
    assert "kind" in refused.value.message_dict


def test_extension_and_end_are_checked(people, employer):
    from tests.factories.workforce import active_request

    rep, hr = people["rep"], people["hr"]
    request = active_request(employer, rep, hr)
    with pytest.raises(ValidationError) as refused:
        requests.extend(request, by=hr, new_contract_end=dt.date(2027, 1, 1), reason="shorter")
    assert "new_contract_end" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        requests.extend(request, by=hr, new_contract_end=dt.date(2031, 6, 1), reason="too long")
    assert "new_contract_end" in refused.value.message_dict  # over five years from 1 June 2026
    with pytest.raises(ValidationError) as refused:
        requests.end(request, by=hr, end_reason="whim")
    assert "end_reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        requests.end(request, by=hr, end_reason="other")
    assert "reason" in refused.value.message_dict
    assert not Extension.objects.exists()
    request.refresh_from_db()
    assert request.status == S.ACTIVE


def test_answers_to_a_return_name_its_comments(people, employer):
    rep, hr = people["rep"], people["hr"]
    request = submitted_request(employer, rep)
    requests.return_for_revision(request, by=hr, reason="Blurred passport copy.")
    with pytest.raises(ValidationError) as refused:
        requests.resubmit(request, by=rep, responses={"the first": "Done."})
    assert "responses" in refused.value.message_dict
    request.refresh_from_db()
    assert request.status == S.RETURNED and request.deadline is None
