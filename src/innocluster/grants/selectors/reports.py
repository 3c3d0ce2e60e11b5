"""Reads of awards and grantee reports: the grantee's awards (looked up through the user, so
someone else's is not found), the programme manager's queue, the reports the reminders tell of.

A report is **late** when its due day has passed (Almaty date) and it is neither submitted nor
accepted (a report returned with comments and not yet resubmitted counts)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth

from innocluster.core.policy import values as policy
from innocluster.grants.models import AgreementVersion, Award, GranteeReport, ProjectKpi, Tranche
from innocluster.parties import selectors as parties

ZERO = Decimal("0.00")
OPEN_STATUSES = (GranteeReport.Status.DUE, GranteeReport.Status.RETURNED)
FILTERS = ("due", "late", "submitted", "accepted")


def today() -> dt.date:
    return policy.today()


def is_late(report: GranteeReport, on: dt.date | None = None) -> bool:
    return report.status in OPEN_STATUSES and report.due_on < (on or today())


def late_q(on: dt.date) -> Q:
    return Q(status__in=OPEN_STATUSES, due_on__lt=on)


def agreement_in_force(award: Award) -> AgreementVersion | None:
    return (
        AgreementVersion.objects.filter(award=award, status=AgreementVersion.Status.APPROVED)
        .order_by("-version")
        .first()
    )


def paid_so_far(award: Award) -> Decimal:
    return (
        Tranche.objects.filter(award=award, status=Tranche.Status.PAID).aggregate(total=Sum("amount"))[
            "total"
        ]
        or ZERO
    )


# --- the grantee's side ---------------------------------------------------------------------------


def _acted_for(user) -> Q:
    acting = parties.representations(user=user, organisation=OuterRef("application__organisation"))
    return Q(Exists(acting))


def _awards() -> QuerySet[Award]:
    return Award.objects.select_related(
        "application", "application__project", "application__organisation", "application__call__programme"
    )


def awards_of(user) -> QuerySet[Award]:
    """The awards of the organisations ``user`` acts for (confirmed), newest first."""
    return _awards().filter(_acted_for(user))


def award_of(user, pk: int) -> Award | None:
    """Award ``pk`` if ``user`` acts for its organisation, else None (a 404)."""
    return awards_of(user).filter(pk=pk).first()


def report_of(user, pk: int) -> GranteeReport | None:
    """Report ``pk`` if ``user`` acts for its award's organisation, else None (a 404)."""
    acting = parties.representations(user=user, organisation=OuterRef("award__application__organisation"))
    return (
        GranteeReport.objects.filter(pk=pk)
        .filter(Exists(acting))
        .select_related("award", "award__application", "award__application__project", "milestone")
        .first()
    )


@dataclass
class AwardSummary:
    award: Award
    paid: Decimal
    next_tranche: Tranche | None
    due: int
    late: int


def summaries(awards, on: dt.date | None = None) -> list[AwardSummary]:
    on = on or today()
    found = []
    for award in awards:
        reports = list(award.reports.all())
        found.append(
            AwardSummary(
                award=award,
                paid=paid_so_far(award),
                next_tranche=award.tranches.filter(status=Tranche.Status.PLANNED)
                .order_by("position")
                .first(),
                due=sum(1 for r in reports if r.status in OPEN_STATUSES),
                late=sum(1 for r in reports if is_late(r, on)),
            )
        )
    return found


@dataclass
class KpiRow:
    kpi: ProjectKpi
    latest: Decimal | None
    reported_on: dt.date | None


def kpi_table(award: Award) -> list[KpiRow]:
    """Each project indicator with its target and the value stated by the latest report that gives it
    (submitted or accepted)."""
    rows = []
    for kpi in ProjectKpi.objects.filter(application=award.application_id).order_by("id"):
        value = (
            kpi.values.filter(
                report__award=award,
                report__status__in=(GranteeReport.Status.SUBMITTED, GranteeReport.Status.ACCEPTED),
            )
            .select_related("report")
            .order_by("-report__submitted_at", "-id")
            .first()
        )
        rows.append(KpiRow(kpi, value.value if value else None, value.report.period_end if value else None))
    return rows


def project_kpis(award: Award) -> list[ProjectKpi]:
    return list(ProjectKpi.objects.filter(application=award.application_id).order_by("id"))


def kpi_values_of(report: GranteeReport) -> dict[int, Decimal]:
    return {v.kpi_id: v.value for v in report.kpi_values.all()}


# --- the programme manager's queue ----------------------------------------------------------------


def _queue(rows: QuerySet[GranteeReport], *, show: str, programme: int | None, on: dt.date):
    if show == "due":
        rows = rows.filter(status__in=OPEN_STATUSES, due_on__gte=on)
    elif show == "late":
        rows = rows.filter(late_q(on))
    elif show == "submitted":
        rows = rows.filter(status=GranteeReport.Status.SUBMITTED)
    elif show == "accepted":
        rows = rows.filter(status=GranteeReport.Status.ACCEPTED)
    if programme:
        rows = rows.filter(award__application__call__programme=programme)
    return rows


def report_queue(*, show: str = "", programme: int | None = None, on: dt.date | None = None):
    """Reports for the staff queue: ``show`` one of due, late, submitted, accepted (else all)."""
    rows = GranteeReport.objects.select_related(
        "award",
        "award__application__project",
        "award__application__organisation",
        "award__application__call__programme",
        "milestone",
    )
    return _queue(rows, show=show, programme=programme, on=on or today()).order_by("due_on", "id")


# Where a report of the queue stands, for its chart (a cancelled report stands nowhere).
ACCEPTED, SUBMITTED, AWAITED, LATE = "accepted", "submitted", "awaited", "late"
STANDINGS = (ACCEPTED, SUBMITTED, AWAITED, LATE)


def queue_by_month(
    *, show: str = "", programme: int | None = None, on: dt.date | None = None
) -> list[tuple[dt.date, dict[str, int]]]:
    """The queue under the same filters counted per month of the due date (the first of the
    month; every month from the first to the last, empty ones too) and per standing: accepted,
    submitted (awaiting review), awaited (not yet due, or returned with comments before its due
    day), late. One query, whatever the number of reports."""
    on = on or today()
    standing = Case(
        When(late_q(on), then=Value(LATE)),
        When(status__in=OPEN_STATUSES, then=Value(AWAITED)),
        When(status=GranteeReport.Status.SUBMITTED, then=Value(SUBMITTED)),
        When(status=GranteeReport.Status.ACCEPTED, then=Value(ACCEPTED)),
        default=Value(""),
    )
    counted = (
        _queue(GranteeReport.objects.all(), show=show, programme=programme, on=on)
        .annotate(month=TruncMonth("due_on"), standing=standing)
        .values("month", "standing")
        .annotate(n=Count("id"))
        .order_by("month", "standing")
    )
    months: dict[dt.date, dict[str, int]] = {}
    for row in counted:
        if row["standing"]:
            months.setdefault(row["month"], dict.fromkeys(STANDINGS, 0))[row["standing"]] += row["n"]
    if not months:
        return []
    # Every month from the first to the last, the empty ones too: the bars read as a timeline.
    first, last = min(months), max(months)
    found = []
    while first <= last:
        found.append((first, months.get(first, dict.fromkeys(STANDINGS, 0))))
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return found


def report_by_pk(pk: int) -> GranteeReport | None:
    return (
        GranteeReport.objects.filter(pk=pk)
        .select_related(
            "award",
            "award__application__project",
            "award__application__organisation",
            "award__application__call__programme",
            "milestone",
            "submitted_by",
            "reviewed_by",
        )
        .first()
    )


# --- reminders and metrics ------------------------------------------------------------------------


def open_reports(on: dt.date) -> QuerySet[GranteeReport]:
    """Reports neither submitted nor accepted of awards in progress (for the reminders)."""
    return GranteeReport.objects.filter(
        status__in=OPEN_STATUSES, award__status=Award.Status.ACTIVE
    ).select_related("award", "award__application", "award__application__project")


def late_count(on: dt.date) -> int:
    return GranteeReport.objects.filter(late_q(on), award__status=Award.Status.ACTIVE).count()
