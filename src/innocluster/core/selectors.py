"""Reads the home page and reports share: rules in force, the working-day outlook, the audit seal."""

from dataclasses import dataclass, field
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


@dataclass
class Card:
    """One box of a person's dashboard: what needs their attention, with a link to act on it."""

    title: str
    text: str
    url: str = ""
    link: str = ""
    warn: bool = False
    items: list = field(default_factory=list)


# Apps above core add their own cards (core must not import them): ``fn(user, today) -> list[Card]``.
CARD_SOURCES: list = []


def register_card_source(source) -> None:
    if source not in CARD_SOURCES:
        CARD_SOURCES.append(source)


def dashboard_cards(user, today: date) -> list[Card]:
    """The cards a person's roles call for; each card costs one or two queries, whatever the data."""
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from innocluster.core.access.permissions import can
    from innocluster.core.audit.models import Checkpoint
    from innocluster.core.decisions.models import Decision
    from innocluster.core.models import DecreeOverride

    cards: list[Card] = []
    if can(user, "admin.site").allowed:
        year = today.year + 1
        entered = DecreeOverride.objects.filter(date__year=year).count()
        cards.append(
            Card(
                title=_("Working-day calendar %(year)s") % {"year": year},
                text=ngettext(
                    "%(n)d decree transfer of days off is entered for %(year)s.",
                    "%(n)d decree transfers of days off are entered for %(year)s.",
                    entered,
                )
                % {"n": entered, "year": year}
                if entered
                else _(
                    "No decree transfers are entered for %(year)s yet. When the Government adopts its "
                    "decree on days off, enter them: deadlines depend on it."
                )
                % {"year": year},
                url=reverse("admin:core_decreeoverride_changelist"),
                link=_("Decree overrides"),
                warn=not entered and today.month >= 10,
            )
        )
    if can(user, "decisions.publish").allowed:
        waiting = Decision.objects.filter(status="recorded").count()
        cards.append(
            Card(
                title=_("Decisions"),
                text=ngettext(
                    "%(n)d recorded decision is not published yet.",
                    "%(n)d recorded decisions are not published yet.",
                    waiting,
                )
                % {"n": waiting},
                url=reverse("decisions:list") + "?status=recorded",
                link=_("Review and publish"),
                warn=waiting > 0,
            )
        )
    elif can(user, "decisions.view").allowed:
        latest = list(Decision.objects.filter(status="published").order_by("-decided_on", "-id")[:3])
        cards.append(
            Card(
                title=_("Latest published decisions"),
                text="" if latest else _("No decision has been published yet."),
                url=reverse("decisions:list"),
                link=_("All decisions"),
                items=[(str(d), reverse("decisions:detail", args=[d.pk])) for d in latest],
            )
        )
    if can(user, "audit.view_log").allowed:
        head = audit_status()
        checkpoint = Checkpoint.objects.order_by("-seq").values("seq", "created_at").first()
        text = ngettext(
            "%(n)d action is sealed in the audit chain.",
            "%(n)d actions are sealed in the audit chain.",
            head.sealed,
        ) % {"n": head.sealed}
        if checkpoint:
            text += " " + _("Last checkpoint: no. %(seq)s.") % {"seq": checkpoint["seq"]}
        cards.append(
            Card(
                title=_("Audit log"),
                text=text + " " + _("Run `innocluster audit verify` to recompute the chain."),
                url=reverse("audit_log"),
                link=_("Search the audit log"),
            )
        )
    for source in CARD_SOURCES:
        cards.extend(source(user, today))
    return cards
