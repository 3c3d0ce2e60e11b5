"""Reads the home page and reports share: rules in force, the working-day outlook, the audit seal."""

from dataclasses import dataclass
from datetime import date, timedelta

from innocluster.core import calendar
from innocluster.core.audit.models import ChainHead
from innocluster.core.policy import registry
from innocluster.core.policy.display import LABELS, SOURCE_LABELS, label, render_value
from innocluster.core.policy.models import ParameterValue, Regime, localized


@dataclass
class RuleRow:
    key: str
    label: str
    value: str
    valid_from: date
    valid_until: date | None
    reference: str
    source: str


def rules_in_force(on: date | None = None, regime: str | None = None, language: str = "en") -> list[RuleRow]:
    """Every key of the regime with its value on ``on``, references in ``language``, grouped by
    area in the order of :data:`~innocluster.core.policy.display.LABELS`. One query."""
    on = on or registry.today()
    code = regime or registry.active_regime_code()
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
        found = registry.InForce(
            key=key,
            regime=code,
            value=registry.typed(row["kind"], row["value"]),
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
            )
        )
    order = {key: index for index, key in enumerate(LABELS)}
    return sorted(result, key=lambda r: (order.get(r.key, len(order)), r.key))


def active_regime() -> Regime | None:
    return Regime.objects.filter(code=registry.active_regime_code()).first()


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
class AuditStatus:
    sealed: int
    last_sealed_at: object


def audit_status() -> AuditStatus:
    """From the chain head: constant time however long the log grows."""
    head = ChainHead.objects.filter(pk=1).values("last_seq", "sealed_at").first()
    if head is None:
        return AuditStatus(0, None)
    return AuditStatus(head["last_seq"], head["sealed_at"])


@dataclass
class Dashboard:
    roles: list[str]
    two_factor_required: bool
    two_factor_used: bool
    unread: int | None


def dashboard_for(request) -> Dashboard:
    """What a signed-in person sees first: their roles, their sign-in security, unread messages."""
    from innocluster.core.access.roles import Role
    from innocluster.core.access.selectors import roles_of
    from innocluster.core.accounts.mfa import requires_two_factor, session_used_two_factor

    user = request.user
    labels = dict(Role.choices)
    unread = None
    try:
        from innocluster.core.notifications.selectors import unread_count
    except ImportError:  # notifications not installed in this build
        pass
    else:
        unread = unread_count(user)
    return Dashboard(
        roles=[str(labels[r]) for r in Role.values if r in roles_of(user)],
        two_factor_required=requires_two_factor(user),
        two_factor_used=session_used_two_factor(request),
        unread=unread,
    )
