"""The participant's project applications: upload the documents, submit (and resubmit after a
return for revision), withdraw. Starting an application and saving its steps as drafts is
``services.application_steps``; the helpers both share (who acts, the lock, good standing) are here.

Who: a participant's representative (``grants.apply``) acting for the organisation; the
organisation must be a participant in good standing on the day, in a category the call is open to,
read live from the register when the application starts and again when it is submitted.

Every refusal is a ``ValidationError`` naming the field (or the step); nothing changes on a
refusal. Every change is audited (``grants.application.<verb>``)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core import files
from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.core.files import fingerprint, stored
from innocluster.core.policy import values as policy
from innocluster.core.uploads import (
    CONTENT_TYPES,
    SNIFF_SIZE,
    check_size,
    check_type,
    declared_size,
    detect_type,
)
from innocluster.grants.models import (
    ApplicationFile,
    ApplicationStatus,
    Call,
    IntakeComment,
    ProjectApplication,
)
from innocluster.grants.selectors import portal as selectors
from innocluster.parties.selectors import represents
from innocluster.registry.services.documents import upload_limits

S = ApplicationStatus
APPLY = "grants.apply"
CENT = Decimal("0.01")
PROJECT_FIELDS = (
    "title", "summary", "starts_on", "ends_on", "requested_amount", "cofinancing_amount",
    "cofinancing_source", "expected_results",
)  # fmt: skip
MONEY_FIELDS = ("requested_amount", "cofinancing_amount")


# --- helpers -------------------------------------------------------------------------------------


def _money(value, name: str, errors: dict) -> Decimal | None:
    try:
        number = Decimal(str(value if value not in (None, "") else "0"))
    except (InvalidOperation, TypeError, ValueError):
        errors[name] = _("Enter a number.")
        return None
    if not number.is_finite():
        errors[name] = _("Enter a number.")
        return None
    if number < 0:
        errors[name] = _("An amount cannot be negative.")
        return None
    return number.quantize(CENT)


def _check_acts_for(by, organisation_id: int) -> None:
    if not represents(by, organisation_id):
        raise ValidationError({"organisation": _("You do not act for this organisation.")})


def _refuse_standing(organisation, call: Call) -> object:
    found = selectors.standing(organisation, call, policy.today())
    if not found.eligible:
        raise ValidationError({"organisation": found.reason})
    return found.participant


def _locked(application: ProjectApplication, by) -> ProjectApplication:
    """The application locked for a change by its applicant, still theirs to change."""
    require(by, APPLY, application)
    locked = ProjectApplication.objects.select_for_update().select_related("call").get(pk=application.pk)
    _check_acts_for(by, locked.organisation_id)
    if not locked.editable:
        raise ValidationError(
            {
                "status": _("The application can no longer be changed: it is %(status)s.")
                % {"status": locked.get_status_display()}
            }
        )
    return locked


def _done(application: ProjectApplication, step: str) -> None:
    steps = list(application.steps_done or [])
    if step not in steps:
        steps.append(step)
    application.steps_done = steps


def _plain(values: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else str(v) if isinstance(v, Decimal) else v)
            for k, v in values.items()}  # fmt: skip


# --- documents -----------------------------------------------------------------------------------


def _refuse_file(message: str) -> ValidationError:
    return ValidationError({"file": message})


def upload_file(application: ProjectApplication, code: str, uploaded_file, *, by) -> ApplicationFile:
    """Step 6: file ``uploaded_file`` as the next version of document ``code`` (the passport or
    one of the call's documents). Judged by its bytes, within the register's upload limits in
    force today; a refused upload stores nothing."""
    require(by, APPLY, application)
    document = None
    if code != ApplicationFile.PASSPORT:
        document = application.call.documents.filter(code=code).first()
        if document is None:
            raise ValidationError({"code": _("The call asks for no such document.")})
    if not hasattr(uploaded_file, "chunks"):
        uploaded_file = File(uploaded_file)
    original_name = files.original_name(uploaded_file)
    limit_mb, allowed_types = upload_limits(policy.today())
    check_size(original_name, declared_size(uploaded_file), limit_mb)
    found = fingerprint(uploaded_file, head_size=SNIFF_SIZE)
    if found.size == 0:
        raise _refuse_file(_("The file %(name)s is empty.") % {"name": original_name})
    check_size(original_name, found.size, limit_mb)
    type_code, description = detect_type(found.head, uploaded_file)
    check_type(original_name, type_code, description, allowed_types)
    with transaction.atomic():
        locked = _locked(application, by)
        current = ApplicationFile.objects.filter(application=locked, code=code).order_by("-version").first()
        if current is not None and current.sha256 == found.sha256:
            raise _refuse_file(
                _("The file %(name)s is already uploaded as %(current)s (version %(version)s).")
                % {"name": original_name, "current": current.original_name, "version": current.version}
            )
        stored_file = ApplicationFile(
            application=locked,
            call_document=document,
            code=code,
            version=(current.version if current else 0) + 1,
            original_name=original_name,
            content_type=CONTENT_TYPES[type_code],
            size=found.size,
            sha256=found.sha256,
            uploaded_by=by,
        )
        with stored(stored_file.file, original_name, uploaded_file):
            stored_file.save(force_insert=True)
            wanted = {row["code"] for row in selectors.documents_wanted(locked) if row["required"]}
            have = set(ApplicationFile.objects.filter(application=locked).values_list("code", flat=True))
            if wanted <= have:
                _done(locked, "documents")
                locked.save(update_fields=["steps_done"])
            record_event(
                action="grants.application.file_uploaded",
                actor=by,
                obj=locked,
                changes={
                    "code": code,
                    "version": stored_file.version,
                    "name": original_name,
                    "sha256": found.sha256,
                },
            )
        return stored_file


# --- submit, resubmit, withdraw ------------------------------------------------------------------


def _next_number(call: Call) -> str:
    """``<call code>-<4-digit sequence>``; the caller holds the lock on the call's row."""
    numbers = ProjectApplication.objects.filter(call=call).exclude(number="").values_list("number", flat=True)
    highest = 0
    for number in numbers:
        tail = number.rsplit("-", 1)[-1]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return f"{call.code}-{highest + 1:04d}"


def answer_comments(application: ProjectApplication, responses: dict, *, by) -> ProjectApplication:
    """The applicant's answers to the intake's comments of the current round (``{pk: text}``)."""
    with transaction.atomic():
        locked = _locked(application, by)
        _answer(locked, responses, by)
        return locked


def _answer(locked: ProjectApplication, responses: dict, by) -> None:
    answered = {}
    for comment in IntakeComment.objects.select_for_update().filter(
        application=locked, round=locked.revision_round
    ):
        text = responses.get(comment.pk, responses.get(str(comment.pk)))
        if text is None:
            continue
        text = (text or "").strip()
        if text != comment.response:
            comment.response = text
            comment.save(update_fields=["response"])
            answered[str(comment.pk)] = text
    if answered:
        record_event(
            action="grants.application.comments_answered", actor=by, obj=locked, changes={"answers": answered}
        )


def submit_application(
    application: ProjectApplication, *, by, responses: dict | None = None, now=None
) -> ProjectApplication:
    """Submit a draft (or resubmit an application returned for revision, with the answers to the
    intake's comments): inside the call's window, every step complete and consistent, the
    organisation in good standing today. A first submission gets its number.

    A resubmission answers the Fund's comments on an application that was submitted in time: the
    window does not apply to it (our decision; otherwise a return late in the window could never
    be answered)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(application, by)
        call = Call.objects.select_for_update().get(pk=locked.call_id)  # the numbering's lock
        locked.call = call
        window = selectors.window_problem(call, now) if locked.status != S.RETURNED else ""
        if window:
            raise ValidationError({"submitted_at": window})
        if responses and locked.status == S.RETURNED:
            _answer(locked, responses, by)
        participant = _refuse_standing(locked.organisation, call)
        problems = selectors.submission_problems(locked, now)
        if problems:
            raise ValidationError(problems.fields)
        before = locked.status
        if not locked.number:
            locked.number = _next_number(call)
        locked.status = S.SUBMITTED
        locked.submitted_at = now
        locked.participant = participant
        locked.save(update_fields=["number", "status", "submitted_at", "participant"])
        record_event(
            action="grants.application.resubmitted"
            if before == S.RETURNED
            else "grants.application.submitted",
            actor=by,
            obj=locked,
            changes={
                "status": [before, S.SUBMITTED],
                "number": locked.number,
                "round": locked.revision_round,
            },
        )
        return locked


def withdraw_application(application: ProjectApplication, *, by, reason: str) -> ProjectApplication:
    """Withdraw before a decision, saying why; the project is free for another application to
    the same call."""
    require(by, APPLY, application)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the application is withdrawn.")})
    with transaction.atomic():
        locked = ProjectApplication.objects.select_for_update().get(pk=application.pk)
        _check_acts_for(by, locked.organisation_id)
        if not selectors.can_withdraw(locked):
            raise ValidationError(
                {
                    "status": _("An application that is %(status)s can no longer be withdrawn.")
                    % {"status": locked.get_status_display()}
                }
            )
        before = locked.status
        locked.status = S.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["status", "withdrawn_at"])
        record_event(
            action="grants.application.withdrawn",
            actor=by,
            obj=locked,
            reason=reason,
            changes={"status": [before, S.WITHDRAWN]},
        )
        return locked
