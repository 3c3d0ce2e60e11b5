"""The authority matrix: which body decides which kind of decision, up to which amount, by which
majority and on which basis. It is regime data (``governance.authority`` in ``policy.yaml``, a list
of rows), read under the regime in force on the day, so a change of the law changes it without a
code change.

A kind may be banded by amount (a grant: the Fund executive up to a cap, the Managing Committee
above it): the row with the smallest ``max_amount`` at or above the amount decides, a row without
``max_amount`` has no cap. Without an amount, the uncapped row answers (the body that may decide
any amount).

The matrix joins the platform as the ``decisions.authority`` provider (:class:`Matrix`, in the
manifest's hooks): ``core.decisions.executors.require_authority`` asks it, so the register refuses
an exclusion decided by the wrong body without knowing this app exists.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from innocluster.core.decisions.executors import Authority
from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula

KEY = "governance.authority"


def _amount(raw: Any) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        raise ValueError(f"{KEY}: max_amount is not an amount: {raw!r}") from None


def _row(raw: dict) -> Authority:
    return Authority(
        decision_type=raw["decision_type"],
        body=raw["body"],
        majority=raw.get("majority") or "",
        max_amount=_amount(raw.get("max_amount")),
        reference=raw.get("reference_en") or "",
        reference_kk=raw.get("reference_kk") or "",
        reference_ru=raw.get("reference_ru") or "",
        source=raw.get("source") or "",
    )


def rows(on: date | None = None, regime: str | None = None) -> list[Authority]:
    """Every row of the matrix in force on ``on`` (default today) under ``regime`` (default: the
    one the timeline puts in force), in the order written. Raises ``PolicyError`` (no regime, no
    value in force) rather than guessing."""
    return [_row(raw) for raw in policy.value(KEY, on=on, regime=regime) or ()]


def banded(found: list[Authority]) -> bool:
    """Whether a kind's rows split it by amount."""
    return any(row.max_amount is not None for row in found)


def choose(found: list[Authority], amount: Decimal | None) -> Authority | None:
    """The row of one kind that decides ``amount``: the smallest cap at or above it, else an
    uncapped row; without an amount, the uncapped row (else the highest cap)."""
    if not found:
        return None
    uncapped = next((row for row in found if row.max_amount is None), None)
    capped = sorted((row for row in found if row.max_amount is not None), key=lambda r: r.max_amount)
    if amount is None:
        return uncapped or (capped[-1] if capped else None)
    return next((row for row in capped if amount <= row.max_amount), uncapped)


def deciding(
    decision_type: str, on: date | None = None, amount: Decimal | None = None, regime: str | None = None
) -> Authority | None:
    """The authority for ``decision_type`` (and ``amount``) on ``on``, or ``None`` when the matrix
    has no row for it (or no matrix is in force on that day)."""
    try:
        found = [row for row in rows(on, regime) if row.decision_type == decision_type]
    except policy.PolicyError:
        return None
    return choose(found, None if amount is None else Decimal(str(amount)))


def is_banded(decision_type: str, on: date | None = None) -> bool:
    """Whether ``decision_type`` needs an amount to find its body on ``on``."""
    try:
        return banded([row for row in rows(on) if row.decision_type == decision_type])
    except policy.PolicyError:
        return False


@dataclass(frozen=True)
class Matrix:
    """The ``decisions.authority`` provider the manifest contributes."""

    def deciding(self, decision_type: str, on: date, amount: Decimal | None = None) -> Authority | None:
        return deciding(decision_type, on, amount)


@formula("governance.authority")
def deciding_body(
    *, decision_type: str, amount: Any = None, on: date | None = None, regime: str | None = None
) -> str | None:
    """Law cases: the body that decides ``decision_type`` (for ``amount``) on ``on``, or ``None``."""
    rows(on, regime)  # an absent matrix is an error the case may expect (NoValueInForce)
    found = deciding(decision_type, on, None if amount is None else _amount(amount), regime)
    return found.body if found is not None else None
