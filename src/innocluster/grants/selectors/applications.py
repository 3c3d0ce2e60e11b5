"""Reads of project applications for the Fund's staff: the list (the page, its XLSX export and the
API use the same :func:`staff_applications`), the counts per status, one application with
everything the intake check and the later stages show, and the intake due dates.

Queries stay constant whatever the number of rows: the list's expert counts and average scores are
correlated subqueries over the assignments (computed for the page's rows only), the detail page
prefetches every list of the project, and the due dates of a page come from one calendar read
(:func:`intake_dues`)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate

from innocluster.core import calendar
from innocluster.core.calendar import ALMATY
from innocluster.core.policy import values as policy
from innocluster.core.policy.models import RegimePeriod
from innocluster.grants import rules
from innocluster.grants.models import (
    ApplicationFile,
    ApplicationStatus,
    AssignmentStatus,
    BudgetItem,
    ExpertAssignment,
    IntakeComment,
    PreselectionMark,
    ProjectApplication,
)
from innocluster.registry.models import StatusChange
from innocluster.registry.selectors.register import participant_of, status_on

S = ApplicationStatus
PAGE_SIZE = 60
# Assignments that count as an expert on the application (not cancelled, not recused).
ACTIVE_ASSIGNMENTS = (AssignmentStatus.ASSIGNED, AssignmentStatus.REVIEWING, AssignmentStatus.SUBMITTED)
# The statuses the staff list shows (a draft is the applicant's alone).
LISTED = [value for value, _label in S.choices if value != S.DRAFT]
SORTS = {
    "submitted": ("submitted_at", "id"),
    "-submitted": ("-submitted_at", "-id"),
    "number": ("number", "id"),
    "-number": ("-number", "-id"),
    "amount": ("requested_amount", "id"),
    "-amount": ("-requested_amount", "-id"),
}
DEFAULT_SORT = "-submitted"
INTAKE_DAYS = "grants.intake.days"
MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)


@dataclass(frozen=True)
class ApplicationFilter:
    """What the staff list is filtered and sorted by (every field optional)."""

    call: int | None = None
    programme: int | None = None
    status: str = ""
    q: str = ""  # the organisation's name (any language) or BIN, or the application number
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    sort: str = DEFAULT_SORT


def almaty_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ALMATY)


def _narrowing(filters: ApplicationFilter) -> Q:
    """The text and date conditions of ``filters`` (not the call, programme or status)."""
    condition = Q()
    text = (filters.q or "").strip()
    if text:
        condition &= (
            Q(organisation__bin=text)
            | Q(number__iexact=text)
            | Q(organisation__name_ru__icontains=text)
            | Q(organisation__name_kk__icontains=text)
            | Q(organisation__name_en__icontains=text)
        )
    if filters.submitted_from:
        condition &= Q(submitted_at__gte=almaty_start(filters.submitted_from))
    if filters.submitted_to:
        condition &= Q(submitted_at__lt=almaty_start(filters.submitted_to + dt.timedelta(days=1)))
    return condition


def _filtered(filters: ApplicationFilter) -> QuerySet[ProjectApplication]:
    qs = ProjectApplication.objects.exclude(status=S.DRAFT).filter(_narrowing(filters))
    if filters.call:
        qs = qs.filter(call_id=filters.call)
    if filters.programme:
        qs = qs.filter(call__programme_id=filters.programme)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


def staff_applications(filters: ApplicationFilter | None = None) -> QuerySet[ProjectApplication]:
    """The applications (never drafts) matching ``filters``, in its sort order, with the call, the
    programme, the organisation and the project joined, and two subqueries per row: ``experts``
    (assignments not cancelled or recused) and ``average_score`` (the mean weighted score of the
    submitted reviews, ``None`` before any)."""
    filters = filters or ApplicationFilter()
    experts = (
        ExpertAssignment.objects.filter(application=OuterRef("pk"), status__in=ACTIVE_ASSIGNMENTS)
        .order_by()
        .values("application")
        .annotate(n=Count("id"))
        .values("n")
    )
    average = (
        ExpertAssignment.objects.filter(
            application=OuterRef("pk"), status=AssignmentStatus.SUBMITTED, total__isnull=False
        )
        .order_by()
        .values("application")
        .annotate(a=Avg("total"))
        .values("a")
    )
    # The regime in force on the Almaty date of the submission (as ``policy.regime_on`` reads the
    # timeline), so that :func:`intake_dues` need not ask it again for each date of the page.
    regime = (
        RegimePeriod.objects.filter(starts_on__lte=OuterRef("submitted_day"))
        .order_by("-starts_on")
        .values("regime__code")[:1]
    )
    return (
        _filtered(filters)
        .select_related("call__programme", "organisation", "project")
        .annotate(submitted_day=TruncDate("submitted_at", tzinfo=ALMATY))
        .annotate(
            submitted_regime=Subquery(regime),
            experts=Coalesce(Subquery(experts, output_field=IntegerField()), Value(0)),
            average_score=Subquery(average, output_field=DecimalField(max_digits=7, decimal_places=2)),
        )
        .order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))
    )


@dataclass
class Overview:
    """What the list shows around its rows: the calls and programmes to filter by (those with
    applications), and the counts per status under the filters but for the status itself."""

    calls: list[tuple[int, str, int]]  # (call id, "PROGRAMME / CALL", programme id)
    programmes: list[tuple[int, str]]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def overview(filters: ApplicationFilter | None = None) -> Overview:
    """The calls, programmes and counts per status for the list, in one query: applications
    grouped by call and status, each group counted whole and under the text and date filters."""
    filters = filters or ApplicationFilter()
    groups = (
        ProjectApplication.objects.exclude(status=S.DRAFT)
        .order_by()
        .values("call_id", "call__code", "call__programme_id", "call__programme__code", "status")
        .annotate(hits=Count("id", filter=_narrowing(filters)))
    )
    calls, programmes, counts = {}, {}, dict.fromkeys(LISTED, 0)
    for g in groups:
        calls[g["call_id"]] = (
            g["call_id"],
            f"{g['call__programme__code']} / {g['call__code']}",
            g["call__programme_id"],
        )
        programmes[g["call__programme_id"]] = (g["call__programme_id"], g["call__programme__code"])
        if filters.call and g["call_id"] != filters.call:
            continue
        if filters.programme and g["call__programme_id"] != filters.programme:
            continue
        counts[g["status"]] = counts.get(g["status"], 0) + g["hits"]
    return Overview(
        calls=sorted(calls.values(), key=lambda c: c[1]),
        programmes=sorted(programmes.values(), key=lambda p: p[1]),
        counts=counts,
    )


def status_counts(filters: ApplicationFilter | None = None) -> dict[str, int]:
    """How many applications are in each status under ``filters`` (but for the status itself)."""
    return overview(filters).counts


def submitted_on(application: ProjectApplication) -> dt.date | None:
    """The Almaty date of the (last) submission."""
    if application.submitted_at is None:
        return None
    return application.submitted_at.astimezone(ALMATY).date()


def intake_dues(days, regimes: dict | None = None) -> dict[dt.date, dt.date]:
    """``rules.intake_due`` for each submission date in ``days``, in a fixed number of queries.

    When one value of ``grants.intake.days`` is in force over the whole span of ``days`` (the usual
    case), it is read once and the working days are counted over one calendar read
    (``calendar.irregular_days``); otherwise each date goes through the formula itself. ``regimes``
    (date → regime code in force on it, as :func:`staff_applications` annotates) spares asking the
    timeline for the first date."""
    distinct = sorted(set(days))
    if not distinct:
        return {}
    first, last = distinct[0], distinct[-1]
    if len(distinct) == 1:
        return {first: rules.intake_due(submitted_on=first)}
    in_force = policy.lookup(INTAKE_DAYS, on=last)
    known = {(regimes or {}).get(day) for day in distinct}
    same_regime = (
        known == {in_force.regime} if None not in known else policy.regime_on(first) == in_force.regime
    )
    if in_force.valid_from > first or not same_regime:
        return {day: rules.intake_due(submitted_on=day) for day in distinct}
    count = int(in_force.value)
    horizon = last + dt.timedelta(days=2 * count + 62)
    irregular = {
        day: working for day, working, _name in calendar.irregular_days(first + dt.timedelta(days=1), horizon)
    }

    def working(day: dt.date) -> bool:
        return irregular.get(day, day.weekday() < 5)

    dues = {}
    for start in distinct:
        day, found = start, 0
        while found < count:
            day += dt.timedelta(days=1)
            if day > horizon:  # far more holidays than any year has: let the formula count
                dues[start] = rules.intake_due(submitted_on=start)
                break
            found += working(day)
        else:
            dues[start] = day
    return dues


def with_intake_due(rows, *, today: dt.date | None = None) -> list[ProjectApplication]:
    """``rows`` as a list, each awaiting intake (``submitted``) given ``intake_due`` and
    ``intake_overdue``; the others get ``None`` and ``False`` (their intake is decided)."""
    rows = list(rows)
    today = today or policy.today()
    waiting = [r for r in rows if r.status == S.SUBMITTED and r.submitted_at is not None]
    regimes = {submitted_on(r): getattr(r, "submitted_regime", None) for r in waiting}
    dues = intake_dues(set(regimes), regimes)
    for row in rows:
        row.intake_due = None
        row.intake_overdue = False
    for row in waiting:
        row.intake_due = dues[submitted_on(row)]
        row.intake_overdue = row.intake_due < today
    return rows


# --- one application ------------------------------------------------------------------------------


# Statuses from which pre-selection marks or expert assignments may exist.
AFTER_INTAKE = (
    S.PRESELECTION,
    S.NOT_PRESELECTED,
    S.EXPERTISE,
    S.DECISION,
    S.AWARDED,
    S.DECLINED,
    S.WITHDRAWN,
)


def application_detail(pk: int) -> ProjectApplication | None:
    """One application (never a draft) with its project, milestones, budget, team, KPIs, files and
    register entry with its history, in a fixed number of queries; the pre-selection marks are
    summed in the same query (``marks_count``, ``marks_amount``). The intake comments and the
    expert assignments are read by :func:`intake_comments` and :func:`later_stages`, each one query
    and only where the status allows any."""
    interested = (
        PreselectionMark.objects.filter(application=OuterRef("pk"), interested=True)
        .order_by()
        .values("application")
    )
    return (
        ProjectApplication.objects.exclude(status=S.DRAFT)
        .filter(pk=pk)
        .select_related("call__programme", "organisation", "project", "applicant", "intake_by", "participant")
        .annotate(
            marks_count=Coalesce(
                Subquery(interested.annotate(n=Count("id")).values("n"), output_field=IntegerField()),
                Value(0),
            ),
            marks_amount=Coalesce(
                Subquery(interested.annotate(t=Sum("amount")).values("t"), output_field=MONEY_FIELD),
                Value(Decimal("0.00")),
                output_field=MONEY_FIELD,
            ),
        )
        .prefetch_related(
            "milestones",
            Prefetch("budget_items", queryset=BudgetItem.objects.order_by("kind", "year", "id")),
            "team",
            "kpis",
            Prefetch("files", queryset=ApplicationFile.objects.select_related("call_document")),
            Prefetch("participant__history", queryset=StatusChange.objects.order_by("effective_on", "id")),
        )
        .first()
    )


def intake_comments(application: ProjectApplication) -> list[IntakeComment]:
    """The comments of every return for revision (none before the first: no query)."""
    if not application.revision_round:
        return []
    return list(application.intake_comments.order_by("round", "id"))


def staff_file(application_pk: int, file_pk: int) -> ApplicationFile | None:
    """A file of a submitted (not draft) application, for the staff's download."""
    return (
        ApplicationFile.objects.filter(pk=file_pk, application_id=application_pk)
        .exclude(application__status=S.DRAFT)
        .first()
    )


def budget_table(application: ProjectApplication) -> dict:
    """The budget by item (rows) and year (columns), requested and co-financed, with totals; read
    from the prefetched items."""
    items = list(application.budget_items.all())
    years = sorted({i.year for i in items})
    labels = dict(BudgetItem.Kind.choices)
    zero = Decimal("0.00")
    rows: dict[str, dict] = {}
    for item in items:
        row = rows.setdefault(
            item.kind,
            {"kind": item.kind, "label": labels.get(item.kind, item.kind), "cells": {}, "requested": zero,
             "cofinanced": zero},
        )  # fmt: skip
        cell = row["cells"].setdefault(item.year, {"requested": zero, "cofinanced": zero})
        cell["requested"] += item.requested
        cell["cofinanced"] += item.cofinanced
        row["requested"] += item.requested
        row["cofinanced"] += item.cofinanced
    by_year = {y: {"requested": zero, "cofinanced": zero} for y in years}
    for row in rows.values():
        row["cells"] = [row["cells"].get(y, {"requested": zero, "cofinanced": zero}) for y in years]
        for y, cell in zip(years, row["cells"], strict=True):
            by_year[y]["requested"] += cell["requested"]
            by_year[y]["cofinanced"] += cell["cofinanced"]
    return {
        "years": years,
        "rows": list(rows.values()),
        "totals": [by_year[y] for y in years],
        "requested": sum((r["requested"] for r in rows.values()), zero),
        "cofinanced": sum((r["cofinanced"] for r in rows.values()), zero),
    }


def later_stages(application: ProjectApplication) -> dict:
    """A read-only summary of pre-selection (interested financers and their amount, summed by
    :func:`application_detail`) and of the expert commission (one query, only past the intake)."""
    assignments = []
    if application.status in AFTER_INTAKE:
        assignments = list(
            ExpertAssignment.objects.filter(application=application)
            .select_related("expert")
            .order_by("round", "id")
        )
    return {
        "marks_count": getattr(application, "marks_count", 0),
        "marks_amount": getattr(application, "marks_amount", Decimal("0.00")),
        "assignments": assignments,
    }


def latest_files(application: ProjectApplication) -> list[ApplicationFile]:
    """The newest version of each document (the prefetched files are ordered code, -version)."""
    seen, latest = set(), []
    for stored in application.files.all():
        if stored.code not in seen:
            seen.add(stored.code)
            latest.append(stored)
    return latest


def register_standing(application: ProjectApplication):
    """The applicant's register entry and its status today (live, from the entry's history), or
    ``(None, None)``. The entry the application names comes with its history from
    :func:`application_detail`; an application naming none asks the register
    (``participant_of``)."""
    participant = application.participant
    if participant is None or participant.organisation_id != application.organisation_id:
        participant = participant_of(application.organisation_id)
    if participant is None:
        return None, None
    return participant, status_on(participant)
