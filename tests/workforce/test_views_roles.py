"""The workforce pages by role: the HR officer (everything, personal data in full and audited),
the employer's representative (its own only), another participant's representative (404 on
anything not its own), an auditor (staff pages, masked, no actions), anonymous (to the login);
an excluded employer told plainly; notices linking to the right page; constant query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innocluster.core.audit.models import AuditEvent
from innocluster.core.notifications.models import Notification
from innocluster.registry.models import Participant
from innocluster.registry.services import membership
from innocluster.workforce.models import EngagementRequest
from tests.factories.workforce import active_request, draft_request, specialist, submitted_request
from tests.workforce.test_views_flow import REQUEST, client_for

pytestmark = pytest.mark.django_db


def _pages_of(found):
    document = found.documents.first()
    return {
        "portal": [
            reverse("workforce_portal:request", args=[found.pk]),
            reverse("workforce_portal:details", args=[found.pk]),
            reverse("workforce_portal:documents", args=[found.pk]),
            reverse("workforce_portal:submit", args=[found.pk]),
            reverse("workforce_portal:specialist", args=[found.specialist_id]),
            reverse("workforce_portal:request_new", args=[found.specialist_id]),
            reverse("workforce_portal:document", args=[document.pk]),
        ],
        "staff": [
            reverse("workforce:request", args=[found.pk]),
            reverse("workforce:document", args=[document.pk]),
        ],
    }


def test_another_participant_finds_nothing(people, employer, other_employer):
    found = submitted_request(employer, people["rep"])
    other = client_for(people["other"])
    for url in _pages_of(found)["portal"]:
        assert other.get(url).status_code == 404, url
    refused = other.post(reverse("workforce_portal:submit", args=[found.pk]), {})
    assert refused.status_code == 404
    for url in _pages_of(found)["staff"]:
        assert other.get(url).status_code == 403, url
    home = other.get(reverse("workforce_portal:home")).content.decode()
    assert found.specialist.surname_latin not in home
    # Its own pages answer.
    own = client_for(people["rep"])
    for url in _pages_of(found)["portal"][:1]:
        assert own.get(url).status_code == 200


def test_the_auditor_reads_masked_and_cannot_act(people, employer):
    found = submitted_request(employer, people["rep"])
    auditor = client_for(people["auditor"])
    page = auditor.get(reverse("workforce:request", args=[found.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert found.specialist.passport_number not in text and "•" in text
    assert not AuditEvent.objects.filter(
        action="workforce.personal_data.read", actor_id=people["auditor"].pk
    ).exists()
    assert 'action="/staff/workforce/requests/' not in text  # no action forms
    refused = auditor.post(reverse("workforce:request_action", args=[found.pk, "check"]), {})
    assert refused.status_code == 403
    found.refresh_from_db()
    assert found.status == "submitted"
    assert auditor.get(reverse("workforce_portal:home")).status_code == 403


def test_the_hr_officer_reads_in_full_and_the_read_is_recorded(people, employer):
    found = submitted_request(employer, people["rep"])
    hr = client_for(people["hr"])
    before = AuditEvent.objects.filter(action="workforce.personal_data.read").count()
    text = hr.get(reverse("workforce:request", args=[found.pk])).content.decode()
    assert found.specialist.passport_number in text
    assert AuditEvent.objects.filter(action="workforce.personal_data.read").count() == before + 1
    # A draft stays the employer's.
    draft = draft_request(employer, people["rep"])
    assert hr.get(reverse("workforce:request", args=[draft.pk])).status_code == 404


def test_anonymous_goes_to_the_login(people, employer):
    from django.test import Client

    found = submitted_request(employer, people["rep"])
    anonymous = Client()
    for url in [reverse("workforce:queue"), reverse("workforce_portal:home"), *_pages_of(found)["portal"]]:
        response = anonymous.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_staff_forms_show_the_refusals_by_field(people, employer):
    found = submitted_request(employer, people["rep"])
    hr = client_for(people["hr"])
    url = reverse("workforce:request_action", args=[found.pk, "refuse"])
    blank = hr.post(url, {"refuse-grounds": ""})
    assert blank.status_code == 400
    found.refresh_from_db()
    assert found.status == "submitted"
    empty_return = hr.post(
        reverse("workforce:request_action", args=[found.pk, "return_for_revision"]),
        {"return_for_revision-items-TOTAL_FORMS": "1", "return_for_revision-items-INITIAL_FORMS": "0"},
    )
    assert empty_return.status_code == 400 and "at least one comment" in empty_return.content.decode()
    assert hr.post(reverse("workforce:request_action", args=[found.pk, "nonsense"]), {}).status_code == 404
    done = hr.post(url, {"refuse-grounds": "The position needs no foreign specialist."})
    assert done.status_code == 303
    found.refresh_from_db()
    assert found.status == "refused" and found.grounds.startswith("The position")
    # A stale page: the state no longer allows it; said plainly, nothing changes.
    stale = hr.post(reverse("workforce:request_action", args=[found.pk, "check"]), {}, follow=True)
    assert stale.status_code == 200 and "refused" in stale.content.decode()


def test_activate_extend_and_end_from_the_staff_page(people, employer):
    found = submitted_request(employer, people["rep"])
    from innocluster.workforce.services import requests

    requests.check(found, by=people["hr"])
    requests.approve(found, by=people["hr"])
    hr = client_for(people["hr"])
    action = lambda name: reverse("workforce:request_action", args=[found.pk, name])  # noqa: E731
    assert hr.post(action("activate"), {"activate-visa_valid_until": "2028-05-31"}).status_code == 303
    early = hr.post(action("extend"), {"extend-new_contract_end": "2027-01-01", "extend-reason": "More work"})
    assert early.status_code == 400 and "later than the current" in early.content.decode()
    extended = hr.post(
        action("extend"), {"extend-new_contract_end": "2029-05-31", "extend-reason": "Project extended"}
    )
    assert extended.status_code == 303
    other = hr.post(action("end"), {"end-end_reason": "other", "end-reason": ""})
    assert other.status_code == 400
    assert hr.post(action("end"), {"end-end_reason": "departure"}).status_code == 303
    found.refresh_from_db()
    assert found.status == "ended" and found.contract_end == dt.date(2029, 5, 31)


def test_a_suspended_employer_is_told_plainly_and_flagged(people, employer):
    found = active_request(employer, people["rep"], people["hr"])
    membership.suspend(
        Participant.objects.get(organisation=employer), by=people["registrar"], grounds="No annual report."
    )
    rep = client_for(people["rep"])
    home = rep.get(reverse("workforce_portal:home")).content.decode()
    assert "cannot file new requests" in home and "Register a specialist" not in home
    refused = rep.post(reverse("workforce_portal:request_new", args=[found.specialist_id]), REQUEST)
    assert refused.status_code == 422 and "cannot engage foreign specialists" in refused.content.decode()
    queue = client_for(people["hr"]).get(reverse("workforce:queue")).content.decode()
    assert reverse("workforce:request", args=[found.pk]) in queue.split("flagged-heading")[-1]


def test_notices_link_to_the_portal_and_to_the_staff_page(
    people, employer, django_capture_on_commit_callbacks
):
    draft = draft_request(employer, people["rep"])
    rep = client_for(people["rep"])
    with django_capture_on_commit_callbacks(execute=True):
        rep.post(reverse("workforce_portal:submit", args=[draft.pk]), {})
    to_hr = Notification.objects.filter(recipient=people["hr"]).latest("id")
    assert reverse("workforce:request", args=[draft.pk]) in to_hr.url
    hr = client_for(people["hr"])
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(reverse("workforce:request_action", args=[draft.pk, "refuse"]), {"refuse-grounds": "No."})
    to_rep = Notification.objects.filter(recipient=people["rep"]).latest("id")
    assert reverse("workforce_portal:request", args=[draft.pk]) in to_rep.url


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_queue_and_the_portal_list_take_the_same_queries_for_3_and_30_rows(people, employer):
    def grow(n):
        while EngagementRequest.objects.count() < n:
            person = specialist(employer, people["rep"])
            from innocluster.workforce.services import requests as services

            row = services.start_request(by=people["rep"], specialist=person, **REQUEST)
            EngagementRequest.objects.filter(pk=row.pk).update(
                status="submitted", deadline=dt.date(2026, 5, 20) if n % 2 else dt.date(2026, 4, 1)
            )

    hr, rep = client_for(people["hr"]), client_for(people["rep"])
    grow(3)
    few = (_queries(hr, reverse("workforce:queue")), _queries(rep, reverse("workforce_portal:home")))
    grow(30)
    many = (_queries(hr, reverse("workforce:queue")), _queries(rep, reverse("workforce_portal:home")))
    assert few == many
