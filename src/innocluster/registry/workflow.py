"""The register's workflows, as data: applications (DOMAIN.md, workflow 1) and the later life of a
register entry (suspension with an answer period, reinstatement, exclusion on a decision,
voluntary exit).

Each transition names the service that performs it (``command``, a dotted path: the services
import this module), and the HTML views, the API and the CLI all call
``WORKFLOW.perform(obj, name, by=user, **inputs)``. The services compute what goes with each step
(the deadlines of ``services/applications.py``, the answer period of ``services/membership.py``).
"""

from django.utils.translation import gettext_lazy as _

from innocluster.core.access.selectors import users_with_role
from innocluster.core.workflow import Transition, Workflow
from innocluster.registry.models import Application, Participant

S = Application.Status
P = Participant.Status
APPLICATIONS = "innocluster.registry.services.applications."
COMMISSION = "innocluster.registry.services.commission."
MODERATION = "innocluster.registry.services.moderation."
MEMBERSHIP = "innocluster.registry.services.membership."

# Who else hears of a transition besides the applicant: whoever must act next.
NEXT_HANDLERS = {
    "submit": "registrar",
    "resubmit": "registrar",
    "sign_agreement": "registrar",
    "accept": "commission_member",
}


def recipients(application: Application, transition: Transition) -> list:
    people = [application.applicant]
    role = NEXT_HANDLERS.get(transition.name)
    if role:
        people += users_with_role(role)
    return people


def notify(*, recipients, key, context, obj, actor):
    """The applicant's notice links to the portal, the staff's to the staff page of the application."""
    from django.urls import reverse

    from innocluster.core.notifications.services import notify as send

    applicant = [p for p in recipients if p.pk == obj.applicant_id]
    staff = [p for p in recipients if p.pk != obj.applicant_id]
    if applicant:
        send(
            recipients=applicant,
            key=key,
            context=context,
            obj=obj,
            actor=actor,
            url=reverse("portal:application", args=[obj.pk]),
        )
    if staff:
        send(
            recipients=staff,
            key=key,
            context=context,
            obj=obj,
            actor=actor,
            url=reverse("registry_staff:application", args=[obj.pk]),
        )


APPLICATION_WORKFLOW = Workflow(
    model=Application,
    state_field="status",
    recipients=recipients,
    notify=notify,
    transitions=[
        Transition(
            S.DRAFT,
            S.MODERATION,
            "registry.application.submit",
            "submit",
            _("Submit"),
            notify="workflow.transition",
            command=APPLICATIONS + "submit",
        ),
        Transition(
            S.MODERATION,
            S.RETURNED,
            "registry.application.moderate",
            "return_for_revision",
            _("Return for revision"),
            reason_required=True,
            notify="workflow.transition",
            command=MODERATION + "return_for_revision",
            # Itemised comments or a general one: either is the reason.
            reason_field=("reason", "items"),
            reason_message=_("Write at least one comment for the applicant."),
        ),
        Transition(
            S.RETURNED,
            S.MODERATION,
            "registry.application.submit",
            "resubmit",
            _("Resubmit"),
            notify="workflow.transition",
            command=APPLICATIONS + "submit",
        ),
        Transition(
            S.MODERATION,
            S.COMMISSION,
            "registry.application.moderate",
            "accept",
            _("Accept for the commission"),
            notify="workflow.transition",
            command=MODERATION + "accept",
        ),
        Transition(
            S.COMMISSION,
            S.APPROVED,
            "registry.application.decide",
            "approve",
            _("Approve"),
            notify="workflow.transition",
            command=COMMISSION + "approve",
        ),
        Transition(
            S.COMMISSION,
            S.REJECTED,
            "registry.application.decide",
            "reject",
            _("Reject"),
            reason_required=True,
            notify="workflow.transition",
            command=COMMISSION + "reject",
            reason_message=_("Give the reasons for a rejection."),
        ),
        Transition(
            S.APPROVED,
            S.AGREEMENT_SIGNED,
            "registry.application.submit",
            "sign_agreement",
            _("Upload the signed agreement"),
            notify="workflow.transition",
            command=APPLICATIONS + "sign_agreement",
        ),
        Transition(
            S.AGREEMENT_SIGNED,
            S.REGISTERED,
            "registry.application.register",
            "issue_certificate",
            _("Issue the certificate and register"),
            notify="workflow.transition",
            command=MODERATION + "issue_certificate",
        ),
    ],
)


PARTICIPANT_WORKFLOW = Workflow(
    model=Participant,
    state_field="status",
    transitions=[
        Transition(
            P.REGISTERED,
            P.SUSPENDED,
            "registry.membership.manage",
            "suspend",
            _("Suspend"),
            reason_required=True,
            command=MEMBERSHIP + "suspend",
            reason_field="grounds",
            reason_message=_("State the grounds."),
        ),
        Transition(
            P.SUSPENDED,
            P.REGISTERED,
            "registry.membership.manage",
            "reinstate",
            _("Reinstate"),
            reason_required=True,
            command=MEMBERSHIP + "reinstate",
            reason_field="grounds",
            reason_message=_("State the grounds."),
        ),
        Transition(
            (P.REGISTERED, P.SUSPENDED),
            P.EXCLUDED,
            "registry.membership.manage",
            "exclude",
            _("Exclude"),
            reason_required=True,
            command=MEMBERSHIP + "exclude",
            reason_field="grounds",
            reason_message=_("State the grounds."),
        ),
        Transition(
            (P.REGISTERED, P.SUSPENDED),
            P.EXITED,
            "registry.membership.exit",
            "exit",
            _("Leave the cluster"),
            reason_required=True,
            command=MEMBERSHIP + "exit_voluntarily",
            reason_message=_("State the grounds."),
        ),
    ],
)


def submission(application: Application) -> str:
    """The transition that sends the application to the Fund: ``submit`` for a draft, else
    ``resubmit`` (after a return; from any other state its refusal names the state it needs)."""
    return "submit" if application.status == S.DRAFT else "resubmit"


# States in which the applicant may still change what they send.
EDITABLE = (S.DRAFT, S.RETURNED)
# States of an application that is still being handled: one at a time per applicant and member.
OPEN = (S.DRAFT, S.MODERATION, S.RETURNED, S.COMMISSION, S.APPROVED, S.AGREEMENT_SIGNED)
# The steps of the application form, in order; ``Application.step`` is the last one completed.
STEPS = ("category", "member", "project", "documents", "review")
