"""The staff's list and detail of project applications, the XLSX export, the intake forms and the API."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from innocluster.grants.models import ExpertAssignment
from tests.factories.accounts import Person, login_with_2fa, make_people
from tests.factories.grants import application, publish_now
from tests.factories.registry import registered_participant
from tests.grants.conftest import ready_call

D = Decimal
pytestmark = pytest.mark.django_db
LIST = "/staff/grants/applications/"


def signed_in(client, user):
    login_with_2fa(client, user)
    return client


@pytest.fixture
def call(programme, people):
    return publish_now(ready_call(programme, people["pm"], code="LST"), people["pm2"])


@pytest.fixture
def participant(people):
    return registered_participant(people["rep"])


@pytest.fixture
def outsiders(people):
    return make_people(
        {
            "expert": Person("expert", "expert1"),
            "subsoil": Person("subsoil_rep", "subsoil", enrolled=False),
        }
    )


def _many(call, participant, people, n, *, spread_days: bool = False):
    """``n`` submitted applications with one submitted review each; with ``spread_days``, submitted
    one a day back from now (so a page holds many submission dates)."""
    import datetime as dt

    from django.utils import timezone

    apps = []
    for i in range(n):
        app = application(call, participant.organisation, people["rep"], participant=participant,
                          title=f"Project {i:03d}", requested=D("1000000.00") + i)  # fmt: skip
        ExpertAssignment.objects.create(
            application=app, expert=people["executive"], assigned_by=people["pm"], status="submitted",
            total=D("70.00") + i,
        )  # fmt: skip
        if spread_days:
            app.submitted_at = timezone.now() - dt.timedelta(days=i)
            app.save(update_fields=["submitted_at"])
        apps.append(app)
    return apps


@pytest.mark.parametrize("n", [3, 30])
def test_list_and_detail_queries_are_constant(
    client, call, participant, people, n, django_assert_max_num_queries
):
    apps = _many(call, participant, people, n, spread_days=True)
    signed_in(client, people["pm"])
    with django_assert_max_num_queries(10):
        response = client.get(LIST, {"programme": call.programme_id, "sort": "-amount"})
    assert response.status_code == 200
    assert response.content.decode().count('<td class="number">1</td>') == n  # every row, one expert each
    with django_assert_max_num_queries(15):
        response = client.get(reverse("grants_applications:detail", args=[apps[-1].pk]))
    assert response.status_code == 200


def test_list_due_dates_follow_the_formula(call, participant, people):
    from innocluster.grants import rules
    from innocluster.grants.selectors import applications as selectors

    _many(call, participant, people, 12, spread_days=True)
    rows = selectors.with_intake_due(selectors.staff_applications())
    assert len({r.submitted_at.date() for r in rows}) > 5
    for row in rows:
        assert row.intake_due == rules.intake_due(submitted_on=selectors.submitted_on(row))


def test_list_shows_the_columns_and_counts(client, call, participant, people):
    (app,) = _many(call, participant, people, 1)
    text = signed_in(client, people["auditor"]).get(LIST).content.decode()
    assert app.number in text and "Project 000" in text
    assert "1,000,000.00\xa0₸" in text
    assert "70.00" in text  # the average score
    assert participant.organisation.bin in text


def test_filters_work(client, call, participant, people, programme):
    other_call = publish_now(ready_call(programme, people["pm"], code="OTH"), people["pm2"])
    a = application(
        call, participant.organisation, people["rep"], participant=participant, title="Alpha twin"
    )
    b = application(other_call, participant.organisation, people["rep"], participant=participant, title="Beta twin",
                    status="expertise")  # fmt: skip
    signed_in(client, people["pm"])

    def titles(**params):
        text = client.get(LIST, params).content.decode()
        return {t for t in ("Alpha twin", "Beta twin") if t in text}

    assert titles() == {"Alpha twin", "Beta twin"}
    assert titles(call=call.pk) == {"Alpha twin"}
    assert titles(status="expertise") == {"Beta twin"}
    assert titles(q=participant.organisation.bin) == {"Alpha twin", "Beta twin"}
    assert titles(q="no such company") == set()
    assert titles(q=b.number) == {"Beta twin"}
    today = a.submitted_at.date()
    assert titles(submitted_from=(today.replace(year=today.year + 1)).isoformat()) == set()
    assert titles(submitted_to=(today.replace(year=today.year - 1)).isoformat()) == set()


def test_xlsx_has_the_rows(client, call, participant, people):
    from openpyxl import load_workbook

    apps = _many(call, participant, people, 3)
    response = signed_in(client, people["pm"]).get(LIST, {"format": "xlsx", "sort": "number"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4
    assert [r[0] for r in rows[1:]] == [a.number for a in apps]
    assert rows[1][5] == 1000000.0


def test_detail_shows_the_project_and_the_intake_forms(client, call, participant, people):
    (app,) = _many(call, participant, people, 1)
    text = (
        signed_in(client, people["pm"])
        .get(reverse("grants_applications:detail", args=[app.pk]))
        .content.decode()
    )
    assert "Model and data pipeline" in text and "Pilot on the line" in text
    assert "A. Seitkali" in text and "Unplanned stops avoided" in text
    assert "business_plan.pdf" in text
    assert reverse("grants_applications:accept", args=[app.pk]) in text
    type(app).objects.filter(pk=app.pk).update(status="expertise")
    text = client.get(reverse("grants_applications:detail", args=[app.pk])).content.decode()
    assert "70.00" in text  # the expert's weighted score, for staff
    assert reverse("grants_applications:accept", args=[app.pk]) not in text


def test_detail_of_the_auditor_has_no_intake_forms(client, call, participant, people):
    (app,) = _many(call, participant, people, 1)
    text = (
        signed_in(client, people["auditor"])
        .get(reverse("grants_applications:detail", args=[app.pk]))
        .content.decode()
    )
    assert reverse("grants_applications:accept", args=[app.pk]) not in text


def test_file_download(client, call, participant, people):
    (app,) = _many(call, participant, people, 1)
    stored = app.files.get(code="business_plan")
    response = signed_in(client, people["auditor"]).get(
        reverse("grants_applications:file", args=[app.pk, stored.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("grants_applications:file", args=[app.pk + 1000, stored.pk])).status_code == 404


def test_draft_is_not_found(client, call, participant, people):
    app = application(call, participant.organisation, people["rep"], participant=participant, status="draft")
    response = signed_in(client, people["pm"]).get(reverse("grants_applications:detail", args=[app.pk]))
    assert response.status_code == 404


def test_intake_through_the_page(client, call, participant, people):
    app = application(call, participant.organisation, people["rep"], participant=participant)
    signed_in(client, people["pm"])
    url = reverse("grants_applications:return", args=[app.pk])
    empty = {"return-reason": "", "return-items-TOTAL_FORMS": "1", "return-items-INITIAL_FORMS": "0",
             "return-items-0-item": "", "return-items-0-text": ""}  # fmt: skip
    assert client.post(url, empty).status_code == 400
    app.refresh_from_db()
    assert app.status == "submitted"
    refused = client.post(reverse("grants_applications:refuse", args=[app.pk]), {"refuse-reason": ""})
    assert refused.status_code == 400
    filled = {**empty, "return-items-0-item": "budget", "return-items-0-text": "Split by year."}
    response = client.post(url, filled)
    assert response.status_code == 303
    app.refresh_from_db()
    assert app.status == "returned" and app.intake_comments.count() == 1


def test_accept_through_the_page(client, call, participant, people):
    app = application(call, participant.organisation, people["rep"], participant=participant)
    response = signed_in(client, people["pm"]).post(reverse("grants_applications:accept", args=[app.pk]))
    assert response.status_code == 303
    app.refresh_from_db()
    assert app.status == "expertise"


def test_auditor_may_not_check_intake(client, call, participant, people):
    app = application(call, participant.organisation, people["rep"], participant=participant)
    response = signed_in(client, people["auditor"]).post(reverse("grants_applications:accept", args=[app.pk]))
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.status == "submitted"


@pytest.mark.parametrize("who", ["rep", "expert", "subsoil"])
def test_non_staff_get_403(client, call, participant, people, outsiders, who):
    app = application(call, participant.organisation, people["rep"], participant=participant)
    user = people.get(who) or outsiders[who]
    signed_in(client, user)
    for url in (
        LIST,
        reverse("grants_applications:detail", args=[app.pk]),
        reverse("grants_applications:file", args=[app.pk, app.files.first().pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.get("/api/v1/grants/applications/").status_code == 403


def test_api_lists_for_staff(client, call, participant, people, programme):
    other_call = publish_now(ready_call(programme, people["pm"], code="API"), people["pm2"])
    a = application(call, participant.organisation, people["rep"], participant=participant)
    application(
        other_call, participant.organisation, people["rep"], participant=participant, status="expertise"
    )
    application(call, participant.organisation, people["rep"], participant=participant, status="draft")
    signed_in(client, people["auditor"])
    body = client.get("/api/v1/grants/applications/").json()
    assert body["count"] == 2
    body = client.get("/api/v1/grants/applications/", {"call": call.pk}).json()
    assert [r["number"] for r in body["results"]] == [a.number]
    assert body["results"][0]["intake_due"] is not None
    body = client.get("/api/v1/grants/applications/", {"status": "expertise"}).json()
    assert body["count"] == 1 and body["results"][0]["intake_due"] is None
    assert client.get("/api/v1/grants/applications/", {"status": "nonsense"}).status_code == 400
    client.logout()
    assert client.get("/api/v1/grants/applications/").status_code in (401, 403)


def test_a_resubmitted_application_awaiting_intake_stays_within_the_detail_limit(
    client, call, participant, people, django_assert_max_num_queries
):
    """The heaviest detail page before the commission: a return's comments, the intake due date
    of the resubmission and the register entry, all within the page's 15 queries."""
    from innocluster.grants.models import IntakeComment
    from innocluster.grants.services import intake
    from innocluster.grants.services.applications import submit_application

    (app,) = _many(call, participant, people, 1)
    intake.return_for_revision(app, by=people["pm"], items=[("budget", "Split the equipment by year.")])
    comment = IntakeComment.objects.get(application=app)
    submit_application(app, by=people["rep"], responses={comment.pk: "Split by year."})
    signed_in(client, people["pm"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("grants_applications:detail", args=[app.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Split the equipment by year." in text and "Split by year." in text
