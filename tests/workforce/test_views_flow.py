"""The workforce pages end to end through the test client: a participant's representative
registers a specialist and files a request in three steps, the HR officer returns it for a missing
document, the employer uploads it, answers and resubmits, the HR officer checks and approves."""

import pytest
from django.test import Client
from django.urls import reverse

from innocluster.core.audit.models import AuditEvent
from innocluster.workforce.models import EngagementRequest, Specialist
from innocluster.workforce.selectors.requests import required_kinds
from tests.factories.accounts import login_with_2fa
from tests.factories.workforce import pdf

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    login_with_2fa(client, user)
    return client


SPECIALIST = {
    "surname_latin": "MUELLER",
    "given_names_latin": "ANNA MARIA",
    "full_name_cyrillic": "Мюллер Анна Мария",
    "citizenship": "DE",
    "date_of_birth": "1985-04-12",
    "passport_number": "C01X00T47",
    "passport_expiry": "2034-12-31",
    "education": "MSc Computer Science",
    "qualification": "Machine learning engineer",
    "experience_years": "12",
}
REQUEST = {
    "position": "Lead machine learning engineer",
    "occupation_code": "2512-1-002",
    "category": "specialist",
    "monthly_salary": "2500000.00",
    "contract_start": "2026-06-01",
    "contract_end": "2028-05-31",
    "justification": "No Kazakh candidate with production experience answered the vacancy.",
}


def test_the_whole_flow_through_the_pages(people, employer):
    rep, hr = client_for(people["rep"]), client_for(people["hr"])
    home = rep.get(reverse("workforce_portal:home"))
    assert home.status_code == 200 and employer.bin in home.content.decode()

    # The specialist, with the citizenship chosen by the country's name.
    form = rep.get(reverse("workforce_portal:specialist_new"))
    assert "Germany" in form.content.decode() and ">Kazakhstan<" not in form.content.decode()
    bad = rep.post(reverse("workforce_portal:specialist_new"), {**SPECIALIST, "surname_latin": "Мюллер"})
    assert bad.status_code == 422 and Specialist.objects.count() == 0
    assert "Latin" in bad.content.decode()
    done = rep.post(reverse("workforce_portal:specialist_new"), SPECIALIST)
    assert done.status_code == 303
    person = Specialist.objects.get()
    assert person.employer == employer and person.passport_number == "C01X00T47"

    # Step 1: the position and contract (a term beyond the visa's longest is refused by field).
    url = reverse("workforce_portal:request_new", args=[person.pk])
    step1 = rep.get(url)
    assert step1.status_code == 200 and "work permit" in step1.content.decode().lower()
    too_long = rep.post(url, {**REQUEST, "contract_end": "2040-05-31"})
    assert too_long.status_code == 422 and EngagementRequest.objects.count() == 0
    started = rep.post(url, REQUEST)
    found = EngagementRequest.objects.get()
    assert started.status_code == 303 and started["Location"] == reverse(
        "workforce_portal:documents", args=[found.pk]
    )

    # Step 2: every required document but the last.
    kinds = required_kinds()
    for kind in kinds[:-1]:
        uploaded = rep.post(
            reverse("workforce_portal:documents", args=[found.pk]),
            {"kind": kind.code, "file": pdf(kind.code)},
        )
        assert uploaded.status_code == 303, uploaded.content.decode()[:2000]
    # Step 3: review and submit.
    review = rep.get(reverse("workforce_portal:submit", args=[found.pk]))
    assert review.status_code == 200 and kinds[-1].name in review.content.decode()
    submitted = rep.post(reverse("workforce_portal:submit", args=[found.pk]), {})
    assert submitted.status_code == 303
    found.refresh_from_db()
    assert found.status == "submitted" and found.deadline is not None

    # The HR officer: the queue, the request with the check refused, then a return for the document.
    queue = hr.get(reverse("workforce:queue"))
    assert queue.status_code == 200 and "MUELLER" in queue.content.decode()
    page = hr.get(reverse("workforce:request", args=[found.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "C01X00T47" in text  # in full for the HR officer
    assert AuditEvent.objects.filter(action="workforce.personal_data.read", actor_id=people["hr"].pk).exists()
    refused = hr.post(reverse("workforce:request_action", args=[found.pk, "check"]), {})
    assert refused.status_code == 400 and kinds[-1].name in refused.content.decode()
    returned = hr.post(
        reverse("workforce:request_action", args=[found.pk, "return_for_revision"]),
        {
            "return_for_revision-items-TOTAL_FORMS": "3",
            "return_for_revision-items-INITIAL_FORMS": "0",
            "return_for_revision-items-0-item": kinds[-1].name,
            "return_for_revision-items-0-text": "Upload the signed offer.",
            "return_for_revision-items-1-item": "Position",
            "return_for_revision-items-1-text": "Name the team.",
            "return_for_revision-reason": "",
        },
    )
    assert returned.status_code == 303
    found.refresh_from_db()
    assert found.status == "returned" and found.deadline is None

    # The employer sees the itemised comments, uploads, answers each and resubmits.
    portal = rep.get(reverse("workforce_portal:request", args=[found.pk]))
    assert (
        "Upload the signed offer." in portal.content.decode() and "Name the team." in portal.content.decode()
    )
    rep.post(
        reverse("workforce_portal:documents", args=[found.pk]), {"kind": kinds[-1].code, "file": pdf("offer")}
    )
    items = list(found.revision_items.order_by("id"))
    resubmitted = rep.post(
        reverse("workforce_portal:submit", args=[found.pk]),
        {f"response_{items[0].pk}": "Uploaded.", f"response_{items[1].pk}": "The NLP team."},
    )
    assert resubmitted.status_code == 303
    found.refresh_from_db()
    assert found.status == "submitted"
    assert [i.response for i in found.revision_items.order_by("id")] == ["Uploaded.", "The NLP team."]

    # Check and approve.
    assert hr.post(reverse("workforce:request_action", args=[found.pk, "check"]), {}).status_code == 303
    assert hr.post(reverse("workforce:request_action", args=[found.pk, "approve"]), {}).status_code == 303
    found.refresh_from_db()
    assert found.status == "approved" and found.letters.count() == 2
    final = rep.get(reverse("workforce_portal:request", args=[found.pk]))
    assert "WF-C-" in final.content.decode()
