"""The report reads against figures worked out by hand from the books in ``conftest.py``."""

import datetime as dt
from decimal import Decimal

import pytest

from innocluster.finance.selectors import ledger
from innocluster.finance.selectors import reports as r
from innocluster.finance.selectors import statements as s
from innocluster.finance.selectors.checks import check_ledger

pytestmark = pytest.mark.django_db
D = Decimal
YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_the_books_hold(books):
    assert check_ledger() == []


def test_the_balance_sheet_balances_with_the_result_inside_net_assets(books):
    sheet = s.balance_sheet(dt.date(2026, 12, 31))
    lines = {line.code: line.amount for s in sheet.sections.values() for line in s.lines}
    assert lines == {
        books.main.ledger_account.code: D("5848500.00"),
        books.levy_bank.ledger_account.code: D("1800000.00"),
        "1281": D("2200000.00"),
        "3391": D("50000.00"),
    }
    assert sheet.current_result == D("9698500.00")  # 9,950,000 income − 251,500 expenses
    assert sheet.earlier_result == D("100000.00")  # 2025's own income, never closed
    assert sheet.assets == D("9848500.00") == sheet.liabilities_and_net_assets
    assert sheet.balances


def test_the_balance_sheet_at_an_earlier_date_sees_only_what_was_posted_by_then(books):
    sheet = s.balance_sheet(dt.date(2025, 12, 31))
    assert sheet.assets == D("100000.00") and sheet.current_result == D("100000.00")
    assert sheet.earlier_result == 0 and sheet.balances


def test_income_and_expenses_by_source_agree_with_the_ledger(books):
    rows = s.income_and_expenses(*YEAR)
    got = {row.source: (row.total_income, row.total_expenses) for row in rows}
    assert got == {
        "levy": (D("4200000.00"), D("250000.00")),
        "state_budget": (D("5000000.00"), 0),
        "donations": (D("750000.00"), 0),
        "": (0, D("1500.00")),  # bank charges name no source
    }
    assert got == {
        s: (v["income"], v["expenses"]) for s, v in ledger.income_and_expenses_by_source(*YEAR).items()
    }


def test_the_cash_flow_reconciles_opening_and_closing_cash(books):
    flow = s.cash_flow(*YEAR)
    receipts = {(f.account.key, f.source): f.amount for f in flow.receipts}
    payments = {(f.account.key, f.source): f.amount for f in flow.payments}
    assert receipts == {
        ("levy_receivable", "levy"): D("2000000.00"),
        ("donations_income", "donations"): D("750000.00"),
        ("state_budget_income", "state_budget"): D("5000000.00"),
    }
    assert payments == {("grants_payable", "levy"): D("200000.00"), ("bank_charges", ""): D("1500.00")}
    assert flow.opening == D("100000.00") and flow.closing == D("7648500.00")
    assert flow.reconciles
    assert flow.by_source()["levy"] == (D("2000000.00"), D("200000.00"))


def test_budget_execution_shows_each_budget(books):
    data = r.budget_execution(2026)
    rows = {
        (row.line.code, row.source): (row.amount, row.committed, row.spent, row.available)
        for row in data.rows
    }
    assert rows == {
        ("C-ADMIN", "state_budget"): (D("800000.00"), 0, 0, D("800000.00")),
        ("P-GRANTS", "levy"): (D("1500000.00"), D("350000.00"), D("250000.00"), D("900000.00")),
    }
    assert r.budget_execution(2025).rows == []


def test_a_party_sub_ledger_runs_its_balance(books):
    accounts = r.party_ledger(books.payer_a)
    assert [a.account.key for a in accounts] == ["levy_receivable"]
    assert [balance for _line, balance in accounts[0].rows] == [D("3000000.00"), D("1000000.00")]
    later = r.party_ledger(books.payer_a, start=dt.date(2026, 3, 5))
    assert later[0].opening == D("3000000.00") and later[0].closing == D("1000000.00")
    quiet = r.party_ledger(books.payer_a, start=dt.date(2026, 6, 1))  # an opening, no line
    assert [(a.account.key, a.opening, a.rows, a.closing) for a in quiet] == [
        ("levy_receivable", D("1000000.00"), [], D("1000000.00"))
    ]
    winner = r.party_ledger(books.winner)
    assert [(a.account.key, a.closing) for a in winner] == [("grants_payable", D("50000.00"))]


def test_the_general_ledger_pages_by_keyset(books):
    account = books.main.ledger_account
    first = r.general_ledger(account, limit=2)
    assert [b for _l, b in first.rows] == [D("100000.00"), D("5100000.00")] and first.next_after
    second = r.general_ledger(account, after=first.next_after, limit=2)
    assert second.opening == D("5100000.00")
    assert [b for _l, b in second.rows] == [D("5850000.00"), D("5848500.00")] and second.next_after is None


def test_the_postings_export_lists_every_posted_line(books):
    rows = list(r.postings(*YEAR))
    assert len(rows) == 15
    assert sum(row[5] for row in rows) == sum(row[6] for row in rows)
    levy = [row for row in rows if row[3] == "Levy assessed for 2025"]
    assert {row[7] for row in levy} == {books.payer_a.bin, books.payer_b.bin, ""}
    assert levy[0][0].startswith("JE-2026-") and levy[0][2] == "LEVY-2025"
    grant = next(row for row in rows if row[8] == "P-GRANTS")
    assert grant[4] == "7471" and grant[5] == D("250000.00") and grant[9] == "levy"
    assert len(list(r.postings(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))) == 2
