"""The Fund's side of an application: the registrar's moderation (``return_for_revision`` with
itemised comments, ``accept`` for the commission), issuing the certificate, and giving the
application to a registrar or commission member (``assign``). The applicant's side (drafting,
submitting, signing the agreement) is ``services.applications``; the commission's decision is
``services.commission``. The workflow table names these functions as its transitions' commands."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import diff, record_event
from innocluster.core.policy import values as policy
from innocluster.core.workflow import execute
from innocluster.registry import roles
from innocluster.registry.models import Application, RevisionComment
from innocluster.registry.services import register as services
from innocluster.registry.services.applications import deadline_after
from innocluster.registry.workflow import APPLICATION_WORKFLOW

S = Application.Status


@transaction.atomic
def return_for_revision(
    application: Application,
    *,
    by,
    reason: str = "",
    items: Iterable[tuple[str, str]] = (),
) -> Application:
    """The clock stops: no deadline runs while the applicant revises.

    ``items`` are the itemised comments, (what, what to do) pairs; a bare ``reason`` becomes one
    general item. The audit event carries them all."""
    items = [(str(i).strip(), str(t).strip()) for i, t in items if str(t).strip()]
    if not items and (reason or "").strip():
        items = [(_("General"), reason.strip())]
    if not items:
        raise ValidationError({"reason": _("Write at least one comment for the applicant.")})
    reason = "\n".join(f"{item}: {text}" for item, text in items)
    result = execute(
        APPLICATION_WORKFLOW,
        application,
        "return_for_revision",
        by=by,
        reason=reason,
        extra_fields={"moderation_due": None, "total_due": None},
    )
    next_round = (result.revision_comments.aggregate(r=Max("round"))["r"] or 0) + 1
    RevisionComment.objects.bulk_create(
        [
            RevisionComment(application=result, round=next_round, item=item[:100], text=text, created_by=by)
            for item, text in items
        ]
    )
    return result


@transaction.atomic
def accept(application: Application, *, by, on: date | None = None) -> Application:
    """Complete: on to the commission, whose deadline is capped by the total deadline."""
    on = on or policy.today()
    commission = deadline_after(on, "registry.commission_days")
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
def issue_certificate(application: Application, *, by, on: date | None = None) -> Application:
    """Certificate issued: the member enters the register under the commission's decision."""
    on = on or policy.today()
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != S.AGREEMENT_SIGNED:
        # Let the executor say it plainly (state, allowed states).
        return execute(APPLICATION_WORKFLOW, application, "issue_certificate", by=by)
    require(by, "registry.application.register", locked)
    participant = services.register_participant(
        category=locked.category,
        registered_on=on,
        organisation=locked.organisation,
        individual=locked.individual,
        by=by,
        decision=locked.decision,
        reason=_("Application No. %(number)s") % {"number": locked.pk},
    )
    return execute(
        APPLICATION_WORKFLOW,
        application,
        "issue_certificate",
        by=by,
        extra_fields={"participant": participant},
    )


@transaction.atomic
def assign(application: Application, *, to, by) -> Application:
    """Give the application to a registrar or commission member (or ``None`` to release it)."""
    require(by, "registry.application.moderate", application)
    if to is not None:
        from innocluster.core.access.selectors import roles_of

        if not roles_of(to) & {roles.REGISTRAR, roles.COMMISSION_MEMBER}:
            raise ValidationError({"assignee": _("Assign to a registrar or a commission member.")})
    locked = Application.objects.select_for_update().get(pk=application.pk)
    changes = diff({"assignee": locked.assignee_id}, {"assignee": getattr(to, "pk", None)})
    if changes:
        locked.assignee = to
        locked.save(update_fields=["assignee"])
        record_event(action="registry.application.assigned", actor=by, obj=locked, changes=changes)
    application.assignee = to
    return locked
