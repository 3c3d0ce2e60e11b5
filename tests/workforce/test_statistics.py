"""The statistics (by country, occupation, employer, category; the SLA) against hand-counted
figures, in a constant number of queries; the page and its XLSX; the metrics' month-end series
against hand-computed values and against the metrics' own value on the day."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from innocluster.core import manifest
from innocluster.workforce.selectors import reports as selectors
from innocluster.workforce.selectors import requests as requests_selectors
from innocluster.workforce.services import requests as services
from tests.factories.accounts import login_with_2fa
from tests.factories.workforce import active_request, submitted_request
from tests.workforce.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(people, employer, other_employer):
    """Five requests (TODAY is Monday 4 May 2026; decisions are due 5 working days on):

    A  DE specialist (employer)   submitted and approved Mon 6 Apr (on time), active, contract from 1 May
    B  GB manager (other)          submitted Mon 2 Mar, approved 20 Mar (late: due 9 Mar), active, ended 30 Apr
    C  IT specialist (employer)    submitted 13 Apr, refused 14 Apr (on time)
    D  JP qualified worker (other) submitted Wed 1 Apr, still waiting (due 8 Apr: overdue since)
    E  DE specialist (employer)    submitted Fri 1 May, waiting (not yet due)
    """
    rep, other, hr = people["rep"], people["other"], people["hr"]
    a = active_request(
        employer,
        rep,
        hr,
        on=dt.date(2026, 4, 6),
        contract_start=dt.date(2026, 5, 1),
        specialist_fields={"citizenship": "DE"},
    )
    b = submitted_request(
        other_employer,
        other,
        on=dt.date(2026, 3, 2),
        category="manager",
        contract_start=dt.date(2026, 3, 23),
        specialist_fields={"citizenship": "GB"},
        occupation_code="1120",
    )
    services.check(b, by=hr, on=dt.date(2026, 3, 20))
    services.approve(b, by=hr, on=dt.date(2026, 3, 20))
    services.activate(b, by=hr)
    services.end(b, by=hr, end_reason="departure", on=dt.date(2026, 4, 30))
    c = submitted_request(employer, rep, on=dt.date(2026, 4, 13), specialist_fields={"citizenship": "IT"})
    services.refuse(c, by=hr, grounds="Not needed.", on=dt.date(2026, 4, 14))
    d = submitted_request(
        other_employer,
        other,
        on=dt.date(2026, 4, 1),
        category="qualified_worker",
        specialist_fields={"citizenship": "JP"},
        occupation_code="7233",
    )
    e = submitted_request(employer, rep, on=dt.date(2026, 5, 1), specialist_fields={"citizenship": "DE"})
    return {"a": a, "b": b, "c": c, "d": d, "e": e}  # fmt: skip


def by_key(rows):
    return {r.key: (r.requests, r.approved, r.refused, r.working) for r in rows}


def test_figures_by_every_grouping(world, employer, other_employer):
    data = selectors.statistics(TODAY)
    assert by_key(data.groups["country"]) == {
        "DE": (2, 1, 0, 1),
        "GB": (1, 1, 0, 0),
        "IT": (1, 0, 1, 0),
        "JP": (1, 0, 0, 0),
    }
    assert by_key(data.groups["category"]) == {
        "specialist": (3, 1, 1, 1),
        "manager": (1, 1, 0, 0),
        "qualified_worker": (1, 0, 0, 0),
    }
    assert by_key(data.groups["occupation"]) == {
        "2512-1-002": (3, 1, 1, 1),
        "1120": (1, 1, 0, 0),
        "7233": (1, 0, 0, 0),
    }
    assert by_key(data.groups["employer"]) == {
        str(employer.pk): (3, 1, 1, 1),
        str(other_employer.pk): (2, 1, 0, 0),
    }
    assert data.groups["country"][0].key == "DE"  # largest first
    # Decided: A (on time), B (late), C (on time); D overdue; E not yet due.
    assert (data.sla.on_time, data.late, data.sla.overdue) == (2, 1, 1)
    assert data.sla.compliance == Decimal("0.5000")
    assert data.sla == requests_selectors.sla(TODAY)


def test_statistics_in_a_constant_number_of_queries(world, people, employer):
    with CaptureQueriesContext(connection) as few:
        selectors.statistics(TODAY)
    for _ in range(3):
        active_request(employer, people["rep"], people["hr"], on=dt.date(2026, 4, 20))
    with CaptureQueriesContext(connection) as more:
        selectors.statistics(TODAY)
    assert len(few) == len(more) == 5


def test_month_points_hand_computed(world):
    points = selectors.month_points(dt.date(2026, 2, 1), dt.date(2026, 5, 31))
    assert [p.on for p in points] == [
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 31),
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 31),
    ]
    # Active: B from 23 Mar until it ended on 30 Apr (not counted that day); A from 1 May.
    assert [p.active for p in points] == [0, 1, 0, 1]
    # Pending at month ends: 31 Mar none (B decided 20 Mar; D submitted 1 Apr); 30 Apr D; 31 May D, E.
    assert [p.pending for p in points] == [0, 0, 1, 2]
    # SLA: 31 Mar B late (decided 1, on time 0); 30 Apr + A, C on time, D overdue.
    assert [(p.sla.decided, p.sla.on_time, p.sla.overdue) for p in points] == [
        (0, 0, 0),
        (1, 0, 0),
        (3, 2, 1),
        (3, 2, 2),
    ]
    assert [p.sla.compliance for p in points] == [None, Decimal("0"), Decimal("0.5000"), Decimal("0.4000")]


def test_series_are_registered_and_match_the_value_on_the_day(world):
    metrics = manifest.metrics()
    end = dt.date(2026, 5, 31)
    with CaptureQueriesContext(connection) as queries:
        series = metrics["workforce.active"].series(dt.date(2025, 1, 1), end)
    assert len(queries) == 1 and len(series) == 17
    for code in (
        "workforce.active",
        "workforce.pending",
        "workforce.sla_compliance",
        "workforce.sla_breaches",
    ):
        metric = metrics[code]
        assert metric.series is not None
        (on, value), *_ = metric.series(end, end)
        assert on == end
        assert value == metric.value(end)
    assert selectors.month_points(dt.date(2026, 5, 2), dt.date(2026, 5, 30)) == []


def client_for(user) -> Client:
    client = Client()
    login_with_2fa(client, user)
    return client


@pytest.mark.parametrize("who", ["hr", "auditor", "executive"])
def test_statistics_page_and_xlsx(people, world, who):
    client = client_for(people[who])
    page = client.get(reverse("workforce_reports:statistics"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<img" in html and "data:image/svg+xml" in html
    sheet = client.get(reverse("workforce_reports:statistics"), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert len(rows[0]) == 6
    assert sum(r[2] for r in rows[1:] if r[0] == rows[1][0]) == 5  # the first grouping covers all five


def test_statistics_page_refused_to_participants(people, world):
    assert client_for(people["rep"]).get(reverse("workforce_reports:statistics")).status_code == 403
