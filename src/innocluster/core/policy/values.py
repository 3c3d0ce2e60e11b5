"""Reading policy: ``value(key, on=date, regime=None)`` and the active regime."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


class PolicyError(Exception):
    """A policy look-up that cannot be answered."""


class NoValueInForce(PolicyError):
    def __init__(self, key: str, regime: str, on: date):
        self.key, self.regime, self.on = key, regime, on
        super().__init__(f"no value of {key!r} in force in regime {regime!r} on {on.isoformat()}")


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


def active_regime_code() -> str:
    from .models import ActiveRegime

    row = ActiveRegime.objects.select_related("regime").first()
    return row.regime.code if row else settings.INNOCLUSTER_REGIME


ALMATY = ZoneInfo("Asia/Almaty")


def today() -> date:
    """Today in Almaty, whatever time zone a request activated: rules change at Almaty midnight."""
    return timezone.localdate(timezone=ALMATY)


def lookup(key: str, on: date | None = None, regime: str | None = None) -> InForce:
    from .models import ParameterValue, Regime

    if isinstance(on, datetime):
        raise TypeError(
            "policy values are dated: pass a date (the Almaty date of a datetime), not a datetime"
        )
    on = on or today()
    code = regime or active_regime_code()
    if not Regime.objects.filter(code=code).exists():
        raise UnknownRegime(code)
    rows = list(
        ParameterValue.objects.filter(regime__code=code, key=key)
        .order_by("valid_from")
        .values("value", "kind", "valid_from", "reference", "reference_ru", "reference_kk", "source")
    )
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
    the active one). Raises :class:`NoValueInForce` rather than guessing."""
    return lookup(key, on=on, regime=regime).value
