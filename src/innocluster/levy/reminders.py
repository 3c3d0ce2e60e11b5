"""Reminders ``innocluster tick`` sends about declarations: from ``levy.declaration_reminder_days``
before ``levy.declaration_deadline`` up to the deadline, to the confirmed representatives of each
holder of a contract not yet declared for the previous year. Deduplicated per contract, holder,
year and person, so each hears it once."""

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from innocluster.core.notifications.reminders import Reminder
from innocluster.core.policy import values as policy
from innocluster.core.policy.values import NoValueInForce
from innocluster.levy.selectors.contracts import undeclared_holders
from innocluster.parties import selectors as parties


def declaration_deadline(year: int) -> dt.date | None:
    """The deadline for declaring base year ``year − 1`` in obligation year ``year``."""
    try:
        month_day = policy.value("levy.declaration_deadline", on=dt.date(year, 1, 1))
    except NoValueInForce:
        return None
    return None if month_day is None else dt.date(year, int(month_day[:2]), int(month_day[3:]))


def declaration_reminders(today: dt.date) -> Iterable[Reminder]:
    deadline = declaration_deadline(today.year)
    if deadline is None:
        return
    try:
        lead = policy.value("levy.declaration_reminder_days", on=today)
    except NoValueInForce:
        return
    if not (deadline - dt.timedelta(days=int(lead or 0)) <= today <= deadline):
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
