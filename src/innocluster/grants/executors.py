"""What carries out a grant award when the Managing Committee adopts it at a meeting
(``core.decisions.executors``; contributed in ``manifest.py``, ``hooks={"decisions.executors": ...}``).

An agenda item of type ``grants.award`` linked to a project application awards it for the item's
amount (``carry_out(..., amount=item.amount)``; without one, the amount requested) on the decision
record the meeting produced. The check runs before anything is kept: the application awaits the
decision and the expert commission found it expedient. The grants app never learns who adopted
the resolution: ``services.awards.award`` asks ``require_authority`` for the amount."""

from django.utils.translation import gettext_lazy

from innocluster.core.decisions.executors import Executor
from innocluster.grants.models import ProjectApplication
from innocluster.grants.services.awards import DECISION_TYPE, award, check_awardable


def find_application(reference: str) -> ProjectApplication | None:
    """A project application by its number (``<call code>-<sequence>``, as its pages show it)."""
    reference = (reference or "").strip().lstrip("№").strip()
    if not reference:
        return None
    return ProjectApplication.objects.filter(number=reference).order_by("-id").first()


def run_award(application: ProjectApplication, *, decision, by, text: str, amount=None) -> None:
    award(
        application,
        amount=application.requested_amount if amount is None else amount,
        decision=decision,
        by=by,
    )


EXECUTORS = (
    Executor(
        DECISION_TYPE,
        gettext_lazy("Award a grant to the project"),
        "grants.projectapplication",
        run_award,
        check_awardable,
        find_application,
    ),
)
