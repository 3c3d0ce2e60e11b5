"""The applications API: the applicant's own applications, staff queues and transitions, and who
is refused how (401 anonymous, 403 wrong role, 404 someone else's application, 409 wrong state)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from innocluster.parties.models import Individual
from innocluster.parties.services.register import create_individual, create_organisation
from innocluster.registry.models import Application, ApplicationDocument, ParticipantCategory, RevisionComment
from innocluster.registry.selectors.register import today
from innocluster.registry.services import applications, moderation
from tests.factories.accounts import login_with_2fa
from tests.factories.parties import charter
from tests.factories.registry import draft_application, organisation_fields, valid_iin

pytestmark = pytest.mark.django_db

LIST = "/api/v1/applications/"


def detail(pk):
    return f"/api/v1/applications/{pk}/"


def submit_url(pk):
    return f"/api/v1/applications/{pk}/submit/"


def transitions(pk):
    return f"/api/v1/applications/{pk}/transitions/"


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


# The people these tests act as (``people`` fixture, tests/conftest.py).
PEOPLE = ("rep", "other", "registrar", "commission", "admin", "subsoil")


def session(user, *, two_factor=False):
    client = Client()
    if two_factor:
        login_with_2fa(client, user)
    else:
        client.force_login(user)
    return client


@pytest.fixture
def rep(people):
    return session(people["rep"])


@pytest.fixture
def other(people):
    return session(people["other"])


@pytest.fixture
def registrar(people):
    return session(people["registrar"], two_factor=True)


@pytest.fixture
def commission(people):
    return session(people["commission"], two_factor=True)


@pytest.fixture
def mine(people):
    return draft_application(people["rep"])


@pytest.fixture
def theirs(people):
    return draft_application(people["other"])


@pytest.fixture
def submitted(people, mine):
    applications.submit(mine, by=people["rep"])
    mine.refresh_from_db()
    return mine


# --- who sees what ------------------------------------------------------------------------------
def test_a_representative_lists_only_their_own(rep, mine, theirs):
    response = rep.get(LIST)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert theirs.pk not in {row["id"] for row in body["results"]}


def test_another_applicants_application_is_not_found_anywhere(rep, theirs):
    assert rep.get(detail(theirs.pk)).status_code == 404
    assert post(rep, submit_url(theirs.pk)).status_code == 404
    assert post(rep, transitions(theirs.pk), {"name": "accept"}).status_code == 404
    assert rep.get(detail(999_999)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Application.Status.DRAFT


def test_staff_list_all_but_drafts_and_filter_by_status_and_overdue(people, registrar, mine, theirs):
    # Nothing is sent to the Fund until the applicant submits: drafts are not listed to staff.
    assert registrar.get(LIST).json()["count"] == 0
    applications.submit(mine, by=people["rep"])
    applications.submit(theirs, by=people["other"])
    body = registrar.get(LIST).json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [theirs.pk, mine.pk]  # newest first

    moderation.accept(theirs, by=people["registrar"])
    in_moderation = registrar.get(LIST, {"status": "moderation"}).json()
    assert [row["id"] for row in in_moderation["results"]] == [mine.pk]
    assert registrar.get(LIST, {"status": "draft"}).json()["count"] == 0
    assert registrar.get(LIST, {"overdue": "true"}).json()["count"] == 0

    Application.objects.filter(pk=mine.pk).update(moderation_due=today() - timedelta(days=1))
    overdue = registrar.get(LIST, {"overdue": "true"}).json()
    assert [row["id"] for row in overdue["results"]] == [mine.pk]
    assert overdue["results"][0]["overdue"] is True
    assert registrar.get(LIST, {"overdue": "false"}).json()["count"] == 2

    assert registrar.get(LIST, {"status": "nonsense"}).status_code == 400


def test_every_reader_of_applications_sees_all_but_drafts(people, mine, theirs):
    applications.submit(mine, by=people["rep"])
    for who in ("admin", "commission", "registrar"):
        reader = session(people[who], two_factor=True)
        body = reader.get(LIST).json()
        assert [row["id"] for row in body["results"]] == [mine.pk], who
        assert reader.get(detail(mine.pk)).status_code == 200, who
        assert reader.get(detail(theirs.pk)).status_code == 404, who
        assert post(reader, transitions(theirs.pk), {"name": "accept"}).status_code == 404, who


def test_the_applicant_still_sees_their_own_draft(other, theirs):
    assert [row["id"] for row in other.get(LIST).json()["results"]] == [theirs.pk]
    assert other.get(detail(theirs.pk)).json()["status"] == "draft"


def test_anonymous_callers_must_authenticate(mine):
    anonymous = Client()
    for response in (
        anonymous.get(LIST),
        anonymous.get(detail(mine.pk)),
        post(anonymous, LIST, {"category": "company"}),
        post(anonymous, submit_url(mine.pk)),
        post(anonymous, transitions(mine.pk), {"name": "accept"}),
    ):
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_user_with_neither_role_is_refused(people, mine):
    stranger = session(people["subsoil"])
    assert stranger.get(LIST).status_code == 403
    assert stranger.get(detail(mine.pk)).status_code == 403
    assert post(stranger, submit_url(mine.pk)).status_code == 403
    assert post(stranger, transitions(mine.pk), {"name": "accept"}).status_code == 403


def test_staff_without_a_two_factor_session_are_refused(people, mine):
    assert session(people["registrar"]).get(LIST).status_code == 403


def test_a_representative_uses_a_bearer_token(rep, mine, theirs):
    secret = post(rep, "/api/v1/auth/tokens/", {"name": "script"}).json()["secret"]
    script = Client(headers={"Authorization": f"Bearer {secret}"})
    body = script.get(LIST).json()
    assert [row["id"] for row in body["results"]] == [mine.pk]
    assert script.get(detail(theirs.pk)).status_code == 404


# --- the detail ---------------------------------------------------------------------------------
def test_detail_shows_the_application_without_personal_data(people, rep, registrar, mine):
    response = rep.get(detail(mine.pk))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "draft" and body["status_name"] == "draft"
    assert body["category"] == "company" and body["kind"] == "organisation"
    assert body["organisation"] == {"name": mine.organisation.name_en, "bin": mine.organisation.bin}
    assert body["individual"] is None
    assert body["submitted_on"] is None and body["overdue"] is False
    assert body["decision"] is None and body["register_number"] is None
    assert body["comments"] == []
    assert body["actions"] == ["submit"]
    stored = {
        (d.kind.code, d.version, d.sha256) for d in ApplicationDocument.objects.filter(application=mine)
    }
    assert {(d["kind"], d["version"], d["sha256"]) for d in body["documents"]} == stored
    assert set(body["documents"][0]) == {
        "id",
        "kind",
        "kind_name",
        "version",
        "name",
        "content_type",
        "size",
        "sha256",
        "uploaded_at",
    }
    # A draft is the applicant's until submitted: staff do not find it.
    assert registrar.get(detail(mine.pk)).status_code == 404


def test_an_individual_is_shown_by_name_without_the_iin(people, rep):
    individual = create_individual(
        by=people["rep"], iin=valid_iin(), last_name="Абаев", first_name="Ерлан", middle_name=""
    )
    application = Application.objects.create(
        applicant=people["rep"],
        individual=individual,
        category=ParticipantCategory.objects.get(code="individual"),
    )
    response = rep.get(detail(application.pk))
    assert response.json()["individual"] == {"name": "Абаев Ерлан"}
    assert Individual.objects.get().iin not in response.content.decode()


# --- starting -----------------------------------------------------------------------------------
def test_a_representative_starts_an_application_once(people, rep):
    response = post(rep, LIST, {"category": "company"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["category"] == "company"
    application = Application.objects.get()
    assert body["id"] == application.pk and application.applicant == people["rep"]

    again = post(rep, LIST, {"category": "company"})
    assert again.status_code == 422
    assert f"No. {application.pk}" in str(again.json()["errors"])
    assert Application.objects.count() == 1


def test_starting_needs_a_known_category_and_the_representative_role(registrar, rep):
    unknown = post(rep, LIST, {"category": "no-such-category"})
    assert unknown.status_code == 422 and "category" in unknown.json()["errors"]
    assert post(registrar, LIST, {"category": "company"}).status_code == 403
    assert not Application.objects.exists()


# --- submitting ---------------------------------------------------------------------------------
def test_submit_moves_the_draft_to_moderation(rep, mine):
    response = post(rep, submit_url(mine.pk))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "moderation"
    assert body["submitted_on"] == today().isoformat()
    assert body["moderation_due"] and body["total_due"]
    assert body["actions"] == []

    again = post(rep, submit_url(mine.pk))
    assert again.status_code == 409
    assert again.json()["code"] == "illegal_transition"


def test_submit_with_missing_documents_answers_422_by_field(people, rep):
    application = applications.start_application(
        by=people["rep"], category=ParticipantCategory.objects.get(code="company")
    )
    applications.save_organisation(
        application, by=people["rep"], authority_document=charter(), **organisation_fields()
    )
    applications.save_project(
        application,
        by=people["rep"],
        project_summary="A cloud platform for the Kazakh-language processing of public-service requests.",
    )
    response = post(rep, submit_url(application.pk))
    assert response.status_code == 422
    assert response.json()["code"] == "unprocessable" and "documents" in response.json()["errors"]
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_staff_cannot_submit(registrar, mine):
    assert post(registrar, submit_url(mine.pk)).status_code == 403


# --- transitions --------------------------------------------------------------------------------
def test_an_illegal_transition_answers_409(registrar, submitted):
    response = post(registrar, transitions(submitted.pk), {"name": "issue_certificate"})
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.MODERATION


def test_staff_cannot_move_a_draft_they_cannot_see(registrar, mine):
    assert post(registrar, transitions(mine.pk), {"name": "accept"}).status_code == 404
    mine.refresh_from_db()
    assert mine.status == Application.Status.DRAFT


def test_a_role_that_may_not_is_refused_403(people, rep, submitted):
    for client in (
        rep,
        session(people["admin"], two_factor=True),
        session(people["commission"], two_factor=True),
    ):
        assert post(client, transitions(submitted.pk), {"name": "accept"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.MODERATION


def test_the_registrar_accepts_for_the_commission(registrar, submitted):
    response = post(registrar, transitions(submitted.pk), {"name": "accept"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "commission" and body["commission_due"] and body["moderation_due"] is None
    assert post(registrar, transitions(submitted.pk), {"name": "nonsense"}).status_code == 400


def test_a_return_with_items_creates_comments_and_the_resubmission_answers_them(
    people, rep, registrar, submitted
):
    items = [
        {"item": "business_plan", "text": "Add the financial model."},
        {"item": "project_summary", "text": "Name the customers."},
    ]
    response = post(registrar, transitions(submitted.pk), {"name": "return_for_revision", "items": items})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "returned"
    comments = list(RevisionComment.objects.filter(application=submitted).order_by("id"))
    assert [(c.item, c.text, c.round, c.created_by) for c in comments] == [
        ("business_plan", "Add the financial model.", 1, people["registrar"]),
        ("project_summary", "Name the customers.", 1, people["registrar"]),
    ]

    seen = rep.get(detail(submitted.pk)).json()
    assert [(c["item"], c["text"], c["response"]) for c in seen["comments"]] == [
        ("business_plan", "Add the financial model.", ""),
        ("project_summary", "Name the customers.", ""),
    ]
    assert seen["actions"] == ["resubmit"]

    unanswered = post(rep, submit_url(submitted.pk), {"responses": {str(comments[0].pk): "Added."}})
    assert unanswered.status_code == 422 and "responses" in unanswered.json()["errors"]
    assert post(rep, submit_url(submitted.pk), {"responses": {"x": "?"}}).status_code == 422

    answers = {str(comments[0].pk): "Added.", str(comments[1].pk): "Ministries and akimats."}
    resubmitted = post(rep, submit_url(submitted.pk), {"responses": answers})
    assert resubmitted.status_code == 200, resubmitted.content
    body = resubmitted.json()
    assert body["status"] == "moderation"
    assert [c["response"] for c in body["comments"]] == ["Added.", "Ministries and akimats."]


def test_a_return_needs_a_comment(registrar, submitted):
    response = post(registrar, transitions(submitted.pk), {"name": "return_for_revision", "items": []})
    assert response.status_code == 422 and "reason" in response.json()["errors"]
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.MODERATION


def test_the_commission_approves_on_a_recorded_decision(people, registrar, commission, submitted):
    moderation.accept(submitted, by=people["registrar"])
    decision = {"number": "SC-7", "decided_on": "2026-11-27", "basis": "Rules of the selection commission"}
    assert post(commission, transitions(submitted.pk), {"name": "approve"}).status_code == 422
    assert (
        post(registrar, transitions(submitted.pk), {"name": "approve", "decision": decision}).status_code
        == 403
    )

    response = post(commission, transitions(submitted.pk), {"name": "approve", "decision": decision})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "approved"
    assert body["decision"] == {"number": "SC-7", "decided_on": "2026-11-27"}
    again = post(commission, transitions(submitted.pk), {"name": "approve", "decision": decision})
    assert again.status_code == 409


# --- cost ---------------------------------------------------------------------------------------
def _many_applications(applicant, count: int) -> None:
    from innocluster.parties.services.representatives import add_representative

    organisation = create_organisation(by=applicant, **organisation_fields())
    add_representative(organisation, user=applicant, role="head", by=None)
    category = ParticipantCategory.objects.get(code="company")
    Application.objects.bulk_create(
        Application(
            applicant=applicant,
            organisation=organisation,
            category=category,
            status=Application.Status.MODERATION,
            moderation_due=today() + timedelta(days=n % 5 - 2),
        )
        for n in range(count)
    )


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)
    assert response.status_code == 200, response.content
    return len(queries)


def test_the_list_costs_the_same_queries_for_3_or_20_applications(people, rep, registrar):
    _many_applications(people["rep"], 3)
    few = {"rep": _list_queries(rep), "registrar": _list_queries(registrar)}
    _many_applications(people["rep"], 17)
    assert rep.get(LIST).json()["count"] == 20
    assert {"rep": _list_queries(rep), "registrar": _list_queries(registrar)} == few


# --- schema -------------------------------------------------------------------------------------
def test_the_endpoints_are_in_the_schema(db):
    paths = Client().get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    assert set(paths["/api/v1/applications/"]) == {"get", "post"}
    assert set(paths["/api/v1/applications/{id}/"]) == {"get"}
    for path in ("/api/v1/applications/{id}/submit/", "/api/v1/applications/{id}/transitions/"):
        responses = paths[path]["post"]["responses"]
        assert {"200", "400", "401", "403", "404", "409"} <= set(responses), path
