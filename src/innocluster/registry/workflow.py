"""The application workflow, as data (DOMAIN.md, workflow 1). Services in ``applications.py``
compute the deadlines that go with each step."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.workflow import Transition, Workflow

from .models import Application

S = Application.Status

APPLICATION_WORKFLOW = Workflow(
    model=Application,
    state_field="status",
    recipients=lambda application, transition: [application.applicant],
    # Submissions go to the registrars' queue; see ``registry.reminders`` for their deadlines.
    transitions=[
        Transition(S.DRAFT, S.MODERATION, "registry.application.submit", "submit", _("Submit")),
        Transition(
            S.MODERATION,
            S.RETURNED,
            "registry.application.moderate",
            "return_for_revision",
            _("Return for revision"),
            reason_required=True,
            notify="workflow.transition",
        ),
        Transition(S.RETURNED, S.MODERATION, "registry.application.submit", "resubmit", _("Resubmit")),
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
