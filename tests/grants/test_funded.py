"""The public list of funded projects, its XLSX and chart, and its API."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from innocluster.grants.models import Award
from tests.grants.reports_helpers import make_award

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def awards(programme, people):
    from tests.factories.accounts import Person, make_people

    other = make_people({"rep2": Person("participant_rep", "rep2", enrolled=False)})["rep2"]
    active = make_award(programme, people, number="AG-1", code="C1")
    terminated = make_award(programme, people, rep=other, number="AG-2", code="C2")
    active.application.project.__class__.objects.filter(pk=terminated.application.project_id).update(
        title="Terminated robot project"
    )
    Award.objects.filter(pk=terminated.pk).update(status="terminated")
    return active, terminated


def test_public_page_lists_the_award_and_not_a_terminated_one(client, awards):
    response = client.get("/grants/funded/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Digital twin of a gas processing line" in text
    assert "Terminated robot project" not in text
    assert "15,000,000.00" in text
    assert "<svg" in text  # the chart of amounts per programme


def test_filters(client, awards):
    assert "Digital twin" in client.get("/grants/funded/?programme=IND&status=active").content.decode()
    assert "Digital twin" not in client.get("/grants/funded/?status=closed").content.decode()
    assert "Digital twin" not in client.get("/grants/funded/?programme=NONE").content.decode()


def test_xlsx_has_the_rows(client, awards):
    response = client.get("/grants/funded/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and the one award not terminated
    assert rows[1][0] == "Digital twin of a gas processing line"
    assert rows[1][2] == "IND"
    assert D(str(rows[1][3])) == D("15000000.00")


def test_api_lists_the_funded_projects(client, awards):
    response = client.get("/api/v1/grants/funded/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["number"] == "AG-1" and row["programme"] == "IND" and row["amount"] == "15000000.00"
    assert row["paid"] == "0.00" and row["status"] == "active"
    assert client.get("/api/v1/grants/funded/?status=bogus").status_code == 400
