"""What carries out the register's decisions when a body adopts them at a meeting
(``core.decisions.executors``; contributed in ``manifest.py``, ``hooks={"decisions.executors": ...}``).

- An **exclusion** resolution excludes the participant (``services.membership.exclude``): the
  grounds are the resolution's text. A registered participant may be excluded directly; a
  suspended one only once its answer period is over (the check says so before anything is kept).
- An **admission** resolution approves the application before the commission
  (``services.commission.decide``).

The register never learns who adopted the resolution: the command receives the decision record,
and ``require_authority`` checks that its body is the one the authority matrix names.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innocluster.core.decisions.executors import Executor
from innocluster.core.policy import values as policy
from innocluster.registry.models import Application, Participant
from innocluster.registry.roles import ADMISSION, EXCLUSION
from innocluster.registry.services.commission import decide
from innocluster.registry.services.membership import current_response_due, exclude
from innocluster.registry.workflow import APPLICATION_WORKFLOW, PARTICIPANT_WORKFLOW


def check_exclusion(participant: Participant) -> None:
    """An exclusion can run now: the entry is registered or suspended, and a suspended entry's
    answer period is over."""
    participant = Participant.objects.get(pk=participant.pk)
    if not PARTICIPANT_WORKFLOW.get("exclude").allowed_from(participant.status):
        raise ValidationError(
            {
                "participant": _(
                    "The participant is %(status)s: only a registered or suspended participant can be excluded."
                )
                % {"status": Participant.Status(participant.status).label}
            }
        )
    due = current_response_due(participant)
    if due is not None and policy.today() <= due:
        raise ValidationError(
            {
                "participant": _(
                    "The participant is suspended and may answer the grounds until %(date)s: the exclusion can be carried out after that date."
                )
                % {"date": due.isoformat()}
            }
        )


def find_participant(reference: str) -> Participant | None:
    """A participant by its register number (as printed on its certificate)."""
    return Participant.objects.filter(number=reference.strip()).first()


def find_application(reference: str) -> Application | None:
    """An application by its number (its key, as the pages show it)."""
    reference = reference.strip().lstrip("№").strip()
    return Application.objects.filter(pk=int(reference)).first() if reference.isdigit() else None


def run_exclusion(participant: Participant, *, decision, by, text: str) -> None:
    exclude(participant, by=by, grounds=text, decision=decision)


def check_admission(application: Application) -> None:
    """An admission can run now: the application is before the commission."""
    application = Application.objects.get(pk=application.pk)
    if not APPLICATION_WORKFLOW.get("approve").allowed_from(application.status):
        raise ValidationError(
            {"application": _("The application is not before the commission: it cannot be approved now.")}
        )


def run_admission(application: Application, *, decision, by, text: str) -> None:
    decide(application, by=by, approve=True, decision=decision, reason=text)


EXECUTORS = (
    Executor(
        EXCLUSION,
        gettext_lazy("Exclude the participant from the register"),
        "registry.participant",
        run_exclusion,
        check_exclusion,
        find_participant,
    ),
    Executor(
        ADMISSION,
        gettext_lazy("Approve the application to join the cluster"),
        "registry.application",
        run_admission,
        check_admission,
        find_application,
    ),
)
