"""Reads of awards, agreements and tranches for the staff pages, the agreement PDF and the
grantee's representatives (an award is found through the user: someone else's is not found)."""

from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import can
from innocluster.core.decisions import selectors as decisions
from innocluster.core.decisions.executors import authority_for
from innocluster.core.policy import values as policy
from innocluster.grants.models import (
    AgreementVersion,
    ApplicationStatus,
    Award,
    Clawback,
    GranteeReport,
    ProjectApplication,
    Tranche,
)
from innocluster.grants.tranche_rule import tranche_problem
from innocluster.parties.selectors import represents

ZERO = Decimal("0.00")


def awards():
    """Every award with what was paid on it (``paid``) and what its planned tranches still hold
    (``to_pay``: nothing for a tranche cancelled by a termination), newest first; one query with
    the programme and the decision, so the page, its chart and its XLSX cost the same."""
    return (
        Award.objects.select_related(
            "application__project", "application__organisation", "application__call__programme", "decision"
        )
        .annotate(
            paid=Sum("tranches__amount", filter=Q(tranches__status=Tranche.Status.PAID)),
            to_pay=Sum("tranches__amount", filter=Q(tranches__status=Tranche.Status.PLANNED)),
        )
        .order_by("-awarded_at", "-id")
    )


def amounts_by_programme(rows) -> list[tuple[str, Decimal, Decimal]]:
    """``(programme code, amount awarded, paid)`` of the awards ``rows`` (from :func:`awards`),
    by programme code: summed in Python from the rows already read, no query."""
    totals: dict[str, list[Decimal]] = {}
    for award in rows:
        found = totals.setdefault(award.application.call.programme.code, [ZERO, ZERO])
        found[0] += award.amount
        found[1] += award.paid or ZERO
    return [(code, awarded, paid) for code, (awarded, paid) in sorted(totals.items())]


def award_by_pk(pk: int) -> Award | None:
    return (
        Award.objects.select_related(
            "application__project",
            "application__organisation",
            "application__call__programme",
            "decision",
            "status_decision",
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


def payable_tranches(award: Award, *, accepted: set[int] | None = None) -> list[Tranche]:
    """The award's tranches, each with ``problem``: why it cannot be paid now, empty when it can
    (``tranche_rule.tranche_problem``, the rule the payment service applies). Three queries
    whatever the number of tranches (two when ``accepted`` is given)."""
    rows = tranches(award)
    if accepted is None:
        accepted = accepted_milestones(award)
    approved = award.versions.filter(status=AgreementVersion.Status.APPROVED).exists()
    earlier_unpaid = False
    for row in rows:
        row.problem = tranche_problem(
            row, award=award, in_force=approved, earlier_unpaid=earlier_unpaid, accepted=accepted
        )
        earlier_unpaid = earlier_unpaid or row.status != Tranche.Status.PAID
    return rows


def clawbacks(award: Award) -> list[Clawback]:
    return list(award.clawbacks.select_related("decision", "created_by").order_by("created_at", "id"))


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


# --- the decision an enforcement measure cites ----------------------------------------------------

# Suspension, resumption, termination and clawback are the Fund executive's decision
# (``grants.award.enforce``): a decision record of that body, approving, not revoked.
ENFORCING_BODY = "fund_executive"
APPROVING = ("approved", "approved_with_conditions")
OPTIONS_LIMIT = 200


def _citations(award: Award, pks) -> dict[int, str]:
    """Which of the decisions ``pks`` are cited elsewhere: ``{pk: "award"}`` for a grant's award
    decision (this award's too), ``{pk: <number>}`` for another award's enforcement."""
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return {}
    found: dict[int, str] = {}
    rows = Award.objects.filter(Q(decision_id__in=pks) | Q(status_decision_id__in=pks)).values_list(
        "pk", "number", "decision_id", "status_decision_id"
    )
    for pk, number, decision_id, status_decision_id in rows:
        if decision_id in pks:
            found[decision_id] = "award"
        if status_decision_id in pks and pk != award.pk:
            found.setdefault(status_decision_id, number)
    others = (
        Clawback.objects.filter(decision_id__in=pks)
        .exclude(award=award)
        .values_list("decision_id", "award__number")
    )
    for decision_id, number in others:
        found.setdefault(decision_id, number)
    return found


def _decision_problem(decision, award: Award, citations: dict[int, str]) -> str:
    if decision.body != ENFORCING_BODY:
        return _("Only a decision of the Fund executive can be cited: this one is another body's.")
    if decision.status == "revoked":
        return _("This decision is revoked.")
    if decision.outcome not in APPROVING:
        return _("This decision does not approve the measure.")
    if decision.decided_on < award.decision.decided_on:
        return _("This decision predates the award (%(date)s).") % {
            "date": award.decision.decided_on.isoformat()
        }
    if decision.decided_on > policy.today():
        return _("This decision is dated in the future.")
    cited = citations.get(decision.pk)
    if cited == "award":
        return _("This decision awarded a grant: cite the decision on this measure.")
    if cited:
        return _("This decision is cited for award %(number)s.") % {"number": cited}
    return ""


def decision_problem(decision, award: Award) -> str:
    """Why ``decision`` cannot be cited for a suspension, resumption, termination or clawback of
    ``award`` (empty: it can)."""
    return _decision_problem(decision, award, _citations(award, [decision.pk]))


def enforcement_decisions(award: Award) -> list:
    """The decision records an enforcement measure on ``award`` may cite, newest first (the
    latest ``OPTIONS_LIMIT`` of the Fund executive's): three queries."""
    # Grant award decisions never qualify: left out in the query so that they do not crowd the
    # measures' decisions out of the latest ``OPTIONS_LIMIT``.
    found = decisions.search_decisions(decisions.DecisionFilter(body=ENFORCING_BODY))
    rows = list(found.exclude(pk__in=Award.objects.values("decision_id"))[:OPTIONS_LIMIT])
    citations = _citations(award, [d.pk for d in rows])
    return [d for d in rows if not _decision_problem(d, award, citations)]
