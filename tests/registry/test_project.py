"""The application's project (Law 207-V art. 1: measures carried out within a defined period):
the table's invariants, the service's refusals by row and field, the submission's refusal for each
missing piece, what staff and the applicant see, and that nobody sees another applicant's project
(portal and API)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from innocluster.core.audit.models import AuditEvent
from innocluster.registry.models import Application, ProjectBudgetLine, ProjectMeasure
from innocluster.registry.selectors.project import project_of
from innocluster.registry.services import applications
from tests.factories.accounts import login_with_2fa
from tests.factories.registry import draft_application, project_fields

pytestmark = pytest.mark.django_db

PEOPLE = ("rep", "other", "registrar")


@pytest.fixture
def mine(people):
    return draft_application(people["rep"])


@pytest.fixture
def theirs(people):
    return draft_application(people["other"])


def client_of(user, *, two_factor=False) -> Client:
    client = Client()
    if two_factor:
        login_with_2fa(client, user)
    else:
        client.force_login(user)
    return client


def measure(**overrides) -> dict:
    row = {
        "title": "Corpus",
        "starts_on": date(2026, 3, 1),
        "ends_on": date(2026, 6, 30),
        "expected_result": "A corpus",
    }
    return row | overrides


# --- the tables ----------------------------------------------------------------------------------


def test_the_database_refuses_a_project_ending_before_it_starts(mine):
    Application.objects.filter(pk=mine.pk).update(project_starts_on=date(2026, 1, 1), project_ends_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=mine.pk).update(project_ends_on=date(2026, 1, 1))


def test_the_database_refuses_a_negative_amount_and_a_measure_ending_before_it_starts(mine):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectBudgetLine.objects.create(
            application=mine, position=99, item="x", year=2026, amount=Decimal("-0.01")
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectMeasure.objects.create(
            application=mine,
            position=99,
            title="x",
            starts_on=date(2026, 5, 2),
            ends_on=date(2026, 5, 1),
            expected_result="x",
        )


def test_the_budget_total_is_an_exact_decimal_by_year(mine):
    project = project_of(mine)
    assert [(y.year, y.total) for y in project.budget] == [
        (2026, Decimal("60500000.50")),
        (2027, Decimal("52000000.00")),
    ]
    assert project.total == mine.budget_total == Decimal("112500000.50")
    assert isinstance(project.total, Decimal)
    assert [a.oked for a in project.activities] == ["62", "63"]
    assert [m.position for m in project.measures] == [1, 2]


# --- the service ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"project_ends_on": date(2026, 3, 1)}, "project_ends_on", "end after"),
        ({"measures": [measure(), measure(ends_on=date(2028, 1, 1))]}, "measures.1.ends_on", "Measure 2"),
        ({"measures": [measure(starts_on=date(2026, 2, 1))]}, "measures.0.starts_on", "starts before"),
        ({"measures": [measure(ends_on=date(2026, 2, 28))]}, "measures.0.ends_on", "ends before it starts"),
        ({"measures": [measure(title=" ")]}, "measures.0.title", "name the measure"),
        ({"measures": [measure(expected_result="")]}, "measures.0.expected_result", "result"),
        ({"budget": [{"item": "GPU", "year": 2026, "amount": Decimal("-1")}]}, "budget.0.amount", "negative"),
        ({"budget": [{"item": "GPU", "year": 2026, "amount": "1.005"}]}, "budget.0.amount", "two decimal"),
        ({"budget": [{"item": "GPU", "year": 2029, "amount": "1"}]}, "budget.0.year", "outside"),
        ({"budget": [{"item": "", "year": 2026, "amount": "1"}]}, "budget.0.item", "Budget line 1"),
        ({"priority_activities": ["62", "99.99"]}, "priority_activities", "99.99"),
        ({"project_summary": "short"}, "project_summary", "50 characters"),
    ],
)
def test_a_refused_project_names_the_row_and_field_and_saves_nothing(people, mine, change, field, words):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        applications.save_project(mine, by=people["rep"], **(project_fields() | change))
    assert field in exc.value.message_dict, exc.value.message_dict
    assert words in " ".join(exc.value.message_dict[field])
    mine.refresh_from_db()
    assert mine.project_ends_on == date(2027, 12, 31) and mine.measures.count() == 2
    assert mine.budget_lines.count() == 3 and AuditEvent.objects.count() == events


def test_a_budget_amount_is_never_a_float(people, mine):
    with pytest.raises(TypeError):
        applications.save_project(mine, by=people["rep"], budget=[{"item": "x", "year": 2026, "amount": 1.5}])


def test_a_shorter_period_rechecks_the_stored_measures(people, mine):
    with pytest.raises(ValidationError) as exc:
        applications.save_project(mine, by=people["rep"], project_ends_on=date(2026, 12, 31))
    assert "measures.1.ends_on" in exc.value.message_dict
    assert "budget.2.year" in exc.value.message_dict


def test_saving_replaces_the_rows_and_audits_the_change(people, mine):
    applications.save_project(
        mine,
        by=people["rep"],
        measures=[measure(title="Only one")],
        budget=[{"item": "Salaries", "year": "2027", "amount": "10.50"}],
        priority_activities=["72"],
    )
    assert [m.title for m in mine.measures.all()] == ["Only one"]
    assert mine.budget_total == Decimal("10.50")
    assert list(mine.priority_activities.values_list("oked", flat=True)) == ["72"]
    event = AuditEvent.objects.filter(action="registry.application.changed").latest("id")
    assert set(event.changes) == {"measures", "budget", "priority_activities"}
    assert event.changes["priority_activities"] == [["62", "63"], ["72"]]


def test_a_submitted_project_can_no_longer_be_changed(people, mine):
    applications.submit(mine, by=people["rep"])
    with pytest.raises(ValidationError):
        applications.save_project(mine, by=people["rep"], priority_activities=["72"])
    assert sorted(mine.priority_activities.values_list("oked", flat=True)) == ["62", "63"]


@pytest.mark.parametrize(
    ("strip", "field"),
    [
        ({"project_starts_on": None}, "project_starts_on"),
        ({"project_ends_on": None}, "project_ends_on"),
        ({"measures": []}, "measures"),
        ({"budget": []}, "budget"),
        ({"priority_activities": []}, "priority_activities"),
    ],
)
def test_submission_is_refused_for_each_missing_piece(people, mine, strip, field):
    applications.save_project(mine, by=people["rep"], **(project_fields() | strip))
    with pytest.raises(ValidationError) as exc:
        applications.submit(mine, by=people["rep"])
    assert set(exc.value.message_dict) == {field}
    mine.refresh_from_db()
    assert mine.status == Application.Status.DRAFT


def test_a_complete_project_is_submitted(people, mine):
    applications.submit(mine, by=people["rep"])
    mine.refresh_from_db()
    assert mine.status == Application.Status.MODERATION


# --- who sees it ---------------------------------------------------------------------------------


def test_staff_see_the_project_with_the_budget_by_year(people, mine):
    applications.submit(mine, by=people["rep"])
    page = client_of(people["registrar"], two_factor=True).get(
        reverse("registry_staff:application", args=[mine.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "Qazaq NLP" in html and "Classifier and routing service in production" in html
    assert "Total for 2026" in html and "Total for 2027" in html
    assert "Computer programming" in html and "<code>63</code>" in html


def test_a_participant_sees_only_their_own_project_in_the_portal(people, mine, theirs):
    applications.submit(mine, by=people["rep"])
    applications.submit(theirs, by=people["other"])
    rep = client_of(people["rep"])
    html = rep.get(reverse("portal:application", args=[mine.pk])).content.decode()
    assert "Annotated corpus of Kazakh public-service requests" in html
    assert rep.get(reverse("portal:application", args=[theirs.pk])).status_code == 404
    assert rep.get(reverse("portal:step", args=[theirs.pk, "project"])).status_code == 404


def project_url(pk: int) -> str:
    return f"/api/v1/applications/{pk}/project/"


def test_the_api_reads_the_project_with_the_application(people, mine):
    body = client_of(people["rep"]).get(f"/api/v1/applications/{mine.pk}/").json()
    project = body["project"]
    assert project["budget_total"] == "112500000.50"
    assert project["budget_by_year"] == [
        {"year": 2026, "total": "60500000.50"},
        {"year": 2027, "total": "52000000.00"},
    ]
    assert [a["oked"] for a in project["priority_activities"]] == ["62", "63"]
    assert project["measures"][1]["position"] == 2 and project["starts_on"] == "2026-03-01"


def test_the_api_keeps_another_applicants_project_private(people, mine, theirs):
    rep = client_of(people["rep"])
    assert rep.get(project_url(theirs.pk)).status_code == 404
    response = rep.patch(
        project_url(theirs.pk), {"priority_activities": ["72"]}, content_type="application/json"
    )
    assert response.status_code == 404
    assert rep.get(f"/api/v1/applications/{theirs.pk}/").status_code == 404
    assert sorted(theirs.priority_activities.values_list("oked", flat=True)) == ["62", "63"]


def test_the_api_writes_the_project_and_names_the_refused_row(people, mine):
    rep = client_of(people["rep"])
    response = rep.patch(
        project_url(mine.pk),
        {
            "ends_on": "2026-12-31",
            "measures": [{**measure(), "starts_on": "2026-03-01", "ends_on": "2026-06-30"}],
        },
        content_type="application/json",
    )
    # The stored budget has a 2027 line, outside the shorter period: refused, nothing saved.
    assert response.status_code == 422, response.content
    assert "budget.2.year" in response.json()["errors"]
    response = rep.patch(
        project_url(mine.pk),
        {
            "ends_on": "2026-12-31",
            "measures": [{**measure(), "starts_on": "2026-03-01", "ends_on": "2026-06-30"}],
            "budget": [{"item": "Salaries", "year": 2026, "amount": "100.10"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["budget_total"] == "100.10"
    mine.refresh_from_db()
    assert mine.project_ends_on == date(2026, 12, 31) and mine.measures.count() == 1


def test_the_api_starts_a_draft_with_its_project_or_not_at_all(people):
    rep = client_of(people["rep"])
    fields = project_fields()
    body = {
        "category": "company",
        "project": {
            "title": fields["project_title"],
            "summary": fields["project_summary"],
            "starts_on": "2026-03-01",
            "ends_on": "2026-02-01",
            "priority_activities": ["62"],
        },
    }
    response = rep.post("/api/v1/applications/", body, content_type="application/json")
    assert response.status_code == 422 and "project.ends_on" in response.json()["errors"]
    assert not Application.objects.filter(applicant=people["rep"]).exists()
    body["project"]["ends_on"] = "2027-02-01"
    response = rep.post("/api/v1/applications/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["project"]["priority_activities"][0]["oked"] == "62"
