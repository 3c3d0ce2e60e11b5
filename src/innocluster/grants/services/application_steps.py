"""The participant's project application as drafts: start from an open call (the organisation in
good standing, one application per project per call), then save each step on its own (project,
plan, budget, team and indicators, explanatory note) and mark it done; the participant may leave and
come back. Submitting, documents and withdrawal are ``services.applications``.

Every refusal is a ``ValidationError`` naming the field (or the row); nothing changes on a refusal.
Every change is audited (``grants.application.<verb>``)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.grants.models import (
    ApplicationStatus,
    BudgetItem,
    Call,
    Milestone,
    Project,
    ProjectApplication,
    ProjectKpi,
    TeamMember,
)
from innocluster.grants.selectors import portal as selectors
from innocluster.grants.services.applications import (
    APPLY,
    MONEY_FIELDS,
    PROJECT_FIELDS,
    _check_acts_for,
    _done,
    _locked,
    _money,
    _plain,
    _refuse_standing,
)

S = ApplicationStatus


def _step_saved(locked: ProjectApplication, step: str, *, by, changes: dict, whole: bool = False):
    """Mark ``step`` done, save (the whole row when the step changed its fields, else only the
    steps done) and audit the save with what changed."""
    _done(locked, step)
    locked.save(**({} if whole else {"update_fields": ["steps_done"]}))
    record_event(action="grants.application.saved", actor=by, obj=locked, changes={"step": step, **changes})
    return locked


def start_application(
    call: Call, organisation, *, by, title: str = "", project: Project | None = None, now=None
):
    """A draft application of ``organisation`` to ``call``, for an existing project of the
    organisation or a new one called ``title``, while the call is open at ``now`` (default: the
    present)."""
    require(by, APPLY, call)
    _check_acts_for(by, organisation.pk)
    title = (title or "").strip()
    if project is None and not title:
        raise ValidationError({"title": _("Give the project a title or choose one of your projects.")})
    if project is not None and project.organisation_id != organisation.pk:
        raise ValidationError({"project": _("The project belongs to another organisation.")})
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if not call.is_open(now):
            raise ValidationError({"call": selectors.window_problem(call, now) or _("The call is not open.")})
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
        changes = {k: [_plain(before)[k], v] for k, v in _plain(clean).items() if _plain(before)[k] != v}
        if title and title != locked.project.title:
            changes["title"] = [locked.project.title, title]
            Project.objects.filter(pk=locked.project_id).update(title=title)
        return _step_saved(locked, "project", by=by, changes=changes, whole=True)


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
        return _step_saved(
            locked,
            "plan",
            by=by,
            changes={"milestones": len(rows), "amount": str(sum(r["amount"] for r in rows))},
        )


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
        _step_saved(
            locked,
            "budget",
            by=by,
            changes={
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
        return _step_saved(locked, "team", by=by, changes={"team": len(members), "kpis": len(indicators)})


def save_note(application: ProjectApplication, *, by, **fields) -> ProjectApplication:
    """Step 5: the explanatory note's sections."""
    clean = {name: (fields.get(name) or "").strip() for name in selectors.NOTE_FIELDS if name in fields}
    with transaction.atomic():
        locked = _locked(application, by)
        changed = [name for name, value in clean.items() if getattr(locked, name) != value]
        for name, value in clean.items():
            setattr(locked, name, value)
        _step_saved(locked, "note", by=by, changes={"changed": changed}, whole=True)
        return locked
