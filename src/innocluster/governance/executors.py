"""What carries out the Board of Trustees' approval of a development strategy version when the
Board adopts it at a meeting (``core.decisions.executors``; contributed in ``manifest.py``,
``hooks={"decisions.executors": ...}``).

An agenda item of type ``governance.strategy`` is linked to a draft version (reference
``<strategy id>/<version number>``, or the version's key). Once the Board adopts it, the meeting's
execution records the Board's decision and calls :func:`run_strategy`, which approves the version
on that decision (``services.strategy.approve_version``): it is in force from the decision's date
and the version approved before it is superseded. :func:`check_strategy` refuses, before anything
is kept, a version that is no longer a draft or has no KPI to measure.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innocluster.core.decisions.executors import Executor
from innocluster.governance.models import Kpi, StrategyVersion, VersionStatus
from innocluster.governance.roles import GOVERNANCE_STRATEGY
from innocluster.governance.services.strategy import approve_version


def reference(version: StrategyVersion) -> str:
    """How a version is named on an agenda item: ``<strategy id>/<version number>``."""
    return f"{version.strategy_id}/{version.number}"


def find_version(reference: str) -> StrategyVersion | None:
    """A version by ``<strategy id>/<version number>`` (as the strategy's pages show it) or by
    its key."""
    reference = (reference or "").strip().lstrip("№").strip()
    strategy, slash, number = reference.partition("/")
    strategy, number = strategy.strip(), number.strip()
    if slash:
        if not (strategy.isdigit() and number.isdigit()):
            return None
        return StrategyVersion.objects.filter(strategy_id=int(strategy), number=int(number)).first()
    return StrategyVersion.objects.filter(pk=int(reference)).first() if reference.isdigit() else None


def check_strategy(version: StrategyVersion) -> None:
    """The version can be approved now: it is a draft with at least one KPI."""
    version = StrategyVersion.objects.get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            {
                "version": _(
                    "Version %(number)s of the strategy is %(status)s: only a draft can be approved."
                )
                % {"number": version.number, "status": version.get_status_display()}
            }
        )
    if not Kpi.objects.filter(goal__version=version).exists():
        raise ValidationError(
            {"version": _("Add at least one goal with a KPI before the version is approved.")}
        )


def run_strategy(version: StrategyVersion, *, decision, by, text: str) -> None:
    approve_version(version, decision=decision, by=by)


EXECUTORS = (
    Executor(
        GOVERNANCE_STRATEGY,
        gettext_lazy("Approve the version of the development strategy"),
        "governance.strategyversion",
        run_strategy,
        check_strategy,
        find_version,
    ),
)
