"""The participant's project applications: start from an open call, save each step as a draft,
upload the documents, submit (and resubmit after a return for revision), withdraw.

Who: a participant's representative (``grants.apply``) acting for the organisation; the
organisation must be a participant in good standing on the day, in a category the call is open to,
read live from the register when the application starts and again when it is submitted.

Every refusal is a ``ValidationError`` naming the field (or the step); nothing changes on a
refusal. Every change is audited (``grants.application.<verb>``)."""

import datetime as dt
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
    BudgetItem,
    Call,
    IntakeComment,
    Milestone,
    Project,
    ProjectApplication,
    ProjectKpi,
    TeamMember,
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


# --- start ---------------------------------------------------------------------------------------


def start_application(call: Call, organisation, *, by, title: str = "", project: Project | None = None):
    """A draft application of ``organisation`` to ``call``, for an existing project of the
    organisation or a new one called ``title``."""
    require(by, APPLY, call)
    _check_acts_for(by, organisation.pk)
    title = (title or "").strip()
    if project is None and not title:
        raise ValidationError({"title": _("Give the project a title or choose one of your projects.")})
    if project is not None and project.organisation_id != organisation.pk:
        raise ValidationError({"project": _("The project belongs to another organisation.")})
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if not call.is_open():
            raise ValidationError({"call": selectors.window_problem(call) or _("The call is not open.")})
        participant = _refuse_standing(organisation, call)
        if project is not None:
            existing = selectors.taken(call, project)
            if existing is not None:
                raise ValidationError(
                    {
                        "project": _(
                            "This project already has an application to this call (%(number)s): "
                            "one application per project per call."
                        )
                        % {"number": existing.number or _("a draft")}
                    }
                )
        else:
            project = Project.objects.create(organisation=organisation, title=title, created_by=by)
            record_event(action="grants.project.created", actor=by, obj=project, changes={"title": title})
        application = ProjectApplication.objects.create(
            call=call,
            project=project,
            organisation=organisation,
            participant=participant,
            applicant=by,
            status=S.DRAFT,
        )
        record_event(
            action="grants.application.started",
            actor=by,
            obj=application,
            changes={"call": call.code, "project": project.title, "status": [None, S.DRAFT]},
        )
        return application


# --- the steps -----------------------------------------------------------------------------------


def save_project(application: ProjectApplication, *, by, **fields) -> ProjectApplication:
    """Step 1: the project's title, summary, dates, amounts and expected results."""
    errors, clean = {}, {}
    for name in PROJECT_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name in MONEY_FIELDS:
            value = _money(value, name, errors)
        elif name in ("starts_on", "ends_on"):
            if value is not None and not isinstance(value, dt.date):
                errors[name] = _("Enter a date.")
        else:
            value = (value or "").strip()
        clean[name] = value
    if "title" in clean and not clean["title"]:
        errors["title"] = _("Give the project a title.")
    if clean.get("starts_on") and clean.get("ends_on") and clean["ends_on"] < clean["starts_on"]:
        errors["ends_on"] = _("The project ends after it starts.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(application, by)
        title = clean.pop("title", None)
        before = {name: getattr(locked, name) for name in clean}
        for name, value in clean.items():
            setattr(locked, name, value)
        _done(locked, "project")
        locked.save()
        changes = {k: [_plain(before)[k], v] for k, v in _plain(clean).items() if _plain(before)[k] != v}
        if title and title != locked.project.title:
            changes["title"] = [locked.project.title, title]
            Project.objects.filter(pk=locked.project_id).update(title=title)
        record_event(
            action="grants.application.saved", actor=by, obj=locked, changes={"step": "project", **changes}
        )
        return locked


def _rows(rows, required: tuple, errors: dict, name: str) -> list[dict]:
    clean = []
    for index, row in enumerate(rows, start=1):
        missing = [f for f in required if row.get(f) in (None, "")]
        if missing:
            errors[name] = _("Row %(row)s: fill in %(fields)s.") % {
                "row": index,
                "fields": ", ".join(missing),
            }
            continue
        clean.append(dict(row))
    return clean


def save_plan(application: ProjectApplication, milestones: list[dict], *, by) -> ProjectApplication:
    """Step 2: the milestones (title, start, due, deliverable, amount), replacing the previous."""
    errors = {}
    rows = _rows(milestones, ("title", "starts_on", "due_on"), errors, "milestones")
    for index, row in enumerate(rows, start=1):
        row["amount"] = _money(row.get("amount"), "milestones", errors)
        if row["due_on"] < row["starts_on"]:
            errors["milestones"] = _("Milestone %(position)s: it is due after it starts.") % {
                "position": index
            }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(application, by)
        locked.milestones.all().delete()
        for position, row in enumerate(rows, start=1):
            Milestone.objects.create(
                application=locked,
                position=position,
                title=row["title"].strip(),
                starts_on=row["starts_on"],
                due_on=row["due_on"],
                deliverable=(row.get("deliverable") or "").strip(),
                amount=row["amount"],
            )
        _done(locked, "plan")
        locked.save(update_fields=["steps_done"])
        record_event(
            action="grants.application.saved",
            actor=by,
            obj=locked,
            changes={"step": "plan", "milestones": len(rows), "amount": str(sum(r["amount"] for r in rows))},
        )
        return locked


def save_budget(application: ProjectApplication, items: list[dict], *, by) -> ProjectApplication:
    """Step 3: the budget's items by kind and year (requested and co-financed)."""
    errors = {}
    rows = _rows(items, ("kind", "year"), errors, "budget")
    for row in rows:
        if row["kind"] not in BudgetItem.Kind.values:
            errors["budget"] = _("Unknown budget item: %(kind)s.") % {"kind": row["kind"]}
        row["requested"] = _money(row.get("requested"), "budget", errors)
        row["cofinanced"] = _money(row.get("cofinanced"), "budget", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(application, by)
        locked.budget_items.all().delete()
        for row in rows:
            BudgetItem.objects.create(
                application=locked,
                kind=row["kind"],
                year=int(row["year"]),
                description=(row.get("description") or "").strip(),
                requested=row["requested"],
                cofinanced=row["cofinanced"],
            )
        _done(locked, "budget")
        locked.save(update_fields=["steps_done"])
        record_event(
            action="grants.application.saved",
            actor=by,
            obj=locked,
            changes={
                "step": "budget",
                "requested": str(sum(r["requested"] for r in rows)),
                "cofinanced": str(sum(r["cofinanced"] for r in rows)),
            },
        )
        return locked


def save_team(
    application: ProjectApplication, team: list[dict], kpis: list[dict], *, by
) -> ProjectApplication:
    """Step 4: the team (name, role, qualification, share) and the indicators (name, unit,
    baseline, target, year)."""
    errors = {}
    members = _rows(team, ("name", "role"), errors, "team")
    for row in members:
        share = row.get("share")
        try:
            share = Decimal(str(share if share not in (None, "") else "1"))
        except (InvalidOperation, TypeError, ValueError):
            share = None
        if share is None or not share.is_finite() or not (0 < share <= 1):
            errors["team"] = _("A share of working time is above 0 and at most 1 (0.5 for half time).")
        row["share"] = share
    indicators = _rows(kpis, ("name", "unit", "target", "year"), errors, "kpis")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(application, by)
        locked.team.all().delete()
        locked.kpis.all().delete()
        for row in members:
            TeamMember.objects.create(
                application=locked,
                name=row["name"].strip(),
                role=row["role"].strip(),
                qualification=(row.get("qualification") or "").strip(),
                share=row["share"],
            )
        for row in indicators:
            ProjectKpi.objects.create(
                application=locked,
                name=row["name"].strip(),
                unit=row["unit"].strip(),
                baseline=Decimal(str(row.get("baseline") or "0")),
                target=Decimal(str(row["target"])),
                year=int(row["year"]),
            )
        _done(locked, "team")
        locked.save(update_fields=["steps_done"])
        record_event(
            action="grants.application.saved",
            actor=by,
            obj=locked,
            changes={"step": "team", "team": len(members), "kpis": len(indicators)},
        )
        return locked


def save_note(application: ProjectApplication, *, by, **fields) -> ProjectApplication:
    """Step 5: the explanatory note's sections."""
    clean = {name: (fields.get(name) or "").strip() for name in selectors.NOTE_FIELDS if name in fields}
    with transaction.atomic():
        locked = _locked(application, by)
        changed = [name for name, value in clean.items() if getattr(locked, name) != value]
        for name, value in clean.items():
            setattr(locked, name, value)
        _done(locked, "note")
        locked.save()
        record_event(
            action="grants.application.saved",
            actor=by,
            obj=locked,
            changes={"step": "note", "changed": changed},
        )
        return locked


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
