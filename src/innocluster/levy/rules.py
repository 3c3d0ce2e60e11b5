"""The levy's arithmetic as pure functions, and the same functions as policy formulas so that the
law cases (``innocluster policy test``, ``levy/lawcases/``) exercise exactly what assessment runs.

DOMAIN.md's conventions: the obligation year is Y; its base is the declaration for Y−1; the rate
is the one in force on 1 January Y, read from the active regime's dated policy by the contract's
basis; the amount is rounded half-up to the tiyn once; a joint contract's amount is split by the
holders' shares with the rounding remainder assigned so the parts sum to the whole; excess carries
forward for ``levy.carry_forward_years``.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Any

from innocluster.core.money import TIYN, to_tiyn
from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula

INCOME = "income"
EXTRACTION_COSTS = "extraction_costs"
RATE_KEYS = {INCOME: "levy.rate", EXTRACTION_COSTS: "levy.rate_extraction_costs"}
ZERO = Decimal("0.00")


def rate_day(year: int) -> dt.date:
    """The day whose rate applies to obligation year ``year``: 1 January of that year."""
    return dt.date(year, 1, 1)


def rate_key(basis: str) -> str:
    try:
        return RATE_KEYS[basis]
    except KeyError:
        raise ValueError(f"unknown basis {basis!r}; known: {', '.join(RATE_KEYS)}") from None


def rate_in_force(history: Sequence[tuple[dt.date, Any]], on: dt.date) -> Decimal | None:
    """From dated values ``[(valid_from, rate), ...]``, the one in force on ``on`` (the latest
    starting on or before it). ``LookupError`` when none is in force yet."""
    current = None
    for valid_from, value in sorted(history, key=lambda item: item[0]):
        if valid_from <= on:
            current = (valid_from, value)
    if current is None:
        raise LookupError(f"no rate in force on {on.isoformat()}")
    return None if current[1] is None else Decimal(str(current[1]))


def levy_rate(basis: str, year: int, regime: str | None = None) -> Decimal | None:
    """The rate for obligation year ``year`` on ``basis`` (``None``: the regime sets no levy)."""
    return policy.value(rate_key(basis), on=rate_day(year), regime=regime)


def obligation_applies(
    basis: str, year: int, production_start_year: int | None, regime: str | None = None
) -> bool:
    """An income-based contract owes for every year; an extraction-cost contract only from its
    ``levy.extraction_costs_from_production_year``-th production year (2: the second)."""
    if basis != EXTRACTION_COSTS:
        return True
    if production_start_year is None:
        return False
    first = policy.value("levy.extraction_costs_from_production_year", on=rate_day(year), regime=regime)
    return year - production_start_year + 1 >= int(first)


def obligation_amount(base: Decimal, rate: Decimal | None) -> Decimal:
    """``base × rate`` rounded half-up to the tiyn once (a null rate: nothing is owed)."""
    if rate is None:
        return ZERO
    if base < 0:
        raise ValueError("a base is never negative")
    return to_tiyn(Decimal(base) * Decimal(rate))


def split_by_shares(total: Decimal, shares: Sequence[Decimal]) -> list[Decimal]:
    """``total`` split by ``shares`` (which sum to 1) so the parts sum exactly to ``total``: each
    part is first cut down to the tiyn, then the tiyn left over go one each to the parts with the
    largest cut-off remainders (ties: the earlier holder). Every part differs from its exact share
    by less than one tiyn."""
    total = Decimal(total)
    if total != total.quantize(TIYN):
        raise ValueError("the total is rounded to the tiyn before it is split")
    if not shares:
        raise ValueError("a split needs at least one share")
    if any(Decimal(s) < 0 for s in shares) or sum(Decimal(s) for s in shares) != 1:
        raise ValueError("shares are non-negative and sum to 1")
    exact = [total * Decimal(s) for s in shares]
    parts = [e.quantize(TIYN, rounding=ROUND_DOWN) for e in exact]
    left = int((total - sum(parts, ZERO)) / TIYN)
    order = sorted(range(len(shares)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += TIYN
    return parts


def carry_forward_until(source_year: int, years: int | None) -> dt.date | None:
    """The last day an excess arising on obligation year ``source_year`` may settle a later
    obligation: 31 December of ``source_year + years`` (0 years: it never carries forward).
    ``None`` years (the regime sets no cap, as the sources set none) gives ``None``: no last day."""
    if years is None:
        return None
    return dt.date(source_year + int(years), 12, 31)


def apply_carry_forward(
    obligation_year: int, owed: Decimal, credits: Sequence[Mapping[str, Any]]
) -> tuple[Decimal, list[Decimal]]:
    """How much of ``owed`` for ``obligation_year`` the credits settle, oldest first. A credit is
    ``{"year": source year, "amount": left, "until": last usable day or None (no cap)}``; one from a
    later year than the obligation, or expired before 1 January of the obligation year, settles
    nothing. Returns
    ``(still owed, used per credit)``."""
    remaining = Decimal(owed)
    used: list[Decimal] = []
    for credit in credits:
        until = credit["until"]
        usable = credit["year"] < obligation_year and (until is None or until >= rate_day(obligation_year))
        take = min(remaining, Decimal(credit["amount"])) if usable else ZERO
        used.append(take)
        remaining -= take
    return remaining, used


# --- the formulas the law cases call ----------------------------------------------------------


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@formula("levy.obligation")
def obligation_formula(
    *,
    year: int,
    base: str,
    basis: str = INCOME,
    production_start_year: int | None = None,
    rate_changes: Sequence[Mapping[str, Any]] | None = None,
    on: dt.date | None = None,
    regime: str | None = None,
) -> Decimal | None:
    """The obligation for ``year`` on a base of year ``year − 1``: ``None`` when none applies (an
    extraction-cost contract before its second production year). ``rate_changes`` (``[{valid_from,
    value}]``) replaces the regime's dated rates, to show which dated value applies."""
    if not obligation_applies(basis, year, production_start_year, regime=regime):
        return None
    if rate_changes is not None:
        history = [(_date(change["valid_from"]), change["value"]) for change in rate_changes]
        rate = rate_in_force(history, rate_day(year))
    else:
        rate = levy_rate(basis, year, regime=regime)
    return obligation_amount(Decimal(str(base)), rate)


@formula("levy.split")
def split_formula(
    *, total: str, shares: Sequence[str], on: dt.date | None = None, regime: str | None = None
) -> list[str]:
    """A joint contract's obligation split by the holders' shares (as decimal strings)."""
    return [str(part) for part in split_by_shares(Decimal(str(total)), [Decimal(str(s)) for s in shares])]


@formula("levy.carry_forward")
def carry_forward_formula(
    *,
    excess_year: int,
    excess: str,
    obligation_year: int,
    owed: str,
    term_changes: Sequence[Mapping[str, Any]] | None = None,
    on: dt.date | None = None,
    regime: str | None = None,
) -> str:
    """What is still owed for ``obligation_year`` once an excess paid or spent on ``excess_year``
    carries forward for ``levy.carry_forward_years`` (read on 31 December of the excess year; an
    explicit null: no cap). ``term_changes`` (``[{valid_from, value}]``) replaces the regime's
    dated terms, to show how a regime that sets a cap would read."""
    term_day = dt.date(excess_year, 12, 31)
    if term_changes is not None:
        history = [(_date(change["valid_from"]), change["value"]) for change in term_changes]
        term = rate_in_force(history, term_day)
        years = None if term is None else int(term)
    else:
        years = policy.value("levy.carry_forward_years", on=term_day, regime=regime)
    until = carry_forward_until(excess_year, years)
    remaining, _used = apply_carry_forward(
        obligation_year,
        Decimal(str(owed)),
        [{"year": excess_year, "amount": Decimal(str(excess)), "until": until}],
    )
    return str(remaining)
