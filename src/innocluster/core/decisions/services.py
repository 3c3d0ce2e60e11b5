"""Every write to the decision record: recording, attaching documents, publishing, revoking.

Each function validates first (errors name the field), runs in one transaction and appends an audit
event, so a refused request leaves nothing behind. Decisions are never edited: a correction is a
new decision with ``corrects`` set. Who may call these is checked by the views and the admin (the
``decisions.*`` access actions); publishing and revoking also check inside the workflow executor,
like every workflow transition.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core import files
from innocluster.core.audit.services import diff, record_event
from innocluster.core.calendar import almaty_date
from innocluster.core.files import fingerprint, stored
from innocluster.core.workflow import execute

from .models import Body, Decision, DecisionDocument, Outcome, Status
from .workflow import DECISION_WORKFLOW

# The fields an audit event of a new decision lists.
_RECORDED_FIELDS = (
    "body",
    "body_name",
    "number",
    "decided_on",
    "basis",
    "outcome",
    "summary",
    "meeting_reference",
    "decided_by_id",
    "corrects_id",
)


def validate_decision(
    *,
    body: str,
    number: str,
    decided_on: Any,
    basis: str,
    outcome: str,
    corrects: Decision | None = None,
) -> dict[str, list[str]]:
    """The problems with a decision about to be recorded, by field (empty when it can be recorded).

    Shared by :func:`record_decision` and the admin's form, so both say the same thing.
    """
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if body not in Body.values:
        add("body", _("Choose the body that took the decision."))
    if not (number or "").strip():
        add("number", _("Enter the decision number as issued."))
    if not (basis or "").strip():
        add("basis", _("State the legal basis: the law, rules or delegation under which the body decided."))
    if outcome not in Outcome.values:
        add("outcome", _("Choose the outcome of the decision."))
    if isinstance(decided_on, datetime) or not isinstance(decided_on, date):
        add("decided_on", _("Enter the date of the decision."))
    else:
        today = almaty_date(timezone.now())
        if decided_on > today:
            add(
                "decided_on",
                _("The decision date %(date)s is in the future; today is %(today)s in Almaty.")
                % {"date": decided_on.isoformat(), "today": today.isoformat()},
            )
        elif corrects is not None and decided_on < corrects.decided_on:
            add("decided_on", _("A correcting decision cannot be dated before the decision it corrects."))
    if corrects is not None and corrects.pk is None:
        add("corrects", _("Choose a recorded decision to correct."))
    checkable = not ({"body", "number", "decided_on"} & set(errors))
    if (
        checkable
        and Decision.objects.filter(body=body, number=number.strip(), decided_on=decided_on).exists()
    ):
        add(
            "number",
            _("This body already has decision No. %(number)s of %(date)s on record.")
            % {"number": number.strip(), "date": decided_on.isoformat()},
        )
    return errors


def record_decision(
    *,
    body: str,
    number: str,
    decided_on: date,
    basis: str,
    outcome: str,
    summary: str = "",
    body_name: str = "",
    meeting_reference: str = "",
    decided_by=None,
    corrects: Decision | None = None,
    by,
    documents: Iterable = (),
    ip: str | None = None,
) -> Decision:
    """Record a decision taken by ``body`` and attach its ``documents`` (uploaded files).

    Raises ``ValidationError`` naming the fields (nothing is stored, not even an audit event).
    ``by`` is the user entering the record; ``decided_by`` the officer for a one-person decision.
    """
    if by is None or not getattr(by, "is_authenticated", False):
        raise ValueError("record_decision needs the signed-in user who records the decision")
    number, basis = (number or "").strip(), (basis or "").strip()
    errors = validate_decision(
        body=body, number=number, decided_on=decided_on, basis=basis, outcome=outcome, corrects=corrects
    )
    decision = Decision(
        body=body,
        body_name=(body_name or "").strip(),
        number=number,
        decided_on=decided_on,
        basis=basis,
        outcome=outcome,
        summary=(summary or "").strip(),
        meeting_reference=(meeting_reference or "").strip(),
        decided_by=decided_by,
        corrects=corrects,
        recorded_by=by,
    )
    # The model's own checks (lengths) for the fields not already refused above; uniqueness was
    # checked with a message that names the number.
    try:
        decision.full_clean(exclude=set(errors), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: a concurrent duplicate must not poison the outer one
                decision.save(force_insert=True)
        except IntegrityError:
            raise ValidationError(
                {
                    "number": _("This body already has decision No. %(number)s of %(date)s on record.")
                    % {"number": number, "date": decided_on.isoformat()}
                }
            ) from None
        record_event(
            action="decisions.decision.recorded",
            actor=by,
            obj=decision,
            changes=diff({}, _snapshot(decision)),
            ip=ip,
        )
        attached: list[DecisionDocument] = []
        try:
            for uploaded in documents:
                attached.append(attach_document(decision, uploaded, by=by))
        except ValidationError as exc:
            _remove_files(attached)
            raise ValidationError({"documents": exc.messages}) from None
        except BaseException:
            _remove_files(attached)
            raise
    return decision


def _remove_files(documents: Iterable[DecisionDocument]) -> None:
    """Delete the stored files of documents whose rows are being rolled back."""
    for document in documents:
        document.file.delete(save=False)


def _snapshot(decision: Decision) -> dict[str, Any]:
    return {field: getattr(decision, field) for field in _RECORDED_FIELDS}


def attach_document(decision: Decision, uploaded_file, by) -> DecisionDocument:
    """File a document of ``decision``; its SHA-256 is computed while the upload is read in chunks.

    The same content twice for one decision is refused (``ValidationError`` on ``file``), as is an
    empty file or a document for a revoked record. The decision row is locked so that two uploads
    of the same file cannot both pass the duplicate check.
    """
    if by is None or not getattr(by, "is_authenticated", False):
        raise ValueError("attach_document needs the signed-in user who uploads the document")
    found = fingerprint(uploaded_file)
    sha256, size = found.sha256, found.size
    original_name = files.original_name(uploaded_file)
    if size == 0:
        raise ValidationError({"file": _("The file %(name)s is empty.") % {"name": original_name}})
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.status == Status.REVOKED:
            raise ValidationError({"file": _("This decision record is revoked; it takes no new documents.")})
        existing = DecisionDocument.objects.filter(decision=locked, sha256=sha256).first()
        if existing is not None:
            raise ValidationError(
                {
                    "file": _("This file is already attached to the decision as %(name)s.")
                    % {"name": existing.original_name}
                }
            )
        document = DecisionDocument(
            decision=locked, sha256=sha256, original_name=original_name, size=size, uploaded_by=by
        )
        with stored(document.file, original_name, uploaded_file):
            document.save(force_insert=True)
            record_event(
                action="decisions.document.attached",
                actor=by,
                obj=locked,
                changes={
                    "document": [None, {"name": original_name, "sha256": sha256, "size": size}],
                },
            )
    return document


def publish_decision(decision: Decision, *, by, ip: str | None = None, notify=None) -> Decision:
    """Put the decision in the public register (``recorded`` → ``published``)."""
    return execute(
        DECISION_WORKFLOW,
        decision,
        "publish",
        by=by,
        ip=ip,
        extra_fields={"published_at": timezone.now()},
        notify=notify,
    )


def revoke_decision(decision: Decision, *, by, reason: str, ip: str | None = None, notify=None) -> Decision:
    """Withdraw a record entered in error; ``reason`` is required and kept in the audit log."""
    return execute(
        DECISION_WORKFLOW,
        decision,
        "revoke",
        by=by,
        reason=reason,
        ip=ip,
        extra_fields={"revoked_at": timezone.now()},
        notify=notify,
    )
