"""The selection commission's decisions on applications: ``approve``, ``reject`` (one
application) and ``decide_batch`` (one or many), each on a decision record (who, number, date,
basis) kept first.

Separate from ``applications`` because it is a different actor's step with its own concern (the
decision record and the batch's lock order), and to keep each module short.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.decisions.executors import require_authority
from innocluster.core.decisions.models import Outcome
from innocluster.core.decisions.services import record_decision
from innocluster.core.errors import lock_failures_as_domain_errors
from innocluster.core.workflow import execute
from innocluster.registry import roles
from innocluster.registry.models import Application
from innocluster.registry.workflow import APPLICATION_WORKFLOW


@transaction.atomic
def decide(application: Application, *, by, approve: bool, decision, reason: str = "") -> Application:
    """The commission's decision, which must be a recorded decision (who, number, date, basis)
    of the body the authority matrix names for an admission."""
    if decision is None:
        raise ValidationError({"decision": _("Refer to the commission's decision record.")})
    require_authority(decision, roles.ADMISSION)
    return execute(
        APPLICATION_WORKFLOW,
        application,
        "approve" if approve else "reject",
        by=by,
        reason=reason,
        extra_fields={"decision": decision, "commission_due": None, "total_due": None},
    )


def _commission_decision(applications: list[Application], *, by, approve: bool, reason: str, record) -> Any:
    """Record the selection commission's decision about ``applications`` (number, date, basis)."""
    numbers = ", ".join(_("No. %(number)s") % {"number": a.pk} for a in applications)
    return record_decision(
        body=roles.SELECTION_COMMISSION,
        outcome=Outcome.APPROVED if approve else Outcome.REJECTED,
        summary=(_("Applications to join the cluster: %(numbers)s") % {"numbers": numbers})
        + (f"\n{reason.strip()}" if (reason or "").strip() else ""),
        by=by,
        **record,
    )


def _record(number: str, decided_on, basis: str, meeting_reference: str, documents) -> dict:
    """The decision record an ``approve`` or ``reject`` describes when it names no recorded one."""
    return {
        "number": number,
        "decided_on": decided_on,
        "basis": basis,
        "meeting_reference": meeting_reference,
        "documents": documents,
    }


def _decide_one(application: Application, *, by, approve: bool, decision, reason: str, record) -> Application:
    if decision is None:
        if not record.get("number"):
            raise ValidationError({"decision": _("Refer to the commission's decision record.")})
        decision = _commission_decision([application], by=by, approve=approve, reason=reason, record=record)
    return decide(application, by=by, approve=approve, decision=decision, reason=reason)


@transaction.atomic
def approve(
    application: Application,
    *,
    by,
    decision=None,
    reason: str = "",
    number: str = "",
    decided_on: date | None = None,
    basis: str = "",
    meeting_reference: str = "",
    documents: Iterable = (),
) -> Application:
    """The ``approve`` command: on a recorded ``decision``, or on the record described by
    ``number``, ``decided_on``, ``basis`` (and ``meeting_reference``, ``documents``), kept first."""
    record = _record(number, decided_on, basis, meeting_reference, documents)
    return _decide_one(application, by=by, approve=True, decision=decision, reason=reason, record=record)


@transaction.atomic
def reject(
    application: Application,
    *,
    by,
    decision=None,
    reason: str = "",
    number: str = "",
    decided_on: date | None = None,
    basis: str = "",
    meeting_reference: str = "",
    documents: Iterable = (),
) -> Application:
    """The ``reject`` command (as :func:`approve`); the reasons are required."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reasons for a rejection.")})
    record = _record(number, decided_on, basis, meeting_reference, documents)
    return _decide_one(application, by=by, approve=False, decision=decision, reason=reason, record=record)


@lock_failures_as_domain_errors()
@transaction.atomic
def decide_batch(
    applications: Iterable[Application],
    *,
    by,
    approve: bool,
    number: str,
    decided_on: date,
    basis: str,
    meeting_reference: str = "",
    reason: str = "",
    documents: Iterable = (),
) -> list[Application]:
    """One commission decision (one record, a meeting reference) for one or many applications,
    then the ``approve`` or ``reject`` command of each, through the workflow's dispatcher.

    All or nothing: if any application cannot be decided, none is and no record is kept.

    The rows are locked first, all of them, in primary-key order: two batches over the same
    applications chosen in another order then queue one behind the other instead of each holding
    a row the other waits for (a deadlock). The second sees the first's outcome plainly."""
    applications = sorted(applications, key=lambda a: a.pk)
    if not applications:
        raise ValidationError({"applications": _("Choose at least one application.")})
    require(by, "registry.application.decide")
    list(Application.objects.select_for_update().filter(pk__in=[a.pk for a in applications]).order_by("pk"))
    if not approve and not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reasons for a rejection.")})
    decision = _commission_decision(
        applications,
        by=by,
        approve=approve,
        reason=reason,
        record={
            "number": number,
            "decided_on": decided_on,
            "basis": basis,
            "meeting_reference": meeting_reference,
            "documents": documents,
        },
    )
    name = "approve" if approve else "reject"
    return [
        APPLICATION_WORKFLOW.perform(a, name, by=by, decision=decision, reason=reason) for a in applications
    ]
