"""The applicant's side of an application: drafting each step, submitting and resubmitting, and
signing the agreement, with the deadlines the law fixes (the registrar's side is
``services.moderation``, the commission's ``services.commission``).

Day counts come from policy (``registry.moderation_days``, ``registry.commission_days``,
``registry.total_days``) in force on the day of the step, and are counted in Kazakh working days
with ``core.calendar`` (day 1 is the first working day after the event).
"""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import can, require
from innocluster.core.audit.services import diff, record_event
from innocluster.core.calendar import add_working_days
from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula
from innocluster.core.workflow import execute
from innocluster.parties import selectors as parties
from innocluster.parties.models import Individual, Organisation, Representative
from innocluster.parties.services import claims
from innocluster.parties.services import register as party_services
from innocluster.registry.models import (
    Application,
    Participant,
    ParticipantCategory,
)
from innocluster.registry.services import project
from innocluster.registry.workflow import APPLICATION_WORKFLOW, EDITABLE, OPEN, STEPS

S = Application.Status

ORGANISATION_FIELDS = (
    "bin",
    "name_kk",
    "name_ru",
    "name_en",
    "legal_form",
    "resident",
    "region",
    "activity",
    "address",
    "state_share",
    "subsoil_user",
    "sez_participant",
    "excisable_goods",
    "general_tax_regime",
    "investment_priority_project",
    "has_branches",
    "separate_tax_accounting",
)
INDIVIDUAL_FIELDS = ("iin", "last_name", "first_name", "middle_name")


def deadline_after(start: date, key: str, regime: str | None = None) -> date:
    return add_working_days(start, policy.value(key, on=start, regime=regime))


DEADLINE_KEYS = {
    "moderation": "registry.moderation_days",
    "commission": "registry.commission_days",
    "total": "registry.total_days",
}


@formula("registry.application_deadline")
def deadline_formula(*, step: str, event_date: date, on: date | None = None, regime: str | None = None):
    """Law cases: the deadline of an application's ``step`` (moderation and total from the
    (re)submission, commission from moderation acceptance), by the rule in force on that day."""
    try:
        key = DEADLINE_KEYS[step]
    except KeyError:
        raise ValueError(f"unknown step {step!r}; known: {', '.join(DEADLINE_KEYS)}") from None
    return deadline_after(event_date, key, regime=regime)


def _editable(application: Application, by) -> Application:
    """The application, locked, if ``by`` may still change it."""
    require(by, "registry.application.submit", application)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in EDITABLE:
        raise ValidationError(
            _("The application is “%(state)s” and can no longer be changed.")
            % {"state": APPLICATION_WORKFLOW.state_label(locked.status)}
        )
    return locked


def _completed(application: Application, step: str) -> None:
    number = STEPS.index(step) + 1
    if application.step < number:
        application.step = number
        application.save(update_fields=["step"])


@transaction.atomic
def start_application(*, by, category: ParticipantCategory) -> Application:
    """A new draft. One application in progress per applicant: a second click or a second tab gets
    the existing one's number in the error instead of a duplicate."""
    require(by, "registry.application.submit")
    # Lock the applicant's own row: with no application yet there is no row to lock, and two
    # concurrent requests (double click, two tabs, an API retry) must not both create a draft.
    get_user_model().objects.select_for_update().only("pk").get(pk=by.pk)
    open_one = Application.objects.filter(applicant=by, status__in=OPEN).first()
    if open_one is not None:
        raise ValidationError(
            _("You already have application No. %(number)s in progress; continue that one.")
            % {"number": open_one.pk}
        )
    application = Application.objects.create(applicant=by, category=category, step=1)
    record_event(
        action="registry.application.started",
        actor=by,
        obj=application,
        changes={"category": [None, category.code]},
    )
    return application


@transaction.atomic
def change_category(application: Application, *, by, category: ParticipantCategory) -> Application:
    locked = _editable(application, by)
    if locked.category.kind != category.kind and (locked.organisation_id or locked.individual_id):
        raise ValidationError(
            {"category": _("This category is for another kind of participant than the one already entered.")}
        )
    record_event(
        action="registry.application.changed",
        actor=by,
        obj=locked,
        changes={"category": [locked.category.code, category.code]},
    )
    locked.category = category
    locked.save(update_fields=["category"])
    application.category = category
    return locked


@transaction.atomic
def save_organisation(
    application: Application,
    *,
    by,
    claimed_role: str = Representative.Role.HEAD,
    authority_document=None,
    **fields: Any,
) -> Organisation:
    """Step 2 for a legal entity: attach the organisation of the BIN entered, creating it when it is
    new, or update the one already attached while the application is editable.

    Entering a BIN claims authority to act for that organisation: unless the applicant already acts
    for it (confirmed) or has a claim waiting, ``authority_document`` (charter or power of attorney)
    must come with it, and a claim in ``claimed_role`` goes to the registrar. The draft can be
    prepared meanwhile; submitting waits for the confirmation. Only a confirmed representative (or
    the claimant of an organisation nobody represents yet) changes a known organisation's details."""
    locked = _editable(application, by)
    if locked.category.kind != ParticipantCategory.Kind.ORGANISATION:
        raise ValidationError({"category": _("This category is for individuals, not organisations.")})
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"not organisation fields: {sorted(unknown)}")
    organisation = locked.organisation
    if organisation is not None:
        if "bin" in fields and fields["bin"] != organisation.bin:
            raise ValidationError({"bin": _("The BIN of an organisation cannot be changed.")})
        _update_if_allowed(organisation, by=by, fields=fields)
    else:
        organisation = parties.organisation_by_bin(fields.get("bin"))
        if organisation is not None:
            _refuse_a_registered_one(organisation)
            _refuse_a_second_open_application(locked, organisation=organisation)
            if (
                not parties.represents(by, organisation.pk)
                and parties.pending_claim(by, organisation.pk) is None
            ):
                claims.file_claim(organisation, by=by, role=claimed_role, uploaded_file=authority_document)
            _update_if_allowed(organisation, by=by, fields=fields)
        else:
            # A refused claim (no document, a wrong file) undoes the organisation with the transaction.
            try:
                with transaction.atomic():  # a savepoint: a concurrent insert of the BIN loses plainly
                    organisation = party_services.create_organisation(by=by, **fields)
            except IntegrityError:
                raise ValidationError(
                    {"bin": _("An organisation with this BIN was entered a moment ago. Reload the page.")}
                ) from None
            claims.file_claim(organisation, by=by, role=claimed_role, uploaded_file=authority_document)
    _refuse_a_registered_one(organisation)
    _refuse_a_second_open_application(locked, organisation=organisation)
    if locked.organisation_id != organisation.pk:
        record_event(
            action="registry.application.changed",
            actor=by,
            obj=locked,
            changes={"organisation": [locked.organisation_id, organisation.pk]},
        )
        locked.organisation = organisation
        locked.save(update_fields=["organisation"])
    _completed(locked, "member")
    application.organisation, application.step = organisation, locked.step
    return organisation


def _update_if_allowed(organisation: Organisation, *, by, fields: Mapping[str, Any]) -> None:
    """A confirmed representative keeps the details; so does the claimant of an organisation nobody
    represents yet (who entered it). A claimant of an organisation others act for changes nothing."""
    if parties.represents(by, organisation.pk) or not parties.has_representatives(organisation.pk):
        party_services.update_organisation(organisation, by=by, fields=fields)


def _refuse_a_registered_one(organisation: Organisation) -> None:
    if Participant.objects.filter(organisation=organisation).exists():
        raise ValidationError(
            {"bin": _("%(name)s is already in the register.") % {"name": organisation.name}}
        )


def _refuse_a_second_open_application(application: Application, **member) -> None:
    """One application in progress per member: another representative cannot open a parallel one
    and rewrite the organisation's data while the first is with the Fund or the commission. The
    member's row is locked so that two such requests are decided one after the other."""
    ((model, value),) = member.items()
    type(value).objects.select_for_update().only("pk").get(pk=value.pk)
    other = (
        Application.objects.filter(status__in=OPEN, **{model: value})
        .exclude(pk=application.pk)
        .order_by("pk")
        .first()
    )
    if other is not None:
        raise ValidationError(
            {
                "bin" if model == "organisation" else "iin": _(
                    "Application No. %(number)s for %(name)s is already in progress; only one at a time."
                )
                % {"number": other.pk, "name": value.name}
            }
        )


@transaction.atomic
def save_individual(application: Application, *, by, **fields: Any) -> Individual:
    """Step 2 for an individual (where the regime admits them)."""
    locked = _editable(application, by)
    if locked.category.kind != ParticipantCategory.Kind.INDIVIDUAL:
        raise ValidationError({"category": _("This category is for organisations, not individuals.")})
    individual = locked.individual
    if individual is None:
        individual = parties.individual_by_iin(fields.get("iin"))
        if (
            individual is not None
            and not Application.objects.filter(applicant=by, individual=individual).exists()
        ):
            raise ValidationError(
                {"iin": _("This IIN cannot be used from your account. Contact the Fund's registrar.")}
            )
        if individual is None:
            individual = party_services.create_individual(by=by, **fields)
    if Participant.objects.filter(individual=individual).exists():
        raise ValidationError({"iin": _("%(name)s is already in the register.") % {"name": individual.name}})
    _refuse_a_second_open_application(locked, individual=individual)
    if individual is not None:
        party_services.update_individual(individual, by=by, fields=fields)
    locked.individual = individual
    locked.save(update_fields=["individual"])
    _completed(locked, "member")
    application.individual, application.step = individual, locked.step
    return individual


# A project field left out of a ``save_project`` call (the API's partial update) stays as it is.
KEEP: Any = object()


@transaction.atomic
def save_project(
    application: Application,
    *,
    by,
    project_summary: str = KEEP,
    project_title: str = KEEP,
    project_starts_on: date | None = KEEP,
    project_ends_on: date | None = KEEP,
    measures: Iterable[Mapping[str, Any]] = KEEP,
    budget: Iterable[Mapping[str, Any]] = KEEP,
    priority_activities: Iterable[Any] = KEEP,
) -> Application:
    """Step 3: the project (``services.project``): summary, period, measures, budget and priority
    activities (``Activity`` rows or OKED codes). A draft may lack measures, budget or activities
    (the submission lists them); what is given is checked row by row and nothing is saved while
    anything is refused. Measures and budget lines given replace the ones stored."""
    locked = _editable(application, by)
    before = {
        "project_title": locked.project_title,
        "project_summary": locked.project_summary,
        "project_starts_on": locked.project_starts_on,
        "project_ends_on": locked.project_ends_on,
        **project.audit_rows(locked),
    }
    title = locked.project_title if project_title is KEEP else (project_title or "").strip()
    summary = locked.project_summary if project_summary is KEEP else (project_summary or "").strip()
    starts_on = locked.project_starts_on if project_starts_on is KEEP else project_starts_on
    ends_on = locked.project_ends_on if project_ends_on is KEEP else project_ends_on
    errors: dict[str, list[str]] = {}
    if len(summary) < 50:
        errors["project_summary"] = [
            _("Describe the project in at least 50 characters: what, for whom, by when.")
        ]
    if len(title) > project.TITLE_LENGTH:
        errors["project_title"] = [
            _("The title is longer than %(n)s characters.") % {"n": project.TITLE_LENGTH}
        ]
    errors.update(project.check_period(starts_on, ends_on))
    # Rows not given are checked again against a changed period, so none is left outside it.
    rows = measures if measures is not KEEP else [_as_row(m) for m in locked.measures.all()]
    cleaned_measures, refused = project.clean_measures(rows, starts_on=starts_on, ends_on=ends_on)
    errors.update(refused)
    rows = budget if budget is not KEEP else [_as_row(b) for b in locked.budget_lines.all()]
    cleaned_budget, refused = project.clean_budget(rows, starts_on=starts_on, ends_on=ends_on)
    errors.update(refused)
    activities = None
    if priority_activities is not KEEP:
        activities, refused = project.clean_activities(priority_activities or [])
        errors.update(refused)
    project.refuse_if(errors)

    locked.project_title, locked.project_summary = title, summary
    locked.project_starts_on, locked.project_ends_on = starts_on, ends_on
    locked.save(update_fields=["project_title", "project_summary", "project_starts_on", "project_ends_on"])
    if measures is not KEEP:
        project.replace_measures(locked, cleaned_measures)
    if budget is not KEEP:
        project.replace_budget(locked, cleaned_budget)
    if activities is not None:
        locked.priority_activities.set(activities)
    after = {
        "project_title": title,
        "project_summary": summary,
        "project_starts_on": starts_on,
        "project_ends_on": ends_on,
        **project.audit_rows(locked),
    }
    changes = diff(before, after)
    if changes:
        record_event(action="registry.application.changed", actor=by, obj=locked, changes=changes)
    _completed(locked, "project")
    application.project_title, application.project_summary = title, summary
    application.project_starts_on, application.project_ends_on = starts_on, ends_on
    application.step = locked.step
    return locked


def _as_row(row) -> dict[str, Any]:
    """A stored measure or budget line as the mapping ``services.project`` checks."""
    names = ("title", "starts_on", "ends_on", "expected_result", "item", "year", "amount")
    return {name: getattr(row, name) for name in names if hasattr(row, name)}


def mark_documents_complete(application: Application, *, by) -> Application:
    """The documents step is done when nothing required is missing."""
    from innocluster.registry.services.documents import missing_documents

    with transaction.atomic():
        locked = _editable(application, by)
        missing = missing_documents(locked)
        if missing:
            raise ValidationError(
                {"documents": _("Still missing: %(kinds)s.") % {"kinds": ", ".join(k.name for k in missing)}}
            )
        _completed(locked, "documents")
    application.step = locked.step
    return locked


def problems(application: Application, on: date | None = None) -> dict[str, list[str]]:
    """What stands between the application and submission, by field (empty: it can go)."""
    from innocluster.registry.eligibility import evaluate
    from innocluster.registry.services.documents import missing_documents

    on = on or policy.today()
    found: dict[str, list[str]] = {}
    member = (
        application.organisation if application.category.kind == "organisation" else application.individual
    )
    if member is None:
        found.setdefault("member", []).append(_("Fill in who is applying."))
    if not application.project_summary:
        found.setdefault("project_summary", []).append(_("Describe the project."))
    for field, messages in project.missing(application).items():
        found.setdefault(field, []).extend(messages)
    missing = missing_documents(application, on=on)
    if missing:
        found.setdefault("documents", []).append(
            _("Still missing: %(kinds)s.") % {"kinds": ", ".join(k.name for k in missing)}
        )
    eligibility = evaluate(
        category=application.category, organisation=application.organisation, on=on, application=application
    )
    for check in eligibility.failures:
        found.setdefault("eligibility", []).append(check.message)
    return found


@transaction.atomic
def submit(
    application: Application,
    *,
    by,
    on: date | None = None,
    responses: Mapping[int, str] | None = None,
) -> Application:
    """Draft or returned application → moderation; the moderation and total clocks start again.

    Refused, with the reasons by field, while anything is missing or a rule of the regime is not
    met. A resubmission answers every comment of the last return (``responses`` by comment id).
    """
    on = on or policy.today()
    name = "submit" if application.status == Application.Status.DRAFT else "resubmit"
    if application.organisation_id is None and application.category.kind == "organisation":
        raise ValidationError({"organisation": _("Fill in the organisation before submitting.")})
    found = problems(application, on=on)
    # A claim of authority the registrar has not confirmed cannot send anything to the Fund. (Who
    # may not act on the application at all is refused by the workflow, as before.)
    if can(by, "registry.application.submit", application):
        try:
            claims.require_confirmed(by, application.organisation)
        except ValidationError as refused:
            found = {**refused.message_dict, **found}
    if found:
        raise ValidationError(found)
    answered: dict[str, list] = {}
    if name == "resubmit" and application.status == S.RETURNED:
        answered = _answer_comments(application, responses or {})
    return execute(
        APPLICATION_WORKFLOW,
        application,
        name,
        by=by,
        # The applicant's answers to the comments go into the same audit event as the resubmission.
        changes=answered,
        extra_fields={
            "submitted_on": on,
            "moderation_due": deadline_after(on, "registry.moderation_days"),
            "total_due": deadline_after(on, "registry.total_days"),
            "commission_due": None,
        },
    )


def _answer_comments(application: Application, responses: Mapping[int, str]) -> dict[str, list]:
    last_round = application.revision_comments.aggregate(r=Max("round"))["r"]
    if last_round is None:
        return {}
    comments = list(application.revision_comments.filter(round=last_round))
    unanswered = [c for c in comments if not (responses.get(c.pk) or c.response or "").strip()]
    if unanswered:
        raise ValidationError(
            {"responses": [_("Answer the comment on “%(item)s”.") % {"item": c.item} for c in unanswered]}
        )
    answered: dict[str, list] = {}
    for comment in comments:
        answer = (responses.get(comment.pk) or "").strip()
        if answer and answer != comment.response:
            answered[f"answer to “{comment.item}”"] = [comment.response or None, answer]
            comment.response = answer
            comment.save(update_fields=["response"])
    return answered


@transaction.atomic
def sign_agreement(application: Application, *, by, uploaded_file) -> Application:
    """The applicant uploads the agreement signed by the organisation; its SHA-256 is kept."""
    from innocluster.registry.services.documents import upload_document

    require(by, "registry.application.submit", application)
    # Only a confirmed representative signs for the organisation.
    claims.require_confirmed(by, application.organisation, field="file")
    document = upload_document(application, "signed_agreement", uploaded_file, by=by)
    return execute(
        APPLICATION_WORKFLOW,
        application,
        "sign_agreement",
        by=by,
        changes={"signed_agreement": [None, {"sha256": document.sha256, "version": document.version}]},
    )
