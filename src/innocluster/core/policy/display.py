"""How policy keys and values read to people, in their language."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import yaml
from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from .values import InForce


def _labels(section: str) -> dict[str, dict[str, str]]:
    """``labels`` or ``value_labels`` of every installed app's policy file: ``{code: {en, kk, ru}}``,
    in the order the apps and their files list them."""
    from innocluster.core.manifest import policy_files

    files = tuple(policy_files())
    cached = _cache.get((section, files))
    if cached is None:
        cached = {}
        for file in files:
            with open(file, encoding="utf-8") as fh:
                cached.update((yaml.safe_load(fh) or {}).get(section) or {})
        _cache[(section, files)] = cached
    return cached


_cache: dict = {}


def _pick(texts: dict[str, str] | None, fallback: str) -> str:
    if not texts:
        return fallback
    language = (get_language() or "en").split("-")[0]
    return texts.get(language) or texts.get("en") or fallback


def label(key: str) -> str:
    """A key as people read it, in their language (the key itself when no app labels it)."""
    return _pick(_labels("labels").get(key), key)


def label_order() -> list[str]:
    """The keys in the order the apps' policy files label them: the rules page's order."""
    return list(_labels("labels"))


def value_label(code: str) -> str:
    return _pick(_labels("value_labels").get(code), code)


SOURCE_LABELS = {"law": _("law"), "src": _("official source"), "design": _("design decision")}


def percent(value: Decimal) -> str:
    shown = (value * 100).normalize()
    return f"{formats.number_format(shown, use_l10n=True)}%"


def render_value(found: InForce) -> str:
    value: Any = found.value
    if value is None:
        return str(_("none"))
    if found.kind == "decimal":
        return percent(value)
    if found.kind == "amount":
        from innocluster.core.money import format_kzt

        return format_kzt(value)
    if found.kind == "working_days":
        return ngettext("%(n)d working day", "%(n)d working days", value) % {"n": value}
    if found.kind == "calendar_days":
        return ngettext("%(n)d calendar day", "%(n)d calendar days", value) % {"n": value}
    if found.kind == "years":
        return ngettext("%(n)d year", "%(n)d years", value) % {"n": value}
    if found.kind == "month_day":
        month, day = (int(part) for part in value.split("-"))
        return formats.date_format(date(2024, month, day), "MONTH_DAY_FORMAT")
    if found.kind == "boolean":
        return str(_("yes") if value else _("no"))
    if found.kind == "conditions":
        if not value:
            return str(_("no conditions"))
        return ngettext("%(n)d condition", "%(n)d conditions", len(value)) % {"n": len(value)}
    if found.kind == "list":
        if any(isinstance(item, dict) for item in value):  # a table of rows: shown by its own page
            return ngettext("%(n)d row", "%(n)d rows", len(value)) % {"n": len(value)}
        if any(":" in str(item) for item in value):
            return _grouped(value)
        return ", ".join(value_label(str(item)) for item in value)
    if found.kind == "text":
        return value_label(str(value))  # a code (e.g. a majority rule) read by its label, if it has one
    return str(value)


def _grouped(items) -> str:
    """``category:item`` pairs (``*`` for every legal entity) read as "who: what, what; who: what"."""
    groups: dict[str, list[str]] = {}
    for item in items:
        who, _sep, what = str(item).partition(":")
        groups.setdefault(who, []).append(value_label(what))
    parts = []
    for who, whats in groups.items():
        label = _("every legal entity") if who == "*" else value_label(who)
        parts.append(f"{label}: {', '.join(whats)}")
    return "; ".join(parts)


@dataclass(frozen=True)
class ConditionLine:
    """One condition of a ``conditions`` value as the rules page lists it."""

    text: str
    reference: str
    source: str


def condition_lines(rows, language: str | None = None) -> list[ConditionLine]:
    """Each condition row as one line in the reader's language: what it asks, its reference and
    what kind of source that is."""
    from .attributes import declared
    from .conditions import describe, localized_reference

    known = declared()
    return [
        ConditionLine(
            describe(row, known),
            localized_reference(row, language),
            str(SOURCE_LABELS.get(row["source"], row["source"])),
        )
        for row in rows or []
    ]
