"""Reads for the staff pages of the register: the application queue, one application with
everything the moderator and the commission look at, a register entry's staff view, the
compliance reports that failed.

Each list reads in a fixed number of queries however many rows it shows (what a row needs is
joined in, the overdue marking is computed by the database).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from innocluster.core.audit.models import AuditEvent
from innocluster.core.decisions.models import Decision
from innocluster.core.identifiers import compact
from innocluster.core.policy import values as policy
from innocluster.core.policy.values import today
from innocluster.registry import roles
from innocluster.registry.models import (
    Application,
    ApplicationDocument,
    ComplianceReport,
    Participant,
    RevisionComment,
    StatusChange,
)
from innocluster.registry.selectors import documents

S = Application.Status

# The stages of the queue, in the order of the workflow (the tabs). A draft is the applicant's
# business until they submit it ("nothing is sent to the Fund until you submit"): staff never read
# one, on any page (see :func:`staff_applications`).
STAGES = (
    S.MODERATION,
    S.RETURNED,
    S.COMMISSION,
    S.APPROVED,
    S.AGREEMENT_SIGNED,
    S.REGISTERED,
    S.REJECTED,
)
PRIVATE_STATES = (S.DRAFT,)

# Sort keys -> ORM ordering; the number breaks ties so that pages never overlap. Rows without a
# running deadline come after those with one, whichever the direction.
SORTS = {
    "due": (F("due").asc(nulls_last=True), F("pk").asc()),
    "-due": (F("due").desc(nulls_last=True), F("pk").desc()),
    "submitted": (F("submitted_on").asc(nulls_last=True), F("pk").asc()),
    "-submitted": (F("submitted_on").desc(nulls_last=True), F("pk").desc()),
    "number": (F("pk").asc(),),
    "-number": (F("pk").desc(),),
}
DEFAULT_SORT = "due"

ASSIGNEE_ME = "me"
ASSIGNEE_NOBODY = "nobody"

# Who an application may be given to (``moderation.assign`` refuses anyone else).
ASSIGNABLE_ROLES = (roles.REGISTRAR, roles.COMMISSION_MEMBER)


def staff_applications() -> QuerySet[Application]:
    """The applications staff may read: every one but a draft, which is still the applicant's."""
    return Application.objects.exclude(status__in=PRIVATE_STATES)


@dataclass(frozen=True)
class QueueFilter:
    """What the queue narrows by; blank means any (the stage: any, a draft never)."""

    stage: str = ""  # an Application.Status value
    assignee: str = ""  # "", ASSIGNEE_ME or ASSIGNEE_NOBODY
    overdue: bool = False
    q: str = ""  # a name (any language, part of it), a BIN, or an application number
    sort: str = DEFAULT_SORT

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> "QueueFilter":
        return cls(
            stage=data.get("stage") or "",
            assignee=data.get("assignee") or "",
            overdue=bool(data.get("overdue")),
            q=(data.get("q") or "").strip(),
            sort=data.get("sort") or DEFAULT_SORT,
        )


def _with_due(qs: QuerySet[Application], on: date) -> QuerySet[Application]:
    """``due``: the deadline that runs now (the commission's, else the moderation's);
    ``overdue``: it has passed."""
    return qs.annotate(due=Coalesce("commission_due", "moderation_due")).annotate(
        overdue=Case(When(due__lt=on, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def _search(qs: QuerySet[Application], text: str) -> QuerySet[Application]:
    number = compact(text)
    found = (
        Q(organisation__name_ru__icontains=text)
        | Q(organisation__name_kk__icontains=text)
        | Q(organisation__name_en__icontains=text)
        | Q(individual__last_name__icontains=text)
        | Q(individual__first_name__icontains=text)
    )
    if number.isdigit() and len(number) == 12:
        found |= Q(organisation__bin=number)
    elif number.isdigit():
        found |= Q(pk=int(number)) | Q(organisation__bin__startswith=number)
    # SQLite folds only Latin letters in LIKE: try the case-folded text too (Cyrillic names
    # are usually typed as they are written, so the capitalised form is tried as well).
    for variant in {text.casefold(), text.capitalize()} - {text}:
        found |= Q(organisation__name_ru__icontains=variant) | Q(organisation__name_kk__icontains=variant)
    return qs.filter(found)


def application_queue(filters: QueueFilter | None = None, *, user=None, on: date | None = None):
    """Applications for the staff queue with what a row shows joined in, sorted (by default the
    nearest deadline first). ``user`` is who "assigned to me" means."""
    f = filters or QueueFilter()
    on = on or today()
    qs = _with_due(
        staff_applications().select_related("organisation", "individual", "category", "assignee"), on
    )
    if f.stage:
        qs = qs.filter(status=f.stage)
    if f.assignee == ASSIGNEE_ME and user is not None:
        qs = qs.filter(assignee=user)
    elif f.assignee == ASSIGNEE_NOBODY:
        qs = qs.filter(assignee__isnull=True)
    if f.overdue:
        qs = qs.filter(due__lt=on)
    if f.q:
        qs = _search(qs, f.q)
    return qs.order_by(*SORTS.get(f.sort, SORTS[DEFAULT_SORT]))


def stage_counts() -> dict[str, int]:
    """How many applications are in each stage of the queue (one query), every stage present."""
    found = dict(staff_applications().order_by().values_list("status").annotate(n=Count("pk")))
    return {status: found.get(status, 0) for status in STAGES}


def overdue_count(on: date | None = None) -> int:
    return _with_due(staff_applications(), on or today()).filter(overdue=True).count()


def application_detail(pk: int) -> Application | None:
    """One application with its member, category, assignee, decision, register entry, documents
    (every version, newest first per kind, with who uploaded each) and revision comments; ``None``
    when unknown or still a draft."""
    documents = ApplicationDocument.objects.select_related("kind", "uploaded_by").order_by(
        "kind__code", "-version"
    )
    comments = RevisionComment.objects.select_related("created_by").order_by("round", "id")
    return (
        staff_applications()
        .select_related(
            "applicant",
            "organisation__region",
            "organisation__activity",
            "individual",
            "category",
            "assignee",
            "decision",
            "participant",
        )
        .prefetch_related(
            Prefetch("documents", queryset=documents),
            Prefetch("revision_comments", queryset=comments),
        )
        .filter(pk=pk)
        .first()
    )


def comment_rounds(application: Application) -> list[dict[str, Any]]:
    """The revision comments grouped by round, the last round first (uses the prefetch)."""
    rounds: dict[int, list[RevisionComment]] = {}
    for comment in application.revision_comments.all():
        rounds.setdefault(comment.round, []).append(comment)
    return [{"round": n, "comments": rounds[n]} for n in sorted(rounds, reverse=True)]


EVENT_LABELS = {
    "registry.application.started": _("Application started"),
    "registry.application.changed": _("Application changed"),
    "registry.application.assigned": _("Assignment changed"),
    "parties.organisation.created": _("Organisation entered"),
    "parties.organisation.changed": _("Organisation details changed"),
    "parties.individual.created": _("Person entered"),
    "parties.individual.changed": _("Person's details changed"),
    "parties.representative.added": _("Representative added"),
    "parties.representative.deactivated": _("Representative removed"),
    "registry.document.uploaded": _("Document uploaded"),
    "registry.document.downloaded": _("Document downloaded"),
    "registry.personal_data.read": _("Personal data shown to staff"),
    "registry.participant.registered": _("Entered in the register"),
    "registry.participant.status_changed": _("Register status changed"),
    "notification.created": _("Notification sent"),
}


def application_history(application: Application) -> QuerySet[AuditEvent]:
    """The audit events about the application, its organisation (or person), its documents and
    its register entry, oldest first: the application's whole story in one query."""
    about = Q(object_type=Application._meta.label_lower, object_id=str(application.pk))
    if application.organisation_id:
        about |= Q(object_type="parties.organisation", object_id=str(application.organisation_id))
    if application.individual_id:
        about |= Q(object_type="parties.individual", object_id=str(application.individual_id))
    document_ids = [str(d.pk) for d in application.documents.all()]
    if document_ids:
        about |= Q(object_type=ApplicationDocument._meta.label_lower, object_id__in=document_ids)
    if application.participant_id:
        about |= Q(object_type=Participant._meta.label_lower, object_id=str(application.participant_id))
    return AuditEvent.objects.filter(about).order_by("occurred_at", "id")


def event_label(action: str) -> str:
    """What an audit action means, in the reader's language: the workflow's own button label for a
    transition, a plain phrase for the register's other writes, else the raw action code."""
    from django.utils.text import capfirst

    from innocluster.registry.workflow import APPLICATION_WORKFLOW

    prefix = f"{APPLICATION_WORKFLOW.label}."
    if action.startswith(prefix):
        name = action[len(prefix) :]
        try:
            return str(capfirst(APPLICATION_WORKFLOW.get(name).label))
        except KeyError:
            pass
    label = EVENT_LABELS.get(action)
    return str(label) if label is not None else action


def assignable_users() -> QuerySet:
    """Registrars and commission members with an active role and account, by name."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__role__in=ASSIGNABLE_ROLES,
            role_assignments__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def commission_applications(on: date | None = None) -> QuerySet[Application]:
    """Applications with the commission, the nearest deadline first (the batch decision form)."""
    return _with_due(
        staff_applications()
        .select_related("organisation", "individual", "category")
        .filter(status=S.COMMISSION),
        on or today(),
    ).order_by(*SORTS[DEFAULT_SORT])


def participant_detail(number: str) -> Participant | None:
    """A register entry for staff: member, category, the application that led to it, the status
    history with decisions and who recorded each change, and the compliance reports."""
    history = StatusChange.objects.select_related("decision", "recorded_by").order_by("effective_on", "id")
    reports = ComplianceReport.objects.select_related("submitted_by").order_by("-year", "-version")
    return (
        Participant.objects.select_related(
            "organisation__activity", "organisation__region", "individual", "category", "region"
        )
        .prefetch_related(
            Prefetch("history", queryset=history), Prefetch("compliance_reports", queryset=reports)
        )
        .filter(number=number)
        .first()
    )


def participant_application(participant: Participant) -> Application | None:
    return staff_applications().filter(participant=participant).only("pk", "status").first()


def decision_by_number(number: str, decided_on: date | None = None) -> list[Decision]:
    """The decisions recorded under ``number`` (on ``decided_on`` when given), at most two: the
    caller tells "none", "this one" and "ambiguous" apart."""
    rows = Decision.objects.filter(number=(number or "").strip())
    if decided_on is not None:
        rows = rows.filter(decided_on=decided_on)
    return list(rows.order_by("-decided_on", "-id")[:2])


def application_documents(application: Application) -> dict:
    """Current versions by kind (with the required kinds still missing) and the older versions."""
    current = documents.current_documents(application)
    current_ids = {d.pk for d in current.values()}
    older = [d for d in application.documents.all() if d.pk not in current_ids]
    try:
        required = documents.required_kinds(application)
    except policy.PolicyError:
        required = []
    required_codes = {k.code for k in required}
    return {
        "current": sorted(current.values(), key=lambda d: (d.kind.code not in required_codes, d.kind.code)),
        "older": older,
        "missing": [k for k in required if k.code not in current],
        "required": required_codes,
    }


def deadline_rows(application: Application, on: date) -> list[dict]:
    """Submission date and the three deadlines, each marked running and overdue (only a running
    deadline can be overdue: a return stops the clock)."""
    running = {
        "moderation_due": application.status == S.MODERATION,
        "commission_due": application.status == S.COMMISSION,
        "total_due": application.status in (S.MODERATION, S.COMMISSION),
    }
    rows = [{"label": _("Last submitted on"), "date": application.submitted_on, "deadline": False}]
    for field in ("moderation_due", "commission_due", "total_due"):
        value = getattr(application, field)
        rows.append(
            {
                "label": Application._meta.get_field(field).verbose_name,
                "date": value,
                "deadline": True,
                "start": application.submitted_on,
                "running": running[field],
                "overdue": bool(value and running[field] and value < on),
            }
        )
    return rows
