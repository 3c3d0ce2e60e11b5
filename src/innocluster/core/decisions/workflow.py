"""The decision record's publication workflow, as data.

``recorded`` → ``published``: the corporate secretary puts the decision in the public register.
``recorded`` or ``published`` → ``revoked``: a record entered in error is withdrawn, with a reason.
A decision the body itself changes is not revoked but corrected by a new decision (``corrects``).
"""

from django.utils.translation import gettext_lazy as _

from innocluster.core.workflow import Transition, Workflow

from .models import Decision, Status


# Notifications use the generic ``workflow.transition`` texts ("<decision> is now Published"),
# which exist in kk, ru and en.
def _recipients(decision: Decision, transition: Transition):
    """Who hears about it: the person who recorded the decision and the deciding officer."""
    people = {u.pk: u for u in (decision.recorded_by, decision.decided_by) if u is not None}
    return list(people.values())


DECISION_WORKFLOW = Workflow(
    model=Decision,
    state_field="status",
    recipients=_recipients,
    transitions=[
        Transition(
            source=Status.RECORDED,
            target=Status.PUBLISHED,
            action="decisions.publish",
            name="publish",
            label=_("Publish"),
            notify="workflow.transition",
        ),
        Transition(
            source=(Status.RECORDED, Status.PUBLISHED),
            target=Status.REVOKED,
            action="decisions.revoke",
            name="revoke",
            label=_("Revoke"),
            reason_required=True,
            notify="workflow.transition",
        ),
    ],
)
