"""The workflow of a request to attract a foreign specialist, as data (DOMAIN.md, workflow 5).

draft → submitted → checked (documents complete, employer eligible) → approved (letters issued) /
refused (grounds) → active → extended (stays active, an ``Extension``) / ended (reason). The HR
officer may return a submitted or checked request for revision (itemised); the employer resubmits.

Each transition names its command in ``services/requests.py``; the pages, the API and the CLI call
``WORKFLOW.perform(request, name, by=user, **inputs)``. The employer's side (``workforce.file``):
a representative of the employing organisation, or the HR officer for the Fund itself; the Fund's
side (``workforce.review``, ``.decide``, ``.manage``): the HR officer.
"""

from django.utils.translation import gettext_lazy as _

from innocluster.core.access.selectors import users_with_role
from innocluster.core.workflow import Transition, Workflow
from innocluster.parties.selectors import representative_users
from innocluster.workforce.models import EngagementRequest
from innocluster.workforce.roles import HR_OFFICER

S = EngagementRequest.Status
COMMANDS = "innocluster.workforce.services.requests."

# After these the Fund must act: the HR officers hear of them; the employer hears of the rest.
TO_THE_FUND = {"submit", "resubmit"}


def recipients(request: EngagementRequest, transition: Transition) -> list:
    if transition.name in TO_THE_FUND:
        return users_with_role(HR_OFFICER)
    return representative_users(request.employer_id) or [request.filed_by]


def notify(*, recipients, key, context, obj, actor):
    """The HR officers' notices link to the staff page of the request, the employer's to its
    portal page (the HR officer filing for the Fund is the employer there)."""
    from django.urls import reverse

    from innocluster.core.notifications.services import notify as send

    # ``recipients`` is either side, never both: the Fund after a (re)submission, else the employer.
    if context.get("transition") in TO_THE_FUND:
        url = reverse("workforce:request", args=[obj.pk])
    else:
        url = reverse("workforce_portal:request", args=[obj.pk])
    send(recipients=recipients, key=key, context=context, obj=obj, actor=actor, url=url)


WORKFLOW = Workflow(
    model=EngagementRequest,
    state_field="status",
    recipients=recipients,
    notify=notify,
    transitions=[
        Transition(
            S.DRAFT, S.SUBMITTED, "workforce.file", "submit", _("Submit"),
            notify="workflow.transition", command=COMMANDS + "submit",
        ),
        Transition(
            S.SUBMITTED, S.CHECKED, "workforce.review", "check", _("Confirm the check"),
            notify="workflow.transition", command=COMMANDS + "check",
        ),
        Transition(
            (S.SUBMITTED, S.CHECKED), S.RETURNED, "workforce.review", "return_for_revision",
            _("Return for revision"), reason_required=True, notify="workflow.transition",
            command=COMMANDS + "return_for_revision", reason_field=("reason", "items"),
            reason_message=_("Write at least one comment for the employer."),
        ),
        Transition(
            S.RETURNED, S.SUBMITTED, "workforce.file", "resubmit", _("Resubmit"),
            notify="workflow.transition", command=COMMANDS + "resubmit",
        ),
        Transition(
            S.CHECKED, S.APPROVED, "workforce.decide", "approve", _("Approve"),
            notify="workflow.transition", command=COMMANDS + "approve",
        ),
        Transition(
            (S.SUBMITTED, S.CHECKED), S.REFUSED, "workforce.decide", "refuse", _("Refuse"),
            reason_required=True, notify="workflow.transition", command=COMMANDS + "refuse",
            reason_field="grounds", reason_message=_("Give the grounds of the refusal."),
        ),
        Transition(
            S.APPROVED, S.ACTIVE, "workforce.manage", "activate", _("The specialist has started work"),
            notify="workflow.transition", command=COMMANDS + "activate",
        ),
        Transition(
            S.ACTIVE, S.ACTIVE, "workforce.manage", "extend", _("Extend"),
            reason_required=True, notify="workflow.transition", command=COMMANDS + "extend",
            reason_message=_("Give the reason of the extension."),
        ),
        Transition(
            S.ACTIVE, S.ENDED, "workforce.manage", "end", _("End"),
            notify="workflow.transition", command=COMMANDS + "end",
        ),
    ],
)  # fmt: skip

# States in which the employer may still change what it sends.
EDITABLE = (S.DRAFT, S.RETURNED)
# Waiting for the Fund's decision: the clock runs.
AWAITING_DECISION = (S.SUBMITTED, S.CHECKED)
DECIDED = (S.APPROVED, S.REFUSED, S.ACTIVE, S.ENDED)
