"""A subsoil user's account statement: it agrees with the ledger's sub-ledger on levy receivable,
shows every kind of movement, and is a page, a PDF, an XLSX and an API answer; staff read any, a
company only its own (404 for another's)."""

import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from innocluster.finance.selectors.accounts import account
from innocluster.finance.selectors.ledger import party_balances
from innocluster.levy.selectors import statement as selectors
from innocluster.parties.services.representatives import add_representative
from tests.factories.accounts import login_with_2fa
from tests.levy import reporting

pytestmark = pytest.mark.django_db
D = Decimal
YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


@pytest.fixture
def books(levy_people):
    return reporting.build(levy_people["officer"])


@pytest.fixture
def officer(levy_people):
    client = Client()
    login_with_2fa(client, levy_people["officer"])
    return client


@pytest.fixture
def rep(levy_people, books):
    """The representative of A (a confirmed representation)."""
    add_representative(books.a, user=levy_people["rep"], role="head", by=None)
    client = Client()
    login_with_2fa(client, levy_people["rep"])
    return client


def pdf_text(content: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return out.stdout.decode("utf-8").replace("\xa0", " ").replace("\u202f", " ")


def test_the_closing_balance_agrees_with_the_ledger_for_every_holder(books):
    ledger = dict(party_balances(account("levy_receivable")))
    for holder in (books.a, books.b, books.c):
        data = selectors.statement(holder, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        assert data.opening == D("0.00")
        assert data.closing == ledger[holder.pk]
        assert data.opening + data.charged - data.settled == data.closing
        if data.movements:
            assert data.movements[-1].balance == data.closing
    assert ledger[books.a.pk] == D("300000.00")
    assert ledger[books.b.pk] == D("200000.00")
    assert ledger[books.c.pk] == D("0.00")


def test_every_movement_is_named_and_the_running_balance_adds_up(books):
    data = selectors.statement(books.a, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    kinds = [(m.kind, m.reference, m.charged, m.settled) for m in data.movements]
    assert (selectors.ASSESSED, books.a1.reference, D("1000000.00"), D("0.00")) in kinds
    assert (selectors.ASSESSED, books.a2.reference, D("300000.00"), D("0.00")) in kinds
    assert (selectors.RND, books.a1.reference, D("0.00"), D("400000.00")) in kinds
    assert (selectors.PAYMENT, books.a1.reference, D("0.00"), D("600000.00")) in kinds
    assert data.settled_by(selectors.PAYMENT) == D("600000.00")
    balance = data.opening
    for movement in data.movements:
        balance += movement.charged - movement.settled
        assert movement.balance == balance
    assert {o.reference: o.outstanding for o in data.obligations} == {
        books.a1.reference: D("0.00"),
        books.a2.reference: D("300000.00"),
    }


def test_a_later_period_opens_with_the_earlier_balance(books):
    # Everything is dated in 2026: a period starting after the payments opens at the closing.
    whole = selectors.statement(books.a, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    later = selectors.statement(books.a, dt.date(2026, 8, 1), dt.date(2026, 12, 31))
    assert later.movements == []
    assert later.opening == later.closing == whole.closing
    ledger = dict(party_balances(account("levy_receivable"), at=dt.date(2026, 5, 31)))
    early = selectors.statement(books.a, dt.date(2026, 1, 1), dt.date(2026, 5, 31))
    assert early.closing == ledger[books.a.pk]


def test_an_overpayment_is_a_credit_carried_forward(books):
    data = selectors.statement(books.c, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert data.closing == D("0.00")
    assert [(c.kind, c.left) for c in data.credits] == [("overpayment", D("50000.00"))]
    assert data.credits_left == D("50000.00")


def test_staff_read_any_statement_as_page_pdf_and_xlsx(books, officer):
    path = reverse("levy_reports:statement", args=[books.a.bin])
    page = officer.get(path, YEAR)
    assert page.status_code == 200
    html = page.content.decode()
    assert books.a1.reference in html and books.a2.reference in html
    pdf = officer.get(path, {**YEAR, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert books.a1.reference in text and "300,000.00" in text
    xlsx = officer.get(path, {**YEAR, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    opening = next(r for r in rows if r[1] == "Opening balance")
    closing = next(r for r in rows if r[1] == "Closing balance")
    assert D(str(opening[5])) == D("0.00")
    assert (D(str(closing[3])), D(str(closing[4])), D(str(closing[5]))) == (
        D("1300000.00"),
        D("1000000.00"),
        D("300000.00"),
    )
    assert {r[2] for r in rows if r[1] == "Payment"} == {books.a1.reference}
    assert officer.get(reverse("levy_reports:statement", args=["000000000000"])).status_code == 404


def test_a_company_reads_only_its_own_statement(books, rep):
    own = rep.get(reverse("levy_documents:statement", args=[books.a.bin]), YEAR)
    assert own.status_code == 200
    assert books.a1.reference in own.content.decode()
    assert rep.get(reverse("levy_documents:statement", args=[books.b.bin]), YEAR).status_code == 404
    assert rep.get(reverse("levy_documents:statement", args=["000000000000"])).status_code == 404
    # staff pages stay closed to a company
    assert rep.get(reverse("levy_reports:statement", args=[books.a.bin])).status_code == 403
    index = rep.get(reverse("levy_documents:index"))
    assert index.status_code == 200
    body = index.content.decode()
    assert books.a2.reference in body and books.b2.reference not in body


def test_the_statement_api(books, officer, rep, levy_people):
    path = f"/api/v1/levy/statements/{books.a.bin}/"
    data = officer.get(path, YEAR).json()
    assert data["opening"] == "0.00" and data["closing"] == "300000.00"
    assert {m["kind"] for m in data["movements"]} == {"assessed", "rnd", "payment"}
    assert [o["reference"] for o in data["obligations"]] == [books.a1.reference, books.a2.reference]
    assert rep.get(path, YEAR).json()["closing"] == "300000.00"
    assert rep.get(f"/api/v1/levy/statements/{books.b.bin}/").status_code == 404
    assert officer.get(path, {"from": "2026-12-31", "to": "2026-01-01"}).status_code == 400
    stranger = Client()
    login_with_2fa(stranger, levy_people["stranger"])
    assert stranger.get(path).status_code == 404


def test_the_statement_page_costs_a_fixed_number_of_queries(books, officer, django_assert_max_num_queries):
    path = reverse("levy_reports:statement", args=[books.a.bin])
    officer.get(path, YEAR)  # warm the caches
    with django_assert_max_num_queries(20) as small:
        assert officer.get(path, YEAR).status_code == 200
    from innocluster.levy.services import assessment
    from tests.factories.levy import ContractFactory, declared

    for n in range(5):
        contract = ContractFactory(number=f"KZ-MORE-{n}", holders=[(books.a, "1")])
        declared(contract, 2025, "1000000.00")
    assessment.assess(2026)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = officer.get(path, YEAR)
    assert "KZ-MORE-4" in response.content.decode()
