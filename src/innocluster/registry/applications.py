"""Application services: each step of the workflow with the deadlines the law fixes.

Day counts come from policy (``registry.moderation_days``, ``registry.commission_days``,
``registry.total_days``) in force on the day of the step, and are counted in Kazakh working days
with ``core.calendar`` (day 1 is the first working day after the event).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.calendar import add_working_days
from innocluster.core.policy import registry as policy
from innocluster.core.workflow import execute

from .models import Application
from .workflow import APPLICATION_WORKFLOW


def _today() -> date:
    return timezone.localdate(timezone=policy.ALMATY)


def _deadline(start: date, key: str) -> date:
    return add_working_days(start, policy.value(key, on=start))


@transaction.atomic
def submit(application: Application, *, by, on: date | None = None) -> Application:
    """Draft or returned application → moderation; the moderation and total clocks start again."""
    on = on or _today()
    name = "submit" if application.status == Application.Status.DRAFT else "resubmit"
    if application.organisation_id is None and application.category.kind == "organisation":
        raise ValidationError({"organisation": _("Fill in the organisation before submitting.")})
    return execute(
        APPLICATION_WORKFLOW,
        application,
        name,
        by=by,
        extra_fields={
            "submitted_on": on,
            "moderation_due": _deadline(on, "registry.moderation_days"),
            "total_due": _deadline(on, "registry.total_days"),
            "commission_due": None,
        },
    )


@transaction.atomic
def return_for_revision(application: Application, *, by, reason: str) -> Application:
    """The clock stops: no deadline runs while the applicant revises."""
    return execute(
        APPLICATION_WORKFLOW,
        application,
        "return_for_revision",
        by=by,
        reason=reason,
        extra_fields={"moderation_due": None, "total_due": None},
    )


@transaction.atomic
def accept(application: Application, *, by, on: date | None = None) -> Application:
    """Complete: on to the commission, whose deadline is capped by the total deadline."""
    on = on or _today()
    commission = _deadline(on, "registry.commission_days")
    if application.total_due is not None:
        commission = min(commission, application.total_due)
    return execute(
        APPLICATION_WORKFLOW,
        application,
        "accept",
        by=by,
        extra_fields={"moderation_due": None, "commission_due": commission},
    )


@transaction.atomic
def decide(application: Application, *, by, approve: bool, decision, reason: str = "") -> Application:
    """The commission's decision, which must be a recorded decision (who, number, date, basis)."""
    if decision is None:
        raise ValidationError({"decision": _("Refer to the commission's decision record.")})
    return execute(
        APPLICATION_WORKFLOW,
        application,
        "approve" if approve else "reject",
        by=by,
        reason=reason,
        extra_fields={"decision": decision, "commission_due": None, "total_due": None},
    )


def is_overdue(application: Application, today: date | None = None) -> bool:
    today = today or _today()
    due = application.commission_due or application.moderation_due
    return due is not None and due < today
