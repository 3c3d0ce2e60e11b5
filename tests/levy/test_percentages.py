"""Rates and shares as people read them: one filter (``core.templatetags.money.percent``) on every
levy page, PDF and notice; numbers of per cent in the XLSX; fractions (decimal strings) in the API."""

import io
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from innocluster.core.templatetags.money import format_percent, percent_number
from tests.factories.accounts import login_with_2fa
from tests.levy import reporting

D = Decimal
NB = "\xa0"


@pytest.mark.parametrize(
    ("fraction", "places", "language", "shown"),
    [
        (D("0.0100"), None, "ru", f"1{NB}%"),
        (D("0.0100"), 2, "ru", f"1,00{NB}%"),
        (D("0.010000"), None, "kk", f"1{NB}%"),
        (D("0.600000"), None, "kk", f"60{NB}%"),
        (D("0.333333"), None, "ru", f"33,3333{NB}%"),
        (D("0.70585"), 1, "ru", f"70,6{NB}%"),  # half-up
        (D("0.0005"), None, "kk", f"0,05{NB}%"),
        (D("12.5"), None, "ru", f"1{NB}250{NB}%"),
        (D("0"), None, "ru", f"0{NB}%"),
        (D("0.0100"), 2, "en", "1.00%"),
        (D("0.6"), None, "en", "60%"),
        ("0.25", None, "ru", f"25{NB}%"),
        (None, None, "ru", ""),
        ("", 2, "ru", ""),
    ],
)
def test_format_percent(fraction, places, language, shown):
    assert format_percent(fraction, places, language) == shown


def test_format_percent_refuses_floats_and_the_filter_follows_the_active_language():
    with pytest.raises(TypeError):
        format_percent(0.01)
    assert percent_number(D("0.600000")) == D("60") and percent_number(None) is None
    template = Template(
        "{% load money %}{{ rate|percent }}|{{ rate|percent:2 }}|{{ share|percent }}|{{ bad|percent }}"
    )
    values = Context({"rate": D("0.0100"), "share": D("0.600000"), "bad": "n/a"})
    with translation.override("ru"):
        assert template.render(values) == f"1{NB}%|1,00{NB}%|60{NB}%|"
    with translation.override("kk"):
        assert template.render(values) == f"1{NB}%|1,00{NB}%|60{NB}%|"
    with translation.override("en"):
        assert template.render(values) == "1%|1.00%|60%|"


# --- where the levy shows them ------------------------------------------------------------------


@pytest.fixture
def books(levy_people):
    return reporting.build(levy_people["officer"])


def client_in(person, language: str) -> Client:
    client = Client()
    login_with_2fa(client, person)
    client.cookies["innocluster_language"] = language
    return client


def words(response) -> str:
    return " ".join(response.content.decode().replace(NB, " ").split())


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_pages_show_rates_and_shares_as_percentages(books, levy_people, language):
    officer = client_in(levy_people["officer"], language)
    contract = words(officer.get(reverse("levy:contract", args=[books.a2.contract_id])))
    assert "60 %" in contract and "40 %" in contract and "0.6" not in contract and "0,6" not in contract
    listed = words(officer.get(reverse("levy:contracts")))
    assert "(60 %)" in listed and "(100 %)" in listed
    obligation = words(officer.get(reverse("levy:obligation", args=[books.a2.pk])))
    assert "1 %" in obligation and "60 %" in obligation and "0.01" not in obligation
    statement = words(
        officer.get(reverse("levy_reports:statement", args=[books.a.bin]), {"from": "2026-01-01"})
    )
    assert "60 %" in statement and "100 %" in statement and "1 %" in statement
    collection = words(officer.get(reverse("levy_reports:collection"), {"by": "mineral", "year": "2026"}))
    assert "0,0 %" in collection and "100,0 %" in collection  # gold unpaid, oil and copper settled


@pytest.mark.django_db
def test_the_statement_xlsx_has_numbers_of_per_cent_and_the_api_fractions(books, levy_people):
    officer = client_in(levy_people["officer"], "en")
    xlsx = officer.get(
        reverse("levy_reports:statement", args=[books.a.bin]), {"from": "2026-01-01", "format": "xlsx"}
    ).content
    rows = list(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Obligations")
    assert rows[header][6:8] == ("Share, %", "Rate, %")
    body = {r[2]: (r[6], r[7]) for r in rows[header + 1 :] if r and r[2] and str(r[2]).startswith("LEVY-")}
    assert body == {books.a1.reference: (100, 1), books.a2.reference: (60, 1)}

    obligation = officer.get(f"/api/v1/levy/obligations/{books.a2.pk}/").json()
    assert (obligation["share"], obligation["rate"]) == ("0.600000", "0.010000")
    statement = officer.get(f"/api/v1/levy/statements/{books.a.bin}/", {"from": "2026-01-01"}).json()
    assert {o["reference"]: o["share"] for o in statement["obligations"]}[books.a2.reference] == "0.600000"
    schema = officer.get("/api/v1/schema/", {"format": "json"}).json()
    share = schema["components"]["schemas"]["Obligation"]["properties"]["share"]
    assert "fraction of one" in share["description"] and "60 %" in share["description"]


@pytest.mark.django_db
def test_the_portal_contract_page_shows_shares_as_percentages(books, levy_people):
    from innocluster.parties.services.representatives import add_representative

    add_representative(books.a, user=levy_people["rep"], role="head", by=None)
    rep = client_in(levy_people["rep"], "ru")
    page = words(rep.get(reverse("levy_portal:contract", args=[books.a2.contract_id])))
    assert "(60 %)" in page and "(40 %)" in page
