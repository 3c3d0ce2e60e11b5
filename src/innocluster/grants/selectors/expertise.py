"""Reads of the expert commission: the experts' load, an expert's own assignments (someone else's
is not found), the application as a non-conflicted expert may read it, and the aggregation of the
submitted reviews per call.

Every submitted review of every round counts in the aggregation (a chair's request for another
review adds one; see ``services.expertise``)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Max, Min, Prefetch, Q
from django.utils import timezone

from innocluster.core.access.selectors import users_with_role
from innocluster.core.calendar import almaty_date
from innocluster.core.policy import values as policy
from innocluster.grants import rules
from innocluster.grants.models import (
    ApplicationFile,
    ApplicationStatus,
    AssignmentStatus,
    Call,
    ExpertAssignment,
    Opinion,
    ProjectApplication,
    Score,
)
from innocluster.grants.roles import EXPERT

CENT = Decimal("0.01")
OPEN = (AssignmentStatus.ASSIGNED, AssignmentStatus.REVIEWING)
# An expert reads the application only after declaring no conflict.
READABLE = (AssignmentStatus.REVIEWING, AssignmentStatus.SUBMITTED)
# The statuses in which an application has been (or is) with the expert commission.
REVIEWED_STATUSES = (
    ApplicationStatus.EXPERTISE,
    ApplicationStatus.DECISION,
    ApplicationStatus.AWARDED,
    ApplicationStatus.DECLINED,
)


def _today():
    return almaty_date(timezone.now())


def experts() -> list:
    """Active accounts holding the expert role."""
    return users_with_role(EXPERT)


@dataclass(frozen=True)
class Load:
    expert: object
    open: int
    submitted: int
    nearest_due: object


def expert_load() -> list[Load]:
    """Every expert's open assignments (assigned + reviewing), submitted reviews and the nearest due
    date of an open one, the least loaded first (two queries whatever the number of experts)."""
    counts = {
        row["expert"]: row
        for row in ExpertAssignment.objects.values("expert").annotate(
            open=Count("id", filter=Q(status__in=OPEN)),
            submitted=Count("id", filter=Q(status=AssignmentStatus.SUBMITTED)),
            nearest_due=Min("due_on", filter=Q(status__in=OPEN)),
        )
    }
    found = []
    for user in experts():
        row = counts.get(user.pk, {})
        found.append(Load(user, row.get("open", 0), row.get("submitted", 0), row.get("nearest_due")))
    return sorted(found, key=lambda load: (load.open, load.expert.username))


def calls_in_expertise() -> list[Call]:
    """Calls with applications before (or past) the commission, with the count in ``expertise``."""
    return list(
        Call.objects.filter(applications__status__in=REVIEWED_STATUSES)
        .annotate(
            in_expertise=Count("applications", filter=Q(applications__status=ApplicationStatus.EXPERTISE)),
            reviewed=Count("applications", filter=Q(applications__status__in=REVIEWED_STATUSES)),
        )
        .select_related("programme")
        .order_by("-year", "programme__code", "code")
    )


def call_by_pk(pk: int) -> Call | None:
    return Call.objects.select_related("programme").filter(pk=pk).first()


def applications_to_assign(call: Call) -> list[ProjectApplication]:
    """The call's applications with the commission, each with its live assignments."""
    live = ExpertAssignment.objects.exclude(status=AssignmentStatus.CANCELLED).select_related("expert")
    return list(
        ProjectApplication.objects.filter(call=call, status=ApplicationStatus.EXPERTISE)
        .select_related("organisation", "project")
        .prefetch_related(Prefetch("assignments", queryset=live, to_attr="live_assignments"))
        .order_by("number")
    )


def application_by_pk(pk: int) -> ProjectApplication | None:
    return (
        ProjectApplication.objects.select_related(
            "call__programme", "organisation", "project", "opinion_decision"
        )
        .filter(pk=pk)
        .first()
    )


def reviews_of(application: ProjectApplication) -> list[ExpertAssignment]:
    """Every assignment of the application with its scores (for the staff and the chair only)."""
    return list(
        application.assignments.select_related("expert", "assigned_by").prefetch_related(
            Prefetch(
                "scores", queryset=Score.objects.select_related("criterion").order_by("criterion__position")
            )
        )
    )


def submitted_count(application: ProjectApplication) -> int:
    return application.assignments.filter(status=AssignmentStatus.SUBMITTED).count()


# --- the expert's own ------------------------------------------------------------------------------


def assignments_of(user) -> list[ExpertAssignment]:
    """The expert's own assignments, open ones first (the nearest due first)."""
    return sorted(
        ExpertAssignment.objects.filter(expert=user)
        .exclude(status=AssignmentStatus.CANCELLED)
        .select_related("application__call", "application__project"),
        key=lambda a: (a.status not in OPEN, a.due_on or _today(), a.pk),
    )


def assignment_of(user, pk: int) -> ExpertAssignment | None:
    """The expert's own assignment ``pk`` (not cancelled); another expert's is ``None``."""
    return (
        ExpertAssignment.objects.filter(pk=pk, expert=user)
        .exclude(status=AssignmentStatus.CANCELLED)
        .select_related("application__call", "application__project", "application__organisation")
        .first()
    )


def readable_assignment(user, pk: int) -> ExpertAssignment | None:
    """The expert's own assignment when they may read the application: no conflict declared (a
    recused expert, or one who has not declared yet, gets ``None``)."""
    assignment = assignment_of(user, pk)
    if assignment is None or assignment.status not in READABLE:
        return None
    return assignment


def application_for_review(assignment: ExpertAssignment) -> ProjectApplication:
    """The application with everything an expert reads (never the other assignments)."""
    return (
        ProjectApplication.objects.select_related("call", "organisation", "project")
        .prefetch_related("milestones", "budget_items", "team", "kpis", "call__criteria")
        .get(pk=assignment.application_id)
    )


def latest_files(application: ProjectApplication) -> list[ApplicationFile]:
    """The newest version of each of the application's documents."""
    seen, found = set(), []
    for item in application.files.order_by("code", "-version"):
        if item.code not in seen:
            seen.add(item.code)
            found.append(item)
    return found


def file_for_expert(user, assignment_pk: int, file_pk: int) -> ApplicationFile | None:
    assignment = readable_assignment(user, assignment_pk)
    if assignment is None:
        return None
    return ApplicationFile.objects.filter(pk=file_pk, application=assignment.application_id).first()


def own_scores(assignment: ExpertAssignment) -> dict:
    """The expert's own scores by criterion code (a draft or the submitted review)."""
    return {s.criterion.code: s for s in assignment.scores.select_related("criterion")}


# --- aggregation -----------------------------------------------------------------------------------


@dataclass
class Ranked:
    application: ProjectApplication
    submitted: int
    assigned: int
    recused: int
    mean: Decimal | None
    low: Decimal | None
    high: Decimal | None
    expedient: int
    inexpedient: int
    spread: Decimal | None = None
    disagreement: bool = False
    enough: bool = False


def _cents(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def ranking(call: Call) -> list[Ranked]:
    """The call's applications with the commission, by the mean weighted score of their submitted
    reviews (highest first; none yet last). One query for the table, and each policy rule is read
    once (``policy.memoised``), not once per application."""
    submitted = Q(assignments__status=AssignmentStatus.SUBMITTED)
    rows = (
        ProjectApplication.objects.filter(call=call, status__in=REVIEWED_STATUSES)
        .select_related("organisation", "project")
        .annotate(
            n_submitted=Count("assignments", filter=submitted),
            n_assigned=Count("assignments", filter=~Q(assignments__status=AssignmentStatus.CANCELLED)),
            n_recused=Count("assignments", filter=Q(assignments__status=AssignmentStatus.RECUSED)),
            mean_total=Avg("assignments__total", filter=submitted),
            min_total=Min("assignments__total", filter=submitted),
            max_total=Max("assignments__total", filter=submitted),
            n_expedient=Count("assignments", filter=submitted & Q(assignments__opinion=Opinion.EXPEDIENT)),
            n_inexpedient=Count(
                "assignments", filter=submitted & Q(assignments__opinion=Opinion.INEXPEDIENT)
            ),
        )
    )
    today = _today()
    found = []
    with policy.memoised():  # each rule read once, whatever the number of applications
        for app in rows:
            item = Ranked(
                application=app,
                submitted=app.n_submitted,
                assigned=app.n_assigned,
                recused=app.n_recused,
                mean=_cents(app.mean_total),
                low=_cents(app.min_total),
                high=_cents(app.max_total),
                expedient=app.n_expedient,
                inexpedient=app.n_inexpedient,
            )
            if item.low is not None:
                item.spread = item.high - item.low
                if item.submitted >= 2:
                    item.disagreement = rules.disagreement(totals=[item.low, item.high], on=today)
            item.enough = rules.enough_reviews(submitted=item.submitted, on=today)
            found.append(item)
    found.sort(key=lambda r: (r.mean is None, -(r.mean or 0), r.application.number))
    return found
