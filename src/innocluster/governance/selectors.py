"""Reads of the bodies and their members, for the pages, other apps and the voting rules; and of
the development strategy and its KPIs, whose figures come from the installed apps' metrics
(``metric_catalogue``: through the manifests, never by importing a domain app)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from innocluster.core.calendar import ALMATY
from innocluster.core.manifest import manifests
from innocluster.core.policy import values as policy
from innocluster.governance.kpis import KpiInput, MetricInfo, evaluate
from innocluster.governance.models import (
    Ballot,
    Body,
    Execution,
    Goal,
    Kpi,
    KpiManualValue,
    Meeting,
    MeetingStatus,
    Membership,
    Position,
    Resolution,
    Strategy,
    StrategyVersion,
    VersionStatus,
)

# The order a composition is shown in: the chair, deputies, the secretary, then members.
POSITION_ORDER = Case(
    *(When(position=p, then=Value(n)) for n, p in enumerate(Position.values)),
    output_field=IntegerField(),
)


def _existing_on(on: dt.date) -> Q:
    return Q(exists_from__lte=on) & (Q(exists_until__isnull=True) | Q(exists_until__gt=on))


def bodies_in_force(on: dt.date | None = None) -> QuerySet[Body]:
    """The bodies of the regime the timeline puts in force on ``on`` (default: today in Almaty)
    that exist on that day. Raises ``NoRegimeInForce`` before the timeline starts."""
    on = on or policy.today()
    return (
        Body.objects.filter(_existing_on(on), regime__code=policy.regime_on(on))
        .select_related("regime")
        .order_by("exists_from", "id")
    )


def body_in_force(code: str, on: dt.date | None = None) -> Body | None:
    """The body ``code`` as it exists on ``on`` under the regime then in force, or ``None``."""
    return bodies_in_force(on).filter(code=code).first()


def body_by_pk(pk: int) -> Body | None:
    return Body.objects.select_related("regime").filter(pk=pk).first()


def _current_on(on: dt.date) -> Q:
    return Q(term_start__lte=on) & (Q(term_end__isnull=True) | Q(term_end__gte=on))


def composition(body: Body, on: dt.date | None = None) -> QuerySet[Membership]:
    """Members whose term covers ``on``: the chair first, then deputies, secretary, members."""
    on = on or policy.today()
    return body.memberships.filter(_current_on(on)).order_by(POSITION_ORDER, "full_name", "id")


def voting_members(body: Body, on: dt.date | None = None) -> QuerySet[Membership]:
    """Who may vote on ``body`` on ``on``: the chair, deputy chairs and members whose term covers
    that day (a member whose term ended does not vote). The secretary keeps the minutes and does
    not vote [design: as the secretary of a Kazakh commission is not one of its members]."""
    return composition(body, on).exclude(position=Position.SECRETARY)


def past_members(body: Body, on: dt.date | None = None) -> QuerySet[Membership]:
    on = on or policy.today()
    return body.memberships.filter(term_end__lt=on).order_by("-term_end", "id")


def memberships_of(user, on: dt.date | None = None) -> QuerySet[Membership]:
    """The terms ``user`` holds on ``on``, on any body."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    on = on or policy.today()
    return Membership.objects.filter(_current_on(on), user=user).select_related("body")


def sits_on(user, body: Body, on: dt.date | None = None) -> bool:
    return memberships_of(user, on).filter(body=body).exists()


# --- meetings -------------------------------------------------------------------------------


def meetings_of(body: Body) -> QuerySet:
    """A body's meetings, the latest first."""
    return Meeting.objects.filter(body=body).select_related("body").order_by("-starts_at", "-id")


def upcoming_meetings_for(user, now: dt.datetime | None = None) -> QuerySet:
    """Convened or running meetings from today on (Almaty) of the bodies where ``user`` holds a
    term that has not ended by today."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Meeting.objects.none()
    now = now or timezone.now()
    today = timezone.localdate(now, timezone=ALMATY)
    midnight = dt.datetime.combine(today, dt.time(), tzinfo=ALMATY)
    bodies = Membership.objects.filter(user=user).filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
    return (
        Meeting.objects.filter(
            body__in=bodies.values("body"),
            status__in=(MeetingStatus.CONVENED, MeetingStatus.HELD),
            starts_at__gte=midnight,
        )
        .select_related("body")
        .order_by("starts_at", "id")
    )


def rounds_of(item) -> QuerySet:
    """An item's ballot rounds in order, each with its stored result (``outcome``, counts, steps)."""
    return item.rounds.order_by("number")


def ballots_of(user) -> QuerySet:
    """The ballots cast by or for ``user``'s memberships, the latest first (a member's own votes)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Ballot.objects.none()
    return (
        Ballot.objects.filter(membership__user=user)
        .select_related("round__item__meeting__body", "membership")
        .order_by("-cast_at", "-id")
    )


# --- strategy and KPIs ----------------------------------------------------------------------


def strategies() -> QuerySet:
    """Every strategy, the latest first, with its versions and their decisions."""
    versions = StrategyVersion.objects.select_related("decision").order_by("-number")
    return Strategy.objects.prefetch_related(Prefetch("versions", queryset=versions)).order_by(
        "-first_year", "-id"
    )


def version_contents(version) -> list:
    """A version's goals in order, each with its KPIs (``goal.kpi_list``) and their targets by
    year (``kpi.target_by_year``), in three queries."""
    goals = list(
        Goal.objects.filter(version=version)
        .prefetch_related(
            Prefetch("kpis", queryset=Kpi.objects.prefetch_related("targets").order_by("position"))
        )
        .order_by("position")
    )
    for goal in goals:
        goal.kpi_list = list(goal.kpis.all())
        for kpi in goal.kpi_list:
            kpi.target_by_year = {t.year: t.value for t in kpi.targets.all()}
    return goals


def version_by_pk(pk: int):
    return StrategyVersion.objects.select_related("strategy", "decision").filter(pk=pk).first()


def version_for_year(year: int):
    """The version KPIs are measured against for ``year``: the approved version of the latest
    strategy covering the year (a draft has no force), or ``None``."""
    return (
        StrategyVersion.objects.filter(
            status=VersionStatus.APPROVED, strategy__first_year__lte=year, strategy__last_year__gte=year
        )
        .select_related("strategy", "decision")
        .order_by("-strategy__first_year", "-strategy_id")
        .first()
    )


def metric_catalogue() -> dict:
    """Every metric the installed apps offer, by code, with the app offering it
    (``kpis.MetricInfo``): governance reads the domains' figures only through their manifests."""
    return {
        metric.code: MetricInfo(metric.code, m.app, metric.label, metric.unit, metric.value)
        for m in manifests()
        for metric in m.metrics
    }


def manual_values(version, year: int) -> dict[int, Decimal]:
    """The latest value entered by hand for ``year`` of each KPI of ``version``, by KPI id."""
    found: dict[int, Decimal] = {}
    rows = KpiManualValue.objects.filter(kpi__goal__version=version, year=year).order_by("entered_at", "id")
    for kpi_id, value in rows.values_list("kpi_id", "value"):
        found[kpi_id] = value
    return found


def manual_entries(version) -> dict[int, dict[int, KpiManualValue]]:
    """The latest value entered by hand for each year of each KPI of ``version``:
    ``{kpi id: {year: entry}}`` (the entry counted on the dashboard)."""
    found: dict[int, dict[int, KpiManualValue]] = {}
    rows = KpiManualValue.objects.filter(kpi__goal__version=version).select_related("entered_by")
    for entry in rows.order_by("entered_at", "id"):
        found.setdefault(entry.kpi_id, {})[entry.year] = entry
    return found


@dataclass
class KpiRow:
    goal: Any
    kpi: Any
    result: Any  # kpis.KpiResult
    metric_label: str


def kpi_report(
    version, year: int, *, today: dt.date | None = None, catalogue: dict | None = None
) -> list[KpiRow]:
    """Each KPI of ``version`` for ``year``: target, actual, status and the app its figure comes
    from (``kpis.evaluate`` over the installed apps' metrics, or ``catalogue`` when given)."""
    today = today or policy.today()
    catalogue = metric_catalogue() if catalogue is None else catalogue
    goals = version_contents(version)
    manual = manual_values(version, year)
    pairs = [(goal, kpi) for goal in goals for kpi in goal.kpi_list]
    inputs = [
        KpiInput(
            key=kpi.pk,
            metric=kpi.metric,
            unit=kpi.unit,
            higher_is_better=kpi.higher_is_better,
            target=kpi.target_by_year.get(year),
            manual=manual.get(kpi.pk),
        )
        for _goal, kpi in pairs
    ]
    results = evaluate(inputs, year=year, today=today, lookup=catalogue.get)
    return [
        KpiRow(goal, kpi, result, str(catalogue[kpi.metric].label) if kpi.metric in catalogue else "")
        for (goal, kpi), result in zip(pairs, results, strict=True)
    ]


@dataclass
class Figure:
    """One figure of the control dashboard: a metric's value on a day, or not available."""

    code: str
    label: str
    unit: str
    value: Any
    app: str
    available: bool


def figures(codes, on: dt.date, *, catalogue: dict | None = None, labels: dict | None = None) -> list[Figure]:
    """The metrics ``codes`` on ``on``; a code no installed app offers is "not available" (its
    label from ``labels``, else the code)."""
    catalogue = metric_catalogue() if catalogue is None else catalogue
    labels = labels or {}
    found = []
    for code in codes:
        metric = catalogue.get(code)
        if metric is None:
            found.append(Figure(code, str(labels.get(code, code)), "", None, "", False))
            continue
        found.append(Figure(code, str(metric.label), metric.unit, metric.value(on), metric.app, True))
    return found


def metric_series(code: str, start: dt.date, end: dt.date) -> list | None:
    """A metric's values over a period (``Metric.series``), or None when no installed app offers
    it or it has no series."""

    for m in manifests():
        for metric in m.metrics:
            if metric.code == code:
                return metric.series(start, end) if metric.series else None
    return None


# --- resolutions ----------------------------------------------------------------------------


def resolution_by_pk(pk: int) -> Resolution | None:
    return (
        Resolution.objects.select_related("body__regime", "item__meeting__body", "item__linked_type")
        .filter(pk=pk)
        .first()
    )


def executions_of(resolution: Resolution) -> QuerySet[Execution]:
    """Every attempt to carry ``resolution`` out, the first first, with its decision record."""
    return resolution.executions.select_related("decision", "by").order_by("attempt")
