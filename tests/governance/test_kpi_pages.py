"""The strategy's pages: the strategy with its approval basis, the KPI dashboard (table, charts,
XLSX) and the control dashboard, read by staff and the members of the bodies (403 for a
participant's representative); a figure whose module is missing reads "not available"."""

import io

import openpyxl
import pytest
from django.urls import reverse

from innocluster.core.policy import values as policy
from innocluster.governance import selectors
from innocluster.governance.services import strategy as s
from tests.factories.accounts import Person
from tests.governance.conftest import board_decision, drafted_strategy
from tests.workforce.test_views_flow import client_for

pytestmark = pytest.mark.django_db

PEOPLE = {
    "secretary": Person("corporate_secretary", "secretary"),
    "trustee": Person("trustee", "trustee"),
    "auditor": Person("auditor", "auditor"),
    "rep": "rep",
}
PAGES = ("governance:strategy", "governance:kpi", "governance:control")


@pytest.fixture
def approved(people):
    by = people["secretary"]
    _strategy, version, goal, _kpi = drafted_strategy(by)
    patents = s.add_kpi(
        goal, title_en="Patents filed", title_ru="Поданные патентные заявки", unit="count", by=by
    )
    s.set_target(patents, year=policy.today().year, value=10, by=by)
    s.record_manual_value(patents, year=policy.today().year, value=4, source="Kazpatent letter", by=by)
    return s.approve_version(version, decision=board_decision(by, number="ПС-7"), by=by)


def test_staff_the_auditor_and_a_trustee_read_the_pages_a_representative_does_not(people, approved, client):
    for who in ("secretary", "trustee", "auditor"):
        browser = client_for(people[who])
        for name in PAGES:
            assert browser.get(reverse(name)).status_code == 200, (who, name)
    rep = client_for(people["rep"])
    for name in PAGES:
        assert rep.get(reverse(name)).status_code == 403
        assert client.get(reverse(name)).status_code == 302


def test_the_strategy_page_shows_versions_kpis_targets_and_the_boards_decision(people, approved):
    page = client_for(people["secretary"]).get(reverse("governance:strategy"))
    text = page.content.decode()
    assert "Development strategy" in text and "Version 1" in text
    assert "Participants in the register" in text and "Patents filed" in text and "entered by hand" in text
    assert "ПС-7" in text and "Board of Trustees" in text and "item 31" in text  # the approval basis
    assert reverse("decisions:detail", args=[approved.decision.pk]) in text  # staff may open it
    for year in range(2025, 2030):
        assert f">{year}</th>" in text


def test_the_kpi_dashboard_shows_target_actual_status_and_a_chart(people, approved):
    year = policy.today().year
    page = client_for(people["trustee"]).get(reverse("governance:kpi"), {"year": year})
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [r.kpi.title_en for r in rows] == ["Participants in the register", "Patents filed"]
    patents = rows[1]
    assert (
        patents.result.actual == 4
        and patents.result.target == 10
        and patents.source_label == "entered by hand"
    )
    assert page.context["charts"] and page.context["charts"][0][1].startswith("data:image/svg+xml;base64,")
    text = page.content.decode()
    assert "ПС-7" in text and "Targets approved by the Board of Trustees" in text
    assert patents.status_label in {"behind", "on track"} and patents.status_label in text


def test_the_kpi_dashboard_without_an_approved_version_says_so(people, approved):
    page = client_for(people["secretary"]).get(reverse("governance:kpi"), {"year": 2031})
    assert page.status_code == 200 and page.context["rows"] == []
    assert "No approved version of a development strategy covers 2031" in page.content.decode()
    assert client_for(people["secretary"]).get(reverse("governance:kpi"), {"year": "20x"}).status_code == 400
    assert (
        client_for(people["secretary"]).get(reverse("governance:kpi"), {"version": "999"}).status_code == 400
    )


def test_the_kpi_export_is_a_workbook(people, approved):
    year = policy.today().year
    response = client_for(people["secretary"]).get(
        reverse("governance:kpi"), {"year": year, "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="kpi-{year}.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Goal", "KPI") and len(rows) == 3
    assert rows[2][1].endswith("Patents filed") and float(rows[2][4]) == 10 and float(rows[2][5]) == 4


def test_the_control_dashboard_reads_the_metrics_and_a_missing_module_is_not_available(
    people, approved, monkeypatch
):
    browser = client_for(people["secretary"])
    page = browser.get(reverse("governance:control"))
    figures = {f.code: f for section in page.context["sections"] for f in section["figures"]}
    assert figures["finance.committed"].available and figures["finance.committed"].value == 0
    assert figures["levy.arrears"].available and figures["levy.arrears"].app == "levy"
    catalogue = selectors.metric_catalogue()
    without_levy = {code: m for code, m in catalogue.items() if m.app != "levy"}
    monkeypatch.setattr(selectors, "metric_catalogue", lambda: without_levy)
    page = browser.get(reverse("governance:control"))
    assert page.status_code == 200
    figures = {f.code: f for section in page.context["sections"] for f in section["figures"]}
    arrears = figures["levy.arrears"]
    assert not arrears.available and arrears.value is None and arrears.label == "Levy arrears"
    assert figures["finance.committed"].available
    levy = next(section for section in page.context["sections"] if section["key"] == "levy")
    assert levy["chart"] == ""
    assert "not available" in page.content.decode()
    assert browser.get(reverse("governance:control"), {"at": "yesterday"}).status_code == 400
