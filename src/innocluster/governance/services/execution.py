"""Carrying out a resolution: the decision record and the command its decision type triggers.

An adopted item whose decision type has an executor (``core.decisions.executors``: contributed by
the app that owns the command, e.g. the register's exclusion) is carried out right after its round
closes, and again on a retry after a failure. One attempt, all or nothing, inside a savepoint:

1. the linked record is found and the executor's own check passes (the record is in a state the
   command accepts);
2. a core decision record is kept: the resolution's body, number ``<year>/<number>``, the day it
   was adopted, outcome approved, the authority matrix's reference as its basis, the meeting as
   its reference; the body must be the one the matrix names (``require_authority``);
3. the command runs on the record under that decision;
4. the resolution becomes executed, with an audit event naming it.

Any exception rolls the savepoint back (no decision record, the record unchanged), then the failed
attempt is kept with its error, the resolution becomes "execution failed" and an audit event says
so. The caller's transaction (closing the round) is never undone by a failed execution.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.core.decisions.executors import (
    Executor,
    carry_out,
    executor_for,
    require_authority,
)
from innocluster.core.decisions.models import Outcome
from innocluster.core.decisions.services import record_decision
from innocluster.governance import authority
from innocluster.governance.models import (
    AgendaItem,
    Execution,
    ExecutionStatus,
    Resolution,
    ResolutionStatus,
)
from innocluster.governance.services.meetings import RUN, next_number, refuse


def reference(resolution: Resolution) -> str:
    """How a resolution is cited: its body's code and its number of the year."""
    return f"{resolution.body.code} {resolution.year}/{resolution.number}"


def executor_of(item: AgendaItem) -> Executor | None:
    """The executor of the item's decision type, if an installed app contributes one."""
    return executor_for(item.decision_type) if item.decision_type else None


def linked_record(item: AgendaItem):
    """The record the item decides on, as stored now (``ValidationError`` when it is gone)."""
    if item.linked_type_id is None or not item.linked_id:
        raise ValidationError({"linked": _("The item names no record to carry the decision out on.")})
    model = ContentType.objects.get_for_id(item.linked_type_id).model_class()
    if model is None:
        raise ValidationError({"linked": _("The linked record's module is not installed.")})
    try:
        return model._default_manager.get(pk=item.linked_id)
    except (ObjectDoesNotExist, ValueError):
        raise ValidationError({"linked": _("The linked record no longer exists.")}) from None


def _meeting_reference(item: AgendaItem) -> str:
    meeting = item.meeting
    return f"{meeting.body.name_en}, meeting No. {meeting.year}/{meeting.number} of {meeting.date.isoformat()}, item {item.position}"


def _message(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or exc.__class__.__name__


def _attempt(resolution: Resolution, executor: Executor, *, by):
    """One attempt inside the caller's savepoint; returns the decision record kept."""
    item = resolution.item
    obj = linked_record(item)
    if executor.check is not None:
        executor.check(obj)
    row = authority.deciding(item.decision_type, resolution.adopted_on, item.amount)
    if row is None:
        raise ValidationError(
            {"decision_type": _("The authority matrix names no body for this decision type on the day.")}
        )
    decision = record_decision(
        body=resolution.body.code,
        body_name=resolution.body.name_en,
        number=f"{resolution.year}/{resolution.number}",
        decided_on=resolution.adopted_on,
        basis=row.reference,
        outcome=Outcome.APPROVED,
        summary=resolution.text_en,
        meeting_reference=_meeting_reference(item),
        by=by,
    )
    require_authority(decision, item.decision_type, amount=item.amount)
    carry_out(
        executor,
        obj,
        decision=decision,
        by=by,
        text=resolution.text(settings.LANGUAGE_CODE),
        amount=item.amount,
    )
    return decision


def _run(resolution: Resolution, *, by) -> Execution:
    """Attempt the execution of a locked resolution and keep the attempt, succeeded or failed."""
    executor = executor_of(resolution.item)
    if executor is None:
        refuse("resolution", _("No installed module carries out this kind of decision."))
    started = timezone.now()
    attempt = next_number(resolution.executions.all(), "attempt")
    before = resolution.status
    try:
        with transaction.atomic():  # a savepoint: a failure leaves nothing half-done
            decision = _attempt(resolution, executor, by=by)
            resolution.status = ResolutionStatus.EXECUTED
            resolution.save(update_fields=["status"])
            execution = Execution.objects.create(
                resolution=resolution,
                attempt=attempt,
                status=ExecutionStatus.SUCCEEDED,
                decision=decision,
                started_at=started,
                by=by,
            )
            record_event(
                action="governance.resolution.executed",
                actor=by,
                obj=resolution,
                changes={
                    "resolution": [None, reference(resolution)],
                    "status": [before, ResolutionStatus.EXECUTED],
                    "decision": [None, decision.pk],
                    "attempt": [None, attempt],
                },
            )
            return execution
    except Exception as exc:  # any failure of the command is kept as the attempt's error
        error = _message(exc)
    resolution.status = ResolutionStatus.EXECUTION_FAILED
    resolution.save(update_fields=["status"])
    execution = Execution.objects.create(
        resolution=resolution,
        attempt=attempt,
        status=ExecutionStatus.FAILED,
        error=error,
        started_at=started,
        by=by,
    )
    record_event(
        action="governance.resolution.execution_failed",
        actor=by,
        obj=resolution,
        changes={
            "resolution": [None, reference(resolution)],
            "status": [before, ResolutionStatus.EXECUTION_FAILED],
            "attempt": [None, attempt],
            "error": [None, error],
        },
    )
    return execution


def _locked(resolution: Resolution) -> Resolution:
    return (
        Resolution.objects.select_for_update()
        .select_related("body", "item__meeting__body")
        .get(pk=resolution.pk)
    )


@transaction.atomic
def execute_resolution(resolution: Resolution, *, by) -> Execution:
    """Carry out an adopted resolution (see the module's steps). Returns the attempt: succeeded,
    or failed with its error (the resolution is then "execution failed"; nothing else changed)."""
    resolution = _locked(resolution)
    require(by, RUN, resolution.body)
    if resolution.status != ResolutionStatus.ADOPTED:
        refuse(
            "resolution", _("This resolution has already been carried out or attempted: retry it instead.")
        )
    return _run(resolution, by=by)


@transaction.atomic
def retry_execution(resolution: Resolution, *, by) -> Execution:
    """Attempt a failed execution again (once its cause is fixed). Refused unless it failed."""
    resolution = _locked(resolution)
    require(by, RUN, resolution.body)
    if resolution.status != ResolutionStatus.EXECUTION_FAILED:
        refuse("resolution", _("Only a resolution whose execution failed can be retried."))
    return _run(resolution, by=by)
