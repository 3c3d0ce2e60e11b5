"""The application workflow, as data (DOMAIN.md, workflow 1). Services in ``applications.py``
compute the deadlines that go with each step."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.access.selectors import users_with_role
from innocluster.core.workflow import Transition, Workflow
from innocluster.registry.models import Application

S = Application.Status

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
        ),
        Transition(
            S.MODERATION,
            S.RETURNED,
            "registry.application.moderate",
            "return_for_revision",
            _("Return for revision"),
            reason_required=True,
            notify="workflow.transition",
        ),
        Transition(
            S.RETURNED,
            S.MODERATION,
            "registry.application.submit",
            "resubmit",
            _("Resubmit"),
            notify="workflow.transition",
        ),
        Transition(
            S.MODERATION,
            S.COMMISSION,
            "registry.application.moderate",
            "accept",
            _("Accept for the commission"),
            notify="workflow.transition",
        ),
        Transition(
            S.COMMISSION,
            S.APPROVED,
            "registry.application.decide",
            "approve",
            _("Approve"),
            notify="workflow.transition",
        ),
        Transition(
            S.COMMISSION,
            S.REJECTED,
            "registry.application.decide",
            "reject",
            _("Reject"),
            reason_required=True,
            notify="workflow.transition",
        ),
        Transition(
            S.APPROVED,
            S.AGREEMENT_SIGNED,
            "registry.application.submit",
            "sign_agreement",
            _("Upload the signed agreement"),
            notify="workflow.transition",
        ),
        Transition(
            S.AGREEMENT_SIGNED,
            S.REGISTERED,
            "registry.application.register",
            "issue_certificate",
            _("Issue the certificate and register"),
            notify="workflow.transition",
        ),
    ],
)


# States in which the applicant may still change what they send.
EDITABLE = (S.DRAFT, S.RETURNED)
# States of an application that is still being handled: one at a time per applicant and member.
OPEN = (S.DRAFT, S.MODERATION, S.RETURNED, S.COMMISSION, S.APPROVED, S.AGREEMENT_SIGNED)
# The steps of the application form, in order; ``Application.step`` is the last one completed.
STEPS = ("category", "member", "project", "documents", "review")
