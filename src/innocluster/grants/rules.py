"""Project financing's arithmetic as pure functions of the regime's dated rules (``policy.yaml``),
registered as policy formulas so that the law cases (``grants/lawcases/``) exercise exactly what the
services run. Every value is our design: the 2015 expertise rules name the stages, not the numbers.

- Intake: the Fund checks a submission within ``grants.intake.days`` Kazakh working days (day 1 is
  the first working day after the Almaty date of the submission).
- Review: an expert's review is due ``grants.review.days`` working days after the assignment.
- The commission gives its opinion once ``grants.review.min_reviews`` experts without a conflict have
  submitted; weighted scores (0 to 100) whose spread exceeds ``grants.review.disagreement_threshold``
  × 100 points are a disagreement.
- An amendment may move up to ``grants.amendment.reallocation_tolerance`` of the award between
  milestones.
- Reports: progress and financial reports every ``grants.report.progress_months`` months from the
  project start (the last period ends with the project); each report is due
  ``grants.report.due_days`` calendar days after its period or milestone; reminders start
  ``grants.report.reminder_days`` calendar days before.
"""

import calendar
import datetime as dt
from decimal import Decimal

from innocluster.core.calendar import add_working_days
from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula

HUNDRED = Decimal("100")


@formula("grants.intake_due")
def intake_due(*, submitted_on: dt.date, on: dt.date | None = None, regime: str | None = None) -> dt.date:
    """The day the intake check is due for an application (re)submitted on ``submitted_on``."""
    days = policy.value("grants.intake.days", on=on or submitted_on, regime=regime)
    return add_working_days(submitted_on, int(days))


@formula("grants.review_due")
def review_due(*, assigned_on: dt.date, on: dt.date | None = None, regime: str | None = None) -> dt.date:
    """The day an expert's review is due, for an assignment made on ``assigned_on``."""
    days = policy.value("grants.review.days", on=on or assigned_on, regime=regime)
    return add_working_days(assigned_on, int(days))


@formula("grants.enough_reviews")
def enough_reviews(*, submitted: int, on: dt.date, regime: str | None = None) -> bool:
    """Whether ``submitted`` reviews (by experts without a conflict) allow the commission's opinion."""
    return int(submitted) >= int(policy.value("grants.review.min_reviews", on=on, regime=regime))


@formula("grants.disagreement")
def disagreement(*, totals: list, on: dt.date, regime: str | None = None) -> bool:
    """Whether the experts' weighted scores ``totals`` (each 0 to 100) differ by more than the
    threshold; fewer than two scores never disagree."""
    values = [Decimal(str(t)) for t in totals]
    if len(values) < 2:
        return False
    threshold = Decimal(str(policy.value("grants.review.disagreement_threshold", on=on, regime=regime)))
    return max(values) - min(values) > threshold * HUNDRED


@formula("grants.reallocation_allowed")
def reallocation_allowed(*, award: Decimal, moved: Decimal, on: dt.date, regime: str | None = None) -> bool:
    """Whether an amendment may move ``moved`` tenge of an ``award`` between milestones."""
    tolerance = Decimal(str(policy.value("grants.amendment.reallocation_tolerance", on=on, regime=regime)))
    return Decimal(str(moved)) <= (Decimal(str(award)) * tolerance).quantize(Decimal("0.01"))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@formula("grants.report_periods")
def report_periods(
    *, starts_on: dt.date, ends_on: dt.date, on: dt.date | None = None, regime: str | None = None
) -> list[dt.date]:
    """The last days of the reporting periods of a project running ``starts_on``..``ends_on``."""
    months = int(policy.value("grants.report.progress_months", on=on or starts_on, regime=regime))
    ends, step = [], 1
    while True:
        end = add_months(starts_on, months * step) - dt.timedelta(days=1)
        if end >= ends_on:
            ends.append(ends_on)
            return ends
        ends.append(end)
        step += 1


@formula("grants.report_due")
def report_due(*, period_end: dt.date, on: dt.date | None = None, regime: str | None = None) -> dt.date:
    """The day a report on a period (or a milestone) ending on ``period_end`` is due."""
    days = policy.value("grants.report.due_days", on=on or period_end, regime=regime)
    return period_end + dt.timedelta(days=int(days))


@formula("grants.reminder_from")
def reminder_from(*, due_on: dt.date, on: dt.date, regime: str | None = None) -> dt.date:
    """The first day the grantee is reminded of a report due on ``due_on``."""
    days = policy.value("grants.report.reminder_days", on=on, regime=regime)
    return due_on - dt.timedelta(days=int(days))
