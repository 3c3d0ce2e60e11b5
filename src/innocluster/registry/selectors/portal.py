"""Reads of the participant portal: only what the signed-in representative may see.

Everything is looked up *through* the user (``applicant=user``, an active representation), so
another applicant's application or another organisation is simply not found: the views answer 404
and never reveal that the record exists.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innocluster.core.policy import values as policy
from innocluster.core.policy.values import today
from innocluster.parties import selectors as parties
from innocluster.parties.models import Organisation, Representative
from innocluster.registry.models import (
    Application,
    ComplianceReport,
    Participant,
    ParticipantCategory,
)
from innocluster.registry.permissions import applications_acted_for
from innocluster.registry.workflow import EDITABLE, OPEN, STEPS

S = Application.Status

STEP_LABELS = {
    "category": gettext_lazy("Category"),
    "member": gettext_lazy("Who is applying"),
    "project": gettext_lazy("Project"),
    "documents": gettext_lazy("Documents"),
    "review": gettext_lazy("Check and submit"),
}

# The document kind kept for the signed agreement: uploaded on its own page, never in the form.
SIGNED_AGREEMENT = "signed_agreement"
OTHER_DOCUMENT = "other"


# --- applications --------------------------------------------------------------------------------


def my_applications(user) -> QuerySet[Application]:
    """The applications the user acts for (``permissions.acts_for_application``)."""
    return Application.objects.filter(applications_acted_for(user)).select_related(
        "category", "organisation", "individual", "participant"
    )


def open_application(user) -> Application | None:
    """The application the user started and has in progress, if any (one at a time)."""
    return my_applications(user).filter(applicant=user, status__in=OPEN).first()


def application_for(user, pk: int) -> Application | None:
    """Application ``pk`` if the user acts for it, or None (someone else's is not found either)."""
    return (
        Application.objects.filter(applications_acted_for(user), pk=pk)
        .select_related("category", "organisation", "individual", "participant", "decision")
        .first()
    )


def completed_steps(application: Application) -> int:
    """How many steps are done. An application returned for revision was complete when it was sent
    (however it was sent), so every step before the review counts as done."""
    if application.status == S.RETURNED:
        return max(application.step, len(STEPS) - 1)
    return application.step


def first_incomplete_step(application: Application) -> str:
    """Where the form resumes: the step after the last one completed (the review at the end)."""
    return STEPS[min(completed_steps(application), len(STEPS) - 1)]


def step_reachable(application: Application, step: str) -> bool:
    """A step may be opened once every step before it is done."""
    return STEPS.index(step) <= STEPS.index(first_incomplete_step(application))


@dataclass(frozen=True)
class StepItem:
    code: str
    number: int
    label: str
    url: str | None  # None: not reachable yet
    done: bool
    current: bool


def step_items(application: Application, current: str) -> list[StepItem]:
    """The step indicator: every step, which ones are done, which one is shown."""
    items = []
    for number, code in enumerate(STEPS, start=1):
        reachable = step_reachable(application, code)
        items.append(
            StepItem(
                code=code,
                number=number,
                label=str(STEP_LABELS[code]),
                url=reverse("portal:step", args=[application.pk, code]) if reachable else None,
                done=completed_steps(application) >= number and code != "review",
                current=code == current,
            )
        )
    return items


def is_editable(application: Application) -> bool:
    return application.status in EDITABLE


def next_step_text(application: Application) -> str:
    """What happens next, in plain words, for the applicant."""
    texts = {
        S.DRAFT: _(
            "Finish the form and submit it. Nothing is sent to the Fund until you press “Submit the "
            "application”."
        ),
        S.MODERATION: _(
            "The Fund is checking that your application is complete. You will be told if anything "
            "needs correcting."
        ),
        S.RETURNED: _(
            "The Fund returned your application with comments. Answer each comment, correct what "
            "is asked and submit it again. The deadlines start again when you resubmit."
        ),
        S.COMMISSION: _("Your application is complete. The selection commission will decide on it."),
        S.APPROVED: _(
            "The commission approved your application. Download the participation agreement, sign "
            "it and upload the signed copy."
        ),
        S.REJECTED: _(
            "The commission rejected your application. The reasons are given in its decision. You "
            "may apply again."
        ),
        S.AGREEMENT_SIGNED: _(
            "The Fund has your signed agreement. It will now issue your certificate and enter you "
            "in the register."
        ),
        S.REGISTERED: _("You are in the register of participants. You can download your certificate."),
    }
    return texts.get(application.status, "")


@dataclass(frozen=True)
class Deadline:
    label: str
    due: date
    days: int | None  # the number of working days the law gives, when known
    overdue: bool
    start: date | None = None  # the day the count runs from (for the "may move" warning)


def _days(key: str, on: date | None, memo: dict | None = None) -> int | None:
    """The working days ``key`` gives on ``on``; ``memo`` keeps a page from asking policy again
    for every application that shares a submission date."""
    if memo is not None and (key, on) in memo:
        return memo[(key, on)]
    try:
        found = int(policy.value(key, on=on))
    except (policy.PolicyError, TypeError, ValueError):
        found = None
    if memo is not None:
        memo[(key, on)] = found
    return found


def deadlines(application: Application, on: date | None = None, memo: dict | None = None) -> list[Deadline]:
    """The dates by which the Fund must answer, each with the working days it stands for."""
    on = on or today()
    start = application.submitted_on
    rows = [
        (
            application.moderation_due,
            _("The Fund checks that the application is complete by"),
            "moderation_days",
        ),
        (application.commission_due, _("The selection commission decides by"), "commission_days"),
        (application.total_due, _("The final answer is due by"), "total_days"),
    ]
    return [
        Deadline(
            label=label, due=due, days=_days(f"registry.{key}", start, memo), overdue=due < on, start=start
        )
        for due, label, key in rows
        if due is not None
    ]


def admitted_categories(on: date | None = None) -> list[ParticipantCategory]:
    """The categories the regime in force admits, in the policy's order (all for an explicit
    null: no restriction). A regime without the rule raises ``NoValueInForce``: absence never
    widens who may apply."""
    codes = policy.value("registry.participant_categories", on=on or today())
    if codes is None:
        return list(ParticipantCategory.objects.all())
    found = ParticipantCategory.objects.in_bulk(list(codes), field_name="code")
    return [found[code] for code in codes if code in found]


def document_limits(on: date | None = None) -> tuple[list[str], int | None]:
    """The accepted file types and the largest size in MB under the policy in force."""
    on = on or today()
    try:
        types = [str(t).lower() for t in policy.value("registry.documents.allowed_types", on=on)]
    except policy.PolicyError:
        types = []
    try:
        megabytes = int(policy.value("registry.documents.max_megabytes", on=on))
    except policy.PolicyError:
        megabytes = None
    return types, megabytes


# --- organisations -------------------------------------------------------------------------------


def my_organisations(user) -> list[Organisation]:
    """The organisations the user acts for, with their register entry (if any) and the user's role
    there as ``my_role`` (a Representative.Role value)."""
    rows = parties.representations_of(user).select_related("organisation__participant")
    organisations = []
    for row in rows:
        organisation = row.organisation
        organisation.my_role = row.get_role_display()
        organisation.my_role_value = row.role
        organisation.register_entry = _participant(organisation)
        organisations.append(organisation)
    return organisations


def _participant(organisation: Organisation) -> Participant | None:
    try:
        return organisation.participant
    except Participant.DoesNotExist:
        return None


def organisation_for(user, pk: int) -> Organisation | None:
    """Organisation ``pk`` if the user currently acts for it, else None."""
    if not getattr(user, "is_authenticated", False):
        return None
    organisation = (
        parties.organisations_of(user)
        .filter(pk=pk)
        .select_related("participant", "participant__category")
        .first()
    )
    if organisation is not None:
        organisation.register_entry = _participant(organisation)
    return organisation


def representatives_of(organisation: Organisation) -> list[Representative]:
    return parties.representatives_of(organisation)


def representative_of(organisation: Organisation, pk: int) -> Representative | None:
    return parties.representative_of(organisation, pk)


def my_claims(user) -> list:
    """The user's claims of authority still waiting for the registrar or refused (for the home)."""
    return [c for c in parties.claims_of(user) if c.status in ("pending", "rejected")]


def reports_of(participant: Participant) -> list[ComplianceReport]:
    return list(
        ComplianceReport.objects.filter(participant=participant)
        .select_related("submitted_by")
        .order_by("-year", "-version")
    )


def latest_report(reports: list[ComplianceReport]) -> ComplianceReport | None:
    """The report filed last (whatever year it is for)."""
    return max(reports, key=lambda r: (r.submitted_at, r.pk), default=None)


def home_applications(user) -> list[Application]:
    """The user's applications for the home page, each with what happens next and its deadlines."""
    applications = list(my_applications(user))
    on, memo = today(), {}
    for application in applications:
        application.next_text = next_step_text(application)
        application.deadline_rows = deadlines(application, on=on, memo=memo)
        application.editable = is_editable(application)
    return applications
