"""Reads the API serves: a user's tokens, the rules in force with machine-readable values."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import translation

from innocluster.core import selectors as core_selectors
from innocluster.core.policy import values as rules_values
from innocluster.core.policy.models import ParameterValue, Regime

from .models import APIToken


def tokens_of(user) -> QuerySet[APIToken]:
    """The user's tokens, newest first, revoked and expired ones included (for the record)."""
    return APIToken.objects.filter(user=user).order_by("-created_at", "-pk")


def revocable_tokens_of(user) -> QuerySet[APIToken]:
    return tokens_of(user).filter(revoked_at__isnull=True)


@dataclass
class RuleValue:
    key: str
    label: str
    kind: str
    value: Any  # JSON: decimals and fractions as strings, never floats
    display: str
    valid_from: date
    valid_until: date | None
    reference: str
    source: str
    source_label: str


def json_value(key: str, regime: str, kind: str, raw: Any, valid_from: date) -> Any:
    """The value as :meth:`InForce.as_json` writes it (one rule for every output)."""
    found = rules_values.InForce(key, regime, rules_values.typed(kind, raw), kind, valid_from, None, "", "")
    return found.as_json()["value"]


def rules_with_values(
    on: date | None = None, regime: str | None = None, language: str = "en"
) -> list[RuleValue]:
    """:func:`innocluster.core.selectors.rules_in_force` (labels, display text and references in
    ``language``) plus each value in machine form. Two queries. Raises ``UnknownRegime`` for a
    ``regime`` asked for by name that does not exist (an empty database just has no rules)."""
    try:
        code = regime or rules_values.regime_on(on)
    except rules_values.NoRegimeInForce:
        return []  # before the timeline starts (or nothing loaded): no rules
    if regime and not Regime.objects.filter(code=regime).exists():
        raise rules_values.UnknownRegime(regime)
    with translation.override(language):
        rows = core_selectors.rules_in_force(on, regime=code, language=language)
    raw = {
        (row["key"], row["valid_from"]): row
        for row in ParameterValue.objects.filter(regime__code=code, key__in=[r.key for r in rows]).values(
            "key", "valid_from", "kind", "value", "source"
        )
    }
    result = []
    for row in rows:
        stored = raw[(row.key, row.valid_from)]
        result.append(
            RuleValue(
                key=row.key,
                label=row.label,
                kind=stored["kind"],
                value=json_value(row.key, code, stored["kind"], stored["value"], row.valid_from),
                display=row.value,
                valid_from=row.valid_from,
                valid_until=row.valid_until,
                reference=row.reference,
                source=stored["source"],
                source_label=row.source,
            )
        )
    return result
