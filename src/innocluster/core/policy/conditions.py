"""Conditions as data: a policy value of kind ``conditions`` is a list of rows, each testing one
declared attribute (``core.policy.attributes``) with one operator against one value, and carrying
its own legal reference::

    - {attribute: state_share, operator: lt, value: "0.50", source: src,
       reference: "...", reference_ru: "...", reference_kk: "..."}

:func:`clean` checks rows before they are stored (loading and the admin form go through it) and
refuses what cannot be evaluated: an attribute no app declares, an operator the attribute's kind
does not take, a value of the wrong type, a row without a reference, a ``law`` row whose reference
names no article. :func:`evaluate` tests rows against a mapping of attribute values and says, per
row, whether it holds, in words built from the attribute's label, the operator and the value.
Nothing here reads the database.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from .attributes import KINDS, OPERATORS, Attribute

FIELDS = ("attribute", "operator", "value", "reference", "reference_ru", "reference_kk", "source")
SOURCES = ("law", "src", "design")
# A reference to an act's text names its article: "art. 17", "ст. 17", "17-бап".
ARTICLE = re.compile(r"\bart\.|\bст\.|бап", re.IGNORECASE)

RULES = {
    "lt": _("%(attribute)s must be below %(value)s"),
    "le": _("%(attribute)s must be at most %(value)s"),
    "gt": _("%(attribute)s must be above %(value)s"),
    "ge": _("%(attribute)s must be at least %(value)s"),
    "eq": _("%(attribute)s must be %(value)s"),
    "ne": _("%(attribute)s must not be %(value)s"),
    "in": _("%(attribute)s must be one of: %(value)s"),
    "not_in": _("%(attribute)s must be none of: %(value)s"),
}
LIST_RULES = {
    "in": _("%(attribute)s must all be among: %(value)s"),
    "not_in": _("%(attribute)s must include none of: %(value)s"),
}


class ConditionError(Exception):
    """A stored condition that cannot be evaluated (its attribute is gone, or has no value given)."""


@dataclass(frozen=True)
class Outcome:
    """One condition tested: whether it holds, what it asks (``rule``) and what was found
    (``message``), with the row's reference in the reader's language."""

    attribute: str
    passed: bool
    rule: str
    message: str
    reference: str
    source: str


# --- checking rows before they are stored ------------------------------------------------------


def _refuse(n: int, message: str, **params) -> ValidationError:
    return ValidationError({"value": gettext("Condition %(n)s: ") % {"n": n} + message % params})


def _typed_value(n: int, attribute: Attribute, operator: str, raw: Any) -> Any:
    """The row's value in the JSON form stored (decimals as text), or a refusal naming the row."""
    expects_list = operator in ("in", "not_in")
    if expects_list:
        if not isinstance(raw, list) or not raw or not all(isinstance(i, str | int) for i in raw):
            raise _refuse(
                n,
                gettext("%(attribute)s %(operator)s takes a non-empty list of codes, not “%(value)s”."),
                attribute=attribute.name,
                operator=operator,
                value=raw,
            )
        return [str(item) for item in raw]
    if attribute.kind == "decimal":
        try:
            if isinstance(raw, bool | float):
                raise InvalidOperation
            number = Decimal(str(raw))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise _refuse(
                n,
                gettext('%(attribute)s takes a decimal number written as text ("0.50"), not “%(value)s”.'),
                attribute=attribute.name,
                value=raw,
            ) from None
        return str(number)
    if attribute.kind == "boolean":
        if not isinstance(raw, bool):
            raise _refuse(
                n,
                gettext("%(attribute)s takes true or false, not “%(value)s”."),
                attribute=attribute.name,
                value=raw,
            )
        return raw
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise _refuse(
            n, gettext("%(attribute)s takes a code, not “%(value)s”."), attribute=attribute.name, value=raw
        )
    return str(raw)


def _clean_row(n: int, row: Any, declared: Mapping[str, Attribute]) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise _refuse(n, gettext("a condition is a row with attribute, operator, value and reference."))
    unknown = sorted(set(row) - set(FIELDS))
    if unknown:
        raise _refuse(n, gettext("unknown field %(fields)s."), fields=", ".join(map(str, unknown)))
    name = row.get("attribute")
    attribute = declared.get(name) if isinstance(name, str) else None
    if attribute is None:
        raise _refuse(
            n,
            gettext("unknown attribute “%(attribute)s” (declared: %(known)s)."),
            attribute=name,
            known=", ".join(sorted(declared)) or "—",
        )
    operator = row.get("operator")
    if operator not in OPERATORS:
        raise _refuse(
            n,
            gettext("unknown operator “%(operator)s” (one of %(known)s)."),
            operator=operator,
            known=", ".join(OPERATORS),
        )
    if operator not in KINDS[attribute.kind]:
        raise _refuse(
            n,
            gettext("%(operator)s does not apply to %(attribute)s, a %(kind)s attribute (use %(known)s)."),
            operator=operator,
            attribute=attribute.name,
            kind=attribute.kind,
            known=", ".join(KINDS[attribute.kind]),
        )
    if "value" not in row:
        raise _refuse(n, gettext("%(attribute)s has no value to compare with."), attribute=attribute.name)
    value = _typed_value(n, attribute, operator, row["value"])
    reference = str(row.get("reference") or "").strip()
    if not reference:
        raise _refuse(
            n,
            gettext("%(attribute)s has no reference: say where the condition comes from."),
            attribute=attribute.name,
        )
    source = row.get("source")
    if source not in SOURCES:
        raise _refuse(
            n,
            gettext("%(attribute)s: the source is one of %(known)s, not “%(source)s”."),
            attribute=attribute.name,
            known=", ".join(SOURCES),
            source=source,
        )
    texts = (reference, str(row.get("reference_ru") or ""), str(row.get("reference_kk") or ""))
    if source == "law" and not any(ARTICLE.search(text) for text in texts):
        raise _refuse(
            n,
            gettext("%(attribute)s is marked law but its reference names no article (art. / ст. / бап)."),
            attribute=attribute.name,
        )
    return {
        "attribute": attribute.name,
        "operator": operator,
        "value": value,
        "reference": reference,
        "reference_ru": texts[1].strip(),
        "reference_kk": texts[2].strip(),
        "source": source,
    }


def clean(raw: Any, declared: Mapping[str, Attribute]) -> list[dict[str, Any]]:
    """Validate a list of condition rows and return them as stored. An empty list is an explicit
    "no conditions"; ``None`` is handled by the caller (an explicit null)."""
    if not isinstance(raw, list):
        raise ValidationError(
            {"value": gettext("Conditions are a list of rows (attribute, operator, value, reference).")}
        )
    return [_clean_row(n, row, declared) for n, row in enumerate(raw, start=1)]


# --- reading rows for people -------------------------------------------------------------------


def _code_label(code: str) -> str:
    from .display import value_label

    return value_label(code)


def show(attribute: Attribute, value: Any) -> str:
    """A value of ``attribute`` as people read it."""
    if value is None:
        return str(_("not known"))
    if isinstance(value, list):
        return ", ".join(_code_label(str(item)) for item in value) or "—"
    if attribute.show is not None:
        return attribute.show(value)
    if attribute.kind == "boolean":
        return str(_("yes") if value else _("no"))
    if attribute.kind == "decimal":
        return formats.number_format(Decimal(str(value)).normalize(), use_l10n=True)
    return _code_label(str(value))


def _expected(row: Mapping[str, Any], attribute: Attribute) -> Any:
    value = row["value"]
    if attribute.kind == "decimal" and not isinstance(value, list):
        return Decimal(str(value))
    return value


def describe(row: Mapping[str, Any], declared: Mapping[str, Attribute]) -> str:
    """What the row asks, in the reader's language: "State and quasi-state ownership share must
    be below 50%"; a yes/no attribute reads "Has branches: not admitted" or "…: required"."""
    attribute = declared.get(row["attribute"])
    if attribute is None:
        raise ConditionError(f"no app declares the attribute {row['attribute']!r}")
    label = capfirst(str(attribute.label))
    if attribute.kind == "boolean":
        wanted = row["value"] if row["operator"] == "eq" else not row["value"]
        return str(_("%(attribute)s: required") if wanted else _("%(attribute)s: not admitted")) % {
            "attribute": label
        }
    template = LIST_RULES[row["operator"]] if attribute.kind == "list" else RULES[row["operator"]]
    return str(template) % {"attribute": label, "value": show(attribute, _expected(row, attribute))}


def localized_reference(row: Mapping[str, Any], language: str | None = None) -> str:
    language = (language or get_language() or "en").split("-")[0]
    return row.get(f"reference_{language}") or row["reference"]


# --- evaluating --------------------------------------------------------------------------------


def holds(kind: str, operator: str, actual: Any, expected: Any) -> bool:
    """Whether ``actual`` (an attribute's value) meets ``operator expected``. An unknown value
    (``None``) meets nothing: a condition is never passed for want of data."""
    if actual is None:
        return False
    if kind == "list":
        items = [str(item) for item in actual]
        if operator == "in":
            return all(item in expected for item in items)
        return not any(item in expected for item in items)
    if operator == "in":
        return str(actual) in expected
    if operator == "not_in":
        return str(actual) not in expected
    if kind == "decimal":
        actual, expected = Decimal(str(actual)), Decimal(str(expected))
    compare = {
        "lt": lambda a, b: a < b,
        "le": lambda a, b: a <= b,
        "gt": lambda a, b: a > b,
        "ge": lambda a, b: a >= b,
        "eq": lambda a, b: a == b,
        "ne": lambda a, b: a != b,
    }
    return compare[operator](actual, expected)


def evaluate(
    rows: Sequence[Mapping[str, Any]], values: Mapping[str, Any], declared: Mapping[str, Attribute]
) -> list[Outcome]:
    """Test each row against ``values`` (``{attribute name: value}``). A row over an attribute
    missing from ``values`` is an error, not a pass: the caller says which subjects it tests."""
    outcomes = []
    for row in rows:
        attribute = declared.get(row["attribute"])
        if attribute is None:
            raise ConditionError(f"no app declares the attribute {row['attribute']!r}")
        if attribute.name not in values:
            raise ConditionError(f"no value given for the attribute {attribute.name!r}")
        actual = values[attribute.name]
        passed = holds(attribute.kind, row["operator"], actual, _expected(row, attribute))
        rule = describe(row, declared)
        outcomes.append(
            Outcome(
                attribute=attribute.name,
                passed=passed,
                rule=rule,
                message=gettext("%(rule)s (here: %(actual)s).")
                % {"rule": rule, "actual": show(attribute, actual)},
                reference=localized_reference(row),
                source=row["source"],
            )
        )
    return outcomes
