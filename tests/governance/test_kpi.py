"""KPI evaluation: the status arithmetic (both directions, a year running or over), a KPI whose
metric no installed app offers shown as not available (never 0), and actuals read from live data
through the manifests: admit a participant and the participants KPI goes up."""

import datetime as dt
from decimal import Decimal

import pytest

from innocluster.core.policy import values as policy
from innocluster.governance import selectors
from innocluster.governance.kpis import KpiInput, MetricInfo, Reason, Status, elapsed, evaluate, status_of
from innocluster.governance.models import Kpi
from innocluster.governance.services import strategy as s
from innocluster.registry.services.register import load_reference_data
from tests.factories.accounts import Person
from tests.governance.conftest import board_decision, drafted_strategy

D = Decimal
PEOPLE = {"secretary": Person("corporate_secretary", "secretary")}


# --- the arithmetic (pure) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "target", "higher", "progress", "unit", "expected"),
    [
        # A finished year: met or behind, whichever way is better.
        ("120", "100", True, "1", "count", Status.MET),
        ("100", "100", True, "1", "count", Status.MET),
        ("99", "100", True, "1", "count", Status.BEHIND),
        ("80", "100", False, "1", "count", Status.MET),
        ("100", "100", False, "1", "count", Status.MET),
        ("101", "100", False, "1", "count", Status.BEHIND),
        # The year half gone: a running total is held to half the target...
        ("60", "100", True, "0.5", "count", Status.ON_TRACK),
        ("50", "100", True, "0.5", "KZT", Status.ON_TRACK),
        ("40", "100", True, "0.5", "KZT", Status.BEHIND),
        ("100", "100", True, "0.5", "count", Status.MET),
        # ...a share to the whole target.
        ("0.80", "0.85", True, "0.5", "ratio", Status.BEHIND),
        ("0.90", "0.85", True, "0.5", "ratio", Status.MET),
        # Lower is better: under the target while the year runs is on track, over it is behind.
        ("80", "100", False, "0.5", "count", Status.ON_TRACK),
        ("120", "100", False, "0.5", "count", Status.BEHIND),
    ],
)
def test_status_arithmetic(actual, target, higher, progress, unit, expected):
    assert (
        status_of(D(actual), D(target), higher_is_better=higher, progress=D(progress), unit=unit) == expected
    )


def test_no_actual_or_no_target_or_a_future_year_is_not_available():
    assert status_of(None, D(1), higher_is_better=True) == Status.NOT_AVAILABLE
    assert status_of(D(1), None, higher_is_better=True) == Status.NOT_AVAILABLE
    assert status_of(D(1), D(1), higher_is_better=True, progress=None) == Status.NOT_AVAILABLE


def test_elapsed_share_of_the_year():
    today = dt.date(2026, 7, 2)
    assert elapsed(2025, today) == 1
    assert elapsed(2027, today) is None
    assert elapsed(2026, today) == D(183) / D(365)


def _metric(code, value, app="registry", unit="count"):
    return MetricInfo(code, app, code, unit, value)


def test_evaluate_reads_metrics_on_the_right_day_and_a_missing_metric_is_not_zero():
    read = []

    def participants(on):
        read.append(on)
        return 130

    lookup = {"registry.participants": _metric("registry.participants", participants)}.get
    kpis = [
        KpiInput("known", "registry.participants", "count", True, D(120)),
        KpiInput("missing", "grants.awarded", "KZT", True, D(1000)),
        KpiInput("manual", "", "count", True, D(5), manual=D(3)),
        KpiInput("no target", "registry.participants", "count", True, None),
        KpiInput("no value", "", "count", True, D(5)),
    ]
    today = dt.date(2026, 7, 2)
    past = {r.key: r for r in evaluate(kpis, year=2025, today=today, lookup=lookup)}
    assert read == [dt.date(2025, 12, 31), dt.date(2025, 12, 31)]  # a past year: read on 31 December
    assert (
        past["known"].actual == 130
        and past["known"].status == Status.MET
        and past["known"].source == "registry"
    )
    missing = past["missing"]
    assert missing.status == Status.NOT_AVAILABLE and missing.reason == Reason.NO_METRIC
    assert missing.actual is None and missing.source == "" and missing.share_of_target is None
    assert (
        past["manual"].actual == 3
        and past["manual"].status == Status.BEHIND
        and past["manual"].source == "manual"
    )
    assert past["no target"].status == Status.NOT_AVAILABLE and past["no target"].reason == Reason.NO_TARGET
    assert past["no value"].reason == Reason.NO_MANUAL_VALUE
    read.clear()
    current = {r.key: r for r in evaluate(kpis[:1], year=2026, today=today, lookup=lookup)}
    assert read == [today] and current["known"].on == today
    future = evaluate(kpis[:1], year=2027, today=today, lookup=lookup)[0]
    assert future.status == Status.NOT_AVAILABLE and future.reason == Reason.NOT_BEGUN and read == [today]


def test_a_metric_without_a_figure_for_the_day_is_not_available():
    lookup = {"registry.applications_decided_on_time": _metric("x", lambda on: None, unit="ratio")}.get
    kpi = KpiInput(1, "registry.applications_decided_on_time", "ratio", True, D("0.9"))
    result = evaluate([kpi], year=2025, today=dt.date(2026, 1, 5), lookup=lookup)[0]
    assert (
        result.status == Status.NOT_AVAILABLE and result.reason == Reason.NO_FIGURE and result.actual is None
    )


# --- over live data -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_participants_kpi_goes_up_when_a_participant_is_admitted(people):
    from tests.registry.test_membership import make_participant

    load_reference_data()
    by = people["secretary"]
    _strategy, version, _goal, kpi = drafted_strategy(by)
    s.approve_version(version, decision=board_decision(by), by=by)
    today = policy.today()
    row = selectors.kpi_report(version, today.year)[0]
    assert row.kpi == kpi and row.result.actual == 0 and row.result.source == "registry"
    assert row.result.target == 100 + 50 * (today.year - 2025)  # +50 a year from 100 in 2025
    make_participant(registered_on=today, name="ТОО «Жаңа»")
    after = selectors.kpi_report(version, today.year)[0]
    assert after.result.actual == 1
    # The year before: read on its 31 December, when the participant was not yet admitted.
    assert selectors.kpi_report(version, today.year - 1)[0].result.actual == 0


@pytest.mark.django_db
def test_a_kpi_whose_metric_is_not_registered_is_not_available(people):
    by = people["secretary"]
    _strategy, version, goal, _kpi = drafted_strategy(by)
    # A KPI of a module since removed (rows keep the code; no installed app offers it).
    gone = Kpi.objects.create(
        goal=goal, position=9, title_en="Grants awarded", metric="grants.awarded", unit="KZT"
    )
    s.set_target(gone, year=2026, value="5000000", by=by)
    rows = {r.kpi.pk: r for r in selectors.kpi_report(version, 2026)}
    result = rows[gone.pk].result
    assert result.status == Status.NOT_AVAILABLE and result.reason == Reason.NO_METRIC
    assert result.actual is None and result.target == D("5000000.0000")
    # And a registered metric hidden from the catalogue (its app uninstalled) reads the same way.
    catalogue = {k: v for k, v in selectors.metric_catalogue().items() if not k.startswith("registry.")}
    hidden = selectors.kpi_report(version, 2026, catalogue=catalogue)[0].result
    assert hidden.status == Status.NOT_AVAILABLE and hidden.actual is None
