"""The expert commission: a programme manager assigns experts to an application in ``expertise``;
each expert first declares whether they have a conflict of interest (yes: recused, they never open
the application again), then scores every criterion of the call's rubric with a comment and gives an
opinion; the chair may ask for another review (a new round) and, once enough reviews are in, records
the commission's opinion as a decision of the expert commission.

**Which reviews count.** Every submitted review of every round counts: a chair's request for another
review adds one more review, it does not replace the earlier ones (``selectors.expertise``
aggregates all submitted reviews, and ``give_opinion`` counts them all).

Refusals are ``ValidationError``s naming the field; nothing changes on a refusal."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innocluster.core.access.permissions import require
from innocluster.core.access.selectors import roles_of
from innocluster.core.audit.services import record_event
from innocluster.core.calendar import almaty_date
from innocluster.core.decisions.models import Outcome
from innocluster.core.decisions.services import record_decision
from innocluster.core.notifications.services import notify
from innocluster.grants import rules
from innocluster.grants.models import (
    ApplicationStatus,
    AssignmentStatus,
    Criterion,
    ExpertAssignment,
    Opinion,
    ProjectApplication,
    Score,
)
from innocluster.grants.roles import EXPERT, EXPERT_COMMISSION

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
# Statuses of an assignment that still expect work from the expert.
OPEN = (AssignmentStatus.ASSIGNED, AssignmentStatus.REVIEWING)
# The decision record's outcome for each opinion of the commission.
OUTCOMES = {Opinion.EXPEDIENT: Outcome.APPROVED, Opinion.INEXPEDIENT: Outcome.REJECTED}


def _today():
    return almaty_date(timezone.now())


def _locked_application(application: ProjectApplication) -> ProjectApplication:
    locked = ProjectApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.EXPERTISE:
        raise ValidationError(
            {
                "status": _(
                    "Only an application with the expert commission can be reviewed; this one is %(status)s."
                )
                % {"status": locked.get_status_display()}
            }
        )
    return locked


def _check_expert(application, expert, round_: int) -> None:
    if expert is None or EXPERT not in roles_of(expert):
        raise ValidationError({"expert": _("Choose a user who holds the expert role.")})
    if ExpertAssignment.objects.filter(
        application=application, expert=expert, status=AssignmentStatus.RECUSED
    ).exists():
        raise ValidationError(
            {"expert": _("This expert declared a conflict of interest on this application.")}
        )
    if (
        ExpertAssignment.objects.filter(application=application, expert=expert, round=round_)
        .exclude(status=AssignmentStatus.CANCELLED)
        .exists()
    ):
        raise ValidationError(
            {"expert": _("This expert is already assigned to the application in this round.")}
        )


def _create(application, expert, round_: int, *, by, reason: str = "") -> ExpertAssignment:
    """A new assignment, or a cancelled one of the same expert and round put back to work."""
    due_on = rules.review_due(assigned_on=_today())
    assignment = ExpertAssignment.objects.filter(application=application, expert=expert, round=round_).first()
    if assignment is None:
        assignment = ExpertAssignment(application=application, expert=expert, round=round_)
    assignment.status = AssignmentStatus.ASSIGNED
    assignment.assigned_by = by
    assignment.assigned_at = timezone.now()
    assignment.due_on = due_on
    assignment.reason = reason
    assignment.save()
    return assignment


def _notify_expert(assignment: ExpertAssignment, *, by) -> None:
    notify(
        recipients=[assignment.expert],
        key="workflow.transition",
        context={
            "state": AssignmentStatus.ASSIGNED.label,
            "reason": format_lazy(
                gettext_lazy("Your review is due on {due}."), due=assignment.due_on.isoformat()
            ),
        },
        obj=assignment,
        actor=by,
        url=reverse("grants_expertise:my_assignment", args=[assignment.pk]),
    )


def assign(application: ProjectApplication, expert, *, by) -> ExpertAssignment:
    """Assign ``expert`` to review ``application`` in its current round; the review is due
    ``rules.review_due`` working days later and the expert is told."""
    require(by, "grants.expertise.assign", application)
    with transaction.atomic():
        application = _locked_application(application)
        round_ = application.assignments.aggregate(top=Max("round"))["top"] or 1
        _check_expert(application, expert, round_)
        assignment = _create(application, expert, round_, by=by)
        record_event(
            action="grants.expertise.assigned",
            actor=by,
            obj=assignment,
            changes={"expert": expert.pk, "round": round_, "due_on": assignment.due_on.isoformat()},
        )
        _notify_expert(assignment, by=by)
    return assignment


def cancel_assignment(assignment: ExpertAssignment, *, by, reason: str) -> ExpertAssignment:
    """Take back an assignment whose review is not submitted, saying why."""
    require(by, "grants.expertise.assign", assignment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the assignment is cancelled.")})
    with transaction.atomic():
        assignment = ExpertAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.status not in OPEN:
            raise ValidationError(
                {"status": _("Only an assignment whose review is not submitted can be cancelled.")}
            )
        before = assignment.status
        assignment.status = AssignmentStatus.CANCELLED
        assignment.save(update_fields=["status"])
        record_event(
            action="grants.expertise.cancelled",
            actor=by,
            obj=assignment,
            reason=reason,
            changes={"status": [before, assignment.status]},
        )
    return assignment


def _own(assignment: ExpertAssignment, by) -> ExpertAssignment:
    """The expert's own assignment, locked; someone else's is refused."""
    require(by, "grants.review", assignment)
    locked = ExpertAssignment.objects.select_for_update().select_related("application").get(pk=assignment.pk)
    if locked.expert_id != getattr(by, "pk", None):
        raise ValidationError({"expert": _("This is another expert's assignment.")})
    return locked


def declare_conflict(
    assignment: ExpertAssignment, *, by, has_conflict, details: str = ""
) -> ExpertAssignment:
    """The expert's first step: a conflict of interest (with its details) recuses them; none lets
    them read the application and review it."""
    if has_conflict is None:
        raise ValidationError({"has_conflict": _("Say whether you have a conflict of interest.")})
    details = (details or "").strip()
    if has_conflict and not details:
        raise ValidationError({"details": _("Describe the conflict of interest.")})
    with transaction.atomic():
        assignment = _own(assignment, by)
        if assignment.status != AssignmentStatus.ASSIGNED:
            raise ValidationError({"status": _("The conflict of interest is already declared.")})
        assignment.has_conflict = bool(has_conflict)
        assignment.conflict_note = details if has_conflict else ""
        assignment.declared_at = timezone.now()
        assignment.status = AssignmentStatus.RECUSED if has_conflict else AssignmentStatus.REVIEWING
        assignment.save(update_fields=["has_conflict", "conflict_note", "declared_at", "status"])
        record_event(
            action="grants.expertise.declared",
            actor=by,
            obj=assignment,
            reason=assignment.conflict_note,
            changes={"has_conflict": assignment.has_conflict, "status": assignment.status},
        )
    return assignment


def weighted_total(pairs) -> Decimal:
    """Σ weight × value / scale_max over ``(criterion, value)`` pairs: 0 to 100 when the weights sum
    to 100, two places, half up."""
    total = sum(
        (Decimal(c.weight) * Decimal(value) / Decimal(c.scale_max) for c, value in pairs), Decimal("0")
    )
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def _parse_scores(criteria, scores: dict, errors: dict, *, complete: bool) -> dict:
    """``{criterion: (value, comment)}`` from ``scores`` keyed by criterion code; errors name
    ``score_<code>`` and ``comment_<code>``."""
    found = {}
    for criterion in criteria:
        entry = scores.get(criterion.code) or {}
        raw, comment = entry.get("value"), (entry.get("comment") or "").strip()
        key = f"score_{criterion.code}"
        if raw in (None, ""):
            if complete:
                errors[key] = _("Score this criterion.")
            if comment:
                found[criterion] = (None, comment)
            continue
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            errors[key] = _("Enter a whole number.")
            continue
        if not 0 <= value <= criterion.scale_max:
            errors[key] = _("The score is from 0 to %(max)s.") % {"max": criterion.scale_max}
            continue
        if complete and not comment:
            errors[f"comment_{criterion.code}"] = _("Explain the score in a comment.")
        found[criterion] = (value, comment)
    return found


def _save_review(assignment, *, scores: dict, opinion: str, opinion_text: str, complete: bool):
    errors: dict = {}
    opinion, opinion_text = (opinion or "").strip(), (opinion_text or "").strip()
    criteria = list(Criterion.objects.filter(call=assignment.application.call_id).order_by("position"))
    parsed = _parse_scores(criteria, scores or {}, errors, complete=complete)
    if opinion and opinion not in Opinion.values:
        errors["opinion"] = _("Choose expedient or inexpedient.")
    elif complete and not opinion:
        errors["opinion"] = _("Give your opinion: expedient or inexpedient.")
    if complete and not opinion_text:
        errors["opinion_text"] = _("Give the reasoning of your opinion.")
    if errors:
        raise ValidationError(errors)
    kept = {s.criterion_id: s for s in assignment.scores.all()}
    for criterion, (value, comment) in parsed.items():
        if value is None:
            continue
        score = kept.get(criterion.pk) or Score(assignment=assignment, criterion=criterion)
        score.value, score.comment = value, comment
        score.save()
    assignment.opinion, assignment.opinion_text = opinion, opinion_text
    return criteria, parsed


def save_draft(assignment: ExpertAssignment, *, by, scores: dict, opinion: str = "", opinion_text: str = ""):
    """Keep what the expert has entered so far (scores in range; nothing is final)."""
    with transaction.atomic():
        assignment = _own(assignment, by)
        if assignment.status != AssignmentStatus.REVIEWING:
            raise ValidationError({"status": _("This review cannot be changed.")})
        _save_review(assignment, scores=scores, opinion=opinion, opinion_text=opinion_text, complete=False)
        assignment.save(update_fields=["opinion", "opinion_text"])
        record_event(
            action="grants.expertise.drafted", actor=by, obj=assignment, changes={"scores": len(scores or {})}
        )
    return assignment


def submit_review(assignment: ExpertAssignment, *, by, scores: dict, opinion: str, opinion_text: str):
    """The final review: every criterion scored with a comment, the opinion with its reasoning;
    ``total`` is the weighted score (0 to 100)."""
    with transaction.atomic():
        assignment = _own(assignment, by)
        if assignment.status != AssignmentStatus.REVIEWING:
            raise ValidationError({"status": _("This review cannot be changed.")})
        criteria, parsed = _save_review(
            assignment, scores=scores, opinion=opinion, opinion_text=opinion_text, complete=True
        )
        assignment.total = weighted_total((c, parsed[c][0]) for c in criteria)
        assignment.status = AssignmentStatus.SUBMITTED
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["opinion", "opinion_text", "total", "status", "submitted_at"])
        record_event(
            action="grants.expertise.submitted",
            actor=by,
            obj=assignment,
            changes={"total": str(assignment.total), "opinion": assignment.opinion},
        )
    return assignment


def request_review(application: ProjectApplication, expert, *, reason: str, by) -> ExpertAssignment:
    """The chair asks ``expert`` for another review, in a new round, saying why. The earlier
    reviews still count: the request adds one."""
    require(by, "grants.expertise.chair", application)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why another review is needed.")})
    with transaction.atomic():
        application = _locked_application(application)
        round_ = (application.assignments.aggregate(top=Max("round"))["top"] or 0) + 1
        _check_expert(application, expert, round_)
        assignment = _create(application, expert, round_, by=by, reason=reason)
        record_event(
            action="grants.expertise.requested",
            actor=by,
            obj=assignment,
            reason=reason,
            changes={"expert": expert.pk, "round": round_, "due_on": assignment.due_on.isoformat()},
        )
        _notify_expert(assignment, by=by)
    return assignment


def give_opinion(
    application: ProjectApplication, *, opinion: str, by, number: str, decided_on, basis: str
) -> ProjectApplication:
    """The commission's opinion, once enough reviews are submitted: a decision of the expert
    commission on record; expedient → awaiting the award decision, inexpedient → not financed."""
    require(by, "grants.expertise.chair", application)
    if opinion not in Opinion.values:
        raise ValidationError({"opinion": _("Choose expedient or inexpedient.")})
    with transaction.atomic():
        application = _locked_application(application)
        submitted = application.assignments.filter(status=AssignmentStatus.SUBMITTED).count()
        if not rules.enough_reviews(submitted=submitted, on=_today()):
            raise ValidationError(
                {"opinion": _("Not enough reviews are submitted for the commission's opinion (%(count)s so far).")
                 % {"count": submitted}}
            )  # fmt: skip
        decision = record_decision(
            body=EXPERT_COMMISSION,
            number=number,
            decided_on=decided_on,
            basis=basis,
            outcome=OUTCOMES[opinion],
            summary=f"{application.number}: {Opinion(opinion).label}",
            by=by,
        )
        before = application.status
        application.opinion = opinion
        application.opinion_at = timezone.now()
        application.opinion_decision = decision
        application.status = (
            ApplicationStatus.DECISION if opinion == Opinion.EXPEDIENT else ApplicationStatus.DECLINED
        )
        fields = ["opinion", "opinion_at", "opinion_decision", "status"]
        if application.status == ApplicationStatus.DECLINED:
            application.decided_at = application.opinion_at
            fields.append("decided_at")
        application.save(update_fields=fields)
        record_event(
            action="grants.expertise.opinion",
            actor=by,
            obj=application,
            changes={
                "opinion": opinion,
                "decision": decision.pk,
                "status": [before, application.status],
                "reviews": submitted,
            },
        )
        notify(
            recipients=[application.applicant],
            key="workflow.transition",
            context={"state": ApplicationStatus(application.status).label},
            obj=application,
            actor=by,
        )
    return application
