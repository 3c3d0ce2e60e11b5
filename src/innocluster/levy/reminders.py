"""Reminders ``innocluster tick`` sends about declarations: from ``levy.declaration_reminder_days``
before ``levy.declaration_deadline`` up to the deadline, to the confirmed representatives of each
holder of a contract not yet declared for the previous year. Deduplicated per contract, holder,
year and person, so each hears it once."""

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from innocluster.core.notifications.reminders import Reminder
from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula
from innocluster.levy.selectors.contracts import undeclared_holders
from innocluster.parties import selectors as parties


def declaration_deadline(year: int, regime: str | None = None) -> dt.date | None:
    """The deadline for declaring base year ``year − 1`` in obligation year ``year`` (the value in
    force on 1 January ``year``); ``None`` when the regime sets none (an explicit null row). A
    missing row raises ``NoValueInForce``."""
    month_day = policy.value("levy.declaration_deadline", on=dt.date(year, 1, 1), regime=regime)
    return None if month_day is None else dt.date(year, int(month_day[:2]), int(month_day[3:]))


def reminders_from(year: int, on: dt.date, regime: str | None = None) -> dt.date | None:
    """The first day representatives are reminded of the ``year`` deadline: ``None`` when there is
    no deadline or the regime sends no reminder (null ``levy.declaration_reminder_days``)."""
    deadline = declaration_deadline(year, regime=regime)
    lead = policy.value("levy.declaration_reminder_days", on=on, regime=regime)
    if deadline is None or lead is None:
        return None
    return deadline - dt.timedelta(days=int(lead))


@formula("levy.declaration_deadline")
def declaration_deadline_formula(*, year: int, on: dt.date | None = None, regime: str | None = None):
    """Law cases: the declaration deadline of obligation year ``year``."""
    return declaration_deadline(year, regime=regime)


@formula("levy.reminders_from")
def reminders_from_formula(*, year: int, on: dt.date, regime: str | None = None):
    """Law cases: the first reminder day for the ``year`` deadline, by the rules in force on ``on``."""
    return reminders_from(year, on, regime=regime)


def declaration_reminders(today: dt.date) -> Iterable[Reminder]:
    deadline = declaration_deadline(today.year)
    start = reminders_from(today.year, today)
    if deadline is None or start is None or not (start <= today <= deadline):
        return
    base_year = today.year - 1
    for holder in undeclared_holders(base_year):
        for representation in parties.representations(organisation=holder.organisation_id).select_related(
            "user"
        ):
            yield Reminder(
                recipient=representation.user,
                key="reminder.deadline",
                context={
                    "deadline": deadline,
                    "what": _("declaration of the levy base for %(year)s, contract %(number)s")
                    % {"year": base_year, "number": holder.contract.number},
                    "days_left": (deadline - today).days,
                },
                obj=holder.contract,
                dedupe_key=f"levy.declaration:{holder.contract_id}:{holder.organisation_id}:{base_year}:{representation.user_id}",
            )
