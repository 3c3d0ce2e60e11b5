"""The levy reports: figures of the selectors, the same figures in the XLSX (openpyxl) and the PDF
(pdftotext), charts beside the tables, a fixed number of queries; and the metrics registered
through the manifest (``core.manifest.metrics``)."""

import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from innocluster.core import manifest
from innocluster.core.manifest import Manifest, Metric
from innocluster.levy.selectors import reports as selectors
from tests.factories.accounts import login_with_2fa
from tests.levy import reporting

pytestmark = pytest.mark.django_db
D = Decimal
AFTER_DUE = dt.date(2026, 9, 1)


@pytest.fixture
def books(levy_people):
    return reporting.build(levy_people["officer"])


@pytest.fixture
def officer(levy_people):
    client = Client()
    login_with_2fa(client, levy_people["officer"])
    return client


def pdf_words(content: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").replace("\xa0", " ").split())


def sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def money(value) -> Decimal:
    return D(str(value)).quantize(D("0.01"))


def en(value: Decimal) -> str:
    return f"{value:,.2f}"


# --- selectors --------------------------------------------------------------------------------


def test_collection_by_year_region_and_mineral(books):
    by_year = selectors.collection("year")
    assert [(r.label, r.obligations, r.due, r.paid, r.other, r.outstanding) for r in by_year.rows] == [
        ("2026", 4, D("1700000.00"), D("800000.00"), D("400000.00"), D("500000.00"))
    ]
    assert by_year.total.percent == D("70.6")
    by_mineral = {
        r.label: (r.due, r.collected, r.outstanding) for r in selectors.collection("mineral", year=2026).rows
    }
    assert by_mineral == {
        "oil": (D("1000000.00"), D("1000000.00"), D("0.00")),
        "gold": (D("500000.00"), D("0.00"), D("500000.00")),
        "copper": (D("200000.00"), D("200000.00"), D("0.00")),
    }
    regions = selectors.collection("region", year=2026)
    assert sorted(r.due for r in regions.rows) == [D("500000.00"), D("1200000.00")]
    assert selectors.collection("region", year=2025).rows == []


def test_ageing_and_top_debtors_after_the_due_date(books):
    assert selectors.ageing(dt.date(2026, 7, 1)).total == D("0.00")  # not yet past due
    ageing = selectors.ageing(AFTER_DUE)  # 62 days past 1 July
    assert {b.label: (b.obligations, b.amount) for b in ageing.buckets if b.obligations} == {
        "31–90": (2, D("500000.00"))
    }
    assert ageing.debtors == 2
    far = selectors.ageing(dt.date(2027, 9, 1))
    assert [b.label for b in far.buckets if b.obligations] == [">365"]
    debtors = selectors.top_debtors(AFTER_DUE)
    assert [(d.bin, d.outstanding, d.obligations) for d in debtors] == [
        (books.a.bin, D("300000.00"), 1),
        (books.b.bin, D("200000.00"), 1),
    ]


def test_expected_and_collected_by_month(books):
    months = {r.month: r for r in selectors.by_month(2026)}
    assert months[7].expected == D("1700000.00")
    # R&D approved on 4 May, the payments booked on 1 July
    assert months[5].other == D("400000.00")
    assert months[7].paid == D("800000.00")
    assert sum(r.collected for r in months.values()) == D("1200000.00")


# --- pages, XLSX, PDF -------------------------------------------------------------------------


def test_collection_report_xlsx_and_pdf_equal_the_selector(books, officer):
    path = reverse("levy_reports:collection")
    page = officer.get(path, {"by": "mineral", "year": "2026"})
    assert page.status_code == 200
    assert 'class="chart"' in page.content.decode()
    data = selectors.collection("mineral", year=2026)
    rows = sheet_rows(officer.get(path, {"by": "mineral", "year": "2026", "format": "xlsx"}).content)
    assert rows[0][0] == "Mineral"
    body = {r[0]: (r[1], money(r[2]), money(r[3]), money(r[4]), money(r[6])) for r in rows[1:]}
    for r in data.rows:
        assert body[r.label] == (r.obligations, r.due, r.paid, r.other, r.outstanding)
    assert money(body["Total"][1]) == data.total.due
    text = pdf_words(officer.get(path, {"by": "mineral", "year": "2026", "format": "pdf"}).content)
    for r in data.rows:
        assert r.label in text and en(r.due) in text
    assert en(data.total.outstanding) in text
    assert officer.get(path, {"by": "colour"}).status_code == 400
    assert officer.get(path, {"by": "region", "year": "twenty"}).status_code == 400


def test_arrears_debtors_and_monthly_reports_equal_the_selectors(books, officer):
    at = {"at": AFTER_DUE.isoformat()}
    ageing = selectors.ageing(AFTER_DUE)
    rows = sheet_rows(officer.get(reverse("levy_reports:arrears"), {**at, "format": "xlsx"}).content)
    assert [(r[0], r[1], money(r[2])) for r in rows[1:-1]] == [
        (b.label, b.obligations, b.amount) for b in ageing.buckets
    ]
    assert money(rows[-1][2]) == ageing.total
    text = pdf_words(officer.get(reverse("levy_reports:arrears"), {**at, "format": "pdf"}).content)
    assert en(ageing.total) in text and "31–90" in text

    debtors = selectors.top_debtors(AFTER_DUE)
    rows = sheet_rows(officer.get(reverse("levy_reports:debtors"), {**at, "format": "xlsx"}).content)
    assert [(r[0], money(r[4])) for r in rows[1:]] == [(d.bin, d.outstanding) for d in debtors]
    page = officer.get(reverse("levy_reports:debtors"), at).content.decode()
    assert reverse("levy_reports:statement", args=[books.a.bin]) in page
    text = pdf_words(officer.get(reverse("levy_reports:debtors"), {**at, "format": "pdf"}).content)
    assert books.a.bin in text and en(D("300000.00")) in text

    months = selectors.by_month(2026)
    rows = sheet_rows(
        officer.get(reverse("levy_reports:monthly"), {"year": "2026", "format": "xlsx"}).content
    )
    assert [(money(r[1]), money(r[4])) for r in rows[1:13]] == [(m.expected, m.collected) for m in months]
    text = pdf_words(officer.get(reverse("levy_reports:monthly"), {"year": "2026", "format": "pdf"}).content)
    assert en(D("1700000.00")) in text and en(D("1200000.00")) in text


def test_the_index_opens_a_statement_by_bin(books, officer):
    assert officer.get(reverse("levy_reports:index")).status_code == 200
    response = officer.get(reverse("levy_reports:index"), {"bin": books.a.bin})
    assert response.status_code == 302
    assert response["Location"] == reverse("levy_reports:statement", args=[books.a.bin])


def test_a_company_cannot_open_the_reports(books, levy_people):
    rep = Client()
    login_with_2fa(rep, levy_people["rep"])
    for name in ("index", "collection", "arrears", "monthly", "debtors"):
        assert rep.get(reverse(f"levy_reports:{name}")).status_code == 403


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("collection", {}),
        ("collection", {"by": "region", "year": "2026"}),
        ("collection", {"by": "mineral", "year": "2026"}),
        ("arrears", {"at": "2026-09-01"}),
        ("monthly", {"year": "2026"}),
        ("debtors", {"at": "2026-09-01"}),
    ],
)
def test_report_pages_cost_a_fixed_number_of_queries(
    name, query, books, officer, django_assert_max_num_queries
):
    path = reverse(f"levy_reports:{name}")
    officer.get(path, query)  # warm the caches
    with django_assert_max_num_queries(12) as small:
        assert officer.get(path, query).status_code == 200
    reporting.more_debtors(6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert officer.get(path, query).status_code == 200


# --- metrics ----------------------------------------------------------------------------------


def test_levy_metrics_are_collected_from_the_manifest(books):
    found = manifest.metrics()
    codes = {"levy.due", "levy.collected", "levy.collection_rate", "levy.arrears", "levy.debtors"}
    assert codes <= set(found)
    on = dt.date(2026, 9, 1)
    assert found["levy.due"].value(on) == D("1700000.00")
    assert found["levy.collected"].value(on) == D("1200000.00")
    assert found["levy.collection_rate"].value(on) == D("0.7059")
    assert found["levy.arrears"].value(on) == D("500000.00")
    assert found["levy.debtors"].value(on) == 2
    assert found["levy.due"].unit == "KZT" and found["levy.debtors"].unit == "count"
    assert found["levy.collection_rate"].value(dt.date(2030, 1, 1)) is None  # nothing due


def test_a_metric_code_defined_twice_is_refused(monkeypatch):
    twice = Metric("x.one", "One", "count", lambda on: 1)
    monkeypatch.setattr(
        manifest,
        "manifests",
        lambda: [Manifest(metrics=(twice,), app="a"), Manifest(metrics=(twice,), app="b")],
    )
    with pytest.raises(ValueError, match=r"x\.one"):
        manifest.metrics()


# --- metric series: month ends, as the books stood on each -----------------------------------


def test_month_ends_within_the_range():
    assert selectors.month_ends(dt.date(2026, 5, 15), dt.date(2026, 7, 31)) == [
        dt.date(2026, 5, 31),
        dt.date(2026, 6, 30),
        dt.date(2026, 7, 31),
    ]
    assert selectors.month_ends(dt.date(2026, 12, 31), dt.date(2027, 2, 27)) == [
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 31),
    ]
    assert selectors.month_ends(dt.date(2028, 2, 1), dt.date(2028, 2, 29)) == [dt.date(2028, 2, 29)]
    assert selectors.month_ends(dt.date(2026, 5, 2), dt.date(2026, 5, 30)) == []  # no month ends in it
    assert selectors.month_ends(dt.date(2026, 7, 1), dt.date(2026, 6, 1)) == []  # ends before it starts


def test_series_month_by_month_against_the_books(books):
    """By hand (tests/levy/reporting.py): assessed 4 May 2026 (1,700,000.00 due on 1 July); A's
    400,000.00 of R&D spending approved on 4 May; on 1 July A pays 600,000.00 and C 250,000.00
    (200,000.00 of it settles C's obligation, 50,000.00 is an overpayment credit: not collected);
    after 1 July A's 300,000.00 and B's 200,000.00 of KZ-R-2 are in arrears. June has no payment."""
    found = manifest.metrics()
    start, end = dt.date(2025, 11, 1), dt.date(2027, 1, 31)
    due = dict(found["levy.due"].series(start, end))
    collected = dict(found["levy.collected"].series(start, end))
    rate = dict(found["levy.collection_rate"].series(start, end))
    arrears = dict(found["levy.arrears"].series(start, end))
    debtors = dict(found["levy.debtors"].series(start, end))
    months = selectors.month_ends(start, end)
    assert list(due) == months and len(months) == 15
    nothing = D("0.00")

    def at(year, month):
        return next(d for d in months if (d.year, d.month) == (year, month))

    for day in months:
        if day.year == 2025 or day.year == 2027 or day.month < 5:  # another year, or before the assessment
            assert (due[day], collected[day], rate[day]) == (nothing, nothing, None), day
    for month in range(5, 13):
        assert due[at(2026, month)] == D("1700000.00")
    assert collected[at(2026, 4)] == nothing
    assert collected[at(2026, 5)] == D("400000.00")
    assert collected[at(2026, 6)] == D("400000.00")  # no payment in June
    assert rate[at(2026, 6)] == D("0.2353")
    for month in range(7, 13):
        assert collected[at(2026, month)] == D("1200000.00")
        assert rate[at(2026, month)] == D("0.7059")
    # Arrears only past the due date (1 July): none at the end of June.
    assert [arrears[d] for d in months if d < dt.date(2026, 7, 1)] == [nothing] * 8
    for day in months[8:]:  # 31 July 2026 to 31 January 2027
        assert (arrears[day], debtors[day]) == (D("500000.00"), 2), day
    # A point on or after the last entry equals the metric's value that day.
    on = dt.date(2026, 9, 30)
    for code in ("levy.due", "levy.collected", "levy.collection_rate", "levy.arrears", "levy.debtors"):
        assert dict(found[code].series(on, on)) == {on: found[code].value(on)}, code


def test_a_later_payment_and_a_lowering_move_the_series_in_their_month(books, levy_people):
    """B pays its 200,000.00 on 14 August; A's KZ-R-1 is lowered in September to 900,000.00
    (already settled 1,000,000.00: 100,000.00 moved out to a credit) — due falls, and nothing goes
    to arrears because of it."""
    from unittest import mock

    from innocluster.levy.services import declarations
    from tests.levy.bank import pay

    pay(
        books.bank.iban,
        [("200000.00", books.b.bin, books.b2.reference)],
        number="2",
        day="2026-08-14",
        opening="850000.00",
    )
    with mock.patch("innocluster.core.policy.values.today", return_value=dt.date(2026, 9, 10)):
        declarations.amend(
            books.a1.contract.declarations.get(current=True), "90000000.00", reason="audited", by=None
        )
    points = {p.on: p for p in selectors.month_points(dt.date(2026, 7, 1), dt.date(2026, 10, 31))}
    july, august, september, october = (points[d] for d in sorted(points))
    assert (july.due, july.collected, july.arrears, july.debtors) == (
        D("1700000.00"),
        D("1200000.00"),
        D("500000.00"),
        2,
    )
    assert (august.due, august.collected, august.arrears, august.debtors) == (
        D("1700000.00"),
        D("1400000.00"),
        D("300000.00"),
        1,
    )
    assert (september.due, september.collected, september.arrears) == (
        D("1600000.00"),
        D("1400000.00"),
        D("300000.00"),
    )
    assert september.rate == D("0.8750") and october == selectors.MonthPoint(
        dt.date(2026, 10, 31), D("1600000.00"), D("1400000.00"), D("300000.00"), 1
    )


def test_an_empty_range_and_a_range_before_any_levy(books, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.month_points(dt.date(2026, 5, 2), dt.date(2026, 5, 30)) == []
        assert selectors.due_series(dt.date(2026, 7, 1), dt.date(2026, 6, 1)) == []
    assert selectors.arrears_series(dt.date(2024, 1, 1), dt.date(2024, 3, 31)) == [
        (dt.date(2024, 1, 31), D("0.00")),
        (dt.date(2024, 2, 29), D("0.00")),
        (dt.date(2024, 3, 31), D("0.00")),
    ]
    assert selectors.collection_rate_series(dt.date(2024, 1, 1), dt.date(2024, 1, 31)) == [
        (dt.date(2024, 1, 31), None)
    ]


def test_series_cost_three_queries_whatever_the_range_and_the_books(books, django_assert_num_queries):
    with django_assert_num_queries(3):
        selectors.month_points(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    with django_assert_num_queries(3):
        selectors.month_points(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
    reporting.more_debtors(6)
    with django_assert_num_queries(3):
        points = selectors.month_points(dt.date(2026, 1, 1), dt.date(2027, 12, 31))
    assert points[-1].debtors == 8
