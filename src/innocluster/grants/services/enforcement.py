"""Enforcement against a grantee: suspension, resumption, termination and clawback.

**Suspension** stops the payments until the award is resumed; **termination** cancels the planned
tranches and releases what the commitment has outstanding; a **clawback** makes the grantee owe
back part of what was paid (never more than paid less earlier clawbacks): a receivable posted in
the ledger (debit grants refundable for the grantee, credit the programme's expense account).

Each measure may cite the Fund executive's decision record that orders it (optional;
``selectors.awards.decision_problem`` says which records qualify, and a record that does not is
refused on the ``decision`` field with nothing changed): the suspension's, resumption's or
termination's is kept on the award (``status_decision``), the clawback's on the clawback, and both
in the audit entry.

Who: the Fund executive alone (``grants.award.enforce``): enforcement is the executive body's
decision; the programme manager proposes it and cites the reasons but does not decide."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.core.decisions import selectors as decision_records
from innocluster.core.notifications.services import notify
from innocluster.core.policy import values as policy
from innocluster.finance.errors import LedgerError
from innocluster.finance.models import Commitment
from innocluster.finance.services import budgets
from innocluster.finance.services.journal import Leg, post
from innocluster.grants.models import AgreementVersion, Award, AwardStatus, Clawback, Tranche
from innocluster.grants.selectors import awards as award_selectors
from innocluster.grants.services.awards import _amount
from innocluster.grants.services.awards import locked_award as _locked

ENFORCE = "grants.award.enforce"
ZERO = Decimal("0.00")
V = AgreementVersion.Status


# --- suspension, resumption, termination -----------------------------------------------------


def _transition(
    award: Award,
    *,
    to: str,
    allowed: tuple,
    reason: str,
    by,
    action: str,
    decision=None,
    checked=False,
    extra=None,
) -> Award:
    before = award.status
    if before not in allowed:
        raise ValidationError(
            {
                "status": _("The award is %(status)s: this cannot be done now.")
                % {"status": award.get_status_display()}
            }
        )
    cited = decision if checked else _cited(award, decision)
    award.status = to
    award.status_reason = reason
    award.status_decision = cited
    fields = ["status", "status_reason", "status_decision"]
    if to in (AwardStatus.TERMINATED, AwardStatus.CLOSED):
        award.closed_at = timezone.now()
        fields.append("closed_at")
    award.save(update_fields=fields)
    record_event(
        action=action,
        actor=by,
        obj=award,
        reason=reason,
        changes={"status": [before, to], "decision": [None, getattr(cited, "pk", None)], **(extra or {})},
    )
    notify(
        recipients=[award.application.applicant],
        key="grants.award.status",
        context={"number": award.number, "state": award.get_status_display(), "reason": reason},
        obj=award,
        actor=by,
    )
    return award


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    return reason


def _cited(award: Award, decision):
    """The decision record ``decision`` (a record or its id; ``None``: none cited) as stored, once
    ``selectors.awards.decision_problem`` finds nothing against citing it for ``award``."""
    if decision in (None, ""):
        return None
    pk = getattr(decision, "pk", decision)
    try:
        found = decision_records.get_decision(int(pk))
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise ValidationError({"decision": _("There is no such decision record.")})
    problem = award_selectors.decision_problem(found, award)
    if problem:
        raise ValidationError({"decision": problem})
    return found


def suspend(award: Award, *, reason: str, by, decision=None) -> Award:
    """Stop the payments until the award is resumed."""
    require(by, ENFORCE, award)
    reason = _reason(reason)
    with transaction.atomic():
        return _transition(
            _locked(award), to=AwardStatus.SUSPENDED, allowed=(AwardStatus.ACTIVE,), reason=reason, by=by,
            action="grants.award.suspended", decision=decision,
        )  # fmt: skip


def resume(award: Award, *, reason: str, by, decision=None) -> Award:
    require(by, ENFORCE, award)
    reason = _reason(reason)
    with transaction.atomic():
        return _transition(
            _locked(award), to=AwardStatus.ACTIVE, allowed=(AwardStatus.SUSPENDED,), reason=reason, by=by,
            action="grants.award.resumed", decision=decision,
        )  # fmt: skip


def terminate(award: Award, *, reason: str, by, decision=None) -> Award:
    """End the agreement early: the planned tranches are cancelled and the commitment's outstanding
    amount goes back to the programme's budget."""
    require(by, ENFORCE, award)
    reason = _reason(reason)
    with transaction.atomic():
        award = _locked(award)
        if award.status not in (AwardStatus.ACTIVE, AwardStatus.SUSPENDED):
            raise ValidationError(
                {
                    "status": _("The award is %(status)s: this cannot be done now.")
                    % {"status": award.get_status_display()}
                }
            )
        decision = _cited(award, decision)
        cancelled = award.tranches.filter(status=Tranche.Status.PLANNED).update(
            status=Tranche.Status.CANCELLED
        )
        commitment = Commitment.objects.get(pk=award.commitment_id)
        released = commitment.outstanding
        if released > 0:
            budgets.release(
                commitment, reason=_("Grant %(number)s terminated") % {"number": award.number}, by=by
            )
        award.versions.filter(status=V.PROPOSED).update(status=V.REFUSED)
        return _transition(
            award,
            to=AwardStatus.TERMINATED,
            allowed=(AwardStatus.ACTIVE, AwardStatus.SUSPENDED),
            reason=reason,
            by=by,
            action="grants.award.terminated",
            decision=decision,
            checked=True,
            extra={"tranches_cancelled": [None, cancelled], "released": [None, str(released)]},
        )


# --- clawback ----------------------------------------------------------------------------------


def paid(award: Award) -> Decimal:
    found = award.tranches.filter(status=Tranche.Status.PAID).aggregate(s=Sum("amount"))["s"]
    return Decimal(found or ZERO).quantize(ZERO)


def clawed_back(award: Award) -> Decimal:
    return Decimal(award.clawbacks.aggregate(s=Sum("amount"))["s"] or ZERO).quantize(ZERO)


def clawback(award: Award, *, amount, reason: str, by, decision=None, on: dt.date | None = None) -> Clawback:
    """Claim back ``amount`` of what was paid: a receivable from the grantee in the ledger."""
    require(by, ENFORCE, award)
    reason = _reason(reason)
    amount = _amount(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount to return is above zero.")})
    with transaction.atomic():
        award = _locked(award)
        decision = _cited(award, decision)
        room = paid(award) - clawed_back(award)
        if amount > room:
            raise ValidationError(
                {
                    "amount": _(
                        "At most %(room)s KZT can be claimed back: what was paid less earlier clawbacks."
                    )
                    % {"room": room}
                }
            )
        budget = award.commitment.budget
        party = award.application.organisation
        try:
            entry = post(
                date=on or policy.today(),
                description=_("Grant %(number)s: clawback") % {"number": award.number},
                reference=award.number,
                source=award,
                by=by,
                legs=[
                    Leg(account="grants_refundable", debit=amount, party=party, fund_source=budget.source),
                    Leg(account=budget.line.expense_account, credit=amount, party=party, budget=budget),
                ],
            )
        except LedgerError as exc:
            raise ValidationError({"amount": str(exc)}) from None
        made = Clawback.objects.create(
            award=award, amount=amount, reason=reason, entry=entry, decision=decision, created_by=by
        )
        record_event(
            action="grants.award.clawback",
            actor=by,
            obj=award,
            reason=reason,
            changes={
                "amount": [None, str(amount)],
                "entry": [None, entry.pk],
                "clawback": [None, made.pk],
                "decision": [None, getattr(decision, "pk", None)],
            },
        )
        return made
