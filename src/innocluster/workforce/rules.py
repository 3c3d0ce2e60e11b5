"""The simplified procedure's arithmetic as pure functions of the regime's dated rules, and the
same functions as policy formulas, so that the law cases (``innocluster policy test``,
``workforce/lawcases/``) exercise exactly what the services run.

- The longest contract (and work visa) is ``workforce.visa_max_years``: a term that starts on
  1 April 2026 may end on 31 March 2031 at the latest (N whole years, the end day included).
- The decision is due ``workforce.decision_days`` Kazakh working days after the Almaty date of the
  (re)submission (DOMAIN.md, deadline counting: day 1 is the first working day after it).
- Expiry warnings start ``workforce.alert_days`` calendar days before a date.
- The advice: the normal procedure's quota and work permit, and the Kazakh staff share for the
  request's category (managers: ``kz_share_managers``; specialists and qualified workers:
  ``kz_share_specialists``).
"""

import datetime as dt
from decimal import Decimal

from innocluster.core.calendar import add_working_days
from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula

MANAGER = "manager"
SHARE_KEYS = {
    "manager": "workforce.advice.kz_share_managers",
    "specialist": "workforce.advice.kz_share_specialists",
    "qualified_worker": "workforce.advice.kz_share_specialists",
}
REQUIREMENT_KEYS = {
    "quota": "workforce.advice.quota_required",
    "work_permit": "workforce.advice.work_permit_required",
}


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


@formula("workforce.latest_contract_end")
def latest_contract_end(
    *, contract_start: dt.date, on: dt.date | None = None, regime: str | None = None
) -> dt.date:
    """The last day a contract starting on ``contract_start`` may run to under
    ``workforce.visa_max_years`` in force on ``on`` (default: the start)."""
    years = policy.value("workforce.visa_max_years", on=on or contract_start, regime=regime)
    return add_years(contract_start, int(years)) - dt.timedelta(days=1)


@formula("workforce.term_allowed")
def term_allowed(
    *, contract_start: dt.date, contract_end: dt.date, on: dt.date | None = None, regime: str | None = None
) -> bool:
    return (
        contract_start
        < contract_end
        <= latest_contract_end(contract_start=contract_start, on=on, regime=regime)
    )


@formula("workforce.decision_deadline")
def decision_deadline(
    *, submitted_on: dt.date, on: dt.date | None = None, regime: str | None = None
) -> dt.date:
    """The day the Fund must decide by, for a request (re)submitted on ``submitted_on`` (Almaty)."""
    days = policy.value("workforce.decision_days", on=on or submitted_on, regime=regime)
    return add_working_days(submitted_on, int(days))


@formula("workforce.required_documents")
def required_documents(*, on: dt.date, regime: str | None = None) -> list[str]:
    """The document kind codes the simplified procedure requires, in the policy's order."""
    return [str(code) for code in policy.value("workforce.documents.required", on=on, regime=regime) or []]


@formula("workforce.alert_from")
def alert_from(*, expires_on: dt.date, on: dt.date, regime: str | None = None) -> dt.date:
    """The first day of the warning before ``expires_on``."""
    days = policy.value("workforce.alert_days", on=on, regime=regime)
    return expires_on - dt.timedelta(days=int(days))


@formula("workforce.kz_share")
def kz_share(*, category: str, on: dt.date, regime: str | None = None) -> Decimal:
    """The normal procedure's minimum share of Kazakh staff in the request's category (advice)."""
    try:
        key = SHARE_KEYS[category]
    except KeyError:
        raise ValueError(f"unknown category {category!r}; known: {', '.join(SHARE_KEYS)}") from None
    return policy.value(key, on=on, regime=regime)


@formula("workforce.normal_procedure_requires")
def normal_procedure_requires(*, requirement: str, on: dt.date, regime: str | None = None) -> bool:
    """Whether the normal procedure would require a ``quota`` or a ``work_permit`` (advice)."""
    try:
        key = REQUIREMENT_KEYS[requirement]
    except KeyError:
        raise ValueError(
            f"unknown requirement {requirement!r}; known: {', '.join(REQUIREMENT_KEYS)}"
        ) from None
    return bool(policy.value(key, on=on, regime=regime))
