"""Another participant never sees a specialist; passport data is shown in full (and the read
recorded) only to the HR officer and the employer's representatives, masked for the rest."""

import pytest

from innocluster.core.audit.models import AuditEvent
from innocluster.workforce.selectors.personal_data import mask_passport, personal_data
from innocluster.workforce.selectors.requests import (
    request_for,
    requests_for,
    specialist_for,
    specialists_for,
)
from tests.factories.workforce import draft_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(people, employer):
    return draft_request(employer, people["rep"], specialist_fields={"passport_number": "C01234567"})


def _reads():
    return AuditEvent.objects.filter(action="workforce.personal_data.read")


def test_another_participant_cannot_read_the_specialist(people, request_, other_employer):
    other = people["other"]
    assert specialist_for(other, request_.specialist_id) is None
    assert request_for(other, request_.pk) is None
    assert not specialists_for(other).exists() and not requests_for(other).exists()
    assert personal_data(other, request_.specialist) is None
    assert not _reads().exists()
    # Its own specialists it sees, and only those.
    mine = draft_request(other_employer, other)
    assert [s.pk for s in specialists_for(other)] == [mine.specialist_id]


def test_an_anonymous_reader_sees_nothing(request_):
    from django.contrib.auth.models import AnonymousUser

    assert request_for(AnonymousUser(), request_.pk) is None
    assert request_for(AnonymousUser(), "not a number") is None


@pytest.mark.parametrize("who", ["hr", "rep"])
def test_the_hr_officer_and_the_employer_see_it_in_full_and_the_read_is_recorded(people, request_, who):
    user = people[who]
    shown = personal_data(user, request_.specialist, where={"page": "specialist"})
    assert shown is not None and not shown.masked
    assert shown.passport_number == "C01234567" and "1985" in shown.date_of_birth
    event = _reads().get()
    assert event.actor_id == user.pk and event.object_id == str(request_.specialist_id)
    assert event.changes["fields"] == ["passport_number", "date_of_birth"]
    assert event.changes["page"] == "specialist"
    assert "C01234567" not in str(event.changes)


@pytest.mark.parametrize("who", ["auditor", "executive"])
def test_auditors_and_executives_see_it_masked_and_no_read_is_recorded(people, request_, who):
    shown = personal_data(people[who], request_.specialist)
    assert shown.masked
    assert shown.passport_number == "C••••••67" and shown.date_of_birth == "••.••.1985"
    assert not _reads().exists()
    assert request_for(people[who], request_.pk) is not None  # they read the request itself


def test_the_audit_log_never_keeps_the_passport_number(request_):
    registered = AuditEvent.objects.get(action="workforce.specialist.registered")
    assert registered.changes["passport_number"] == [None, mask_passport("C01234567")]
    assert "C01234567" not in str(AuditEvent.objects.values_list("changes", flat=True))
