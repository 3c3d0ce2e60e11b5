"""Reads of the bodies and their members, for the pages, other apps and the voting rules; and of
the development strategy and its KPIs, whose figures come from the installed apps' metrics
(``metric_catalogue``: through the manifests, never by importing a domain app)."""

import copy
import datetime as dt
import hashlib
import json
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


# --- minutes --------------------------------------------------------------------------------
# ``minutes_content`` is the one reading of a meeting's record: the minutes page, the PDFs and the
# SHA-256 of locked minutes are all built from it, so the three cannot disagree. It holds facts
# and codes, never catalogue labels (``minutes_labels`` adds those for display): the hash is then
# recomputed to the same value from the stored record whatever later happens to a translation.
# The arithmetic is the text stored when each round closed (``BallotRound.steps``).

MINUTES_LANGUAGES = ("kk", "ru")


def _day(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _local(value) -> dt.datetime:
    return timezone.localtime(value, ALMATY)


def _items_in_order(meeting: Meeting) -> list:
    """The agenda tree depth first, each item with its printed number (``2``, ``2.1``) and depth."""
    items = list(
        meeting.items.select_related("resolution")
        .prefetch_related("rounds", "recusals")
        .order_by("position", "id")
    )
    children: dict = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    ordered = []

    def walk(parent_id, prefix: str, depth: int) -> None:
        for item in children.get(parent_id, []):
            number = f"{prefix}{item.position}"
            ordered.append((number, depth, item))
            walk(item.pk, number + ".", depth + 1)

    walk(None, "", 0)
    return ordered


def _attendance(meeting: Meeting) -> list[dict]:
    """Who was recorded present or absent, and the members with a vote on the day not recorded
    (the secretary keeps the minutes and is not counted among those present or absent)."""
    rows = {a.membership_id: a for a in meeting.attendance.select_related("membership")}
    people = list(voting_members(meeting.body, meeting.date))
    known = {m.pk for m in people}
    people += [a.membership for a in rows.values() if a.membership_id not in known]
    out = []
    for member in people:
        row = rows.get(member.pk)
        out.append(
            {
                "name": member.full_name,
                "position": member.position,
                "organisation": member.organisation,
                "present": bool(row and row.present),
                "mode": row.mode if row and row.present else "",
            }
        )
    return out


def minutes_content(meeting: Meeting, language: str) -> dict:
    """The record of ``meeting`` in ``language`` (``en``, ``kk``, ``ru``): the body, the meeting,
    attendance, every agenda item with its recusals, rounds (counts, outcome, the stored
    arithmetic) and resolution, the resolutions, and the minutes' summary and notes. Plain JSON
    values only (dates as dd.mm.yyyy)."""
    from innocluster.governance.models import Minutes

    body = meeting.body
    minutes = Minutes.objects.filter(meeting=meeting).first()
    notes = {n.item_id: n.text(language) for n in minutes.notes.all()} if minutes else {}
    names = dict(Membership.objects.filter(body=body).values_list("pk", "full_name"))
    items, resolutions = [], []
    for number, depth, item in _items_in_order(meeting):
        rounds = [
            {
                "number": rnd.number,
                "closed": _local(rnd.closed_at).strftime("%d.%m.%Y %H:%M"),
                "outcome": rnd.outcome,
                "quorum_met": rnd.quorum_met,
                "members": rnd.members,
                "present": rnd.present,
                "recused": rnd.recused,
                "for": rnd.votes_for,
                "against": rnd.votes_against,
                "abstain": rnd.votes_abstain,
                "steps": list((rnd.steps or {}).get(language) or []),
            }
            for rnd in sorted(item.rounds.all(), key=lambda r: r.number)
            if rnd.closed_at is not None
        ]
        resolution = getattr(item, "resolution", None)
        entry = None
        if resolution is not None:
            entry = {
                "number": resolution.number,
                "year": resolution.year,
                "adopted_on": _day(resolution.adopted_on),
                "text": resolution.text(language),
                "item": number,
            }
            resolutions.append(entry)
        items.append(
            {
                "number": number,
                "depth": depth,
                "title": item.title(language),
                "status": item.status,
                "majority": item.majority or body.majority,
                "linked": item.linked_label,
                "recusals": [
                    {"name": names.get(r.membership_id, ""), "reason": r.reason}
                    for r in sorted(item.recusals.all(), key=lambda r: (r.declared_at, r.pk))
                ],
                "rounds": rounds,
                "resolution": entry,
                "note": notes.get(item.pk, ""),
            }
        )
    starts = _local(meeting.starts_at)
    return {
        "language": language,
        "body": {"code": body.code, "name": body.text("name", language)},
        "meeting": {
            "number": meeting.number,
            "year": meeting.year,
            "kind": meeting.kind,
            "date": _day(starts.date()),
            "time": starts.strftime("%H:%M"),
            "place": meeting.place,
            "convened_on": _day(_local(meeting.convened_at).date()) if meeting.convened_at else "",
            "notice_late": meeting.notice_late,
            "notice_days_given": meeting.notice_days_given,
            "notice_days_required": meeting.notice_days_required,
        },
        "attendance": _attendance(meeting),
        "items": items,
        "resolutions": resolutions,
        "summary": minutes.summary(language) if minutes else "",
    }


def minutes_canonical(meeting: Meeting) -> bytes:
    """The bytes the SHA-256 of locked minutes covers: the content in Kazakh and Russian (the
    languages the minutes are issued in) as JSON with sorted keys and no spaces, UTF-8."""
    content = {language: minutes_content(meeting, language) for language in MINUTES_LANGUAGES}
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def minutes_sha256(meeting: Meeting) -> str:
    return hashlib.sha256(minutes_canonical(meeting)).hexdigest()


def minutes_intact(minutes) -> bool | None:
    """For locked minutes: does the record read today still give the SHA-256 stored at locking?
    ``None`` for minutes not locked yet."""
    if not minutes.sha256:
        return None
    return minutes_sha256(minutes.meeting) == minutes.sha256


def minutes_labels(content: dict) -> dict:
    """The display labels of the codes in ``content``, in the active language (the page uses the
    reader's, the PDF its own)."""
    from innocluster.governance.models import AttendanceMode, ItemStatus, Majority, MeetingKind, Position

    outcomes = {
        "adopted": ItemStatus.ADOPTED.label,
        "not adopted": ItemStatus.REJECTED.label,
        "no quorum": ItemStatus.NO_QUORUM.label,
    }

    def label(choices, value) -> str:
        try:
            return str(choices(value).label)
        except ValueError:
            return str(value or "")

    out = copy.deepcopy(content)
    out["meeting"]["kind_label"] = label(MeetingKind, content["meeting"]["kind"])
    for row in out["attendance"]:
        row["position_label"] = label(Position, row["position"])
        row["mode_label"] = label(AttendanceMode, row["mode"]) if row["mode"] else ""
    out["present"] = [row for row in out["attendance"] if row["present"]]
    out["absent"] = [row for row in out["attendance"] if not row["present"]]
    for item in out["items"]:
        item["status_label"] = label(ItemStatus, item["status"])
        item["majority_label"] = label(Majority, item["majority"])
        item["indent"] = item["depth"] * 6
        for rnd in item["rounds"]:
            rnd["outcome_label"] = str(outcomes.get(rnd["outcome"], rnd["outcome"]))
    return out


def resolution_content(resolution, language: str) -> dict | None:
    """The item of ``resolution`` as the minutes read it (its rounds, counts and arithmetic), with
    the meeting and body: the extract from the minutes. ``None`` if the item has left the agenda."""
    content = minutes_content(resolution.item.meeting, language)
    for item in content["items"]:
        found = item["resolution"]
        if found and (found["year"], found["number"]) == (resolution.year, resolution.number):
            return {**content, "item": item, "resolution": item["resolution"]}


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
