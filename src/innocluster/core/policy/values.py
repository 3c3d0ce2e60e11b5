"""Reading policy: ``value(key, on=date, regime=None)``, under the regime the timeline puts in force
on that date unless a regime is named.

One rule for absence: a key with no value in force on the date raises :class:`NoValueInForce`
naming the key, the regime and the date, whoever reads it. A regime that has no such rule says so
with an explicit ``null`` row, which reads as ``None``.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone


class PolicyError(Exception):
    """A policy look-up that cannot be answered."""


class NoValueInForce(PolicyError):
    def __init__(self, key: str, regime: str, on: date):
        self.key, self.regime, self.on = key, regime, on
        super().__init__(f"no value of {key!r} in force in regime {regime!r} on {on.isoformat()}")


class NoRegimeInForce(PolicyError):
    def __init__(self, on: date):
        self.on = on
        super().__init__(f"no regime in force on {on.isoformat()}: the timeline of regimes starts later")


class UnknownRegime(PolicyError):
    def __init__(self, code: str):
        self.code = code
        super().__init__(f"unknown regime {code!r}")


@dataclass(frozen=True)
class InForce:
    """A value together with where it comes from, for screens and ``policy show``."""

    key: str
    regime: str
    value: Any
    kind: str
    valid_from: date
    valid_until: date | None
    reference: str
    source: str
    reference_ru: str = ""
    reference_kk: str = ""

    @property
    def localized_reference(self) -> str:
        """The legal reference in the reader's language (the English original where not written)."""
        from django.utils.translation import get_language

        from .models import localized

        return localized(self.reference, {"ru": self.reference_ru, "kk": self.reference_kk}, get_language())

    def as_json(self) -> dict[str, Any]:
        value = str(self.value) if isinstance(self.value, (Decimal, Fraction)) else self.value
        if isinstance(value, list):
            value = [str(v) if isinstance(v, Decimal) else v for v in value]
        return {
            "key": self.key,
            "regime": self.regime,
            "value": value,
            "kind": self.kind,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "reference": self.reference,
            "source": self.source,
        }


def typed(kind: str, raw: Any) -> Any:
    """Stored JSON to the Python value the formulas use: fractions as Decimal, never float."""
    if raw is None:
        return None
    if kind in {"decimal", "amount"}:
        return Decimal(str(raw))
    if kind == "fraction":
        return Fraction(str(raw))
    if kind in {"working_days", "calendar_days", "years", "integer"}:
        return int(raw)
    return raw


ALMATY = ZoneInfo("Asia/Almaty")


def today() -> date:
    """Today in Almaty, whatever time zone a request activated: rules change at Almaty midnight."""
    return timezone.localdate(timezone=ALMATY)


def _dated(on: date | None) -> date:
    if isinstance(on, datetime):
        raise TypeError(
            "policy values are dated: pass a date (the Almaty date of a datetime), not a datetime"
        )
    return on or today()


def regime_on(on: date | None = None) -> str:
    """The code of the regime the timeline puts in force on ``on`` (default: today in Almaty).
    One query."""
    from .models import RegimePeriod

    on = _dated(on)
    memo = _memo.get()
    if memo is not None and ("regime", on) in memo:
        return memo[("regime", on)]
    code = (
        RegimePeriod.objects.filter(starts_on__lte=on)
        .order_by("-starts_on")
        .values_list("regime__code", flat=True)
        .first()
    )
    if code is None:
        raise NoRegimeInForce(on)
    if memo is not None:
        memo[("regime", on)] = code
    return code


def active_regime_code() -> str:
    """The regime in force today (Almaty): what pages mean by "the rules now"."""
    return regime_on(today())


# Law cases record which (regime, key) their formulas read, for ``policy test --coverage``.
_reads: ContextVar[set[tuple[str, str]] | None] = ContextVar("policy_reads", default=None)


@contextmanager
def recording_reads() -> Iterator[set[tuple[str, str]]]:
    """Collect the ``(regime, key)`` pairs looked up inside the block."""
    found: set[tuple[str, str]] = set()
    token = _reads.set(found)
    try:
        yield found
    finally:
        _reads.reset(token)


# Inside :func:`memoised`, each (key, date, regime) and each date's regime is read once.
_memo: ContextVar[dict | None] = ContextVar("policy_memo", default=None)


@contextmanager
def memoised() -> Iterator[None]:
    """Read each rule once inside the block: a page or a report that asks the same key on the same
    date for many rows (a ranking, a schedule) makes one query per distinct read, whatever the
    number of rows. Only for reading: a block that changes policy must not be wrapped."""
    if _memo.get() is not None:  # nested: the outer block's memo serves
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def lookup(key: str, on: date | None = None, regime: str | None = None) -> InForce:
    """The value of ``key`` in force on ``on`` with its dates and legal reference. One query: when
    no regime is named, the regime the timeline puts in force on ``on`` is found in the same query
    (the errors ask again, to say which is missing)."""
    on = _dated(on)
    memo = _memo.get()
    if memo is not None:
        found = memo.get((key, on, regime))
        if found is None:
            found = memo[(key, on, regime)] = _lookup(key, on, regime)
            if regime is None:  # the regime in force came with the value
                memo.setdefault(("regime", on), found.regime)
        if (reads := _reads.get()) is not None:
            reads.add((found.regime, key))
        return found
    return _lookup(key, on, regime)


def _lookup(key: str, on: date, regime: str | None) -> InForce:
    from django.db.models import Subquery

    from .models import ParameterValue, Regime, RegimePeriod

    rows_qs = ParameterValue.objects.filter(key=key)
    if regime is None:
        in_force = (
            RegimePeriod.objects.filter(starts_on__lte=on).order_by("-starts_on").values("regime_id")[:1]
        )
        rows_qs = rows_qs.filter(regime_id=Subquery(in_force))
    else:
        rows_qs = rows_qs.filter(regime__code=regime)
    rows = list(
        rows_qs.order_by("valid_from").values(
            "value",
            "kind",
            "valid_from",
            "reference",
            "reference_ru",
            "reference_kk",
            "source",
            "regime__code",
        )
    )
    if rows:
        code = rows[0]["regime__code"]
    elif regime is None:
        code = regime_on(on)  # raises NoRegimeInForce when the timeline starts later
    else:
        code = regime
        if not Regime.objects.filter(code=code).exists():
            raise UnknownRegime(code)
    if (reads := _reads.get()) is not None:
        reads.add((code, key))
    current, following = None, None
    for row in rows:
        if row["valid_from"] <= on:
            current = row
        elif following is None:
            following = row
    if current is None:
        raise NoValueInForce(key, code, on)
    return InForce(
        key=key,
        regime=code,
        value=typed(current["kind"], current["value"]),
        kind=current["kind"],
        valid_from=current["valid_from"],
        valid_until=following["valid_from"] if following else None,
        reference=current["reference"],
        source=current["source"],
        reference_ru=current["reference_ru"],
        reference_kk=current["reference_kk"],
    )


def value(key: str, on: date | None = None, regime: str | None = None) -> Any:
    """The value of ``key`` in force on ``on`` (default: today in Almaty) in ``regime`` (default:
    the one the timeline puts in force on ``on``). Raises :class:`NoValueInForce` rather than
    guessing."""
    return lookup(key, on=on, regime=regime).value
