"""Pre-selection by the subsoil users who finance a call (the 2015 rules: "subsoil users pre-select
the projects they want to finance").

The programme manager adds a call's financing subsoil users (by BIN, with the amount pledged) and
removes one that has not marked anything. A financer's representative marks each application in
pre-selection: interested or not, with the amount it would fund (at most the amount requested;
more than nothing when interested). One mark per financer per application: a change updates it and
the audit event holds the old and new values. Closing the pre-selection sends every application
with at least one interested mark to the expert commission; the others are not pre-selected.

Refusals are ``ValidationError``s naming the field; nothing changes on a refusal."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.grants.models import (
    ApplicationStatus,
    Call,
    CallFinancer,
    CallStatus,
    PreselectionMark,
    ProjectApplication,
)
from innocluster.parties import selectors as parties

CENT = Decimal("0.01")
MANAGE = "grants.financers.manage"
PRESELECT = "grants.preselect"


def _amount(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value if value not in (None, "") else "0"))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    number = number.quantize(CENT)
    if number < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    return number


# --- the programme manager's side ----------------------------------------------------------------


def add_financer(call: Call, *, bin: str, pledged, by) -> CallFinancer:
    """Add the subsoil user with ``bin`` as a financer of ``call`` with the amount it pledged."""
    require(by, MANAGE, call)
    bin = (bin or "").strip()
    errors = {}
    organisation = parties.organisation_by_bin(bin)
    if not bin:
        errors["bin"] = _("Give the subsoil user's BIN.")
    elif organisation is None:
        errors["bin"] = _("No organisation with this BIN is known.")
    elif not organisation.subsoil_user:
        errors["bin"] = _("This organisation is not a subsoil user.")
    elif CallFinancer.objects.filter(call=call, organisation=organisation).exists():
        errors["bin"] = _("This subsoil user already finances the call.")
    try:
        amount = _amount(pledged, "pledged")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if call.status == CallStatus.WITHDRAWN:
        errors["call"] = _("The call is withdrawn.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Call.objects.select_for_update().get(pk=call.pk)
        financer = CallFinancer.objects.create(
            call=call, organisation=organisation, pledged=amount, added_by=by
        )
        record_event(
            action="grants.financer.added",
            actor=by,
            obj=call,
            changes={"organisation": organisation.bin, "pledged": str(amount)},
        )
        return financer


def remove_financer(financer: CallFinancer, *, by) -> None:
    """Remove a financer that has marked nothing (its marks are the pre-selection's record)."""
    require(by, MANAGE, financer.call)
    with transaction.atomic():
        financer = CallFinancer.objects.select_for_update().select_related("organisation").get(pk=financer.pk)
        if financer.marks.exists():
            raise ValidationError(
                {"financer": _("This subsoil user has marked applications: it cannot be removed.")}
            )
        call, bin = financer.call, financer.organisation.bin
        financer.delete()
        record_event(action="grants.financer.removed", actor=by, obj=call, changes={"organisation": bin})


def close_preselection(call: Call, *, by) -> dict[str, int]:
    """Every application of ``call`` in pre-selection with at least one interested mark goes to the
    expert commission; the others are not pre-selected. Returns the counts by new status."""
    require(by, MANAGE, call)
    now = timezone.now()
    counts = {ApplicationStatus.EXPERTISE: 0, ApplicationStatus.NOT_PRESELECTED: 0}
    with transaction.atomic():
        applications = list(
            ProjectApplication.objects.select_for_update()
            .filter(call=call, status=ApplicationStatus.PRESELECTION)
            .order_by("id")
        )
        if not applications:
            raise ValidationError({"status": _("No application of this call is in pre-selection.")})
        interested = set(
            PreselectionMark.objects.filter(application__in=applications, interested=True).values_list(
                "application_id", flat=True
            )
        )
        for application in applications:
            new = (
                ApplicationStatus.EXPERTISE
                if application.pk in interested
                else ApplicationStatus.NOT_PRESELECTED
            )
            old = application.status
            application.status = new
            application.preselection_closed_at = now
            application.save(update_fields=["status", "preselection_closed_at"])
            counts[new] += 1
            record_event(
                action="grants.preselection.closed",
                actor=by,
                obj=application,
                changes={"status": [old, new], "preselection_closed_at": now.isoformat()},
            )
    return {str(k): v for k, v in counts.items()}


# --- the financing subsoil user's side -------------------------------------------------------------


def mark(
    application: ProjectApplication,
    financer: CallFinancer,
    *,
    interested: bool,
    amount=None,
    comment: str = "",
    by,
) -> PreselectionMark:
    """The financer's interest in ``application`` with the amount it would fund (made or changed)."""
    require(by, PRESELECT, application)
    if financer.call_id != application.call_id or not parties.represents(by, financer.organisation_id):
        raise ValidationError({"financer": _("You do not act for a subsoil user financing this call.")})
    interested = bool(interested)
    comment = (comment or "").strip()
    amount = _amount(amount, "amount")
    with transaction.atomic():
        locked = ProjectApplication.objects.select_for_update().get(pk=application.pk)
        if locked.preselection_closed_at is not None:
            raise ValidationError({"status": _("The pre-selection of this application is closed.")})
        if locked.status != ApplicationStatus.PRESELECTION:
            raise ValidationError({"status": _("This application is not in pre-selection.")})
        if amount > locked.requested_amount:
            raise ValidationError(
                {
                    "amount": _("The amount cannot exceed the amount requested (%(requested)s).")
                    % {"requested": locked.requested_amount}
                }
            )
        if interested and amount <= 0:
            raise ValidationError({"amount": _("Give the amount you would fund.")})
        existing = PreselectionMark.objects.filter(application=locked, financer=financer).first()
        values = {"interested": interested, "amount": amount, "comment": comment}
        if existing is None:
            found = PreselectionMark.objects.create(
                application=locked, financer=financer, marked_by=by, **values
            )
            changes = {k: _plain(v) for k, v in values.items()}
            verb = "marked"
        else:
            before = {k: getattr(existing, k) for k in values}
            for key, value in values.items():
                setattr(existing, key, value)
            existing.marked_by = by
            existing.marked_at = timezone.now()
            existing.save()
            found = existing
            changes = {k: [_plain(before[k]), _plain(v)] for k, v in values.items() if before[k] != v}
            verb = "remarked"
        record_event(
            action=f"grants.preselection.{verb}",
            actor=by,
            obj=locked,
            changes={"financer": financer.organisation.bin, **changes},
        )
        return found


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value
