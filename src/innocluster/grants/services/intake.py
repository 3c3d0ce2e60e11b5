"""The intake check: the Fund's first stage of the expertise of a submitted project application.

A programme manager (``grants.intake``) takes a ``submitted`` application and either

- **accepts** it: the completeness is checked again (the call's required documents and the project
  passport are on file, the applicant is in good standing in the register today) and the
  application goes on to pre-selection by the subsoil users who finance the call, or straight to
  the expert commission when nobody finances it or when it comes from a shortlisted answer to a
  challenge (its pre-selection is done);
- **returns it for revision** with itemised comments (one :class:`IntakeComment` per item, as the
  register's moderation does); the applicant answers them and submits again;
- **refuses** it as ineligible, with the reason.

Each runs in one transaction on the locked row, writes an audit event and tells the applicant.
Refusals are ``ValidationError``\\ s naming the field; nothing changes on a refusal."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.core.notifications.services import notify
from innocluster.grants.models import (
    ApplicationFile,
    ApplicationStatus,
    IntakeComment,
    ProjectApplication,
)
from innocluster.parties.selectors import representative_users
from innocluster.registry.selectors.register import participant_of, status_on

S = ApplicationStatus
ACTION = "grants.intake"
# The generic template key: no grants-specific notification texts exist yet.
NOTIFICATION_KEY = "workflow.transition"


def _locked_submitted(application: ProjectApplication) -> ProjectApplication:
    locked = (
        ProjectApplication.objects.select_for_update()
        .select_related("call", "organisation")
        .get(pk=application.pk)
    )
    if locked.status != S.SUBMITTED:
        raise ValidationError(
            {
                "status": _(
                    "Only a submitted application goes through the intake check; this one is %(status)s."
                )
                % {"status": locked.get_status_display()}
            }
        )
    return locked


def completeness_errors(application: ProjectApplication) -> dict[str, str]:
    """What stops the application from being accepted now, by field (empty: complete)."""
    errors = {}
    required = {ApplicationFile.PASSPORT} | set(
        application.call.documents.filter(required=True).values_list("code", flat=True)
    )
    present = set(application.files.values_list("code", flat=True))
    missing = sorted(required - present)
    if missing:
        errors["files"] = _("Documents missing: %(codes)s.") % {"codes": ", ".join(missing)}
    participant = participant_of(application.organisation_id)
    if participant is None or not status_on(participant).valid:
        errors["participant"] = _(
            "The applicant is not a participant in good standing in the register today."
        )
    return errors


def _tell(application: ProjectApplication, *, by, reason: str = "") -> None:
    notify(
        recipients=[application.applicant, *representative_users(application.organisation_id)],
        key=NOTIFICATION_KEY,
        context={"state": S(application.status).label, "reason": reason},
        obj=application,
        actor=by,
        url=reverse("grants_portal:application", args=[application.pk]),
    )


def _sync(application: ProjectApplication, locked: ProjectApplication) -> ProjectApplication:
    for field in ("status", "intake_by_id", "intake_at", "intake_reason", "revision_round"):
        setattr(application, field, getattr(locked, field))
    return application


def accept(application: ProjectApplication, *, by) -> ProjectApplication:
    """Accept a complete application. It goes to ``preselection`` when the call has financing
    subsoil users (``call.financers``); with no financer there is no pre-selection stage, and an
    application from a shortlisted answer to a challenge (``challenge_answer``) already had its
    pre-selection: both go straight to ``expertise``."""
    require(by, ACTION, application)
    with transaction.atomic():
        locked = _locked_submitted(application)
        errors = completeness_errors(locked)
        if errors:
            raise ValidationError(errors)
        skip_preselection = locked.challenge_answer_id is not None or not locked.call.financers.exists()
        locked.status = S.EXPERTISE if skip_preselection else S.PRESELECTION
        locked.intake_by = by
        locked.intake_at = timezone.now()
        locked.intake_reason = ""
        locked.save(update_fields=["status", "intake_by", "intake_at", "intake_reason"])
        record_event(
            action="grants.application.accepted",
            actor=by,
            obj=locked,
            changes={"status": [S.SUBMITTED.value, locked.status]},
        )
        _tell(locked, by=by)
    return _sync(application, locked)


def _items(items: Iterable) -> list[tuple[str, str]]:
    clean, problems = [], []
    for line, pair in enumerate(items or (), start=1):
        try:
            item, text = pair
        except (TypeError, ValueError):
            problems.append(_("Line %(line)s: give the item and what to change.") % {"line": line})
            continue
        item, text = str(item or "").strip(), str(text or "").strip()
        if not item:
            problems.append(
                _("Line %(line)s: name the item (a step, a field or a document).") % {"line": line}
            )
        if not text:
            problems.append(_("Line %(line)s: write what the applicant is to change.") % {"line": line})
        if len(item) > 100:
            problems.append(_("Line %(line)s: the item's name is at most 100 characters.") % {"line": line})
        clean.append((item, text))
    if problems:
        raise ValidationError({"items": problems})
    if not clean:
        raise ValidationError({"items": _("Write at least one comment for the applicant.")})
    return clean


def return_for_revision(application: ProjectApplication, *, by, items: Iterable) -> ProjectApplication:
    """Send the application back to the applicant with itemised comments: ``items`` are
    ``(item, text)`` pairs, the item a step, a field or a document code. The revision round goes up
    by one and each item becomes an :class:`IntakeComment` of that round."""
    require(by, ACTION, application)
    clean = _items(items)
    with transaction.atomic():
        locked = _locked_submitted(application)
        last = locked.intake_comments.aggregate(r=Max("round"))["r"] or 0
        locked.revision_round = max(locked.revision_round, last) + 1
        locked.status = S.RETURNED
        locked.intake_by = by
        locked.intake_at = timezone.now()
        reason = "\n".join(f"{item}: {text}" for item, text in clean)
        locked.intake_reason = reason
        locked.save(update_fields=["status", "revision_round", "intake_by", "intake_at", "intake_reason"])
        IntakeComment.objects.bulk_create(
            [
                IntakeComment(
                    application=locked, round=locked.revision_round, item=item, text=text, created_by=by
                )
                for item, text in clean
            ]
        )
        record_event(
            action="grants.application.returned",
            actor=by,
            obj=locked,
            changes={
                "status": [S.SUBMITTED.value, S.RETURNED.value],
                "revision_round": locked.revision_round,
                "items": [{"item": item, "text": text} for item, text in clean],
            },
            reason=reason,
        )
        _tell(locked, by=by, reason=reason)
    return _sync(application, locked)


def refuse(application: ProjectApplication, *, by, reason: str) -> ProjectApplication:
    """Refuse the application at intake as ineligible; the reason is required (the applicant reads
    it)."""
    require(by, ACTION, application)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("State why the application is ineligible.")})
    with transaction.atomic():
        locked = _locked_submitted(application)
        locked.status = S.INELIGIBLE
        locked.intake_by = by
        locked.intake_at = timezone.now()
        locked.intake_reason = reason
        locked.save(update_fields=["status", "intake_by", "intake_at", "intake_reason"])
        record_event(
            action="grants.application.refused",
            actor=by,
            obj=locked,
            changes={"status": [S.SUBMITTED.value, S.INELIGIBLE.value]},
            reason=reason,
        )
        _tell(locked, by=by, reason=reason)
    return _sync(application, locked)
