"""The participant's project application pages: the steps through the browser, the check page's
refusals, the read-only page, withdrawal, and someone else's application as a 404 everywhere."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from innocluster.core.calendar import ALMATY
from innocluster.grants.models import ApplicationStatus, Call, ProjectApplication
from tests.factories.accounts import Person, login_with_2fa, make_people
from tests.factories.grants import application as complete_application
from tests.factories.grants import publish_now
from tests.factories.registry import TINY_PDF, registered_participant
from tests.grants.conftest import ready_call

D = Decimal
S = ApplicationStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def call(programme, people):
    return publish_now(ready_call(programme, people["pm"]), people["executive"])


@pytest.fixture
def rep(client, people):
    registered_participant(people["rep"])
    login_with_2fa(client, people["rep"])
    return people["rep"]


def formset(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def test_a_draft_is_started_filled_step_by_step_and_submitted(client, call, rep):
    index = client.get("/portal/grants/")
    assert index.status_code == 200 and "Industrial innovation 2026" in index.content.decode()
    page = client.get(reverse("grants_portal:start", args=[call.pk]))
    assert page.status_code == 200 and "may apply" in page.content.decode()
    org = rep_org(rep)
    response = client.post(
        reverse("grants_portal:start", args=[call.pk]), {"organisation": org.pk, "title": "Digital twin"}
    )
    assert response.status_code == 303
    app = ProjectApplication.objects.get()
    assert response["Location"] == reverse("grants_portal:project", args=[app.pk])
    year = dt.date.today().year + 1
    response = client.post(
        reverse("grants_portal:project", args=[app.pk]),
        {
            "title": "Digital twin",
            "summary": "A twin.",
            "starts_on": f"{year}-02-01",
            "ends_on": f"{year}-11-30",
            "requested_amount": "10000000",
            "cofinancing_amount": "3000000",
            "cofinancing_source": "own funds",
            "expected_results": "Fewer stops.",
        },
    )
    assert response.status_code == 303 and response["Location"].endswith("/plan/")
    # Leave and come back: the project step shows what was saved, the list points to the plan.
    assert "A twin." in client.get(reverse("grants_portal:project", args=[app.pk])).content.decode()
    assert reverse("grants_portal:plan", args=[app.pk]) in client.get("/portal/grants/").content.decode()
    response = client.post(
        reverse("grants_portal:plan", args=[app.pk]),
        formset(
            "milestones",
            [
                {
                    "title": "Model",
                    "starts_on": f"{year}-02-01",
                    "due_on": f"{year}-06-30",
                    "amount": "6000000",
                },
                {
                    "title": "Pilot",
                    "starts_on": f"{year}-07-01",
                    "due_on": f"{year}-11-30",
                    "amount": "4000000",
                },
                {},  # the empty row
            ],
        ),
    )
    assert response.status_code == 303
    app.refresh_from_db()
    assert app.steps_done == ["project", "plan"] and app.milestones.count() == 2
    client.post(
        reverse("grants_portal:budget", args=[app.pk]),
        formset(
            "budget",
            [{"kind": "salaries", "year": str(year), "requested": "10000000", "cofinanced": "3000000"}],
        ),
    )
    team = formset("team", [{"name": "A. Seitkali", "role": "Lead", "share": "1"}])
    team.update(formset("kpis", [{"name": "Stops", "unit": "%", "target": "10", "year": str(year)}]))
    assert client.post(reverse("grants_portal:team", args=[app.pk]), team).status_code == 303
    note = dict.fromkeys(
        ("research_state", "industrial_readiness", "prototype", "novelty", "patent_search"), "filled"
    )
    note["ip_owner"] = "The applicant"
    assert client.post(reverse("grants_portal:note", args=[app.pk]), note).status_code == 303
    for name in ("plan", "budget", "team", "note", "documents", "application"):
        assert client.get(reverse(f"grants_portal:{name}", args=[app.pk])).status_code == 200, name
    check = client.get(reverse("grants_portal:check", args=[app.pk]))
    assert "Upload the project passport." in check.content.decode()
    for code in ("passport", "business_plan"):
        upload = SimpleUploadedFile(f"{code}.pdf", TINY_PDF, content_type="application/pdf")
        response = client.post(
            reverse("grants_portal:documents", args=[app.pk]), {"code": code, "file": upload}
        )
        assert response.status_code == 303
    response = client.post(reverse("grants_portal:check", args=[app.pk]))
    assert response.status_code == 303
    app.refresh_from_db()
    assert app.status == S.SUBMITTED and app.number == "C1-0001"
    view = client.get(reverse("grants_portal:application", args=[app.pk])).content.decode()
    assert "C1-0001" in view and "Application submitted" in view
    # After submission the steps lead to the read-only page.
    assert client.get(reverse("grants_portal:note", args=[app.pk])).status_code == 303


def rep_org(user):
    from innocluster.parties.selectors import organisations_of

    return organisations_of(user).get()


def test_a_late_submission_is_refused_on_the_check_page(client, call, rep, people):
    app = complete_application(call, rep_org(rep), rep, status="draft")
    closed = dt.datetime(2026, 1, 5, 18, 0, tzinfo=ALMATY)
    Call.objects.filter(pk=call.pk).update(opens_at=closed - dt.timedelta(days=30), closes_at=closed)
    response = client.post(reverse("grants_portal:check", args=[app.pk]))
    assert response.status_code == 400
    assert "The call closed on 05.01.2026 at 18:00 (Almaty time)." in response.content.decode()
    app.refresh_from_db()
    assert app.status == S.DRAFT and app.number == ""


def test_withdrawal_from_the_page(client, call, rep):
    app = complete_application(call, rep_org(rep), rep, status="submitted", number="C1-0001")
    assert client.post(reverse("grants_portal:withdraw", args=[app.pk]), {"reason": ""}).status_code == 303
    app.refresh_from_db()
    assert app.status == S.SUBMITTED
    client.post(reverse("grants_portal:withdraw", args=[app.pk]), {"reason": "Partner left."})
    app.refresh_from_db()
    assert app.status == S.WITHDRAWN


def test_another_representatives_application_is_a_404_on_every_page(client, call, rep, people):
    stranger = make_people({"stranger": Person("participant_rep", "stranger", enrolled=False)})["stranger"]
    theirs = registered_participant(stranger).organisation
    app = complete_application(call, theirs, stranger, status="draft")
    stored = app.files.first()
    for name in ("application", "project", "plan", "budget", "team", "note", "documents", "check"):
        url = reverse(f"grants_portal:{name}", args=[app.pk])
        assert client.get(url).status_code == 404, name
        assert client.post(url, {}).status_code in (404, 405), name
    assert client.post(reverse("grants_portal:withdraw", args=[app.pk]), {"reason": "x"}).status_code == 404
    assert client.get(reverse("grants_portal:file", args=[app.pk, stored.pk])).status_code == 404
    assert "Digital twin" not in client.get("/portal/grants/").content.decode()
    # Starting for an organisation the user does not act for is refused too.
    response = client.post(
        reverse("grants_portal:start", args=[call.pk]), {"organisation": theirs.pk, "title": "X"}
    )
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.status == S.DRAFT
    # The owner downloads the file.
    client.logout()
    login_with_2fa(client, stranger)
    assert client.get(reverse("grants_portal:file", args=[app.pk, stored.pk])).status_code == 200


def test_the_staff_cannot_use_the_portal(client, call, people):
    login_with_2fa(client, people["pm"])
    assert client.get("/portal/grants/").status_code == 403


def test_the_api_lists_only_the_users_applications(client, call, rep):
    mine = complete_application(call, rep_org(rep), rep, status="submitted", number="C1-0001")
    stranger = make_people({"stranger": Person("participant_rep", "stranger", enrolled=False)})["stranger"]
    complete_application(call, registered_participant(stranger).organisation, stranger, title="Theirs")
    response = client.get("/api/v1/grants/my-applications/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["number"] == "C1-0001" and body["results"][0]["id"] == mine.pk
    assert body["results"][0]["requested_amount"] == "15000000.00"
