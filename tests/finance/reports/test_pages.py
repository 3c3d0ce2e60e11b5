"""The report pages, their PDF and XLSX: the figures are the selectors', access is finance.read,
bad parameters are 400/404, and each page costs a fixed number of queries."""

import datetime as dt
import html
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from innocluster.core.money import format_kzt
from innocluster.finance.selectors import reports as r
from innocluster.finance.selectors import statements as s
from tests.factories.accounts import login_with_2fa, user_with_role

pytestmark = pytest.mark.django_db
D = Decimal
NS = "finance_reports"
AT = {"at": "2026-12-31"}
YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


def url(name, *args):
    return reverse(f"{NS}:{name}", args=args)


@pytest.fixture
def officer_client(client, finance_people):
    login_with_2fa(client, finance_people["officer"])
    return client


def flat(text: str) -> str:
    """Spaces as spaces (babel writes no-break spaces; pdftotext may write either)."""
    return html.unescape(text).replace("\xa0", " ").replace("\u202f", " ")


def money(amount) -> str:
    return flat(format_kzt(amount))


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    result = subprocess.run(
        [shutil.which("pdftotext"), "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return flat(result.stdout.decode("utf-8"))


def sheet_rows(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook.active.iter_rows(values_only=True))


def amount_format(content: bytes, value: float) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell.number_format
    raise AssertionError(f"{value} not in the workbook")


# --- figures on the page, in the PDF and in the XLSX -----------------------------------------------


def test_balance_sheet_page_pdf_and_xlsx(books, officer_client):
    sheet = s.balance_sheet(dt.date(2026, 12, 31))
    page = flat(officer_client.get(url("balance_sheet"), AT).content.decode())
    for figure in (
        sheet.assets,
        sheet.liabilities,
        sheet.net_assets,
        sheet.current_result,
        sheet.earlier_result,
    ):
        assert money(figure) in page
    assert '<img src="data:image/svg+xml;base64,' in page and "Balance sheet" in page
    assert "?at=2026-12-31&format=pdf" in page and "?at=2026-12-31&format=xlsx" in page

    response = officer_client.get(url("balance_sheet"), {**AT, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert money(sheet.assets) in text and money(sheet.net_assets) in text and "Total assets" in text

    response = officer_client.get(url("balance_sheet"), {**AT, "format": "xlsx"})
    rows = sheet_rows(response.content)
    totals = {row[1]: row[2] for row in rows}
    assert totals["Total assets"] == float(sheet.assets) == totals["Total liabilities and net assets"]
    assert totals["Result of the current year (income less expenses)"] == float(sheet.current_result)
    assert amount_format(response.content, float(sheet.assets)) == "#,##0.00"


def test_budget_execution_page_pdf_and_xlsx(books, officer_client):
    data = r.budget_execution(2026)
    page = flat(officer_client.get(url("budget_execution"), {"year": "2026"}).content.decode())
    for row in data.rows:
        assert row.line.code in page
        for figure in (row.amount, row.committed, row.spent, row.available):
            assert money(figure) in page
    assert "data:image/svg+xml;base64," in page

    text = pdf_text(officer_client.get(url("budget_execution"), {"year": "2026", "format": "pdf"}).content)
    assert "P-GRANTS" in text and money(D("900000.00")) in text and money(D("350000.00")) in text

    rows = sheet_rows(officer_client.get(url("budget_execution"), {"year": "2026", "format": "xlsx"}).content)
    grants = next(row for row in rows if row[0] == "P-GRANTS")
    assert grants[3:] == (1500000, 350000, 250000, 900000)
    assert rows[-1][1] == "Total" and rows[-1][3] == float(data.amount)


def test_income_and_expenses_page_pdf_and_xlsx(books, officer_client):
    rows = s.income_and_expenses(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    page = flat(officer_client.get(url("income_expenses"), YEAR).content.decode())
    for row in rows:
        assert row.label in page and money(row.total_income) in page and money(row.total_expenses) in page
    text = pdf_text(officer_client.get(url("income_expenses"), {**YEAR, "format": "pdf"}).content)
    assert money(D("4200000.00")) in text and "subsoil users' levy" in text
    sheet = sheet_rows(officer_client.get(url("income_expenses"), {**YEAR, "format": "xlsx"}).content)
    totals = {row[0]: (row[3], row[4]) for row in sheet if row[2] == "Total"}
    assert totals["subsoil users' levy"] == (4200000, 250000)
    assert totals["no source named"] == (0, 1500)


def test_cash_flow_page_pdf_and_xlsx(books, officer_client):
    flow = s.cash_flow(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    page = flat(officer_client.get(url("cash_flow"), YEAR).content.decode())
    for figure in (flow.opening, flow.total_receipts, flow.total_payments, flow.closing):
        assert money(figure) in page
    text = pdf_text(officer_client.get(url("cash_flow"), {**YEAR, "format": "pdf"}).content)
    assert money(flow.closing) in text and money(flow.total_receipts) in text
    sheet = sheet_rows(officer_client.get(url("cash_flow"), {**YEAR, "format": "xlsx"}).content)
    named = {row[2]: row[4] for row in sheet}
    assert named["Cash at the end of the period"] == float(flow.closing) == 7648500
    assert named["Total payments"] == 201500


def test_trial_balance_and_general_ledger(books, officer_client):
    data = r.trial_balance(dt.date(2026, 12, 31))
    page = flat(officer_client.get(url("trial_balance"), AT).content.decode())
    assert money(data.debit) in page and data.debit == data.credit
    assert url("account_ledger", "1281") in page
    sheet = sheet_rows(officer_client.get(url("trial_balance"), {**AT, "format": "xlsx"}).content)
    assert sheet[-1][2] == sheet[-1][3] == float(data.debit)
    text = pdf_text(officer_client.get(url("trial_balance"), {**AT, "format": "pdf"}).content)
    assert money(data.debit) in text

    code = books.main.ledger_account.code
    page = flat(officer_client.get(url("account_ledger", code)).content.decode())
    assert money(D("5848500.00")) in page and "PP-17" in page
    sheet = sheet_rows(officer_client.get(url("account_ledger", code), {"format": "xlsx"}).content)
    assert sheet[-1][-1] == 5848500


def test_the_general_ledger_pages_with_a_next_link(books, officer_client, monkeypatch):
    from innocluster.finance.views.reports import ledgers as views

    original = r.general_ledger
    monkeypatch.setattr(views.selectors, "general_ledger", lambda *a, **k: original(*a, **{**k, "limit": 2}))
    code = books.main.ledger_account.code
    page = officer_client.get(url("account_ledger", code)).content.decode()
    assert 'rel="next"' in page and "after=2026-02-10." in page
    after = page.split("after=")[1].split('"')[0]
    second = flat(officer_client.get(url("account_ledger", code) + "?after=" + after).content.decode())
    assert "Balance brought forward" in second and money(D("5848500.00")) in second


def test_party_sub_ledger(books, officer_client):
    page = flat(officer_client.get(url("party_ledger", books.payer_a.bin)).content.decode())
    assert money(D("3000000.00")) in page and money(D("1000000.00")) in page and "PP-204" in page
    sheet = sheet_rows(officer_client.get(url("party_ledger", books.payer_a.bin), {"format": "xlsx"}).content)
    assert sheet[-1][-1] == 1000000
    text = pdf_text(officer_client.get(url("party_ledger", books.payer_a.bin), {"format": "pdf"}).content)
    assert books.payer_a.bin in text and money(D("1000000.00")) in text
    assert officer_client.get(url("index"), {"bin": books.payer_a.bin}).url == url(
        "party_ledger", books.payer_a.bin
    )


def test_postings_csv_and_xlsx(books, officer_client):
    response = officer_client.get(url("postings_csv"), YEAR)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Entry,Date,Reference,Description,Account,Debit,Credit,BIN")
    assert len(lines) == 16 and any(books.payer_b.bin in line and "1200000.00" in line for line in lines)
    rows = sheet_rows(officer_client.get(url("postings_xlsx"), YEAR).content)
    assert len(rows) == 16
    assert sum(row[5] for row in rows[1:]) == sum(row[6] for row in rows[1:]) == 12401500
    assert isinstance(rows[1][1], dt.datetime) and rows[1][2] == "PP-17"


def test_kazakh_and_russian_pages_and_pdf(books, officer_client, settings):
    from django.utils import translation

    for language in ("kk", "ru"):
        officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = officer_client.get(url("budget_execution"), {"year": "2026"}).content.decode()
        with translation.override(language):
            assert flat(format_kzt(D("900000.00"))) in flat(page)
            assert str(books.grants.line.name) in page
        text = pdf_text(
            officer_client.get(url("budget_execution"), {"year": "2026", "format": "pdf"}).content
        )
        assert ("Гранттар бағдарламасы" if language == "kk" else "Программа грантов") in text


# --- access and bad parameters --------------------------------------------------------------------

PAGES = [
    ("index", ()),
    ("trial_balance", ()),
    ("balance_sheet", ()),
    ("income_expenses", ()),
    ("cash_flow", ()),
    ("budget_execution", ()),
    ("postings_csv", ()),
    ("postings_xlsx", ()),
]


@pytest.mark.parametrize("name, args", PAGES)
def test_access(name, args, client, finance_people):
    assert client.get(url(name, *args)).status_code == 302  # anonymous: sign in first
    login_with_2fa(client, user_with_role("registrar", "reg"))
    assert client.get(url(name, *args)).status_code == 403
    for who in ("officer", "auditor", "chief"):
        login_with_2fa(client, finance_people[who])
        assert client.get(url(name, *args)).status_code == 200, who
    assert client.post(url(name, *args)).status_code == 405


def test_access_to_ledgers_by_code_and_bin(books, client):
    registrar = user_with_role("registrar", "reg")
    for path in (url("account_ledger", "1281"), url("party_ledger", books.payer_a.bin)):
        assert client.get(path).status_code == 302
        login_with_2fa(client, registrar)
        assert client.get(path).status_code == 403
        client.logout()


@pytest.mark.parametrize(
    "name, args, query, status",
    [
        ("trial_balance", (), {"at": "yesterday"}, 400),
        ("balance_sheet", (), {"at": "2026-02-30"}, 400),
        ("cash_flow", (), {"from": "2026-05-01", "to": "2026-01-01"}, 400),
        ("income_expenses", (), {"from": "01.01.2026"}, 400),
        ("budget_execution", (), {"year": "twenty"}, 400),
        ("budget_execution", (), {"format": "docx"}, 400),
        ("postings_csv", (), {"to": "x"}, 400),
        ("account_ledger", ("9999",), {}, 404),
        ("account_ledger", ("1281",), {"after": "nonsense"}, 400),
        ("party_ledger", ("000000000000",), {}, 404),
        ("party_ledger", ("not-a-bin",), {}, 404),
    ],
)
def test_bad_parameters_are_named_never_a_500(name, args, query, status, officer_client):
    response = officer_client.get(url(name, *args), query)
    assert response.status_code == status
    if status == 400:
        assert "The report cannot be shown" in response.content.decode()


# --- a fixed number of queries ---------------------------------------------------------------------


def _more_postings(books, n: int):
    from innocluster.finance.services import journal
    from innocluster.finance.services.journal import Leg
    from tests.factories import finance as f

    for i in range(n):
        payer = f.party()
        journal.post(
            date=dt.date(2026, 4, 1 + i % 28),
            description=f"Levy assessed {i}",
            legs=[
                Leg("levy_receivable", debit=D("10.00"), party=payer),
                Leg("levy_income", credit=D("10.00")),
            ],
        )
        journal.post(
            date=dt.date(2026, 4, 1 + i % 28),
            description=f"Levy received {i}",
            legs=[
                Leg(books.levy_bank.ledger_account, debit=D("10.00")),
                Leg("levy_receivable", credit=D("10.00"), party=payer),
            ],
        )


@pytest.mark.parametrize(
    "name, args, query",
    [
        ("trial_balance", (), AT),
        ("balance_sheet", (), AT),
        ("income_expenses", (), YEAR),
        ("cash_flow", (), YEAR),
        ("budget_execution", (), {"year": "2026"}),
        ("account_ledger", ("1281",), {}),
    ],
)
def test_pages_cost_a_fixed_number_of_queries(
    name, args, query, books, officer_client, django_assert_max_num_queries
):
    officer_client.get(url(name, *args), query)  # warm the per-process caches
    with django_assert_max_num_queries(12) as small:
        assert officer_client.get(url(name, *args), query).status_code == 200
    _more_postings(books, 15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert officer_client.get(url(name, *args), query).status_code == 200


def test_party_sub_ledger_costs_a_fixed_number_of_queries(
    books, officer_client, django_assert_max_num_queries
):
    path = url("party_ledger", books.payer_a.bin)
    officer_client.get(path)
    with django_assert_max_num_queries(12) as small:
        officer_client.get(path, {"from": "2026-03-05"})
    from innocluster.finance.services import journal
    from innocluster.finance.services.journal import Leg

    for i in range(10):
        journal.post(
            date=dt.date(2026, 5, 1 + i),
            description=f"Levy assessed {i}",
            legs=[
                Leg("levy_receivable", debit=D("10.00"), party=books.payer_a),
                Leg("levy_income", credit=D("10.00")),
            ],
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        officer_client.get(path, {"from": "2026-03-05"})
