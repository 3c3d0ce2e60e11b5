"""Core law formulas that ``innocluster policy test`` cases can call."""

from datetime import date

from innocluster.core import calendar
from innocluster.core.policy import values as rules_values
from innocluster.core.policy.formulas import formula


@formula("calendar.working_day_deadline")
def working_day_deadline(
    *, event_date: date, days_key: str, on: date | None = None, regime: str | None = None
):
    """The deadline ``days_key`` working days after ``event_date`` (day 1 is the first working day
    after the event, DOMAIN: deadline counting), with the number of days taken from policy."""
    days = rules_values.value(days_key, on=on or event_date, regime=regime)
    return calendar.add_working_days(event_date, days)
