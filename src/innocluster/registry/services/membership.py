"""The later life of a register entry: suspension, reinstatement, exclusion and voluntary exit.

These services are the commands of ``PARTICIPANT_WORKFLOW`` (``registry/workflow.py``): the staff
pages, the portal's exit page, the API and the CLI reach them through
``PARTICIPANT_WORKFLOW.perform(participant, name, by=..., **inputs)``. Called directly (seeding,
tests), each still asks ``can`` first, then checks on the locked row that the workflow table lets
the entry leave its state (``IllegalTransition`` otherwise, as from the dispatcher), records the
change through ``services.change_status`` (history and audit) and tells the organisation's active
representatives. A suspension gives the participant a period, counted in
Kazakh working days from policy, to answer the grounds; an exclusion cannot be decided before that
period is over.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.calendar import add_working_days
from innocluster.core.decisions.executors import carries_out, require_authority
from innocluster.core.decisions.models import Status as DecisionStatus
from innocluster.core.notifications.services import notify
from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula
from innocluster.core.workflow import IllegalTransition
from innocluster.parties.selectors import representative_users
from innocluster.registry.models import Participant, StatusChange
from innocluster.registry.roles import EXCLUSION
from innocluster.registry.services import register as services
from innocluster.registry.workflow import PARTICIPANT_WORKFLOW

Status = Participant.Status
# The generic template key: no registry-specific notification texts exist yet.
NOTIFICATION_KEY = "workflow.transition"


def _locked(participant: Participant, name: str) -> Participant:
    """The entry under a row lock, refused unless the workflow's transition ``name`` starts from
    its current status."""
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    transition = PARTICIPANT_WORKFLOW.get(name)
    if not transition.allowed_from(locked.status):
        raise IllegalTransition(PARTICIPANT_WORKFLOW, transition, locked.status)
    return locked


def _grounds(text: str, field: str = "grounds") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("State the grounds.")})
    return text


def _latest(participant: Participant) -> StatusChange:
    return StatusChange.objects.filter(participant_id=participant.pk).latest("id")


def _sync(participant: Participant, locked: Participant) -> Participant:
    participant.status, participant.status_since = locked.status, locked.status_since
    return participant


def _date_text(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _answer_by(grounds: str, due: date):
    """Grounds plus the answer date, rendered later in each recipient's language."""
    return lazy(
        lambda: (
            _("%(grounds)s You may answer the grounds until %(date)s.")
            % {"grounds": grounds, "date": _date_text(due)}
        ),
        str,
    )()


def _tell(participant: Participant, *, by, reason) -> None:
    notify(
        recipients=representative_users(participant.organisation_id),
        key=NOTIFICATION_KEY,
        context={"state": Status(participant.status).label, "reason": reason},
        obj=participant,
        actor=by,
        url=reverse("registry:participant", args=[participant.number]),
    )


def current_response_due(participant: Participant) -> date | None:
    """The answer date of the suspension in force, or ``None`` when the entry is not suspended."""
    if participant.status != Status.SUSPENDED:
        return None
    latest = StatusChange.objects.filter(participant_id=participant.pk).order_by("-id").first()
    if latest is None or latest.status != Status.SUSPENDED:
        return None
    return latest.response_due


def response_due(on: date, regime: str | None = None) -> date | None:
    """The day a participant suspended on ``on`` may answer by: ``registry.suspension.response_days``
    working days in force on ``on`` (None: the regime gives no answer period)."""
    days = policy.value("registry.suspension.response_days", on=on, regime=regime)
    return add_working_days(on, days) if days is not None else None


@formula("registry.suspension.response_due")
def response_due_formula(*, suspended_on: date, on: date | None = None, regime: str | None = None):
    """Law cases: the answer deadline of a suspension notified on ``suspended_on``."""
    return response_due(suspended_on, regime=regime)


@transaction.atomic
def suspend(participant: Participant, *, by, grounds: str, on: date | None = None) -> Participant:
    """Registered → suspended; the answer period (``registry.suspension.response_days`` working
    days in force on ``on``) is stored on the history row."""
    require(by, "registry.membership.manage", participant)
    grounds = _grounds(grounds)
    on = on or policy.today()
    locked = _locked(participant, "suspend")
    due = response_due(on)
    services.change_status(locked, status=Status.SUSPENDED, effective_on=on, reason=grounds, by=by)
    StatusChange.objects.filter(pk=_latest(locked).pk).update(response_due=due)
    _tell(locked, by=by, reason=_answer_by(grounds, due) if due else grounds)
    return _sync(participant, locked)


@transaction.atomic
def reinstate(participant: Participant, *, by, grounds: str, on: date | None = None) -> Participant:
    """Suspended → registered, once the grounds are resolved."""
    require(by, "registry.membership.manage", participant)
    grounds = _grounds(grounds)
    on = on or policy.today()
    locked = _locked(participant, "reinstate")
    services.change_status(locked, status=Status.REGISTERED, effective_on=on, reason=grounds, by=by)
    _tell(locked, by=by, reason=grounds)
    return _sync(participant, locked)


@transaction.atomic
def exclude(participant: Participant, *, by, grounds: str, decision, on: date | None = None) -> Participant:
    """Registered or suspended → excluded, on a recorded decision of the body the authority
    matrix names for an exclusion. A suspended participant keeps the right to answer: a decision
    dated on or before the answer date is refused. Called by a registrar, or by whoever carries out
    a body's exclusion resolution (``core.decisions.executors``)."""
    if not carries_out(by, EXCLUSION):
        require(by, "registry.membership.manage", participant)
    grounds = _grounds(grounds)
    if decision is None:
        raise ValidationError({"decision": _("An exclusion needs the decision it is made on.")})
    if decision.status == DecisionStatus.REVOKED:
        raise ValidationError({"decision": _("This decision has been revoked.")})
    require_authority(decision, EXCLUSION)
    on = on or policy.today()
    if on < decision.decided_on:
        raise ValidationError({"on": _("An exclusion cannot take effect before the decision is taken.")})
    locked = _locked(participant, "exclude")
    due = current_response_due(locked)
    if due is not None and decision.decided_on <= due:
        raise ValidationError(
            {
                "decision": _(
                    "The participant may answer the grounds of the suspension until %(date)s; "
                    "an exclusion can only be decided after that date."
                )
                % {"date": _date_text(due)}
            }
        )
    services.change_status(
        locked, status=Status.EXCLUDED, effective_on=on, reason=grounds, by=by, decision=decision
    )
    _tell(locked, by=by, reason=grounds)
    return _sync(participant, locked)


@transaction.atomic
def exit_voluntarily(participant: Participant, *, by, reason: str, on: date | None = None) -> Participant:
    """Registered or suspended → exited, at the participant's own request (a representative's)."""
    require(by, "registry.membership.exit", participant)
    reason = _grounds(reason, field="reason")
    on = on or policy.today()
    locked = _locked(participant, "exit")
    services.change_status(locked, status=Status.EXITED, effective_on=on, reason=reason, by=by)
    _tell(locked, by=by, reason=reason)
    return _sync(participant, locked)
