"""Direct R&D spending that settles an obligation: recorded with its evidence by the company's
representative or a finance officer, approved by a finance officer and, above
``levy.rnd_approval_threshold``, by a chief accountant as well (four eyes); rejected with a reason.
The full approval posts it and applies it up to what is outstanding; the rest becomes an R&D-excess
credit carried forward."""

import datetime as dt
from decimal import Decimal

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import can
from innocluster.core.access.selectors import roles_of
from innocluster.core.audit.services import record_event
from innocluster.core.errors import lock_failures_as_domain_errors
from innocluster.core.files import stored
from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula
from innocluster.finance.services.journal import Leg
from innocluster.levy.errors import LevyError
from innocluster.levy.models import Credit, Obligation, Settlement
from innocluster.levy.roles import FINANCE_OFFICER
from innocluster.levy.selectors import obligations as selectors
from innocluster.levy.services.common import acting, user_or_none
from innocluster.levy.services.declarations import _amount, _check_document
from innocluster.levy.services.posting import carry_forward_until, levy_entry, lock_obligation
from innocluster.parties import selectors as parties

ZERO = Decimal("0.00")


def _may_record(by, obligation: Obligation) -> None:
    user = user_or_none(by)
    if user is None or FINANCE_OFFICER in roles_of(user):
        return
    if not parties.represents(user, obligation.holder_id):
        raise LevyError(
            _(
                "You do not represent %(name)s: R&D spending is recorded by its representative or a finance officer."
            ),
            params={"name": obligation.holder.name},
            code="not_a_representative",
        )


@lock_failures_as_domain_errors()
def record_rnd(obligation: Obligation, amount, *, evidence, description: str, by=None) -> Settlement:
    """Record R&D spending the holder financed directly, with its evidence; it settles nothing
    until approved."""
    _may_record(by, obligation)
    value = _amount(amount)
    if value <= 0:
        raise LevyError(_("amount: R&D spending is above zero."), code="amount")
    if not (description or "").strip():
        raise LevyError(_("description: say what the R&D spending financed."), code="description")
    if evidence is None:
        raise LevyError(_("evidence: attach the documents proving the spending."), code="evidence")
    uploaded, name, found, content_type = _check_document(evidence)
    with transaction.atomic():
        obligation = lock_obligation(obligation)
        settlement = Settlement(
            obligation=obligation,
            kind=Settlement.Kind.RND,
            status=Settlement.Status.PENDING,
            amount=value,
            description=description.strip()[:500],
            evidence_name=name,
            evidence_type=content_type,
            evidence_sha256=found.sha256,
            created_by=user_or_none(by),
        )
        with stored(settlement.evidence, name, uploaded if hasattr(uploaded, "chunks") else File(uploaded)):
            settlement.save(force_insert=True)
            record_event(
                action="levy.rnd.recorded",
                actor=by,
                obj=obligation,
                changes={
                    "amount": value,
                    "description": settlement.description,
                    "evidence": [name, found.sha256],
                },
            )
    return settlement


def rnd_threshold(on: dt.date, regime: str | None = None) -> Decimal | None:
    """R&D spending above this needs a second approver (None: one approval always suffices)."""
    return policy.value("levy.rnd_approval_threshold", on=on, regime=regime)


def needs_second_approval(amount: Decimal, on: dt.date, regime: str | None = None) -> bool:
    """Four eyes: spending strictly above the threshold in force on ``on`` needs a chief accountant."""
    threshold = rnd_threshold(on, regime=regime)
    return threshold is not None and amount > threshold


@formula("levy.rnd_needs_second_approval")
def needs_second_approval_formula(*, amount: str, on: dt.date, regime: str | None = None) -> bool:
    """Law cases: does R&D spending of ``amount`` approved on ``on`` need a second approver?"""
    return needs_second_approval(Decimal(str(amount)), on, regime=regime)


@lock_failures_as_domain_errors()
def approve_rnd(settlement: Settlement, *, by) -> Settlement:
    """A finance officer approves; above the threshold a chief accountant approves as well (a
    different person). The full approval posts it and applies it: up to what is outstanding, the
    rest becomes an R&D-excess credit carried forward."""
    if user_or_none(by) is None:
        raise LevyError(_("An approval is given by a signed-in person."))
    with transaction.atomic():
        settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
        if settlement.kind != Settlement.Kind.RND or settlement.status != Settlement.Status.PENDING:
            raise LevyError(_("This R&D spending is not awaiting approval."), code="not_pending")
        today = policy.today()
        threshold = rnd_threshold(today)
        needs_two = needs_second_approval(settlement.amount, today)
        if settlement.approved_by_id is None:
            acting(by, "levy.rnd.approve")
            settlement.approved_by = by
            settlement.approved_at = timezone.now()
            Settlement.objects.filter(pk=settlement.pk).update(
                approved_by=by, approved_at=settlement.approved_at
            )
            record_event(
                action="levy.rnd.approved",
                actor=by,
                obj=settlement.obligation,
                changes={"amount": settlement.amount, "threshold": threshold, "second_needed": needs_two},
            )
            if needs_two:
                return settlement
        else:
            if not can(by, "levy.rnd.second_approve"):
                raise LevyError(
                    _("Above %(threshold)s a chief accountant gives the second approval."),
                    params={"threshold": threshold},
                    code="second_approver_role",
                )
            if settlement.approved_by_id == by.pk:
                raise LevyError(
                    _("The second approval is given by someone other than the first approver."),
                    code="same_approver",
                )
            settlement.second_approved_by = by
            settlement.second_approved_at = timezone.now()
            Settlement.objects.filter(pk=settlement.pk).update(
                second_approved_by=by, second_approved_at=settlement.second_approved_at
            )
            record_event(
                action="levy.rnd.second_approved",
                actor=by,
                obj=settlement.obligation,
                changes={"amount": settlement.amount},
            )
        return _settle_rnd(settlement, by=by, day=today)


def _settle_rnd(settlement: Settlement, *, by, day: dt.date) -> Settlement:
    obligation = lock_obligation(settlement.obligation)
    owed = max(selectors.outstanding(obligation), ZERO)
    applied = min(settlement.amount, owed)
    entry = None
    if applied > 0:
        entry = levy_entry(
            _("Levy settled by direct R&D spending"),
            obligation,
            [
                Leg(account="levy_rnd_settled", debit=applied, memo=settlement.description[:300]),
                Leg(
                    account="levy_receivable",
                    credit=applied,
                    party=obligation.holder,
                    memo=obligation.reference,
                ),
            ],
            day,
            by,
        )
    Settlement.objects.filter(pk=settlement.pk).update(
        status=Settlement.Status.APPROVED, applied=applied, entry=entry
    )
    settlement.status, settlement.applied, settlement.entry = Settlement.Status.APPROVED, applied, entry
    excess = settlement.amount - applied
    if excess > 0:
        credit = Credit.objects.create(
            holder=obligation.holder,
            kind=Credit.Kind.RND_EXCESS,
            source_year=obligation.year,
            source=obligation,
            amount=excess,
            expires_on=carry_forward_until(obligation.year),
        )
        record_event(
            action="levy.credit.created",
            actor=by,
            obj=credit,
            changes={"kind": credit.kind, "amount": excess, "from": obligation.reference},
        )
    return settlement


@lock_failures_as_domain_errors()
def reject_rnd(settlement: Settlement, *, reason: str, by) -> Settlement:
    acting(by, "levy.rnd.approve")
    if not (reason or "").strip():
        raise LevyError(_("reason: say why the R&D spending is rejected."), code="reason")
    with transaction.atomic():
        settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
        if settlement.kind != Settlement.Kind.RND or settlement.status != Settlement.Status.PENDING:
            raise LevyError(_("This R&D spending is not awaiting approval."), code="not_pending")
        Settlement.objects.filter(pk=settlement.pk).update(
            status=Settlement.Status.REJECTED, reason=reason[:500]
        )
        settlement.status = Settlement.Status.REJECTED
        record_event(action="levy.rnd.rejected", actor=by, obj=settlement.obligation, reason=reason)
    return settlement


# --- credits ---------------------------------------------------------------------------------------
