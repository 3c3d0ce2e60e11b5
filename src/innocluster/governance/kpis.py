"""KPI evaluation: target, actual and status of each KPI for a year, as pure functions.

Nothing here touches the database or imports an app: the caller passes the KPIs as plain
:class:`KpiInput` rows and a ``lookup(code)`` that returns the platform metric of that code (with
the app that offers it) or ``None`` when no installed app declares it. A missing metric is
"not available", never 0: a module that is not installed has measured nothing.

Which day a metric is read on: 31 December for a past year, today for the current year; a future
year has no actual yet. A KPI without a metric takes the value entered by hand for the year.

Status arithmetic (``higher_is_better`` says which way is good):

* **met**: the actual reaches the target (≥ it, or ≤ it when lower is better). While the year
  runs, a lower-is-better KPI under its target is only *on track*: it may still rise.
* **on track** (the year still running, higher is better): the actual has reached the share of
  the target the elapsed part of the year calls for (``target × days elapsed / days in the
  year``); a share (unit ``ratio``) is no running total and is held to the full target.
* **behind**: neither; for a finished year, whatever is not met.
* **not available**: no actual (metric not offered by any installed app, no figure for the day,
  no value entered, a year not begun) or no target for the year.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_AVAILABLE = "not_available"


class Reason(StrEnum):
    """Why a KPI has no status (``not_available``); blank when it has one."""

    NONE = ""
    NO_METRIC = "no_metric"  # no installed app offers the metric
    NO_FIGURE = "no_figure"  # the metric has no value for the day (a share of nothing)
    NO_MANUAL_VALUE = "no_manual_value"  # nothing entered by hand for the year
    NOT_BEGUN = "not_begun"  # the year has not started
    NO_TARGET = "no_target"  # no target for the year


@dataclass(frozen=True)
class MetricInfo:
    """A metric as the evaluation sees it: its code, the app that offers it, label, unit, reader."""

    code: str
    app: str
    label: Any
    unit: str
    value: Callable[[dt.date], Any]


@dataclass(frozen=True)
class KpiInput:
    key: Any  # the caller's handle on the KPI (its id, or the row itself)
    metric: str  # "" for a KPI entered by hand
    unit: str
    higher_is_better: bool
    target: Decimal | None
    manual: Decimal | None = None  # the value entered by hand for the year (latest entry)


@dataclass(frozen=True)
class KpiResult:
    key: Any
    target: Decimal | None
    actual: Decimal | None
    status: Status
    reason: Reason
    source: str  # the app offering the metric, "manual" for a value entered by hand, "" if none
    on: dt.date | None  # the day the metric was read on

    @property
    def available(self) -> bool:
        return self.status != Status.NOT_AVAILABLE

    @property
    def share_of_target(self) -> Decimal | None:
        """The actual as a fraction of the target (None without both or with a zero target)."""
        if self.actual is None or not self.target:
            return None
        return (self.actual / self.target).quantize(Decimal("0.0001"))


MANUAL = "manual"


def reading_day(year: int, today: dt.date) -> dt.date | None:
    """The day a metric is read for ``year``: 31 December of a past year, today in the current
    year, None for a year not begun."""
    if year < today.year:
        return dt.date(year, 12, 31)
    if year == today.year:
        return today
    return None


def elapsed(year: int, today: dt.date) -> Decimal | None:
    """The share of ``year`` gone by on ``today`` (1 for a past year; None for a future one)."""
    if year < today.year:
        return Decimal(1)
    if year > today.year:
        return None
    first = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - first).days
    return Decimal((today - first).days + 1) / Decimal(days)


def _number(value) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


def status_of(
    actual: Decimal | None,
    target: Decimal | None,
    *,
    higher_is_better: bool,
    progress: Decimal | None = Decimal(1),
    unit: str = "count",
) -> Status:
    """The status of one KPI. ``progress`` is the share of the year elapsed (1: the year is over)."""
    if actual is None or target is None or progress is None:
        return Status.NOT_AVAILABLE
    over = progress >= 1
    if higher_is_better:
        if actual >= target:
            return Status.MET
        if over:
            return Status.BEHIND
        expected = target if unit == "ratio" else target * progress
        return Status.ON_TRACK if actual >= expected else Status.BEHIND
    if actual <= target:
        return Status.MET if over else Status.ON_TRACK
    return Status.BEHIND


def evaluate(
    kpis: Iterable[KpiInput],
    *,
    year: int,
    today: dt.date,
    lookup: Callable[[str], MetricInfo | None],
) -> list[KpiResult]:
    """Target, actual and status of each KPI for ``year`` as seen on ``today``."""
    day = reading_day(year, today)
    progress = elapsed(year, today)
    results = []
    for kpi in kpis:
        actual, source, reason, on = None, "", Reason.NONE, None
        if kpi.metric:
            metric = lookup(kpi.metric)
            if metric is None:
                reason = Reason.NO_METRIC
            else:
                source = metric.app
                if day is None:
                    reason = Reason.NOT_BEGUN
                else:
                    on = day
                    actual = _number(metric.value(day))
                    if actual is None:
                        reason = Reason.NO_FIGURE
        else:
            source = MANUAL
            if day is None:
                reason = Reason.NOT_BEGUN
            else:
                actual = kpi.manual
                if actual is None:
                    reason = Reason.NO_MANUAL_VALUE
        if not reason and kpi.target is None:
            reason = Reason.NO_TARGET
        status = (
            Status.NOT_AVAILABLE
            if reason
            else status_of(
                actual, kpi.target, higher_is_better=kpi.higher_is_better, progress=progress, unit=kpi.unit
            )
        )
        results.append(KpiResult(kpi.key, kpi.target, actual, status, reason, source, on))
    return results
