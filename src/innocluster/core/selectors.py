"""Platform reads the home pages and reports share: rules in force and their history, the
working-day outlook, the audit seal. No domain table is read here: apps add their figures and cards
through their manifests."""

from dataclasses import dataclass
from datetime import date, timedelta

from innocluster.core import calendar
from innocluster.core.audit.selectors import AuditStatus, audit_status  # noqa: F401  (shared read)
from innocluster.core.policy import values as rules_values
from innocluster.core.policy.display import SOURCE_LABELS, condition_lines, label, label_order, render_value
from innocluster.core.policy.models import ParameterValue, Regime, RegimePeriod, localized


@dataclass
class RuleRow:
    key: str
    label: str
    value: str
    valid_from: date
    valid_until: date | None
    reference: str
    source: str
    lines: tuple = ()  # a ``conditions`` value: one ``ConditionLine`` per condition


def rules_in_force(on: date | None = None, regime: str | None = None, language: str = "en") -> list[RuleRow]:
    """Every key of the regime with its value on ``on``, references in ``language``, grouped by
    app in the order the apps' policy files label them. One query."""
    on = on or rules_values.today()
    try:
        code = regime or rules_values.regime_on(on)
    except rules_values.NoRegimeInForce:
        return []  # nothing loaded yet: the page says so
    rows = list(
        ParameterValue.objects.filter(regime__code=code)
        .order_by("key", "valid_from")
        .values("key", "value", "kind", "valid_from", "reference", "reference_ru", "reference_kk", "source")
    )
    current: dict[str, dict] = {}
    until: dict[str, date] = {}
    for row in rows:
        if row["valid_from"] <= on:
            current[row["key"]] = row
        elif row["key"] not in until:
            until[row["key"]] = row["valid_from"]
    result = []
    for key, row in current.items():
        found = rules_values.InForce(
            key=key,
            regime=code,
            value=rules_values.typed(row["kind"], row["value"]),
            kind=row["kind"],
            valid_from=row["valid_from"],
            valid_until=until.get(key),
            reference=row["reference"],
            source=row["source"],
        )
        result.append(
            RuleRow(
                key=key,
                label=label(key),
                value=render_value(found),
                valid_from=found.valid_from,
                valid_until=found.valid_until,
                reference=localized(
                    row["reference"], {"ru": row["reference_ru"], "kk": row["reference_kk"]}, language
                ),
                source=str(SOURCE_LABELS.get(found.source, found.source)),
                lines=tuple(condition_lines(found.value, language)) if found.kind == "conditions" else (),
            )
        )
    order = {key: index for index, key in enumerate(label_order())}
    return sorted(result, key=lambda r: (order.get(r.key, len(order)), r.key))


@dataclass
class TimelineRow:
    code: str
    name: str
    starts_on: date
    until: date | None  # the last day, when a later regime follows
    reference: str
    source: str
    current: bool
    future: bool


def timeline(on: date | None = None, language: str = "en") -> list[TimelineRow]:
    """The regimes in the order they come into force, the one in force on ``on`` marked. One query."""
    from datetime import timedelta

    on = on or rules_values.today()
    periods = list(RegimePeriod.objects.select_related("regime").order_by("starts_on"))
    current = max((i for i, p in enumerate(periods) if p.starts_on <= on), default=None)
    rows = []
    for index, period in enumerate(periods):
        following = periods[index + 1].starts_on if index + 1 < len(periods) else None
        rows.append(
            TimelineRow(
                code=period.regime.code,
                name=period.regime.localized_name(language),
                starts_on=period.starts_on,
                until=following - timedelta(days=1) if following else None,
                reference=period.localized_reference(language),
                source=str(SOURCE_LABELS.get(period.source, period.source)),
                current=index == current,
                future=period.starts_on > on,
            )
        )
    return rows


def active_regime(on: date | None = None) -> Regime | None:
    """The regime in force on ``on`` (default today); ``None`` before any rules are loaded or
    before the timeline starts (pages say so)."""
    try:
        code = rules_values.regime_on(on)
    except rules_values.NoRegimeInForce:
        return None
    return Regime.objects.filter(code=code).first()


@dataclass
class IrregularDay:
    day: date
    is_working: bool
    name: str


def irregular_days_ahead(start: date, days: int = 90, language: str | None = None) -> list[IrregularDay]:
    """Weekdays off (holidays, decree transfers) and working weekend days in the coming ``days``:
    what changes a deadline. One query."""
    return [
        IrregularDay(day, working, name or "")
        for day, working, name in calendar.irregular_days(start, start + timedelta(days=days), language)
    ]


@dataclass
class HistoryRow:
    regime: str
    value: str
    valid_from: date
    valid_until: date | None
    reference: str
    source: str
    note: str
    current: bool
    lines: tuple = ()  # a ``conditions`` value: one ``ConditionLine`` per condition


def rule_history(
    key: str, regime: str | None = None, on: date | None = None, language: str = "en"
) -> list[HistoryRow]:
    """Every dated value of ``key`` in ``regime`` (default: the active one), oldest first, the one
    in force on ``on`` marked: what the rules page links each value to. One query."""
    on = on or rules_values.today()
    try:
        code = regime or rules_values.regime_on(on)
    except rules_values.NoRegimeInForce:
        return []  # nothing loaded yet: the page says so
    rows = list(
        ParameterValue.objects.filter(regime__code=code, key=key)
        .order_by("valid_from")
        .values(
            "value",
            "kind",
            "valid_from",
            "reference",
            "reference_ru",
            "reference_kk",
            "source",
            "note",
            "note_ru",
            "note_kk",
        )
    )
    current = max((i for i, row in enumerate(rows) if row["valid_from"] <= on), default=None)
    history = []
    for index, row in enumerate(rows):
        until = rows[index + 1]["valid_from"] if index + 1 < len(rows) else None
        found = rules_values.InForce(
            key=key,
            regime=code,
            value=rules_values.typed(row["kind"], row["value"]),
            kind=row["kind"],
            valid_from=row["valid_from"],
            valid_until=until,
            reference=row["reference"],
            source=row["source"],
        )
        history.append(
            HistoryRow(
                regime=code,
                value=render_value(found),
                valid_from=row["valid_from"],
                valid_until=until,
                reference=localized(
                    row["reference"], {"ru": row["reference_ru"], "kk": row["reference_kk"]}, language
                ),
                source=str(SOURCE_LABELS.get(row["source"], row["source"])),
                note=localized(row["note"], {"ru": row["note_ru"], "kk": row["note_kk"]}, language),
                current=index == current,
                lines=tuple(condition_lines(found.value, language)) if found.kind == "conditions" else (),
            )
        )
    return history
