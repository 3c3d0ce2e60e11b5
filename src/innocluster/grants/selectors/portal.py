"""Reads of the participant's project applications: what a representative may see (always through
the organisations the user acts for, so someone else's application is not found), whether an
organisation may apply to a call on a day (read live from the register), and what still stops an
application from being submitted, step by step.

The services ask :func:`standing` and :func:`submission_problems` again inside their transactions;
the pages show the same answers before the person presses the button."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import ALMATY
from innocluster.core.manifest import Card
from innocluster.core.policy import values as policy
from innocluster.grants.models import (
    ApplicationFile,
    ApplicationStatus,
    Call,
    CallStatus,
    IntakeComment,
    Project,
    ProjectApplication,
)
from innocluster.grants.rules import add_months
from innocluster.parties.selectors import organisations_of
from innocluster.registry.selectors.register import participant_of, status_on

S = ApplicationStatus
ZERO = Decimal("0.00")

# The steps in order: (key, label). The key is what ``steps_done`` stores.
STEPS = (
    ("project", gettext_lazy("Project")),
    ("plan", gettext_lazy("Plan and milestones")),
    ("budget", gettext_lazy("Budget")),
    ("team", gettext_lazy("Team and indicators")),
    ("note", gettext_lazy("Explanatory note")),
    ("documents", gettext_lazy("Documents")),
)
STEP_KEYS = tuple(key for key, _label in STEPS)
# The sections of the explanatory note, all required at submission.
NOTE_FIELDS = ("research_state", "industrial_readiness", "prototype", "novelty", "patent_search", "ip_owner")
NOTE_LABELS = {
    "research_state": gettext_lazy("State of the research"),
    "industrial_readiness": gettext_lazy("Readiness for industrial use"),
    "prototype": gettext_lazy("Prototype"),
    "novelty": gettext_lazy("Novelty against world analogues"),
    "patent_search": gettext_lazy("Patent search"),
    "ip_owner": gettext_lazy("Owner of the intellectual property"),
}
# Statuses in which the applicant may still withdraw (no decision yet).
WITHDRAWABLE = (S.DRAFT, S.SUBMITTED, S.RETURNED, S.PRESELECTION, S.EXPERTISE, S.DECISION)


# --- who may apply ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Whether an organisation may apply to a call on a day, and why not (for people)."""

    eligible: bool
    participant: object = None
    reason: str = ""


def standing(organisation, call: Call, on: dt.date | None = None) -> Standing:
    """A participant registered (not suspended, excluded or gone) on ``on`` whose category is among
    the call's eligible ones, read live from the register."""
    on = on or policy.today()
    participant = participant_of(organisation)
    name = organisation.name
    if participant is None:
        return Standing(False, None, _("%(name)s is not a participant of the cluster.") % {"name": name})
    today = status_on(participant, on)
    if not today.valid:
        if today.status is None:
            reason = _("%(name)s is not yet a participant of the cluster on %(date)s.") % {
                "name": name,
                "date": on.strftime("%d.%m.%Y"),
            }
        else:
            reason = _("%(name)s is %(status)s in the register and cannot apply to calls.") % {
                "name": name,
                "status": today.label,
            }
        return Standing(False, participant, reason)
    if not call.eligible_categories.filter(pk=participant.category_id).exists():
        reason = _("The call is not open to the category of %(name)s (%(category)s).") % {
            "name": name,
            "category": participant.category.name,
        }
        return Standing(False, participant, reason)
    return Standing(True, participant, "")


# --- what a representative sees -----------------------------------------------------------------


def organisations(user):
    return organisations_of(user).order_by("name_ru")


def organisation_for(user, pk) -> object | None:
    """Organisation ``pk`` if ``user`` acts for it, else None."""
    try:
        return organisations_of(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def applications_of(user):
    """Every application of the organisations ``user`` acts for, newest first."""
    return (
        ProjectApplication.objects.filter(organisation__in=organisations_of(user).values("pk"))
        .select_related("call", "call__programme", "project", "organisation")
        .order_by("-created_at", "-id")
    )


def application_for(user, pk: int) -> ProjectApplication | None:
    """Application ``pk`` if it belongs to an organisation ``user`` acts for, else None (a 404)."""
    return (
        applications_of(user)
        .prefetch_related(
            "milestones",
            "budget_items",
            "team",
            "kpis",
            Prefetch("files", queryset=ApplicationFile.objects.order_by("code", "-version")),
            "call__documents",
            "call__eligible_categories",
        )
        .filter(pk=pk)
        .first()
    )


def file_for(user, application_pk: int, file_pk: int) -> ApplicationFile | None:
    return (
        ApplicationFile.objects.filter(
            pk=file_pk,
            application_id=application_pk,
            application__organisation__in=organisations_of(user).values("pk"),
        )
        .select_related("application")
        .first()
    )


def open_calls(now=None) -> list[Call]:
    """Published calls open now, soonest closing first."""
    now = now or timezone.now()
    return list(
        Call.objects.filter(status=CallStatus.PUBLISHED, opens_at__lte=now, closes_at__gt=now)
        .select_related("programme")
        .order_by("closes_at", "code")
    )


def call_by_pk(pk: int) -> Call | None:
    return (
        Call.objects.filter(pk=pk, status=CallStatus.PUBLISHED)
        .select_related("programme")
        .prefetch_related("eligible_categories", "documents")
        .first()
    )


def projects_of(organisations) -> list[Project]:
    return list(Project.objects.filter(organisation__in=organisations).order_by("title"))


def taken(call: Call, project: Project) -> ProjectApplication | None:
    """The application (not withdrawn) that already proposes ``project`` to ``call``."""
    return (
        ProjectApplication.objects.filter(call=call, project=project)
        .exclude(status=S.WITHDRAWN)
        .order_by("id")
        .first()
    )


def current_files(application: ProjectApplication) -> dict[str, ApplicationFile]:
    """The latest version of each document of the application, by code."""
    found: dict[str, ApplicationFile] = {}
    for stored in application.files.all():
        current = found.get(stored.code)
        if current is None or stored.version > current.version:
            found[stored.code] = stored
    return found


def documents_wanted(application: ProjectApplication) -> list[dict]:
    """The passport and the call's documents, each with its current file (or None)."""
    files = current_files(application)
    rows = [
        {
            "code": ApplicationFile.PASSPORT,
            "title": _("Project passport"),
            "required": True,
            "file": files.get(ApplicationFile.PASSPORT),
        }
    ]
    for document in application.call.documents.all():
        rows.append(
            {
                "code": document.code,
                "title": document.title,
                "required": document.required,
                "file": files.get(document.code),
            }
        )
    return rows


def open_comments(application: ProjectApplication) -> list[IntakeComment]:
    """The intake's comments of the current revision round (what the applicant answers)."""
    if not application.revision_round:
        return []
    return list(application.intake_comments.filter(round=application.revision_round).order_by("id"))


def all_comments(application: ProjectApplication) -> list[IntakeComment]:
    return list(application.intake_comments.order_by("round", "id"))


EVENTS = {
    "grants.application.started": gettext_lazy("Application started"),
    "grants.application.submitted": gettext_lazy("Application submitted"),
    "grants.application.resubmitted": gettext_lazy("Application submitted again after revision"),
    "grants.application.withdrawn": gettext_lazy("Application withdrawn"),
    "grants.application.comments_answered": gettext_lazy("Intake comments answered"),
}


def history(application: ProjectApplication) -> list[AuditEvent]:
    """The application's status changes from the audit log, oldest first, each with a ``label``:
    the applicant's own events and any other stage's events that change the status."""
    events = AuditEvent.objects.filter(
        object_type=ProjectApplication._meta.label_lower, object_id=str(application.pk)
    ).order_by("occurred_at", "id")
    found = []
    labels = dict(ApplicationStatus.choices)
    for event in events:
        status = (event.changes or {}).get("status") if isinstance(event.changes, dict) else None
        if event.action in EVENTS:
            event.label = EVENTS[event.action]
        elif isinstance(status, list) and len(status) == 2 and status[1] in labels:
            event.label = labels[status[1]]
        else:
            continue
        found.append(event)
    return found


def next_step(application: ProjectApplication) -> str:
    """The first step not done yet, ``check`` when all are."""
    for key in STEP_KEYS:
        if key not in (application.steps_done or []):
            return key
    return "check"


def can_withdraw(application: ProjectApplication) -> bool:
    return application.status in WITHDRAWABLE


# --- what stops a submission ---------------------------------------------------------------------


def almaty(moment: dt.datetime) -> tuple[str, str]:
    local = moment.astimezone(ALMATY)
    return local.strftime("%d.%m.%Y"), local.strftime("%H:%M")


def window_problem(call: Call, now=None) -> str:
    """Why ``call`` takes no submission at ``now`` (empty: it does)."""
    now = now or timezone.now()
    if call.status != CallStatus.PUBLISHED or call.opens_at is None or call.closes_at is None:
        return _("The call is not published: it takes no applications.")
    if now < call.opens_at:
        day, time = almaty(call.opens_at)
        return _("The call opens on %(day)s at %(time)s (Almaty time).") % {"day": day, "time": time}
    if now >= call.closes_at:
        day, time = almaty(call.closes_at)
        return _("The call closed on %(day)s at %(time)s (Almaty time).") % {"day": day, "time": time}
    return ""


@dataclass
class Problems:
    """What stops a submission, by field (the service's ``ValidationError``) and by step (the
    check page)."""

    fields: dict = field(default_factory=dict)
    steps: dict = field(default_factory=dict)

    def add(self, step: str, name: str, message: str) -> None:
        self.fields.setdefault(name, message)
        self.steps.setdefault(step, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.fields)


def _project_problems(app: ProjectApplication, call: Call, found: Problems) -> None:
    if not app.summary.strip():
        found.add("project", "summary", _("Describe the project in its summary."))
    if not app.expected_results.strip():
        found.add("project", "expected_results", _("Say what results the project expects."))
    if app.starts_on is None:
        found.add("project", "starts_on", _("Give the project's start date."))
    if app.ends_on is None:
        found.add("project", "ends_on", _("Give the project's end date."))
    if app.starts_on and app.ends_on:
        if app.ends_on < app.starts_on:
            found.add("project", "ends_on", _("The project ends after it starts."))
        else:
            latest = add_months(app.starts_on, call.max_months) - dt.timedelta(days=1)
            if app.ends_on > latest:
                found.add(
                    "project",
                    "ends_on",
                    _(
                        "The call allows projects of at most %(months)s months: "
                        "starting on %(start)s, the project ends by %(latest)s."
                    )
                    % {
                        "months": call.max_months,
                        "start": app.starts_on.strftime("%d.%m.%Y"),
                        "latest": latest.strftime("%d.%m.%Y"),
                    },
                )
    if app.requested_amount <= 0:
        found.add("project", "requested_amount", _("Give the amount requested."))
    elif app.requested_amount > call.max_amount:
        found.add(
            "project",
            "requested_amount",
            _("The amount requested is more than the call's largest award, %(max)s tenge.")
            % {"max": call.max_amount},
        )
    total = app.requested_amount + app.cofinancing_amount
    if call.cofinancing_share > 0 and app.cofinancing_amount < call.cofinancing_share * total:
        found.add(
            "project",
            "cofinancing_amount",
            _(
                "The co-financing is %(amount)s tenge of %(total)s; the call asks for at least "
                "%(share)s of the project's cost."
            )
            % {
                "amount": app.cofinancing_amount,
                "total": total,
                "share": f"{(call.cofinancing_share * 100).normalize():f}%",
            },
        )
    if app.cofinancing_amount > 0 and not app.cofinancing_source.strip():
        found.add("project", "cofinancing_source", _("Say where the co-financing comes from."))


def _plan_problems(app: ProjectApplication, found: Problems) -> None:
    milestones = list(app.milestones.all())
    if not milestones:
        found.add("plan", "milestones", _("Add at least one milestone to the plan."))
        return
    if app.starts_on and app.ends_on:
        outside = [m for m in milestones if m.starts_on < app.starts_on or m.due_on > app.ends_on]
        if outside:
            found.add(
                "plan",
                "milestones",
                _("Milestone %(position)s is outside the project's dates.")
                % {"position": outside[0].position},
            )
    total = sum((m.amount for m in milestones), ZERO)
    if total != app.requested_amount:
        found.add(
            "plan",
            "milestone_amounts",
            _("The milestones' amounts sum to %(total)s tenge; the amount requested is %(requested)s.")
            % {"total": total, "requested": app.requested_amount},
        )


def _budget_problems(app: ProjectApplication, found: Problems) -> None:
    items = list(app.budget_items.all())
    if not items:
        found.add("budget", "budget", _("Add the budget's items."))
        return
    requested = sum((i.requested for i in items), ZERO)
    cofinanced = sum((i.cofinanced for i in items), ZERO)
    if requested != app.requested_amount:
        found.add(
            "budget",
            "budget_requested",
            _("The budget's requested amounts sum to %(total)s tenge; the amount requested is %(requested)s.")
            % {"total": requested, "requested": app.requested_amount},
        )
    if cofinanced != app.cofinancing_amount:
        found.add(
            "budget",
            "budget_cofinanced",
            _("The budget's co-financed amounts sum to %(total)s tenge; the co-financing is %(amount)s.")
            % {"total": cofinanced, "amount": app.cofinancing_amount},
        )


def submission_problems(app: ProjectApplication, now=None) -> Problems:
    """Everything that stops ``app`` from being submitted at ``now``, except the window and the
    organisation's standing (asked separately: they are about the call and the register)."""
    call = app.call
    found = Problems()
    _project_problems(app, call, found)
    _plan_problems(app, found)
    _budget_problems(app, found)
    if not app.team.exists():
        found.add("team", "team", _("Add at least one member of the team."))
    if not app.kpis.exists():
        found.add("team", "kpis", _("Add at least one performance indicator."))
    for name in NOTE_FIELDS:
        if not (getattr(app, name) or "").strip():
            found.add(
                "note", name, _("Fill in the note's section: %(section)s.") % {"section": NOTE_LABELS[name]}
            )
    files = current_files(app)
    if ApplicationFile.PASSPORT not in files:
        found.add("documents", "passport", _("Upload the project passport."))
    for document in call.documents.all():
        if document.required and document.code not in files:
            found.add(
                "documents",
                f"document_{document.code}",
                _("Upload the document: %(title)s.") % {"title": document.title},
            )
    if app.status == S.RETURNED:
        unanswered = [c for c in open_comments(app) if not c.response.strip()]
        if unanswered:
            found.add(
                "check",
                "comments",
                ngettext(
                    "Answer the intake's comment before resubmitting (%(n)d unanswered).",
                    "Answer every intake comment before resubmitting (%(n)d unanswered).",
                    len(unanswered),
                )
                % {"n": len(unanswered)},
            )
    return found


# --- the portal's home card --------------------------------------------------------------------


def portal_card(user, today: dt.date) -> list[Card]:
    rows = applications_of(user).filter(status__in=(S.DRAFT, S.RETURNED))
    returned = rows.filter(status=S.RETURNED).count()
    drafts = rows.filter(status=S.DRAFT).count()
    if returned:
        text = ngettext(
            "%(n)d project application is returned for revision: answer the comments and resubmit.",
            "%(n)d project applications are returned for revision: answer the comments and resubmit.",
            returned,
        ) % {"n": returned}
    elif drafts:
        text = ngettext(
            "%(n)d project application is not submitted yet.",
            "%(n)d project applications are not submitted yet.",
            drafts,
        ) % {"n": drafts}
    elif open_calls():
        text = _("Calls for applications are open.")
    else:
        text = _("Nothing needs your action.")
    return [
        Card(
            title=_("Project applications"),
            text=text,
            url=reverse("grants_portal:index"),
            link=_("My project applications"),
            warn=bool(returned),
        )
    ]
