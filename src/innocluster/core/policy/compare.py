"""What-if, side by side: the same date read under two (or more) regimes.

Two views answer "what would change": the values of every key (which differ, which one regime
lacks) and the outcomes for one subject (whatever an app offers: a party, a case, an amount).
Core knows no subject: apps contribute :class:`WhatIf` entries to the manifest hook
``policy.what_ifs``.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .display import label, render_value
from .values import InForce, PolicyError, lookup

WHAT_IFS = "policy.what_ifs"


@dataclass(frozen=True)
class Outcome:
    """One line of a what-if result: what it is (in the reader's language) and how it reads."""

    label: str
    value: str


@dataclass(frozen=True)
class WhatIf:
    """A subject apps let people compare across regimes.

    ``run(subject, on, regime)`` returns the outcomes for the subject named by ``subject`` (text a
    person types: an identifier, a number, an amount) read on ``on`` under ``regime``; it
    raises ``LookupError`` or ``ValueError`` with a readable message for a subject it cannot find
    or read. ``action`` is the access action a reader needs (the subject may be private).
    """

    name: str
    label: Any
    prompt: Any
    run: Callable[[str, date, str], list[Outcome]]
    action: str
    example: str = ""


def what_ifs() -> dict[str, WhatIf]:
    from innocluster.core.manifest import hooks

    return {w.name: w for w in hooks(WHAT_IFS)}


@dataclass(frozen=True)
class ValueRow:
    key: str
    label: str
    values: tuple[str, ...]  # per regime, as people read it ("—" where the regime has none)
    references: tuple[str, ...]
    differs: bool


@dataclass(frozen=True)
class OutcomeRow:
    label: str
    values: tuple[str, ...]
    differs: bool


def _keys(regimes: Sequence[str]) -> list[str]:
    from .models import ParameterValue

    return sorted(set(ParameterValue.objects.filter(regime__code__in=regimes).values_list("key", flat=True)))


def _read(key: str, on: date, regime: str) -> InForce | None:
    try:
        return lookup(key, on=on, regime=regime)
    except PolicyError:
        return None


def compare_values(regimes: Sequence[str], on: date, *, differing_only: bool = False) -> list[ValueRow]:
    """Every key of any of ``regimes`` with its value in force on ``on`` in each."""
    rows = []
    for key in _keys(regimes):
        found = [_read(key, on, code) for code in regimes]
        shown = tuple("—" if f is None else render_value(f) for f in found)
        raw = [None if f is None else (f.kind, f.value) for f in found]
        differs = any(r != raw[0] for r in raw[1:])
        if differing_only and not differs:
            continue
        references = tuple("" if f is None else f.localized_reference for f in found)
        rows.append(ValueRow(key, label(key), shown, references, differs))
    return rows


def compare_outcomes(what_if: WhatIf, subject: str, regimes: Sequence[str], on: date) -> list[OutcomeRow]:
    """The outcome lines of ``what_if`` for ``subject`` under each regime, matched by label.

    A regime under which the outcome cannot be computed (no rule in force) shows the reason.
    """
    per_regime: list[dict[str, str]] = []
    order: list[str] = []
    for code in regimes:
        try:
            outcomes = what_if.run(subject, on, code)
        except PolicyError as exc:
            outcomes = [Outcome(str(what_if.label), str(exc))]
        lines = {}
        for outcome in outcomes:
            lines[outcome.label] = outcome.value
            if outcome.label not in order:
                order.append(outcome.label)
        per_regime.append(lines)
    rows = []
    for line in order:
        values = tuple(lines.get(line, "—") for lines in per_regime)
        rows.append(OutcomeRow(line, values, any(v != values[0] for v in values[1:])))
    return rows
