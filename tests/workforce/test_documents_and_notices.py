"""Who downloads a request's files, what the audit keeps of a specialist's changes, and who hears
of each step."""

import datetime as dt

import pytest
from django.http import Http404

from innocluster.core.audit.models import AuditEvent
from innocluster.core.notifications.models import Notification
from innocluster.workforce.services import requests, specialists
from innocluster.workforce.services.documents import document_for_download
from tests.factories.workforce import draft_request

pytestmark = pytest.mark.django_db


def test_files_are_the_employers_and_the_funds_readers_once_submitted(people, employer):
    rep, hr, other = people["rep"], people["hr"], people["other"]
    request = draft_request(employer, rep)
    document = request.documents.first()
    assert document_for_download(rep, document.pk) == document
    for user in (other, hr):  # a draft's files are the employer's alone
        with pytest.raises(Http404):
            document_for_download(user, document.pk)
    with pytest.raises(Http404):
        document_for_download(rep, "nope")
    requests.submit(request, by=rep)
    assert document_for_download(hr, document.pk, ip="127.0.0.1") == document
    assert AuditEvent.objects.filter(action="workforce.document.downloaded", actor_id=hr.pk).count() == 1
    with pytest.raises(Http404):
        document_for_download(other, document.pk)
    assert not AuditEvent.objects.filter(action="workforce.document.downloaded", actor_id=other.pk).exists()


def test_a_specialists_changes_are_audited_with_personal_data_masked(people, employer):
    rep = people["rep"]
    request = draft_request(employer, rep, specialist_fields={"passport_number": "C01234567"})
    person = request.specialist
    specialists.update_specialist(
        person, by=rep, passport_number="D76543210", passport_expiry=dt.date(2036, 1, 1), experience_years=13
    )
    event = AuditEvent.objects.filter(action="workforce.specialist.changed").get()
    assert event.changes["passport_number"] == ["C••••••67", "D••••••10"]
    assert event.changes["experience_years"] == [12, 13]
    assert "D76543210" not in str(event.changes)
    # Nothing changed: nothing recorded.
    specialists.update_specialist(person, by=rep, experience_years=13)
    assert AuditEvent.objects.filter(action="workforce.specialist.changed").count() == 1


def test_the_hr_officer_hears_of_a_submission_and_the_employer_of_the_decision(
    people, employer, django_capture_on_commit_callbacks
):
    rep, hr = people["rep"], people["hr"]
    request = draft_request(employer, rep)

    def told():
        notices = Notification.objects.filter(key="workflow.transition", object_id=str(request.pk)).order_by(
            "id"
        )
        return list(notices.values_list("recipient_id", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        requests.submit(request, by=rep)
    assert told() == [hr.pk]
    with django_capture_on_commit_callbacks(execute=True):
        requests.refuse(request, by=hr, grounds="Not needed.")
    assert told() == [hr.pk, rep.pk]
