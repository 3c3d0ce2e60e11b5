"""Reads of awards, agreements and tranches for the staff pages, the agreement PDF and the
grantee's representatives (an award is found through the user: someone else's is not found)."""

from decimal import Decimal

from django.db.models import Q, Sum

from innocluster.core.access.permissions import can
from innocluster.core.decisions.executors import authority_for
from innocluster.core.policy import values as policy
from innocluster.grants.models import (
    AgreementVersion,
    ApplicationStatus,
    Award,
    GranteeReport,
    ProjectApplication,
    Tranche,
)
from innocluster.parties.selectors import represents

ZERO = Decimal("0.00")


def awards():
    """Every award with what was paid on it, newest first."""
    return (
        Award.objects.select_related("application__project", "application__organisation", "application__call")
        .annotate(paid=Sum("tranches__amount", filter=Q(tranches__status=Tranche.Status.PAID)))
        .order_by("-awarded_at", "-id")
    )


def award_by_pk(pk: int) -> Award | None:
    return (
        Award.objects.select_related(
            "application__project",
            "application__organisation",
            "application__call__programme",
            "decision",
            "commitment__budget__line",
        )
        .filter(pk=pk)
        .first()
    )


def awaiting_decision():
    """Applications awaiting the award decision (expedient first)."""
    return (
        ProjectApplication.objects.filter(status=ApplicationStatus.DECISION)
        .select_related("project", "organisation", "call")
        .order_by("-opinion", "number")
    )


def application_for_decision(pk: int) -> ProjectApplication | None:
    return (
        ProjectApplication.objects.select_related("project", "organisation", "call__programme")
        .filter(pk=pk)
        .first()
    )


def deciding(amount: Decimal, on=None):
    """The authority (body, reference, band) that decides a grant of ``amount`` on ``on``."""
    return authority_for("grants.award", on or policy.today(), amount=amount)


def versions(award: Award) -> list[AgreementVersion]:
    return list(award.versions.select_related("proposed_by", "approved_by").order_by("version"))


def in_force(award: Award) -> AgreementVersion | None:
    return award.versions.filter(status=AgreementVersion.Status.APPROVED).order_by("-version").first()


def milestones(award: Award):
    return list(award.milestones.order_by("position"))


def tranches(award: Award) -> list[Tranche]:
    return list(award.tranches.select_related("milestone", "paid_by").order_by("position"))


def accepted_milestones(award: Award) -> set[int]:
    return set(
        GranteeReport.objects.filter(
            award=award, kind=GranteeReport.Kind.MILESTONE, status=GranteeReport.Status.ACCEPTED
        ).values_list("milestone_id", flat=True)
    )


def paid(award: Award) -> Decimal:
    found = award.tranches.filter(status=Tranche.Status.PAID).aggregate(s=Sum("amount"))["s"]
    return Decimal(found or ZERO).quantize(ZERO)


def clawed_back(award: Award) -> Decimal:
    return Decimal(award.clawbacks.aggregate(s=Sum("amount"))["s"] or ZERO).quantize(ZERO)


def ledger_figures(award: Award) -> dict:
    """The commitment's figures as the ledger keeps them."""
    commitment = award.commitment
    commitment.refresh_from_db()
    return {
        "committed": commitment.amount,
        "disbursed": commitment.disbursed,
        "released": commitment.released,
        "outstanding": commitment.outstanding,
        "clawed_back": clawed_back(award),
    }


def award_for_user(user, pk: int) -> Award | None:
    """An award ``user`` may read the agreement of: the Fund's staff and the auditor read every
    one; a participant's representative only those of the organisations it acts for."""
    found = award_by_pk(pk)
    if found is None:
        return None
    if can(user, "grants.read").allowed:
        return found
    return found if represents(user, found.application.organisation_id) else None
