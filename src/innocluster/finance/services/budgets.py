"""Budgets and commitments: set a budget, reserve funds, release them, disburse against them.

``available = amount − committed − spent`` never goes below zero: each command locks the budget
row and checks, and the database's check constraint refuses what a racing writer might slip in."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from innocluster.core.audit.services import record_event
from innocluster.core.errors import lock_failures_as_domain_errors
from innocluster.finance.errors import InsufficientFunds, LedgerError
from innocluster.finance.models import (
    Budget,
    BudgetLine,
    BudgetRevision,
    Commitment,
    CommitmentEvent,
    FundSource,
)
from innocluster.finance.selectors.accounts import account as find_account
from innocluster.finance.services.journal import Leg, document_reference, money, post

ZERO = Decimal("0.00")


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


@lock_failures_as_domain_errors()
def add_budget_line(
    *, code: str, name_kk: str, name_ru: str, name_en: str, kind: str, expense_account: Any, by=None
) -> BudgetLine:
    """A programme or cost centre (adding an existing code returns it unchanged)."""
    with transaction.atomic():
        found = BudgetLine.objects.filter(code=code).first()
        if found is not None:
            return found
        line = BudgetLine.objects.create(
            code=code,
            name_kk=name_kk,
            name_ru=name_ru,
            name_en=name_en,
            kind=kind,
            expense_account=find_account(expense_account),
        )
        record_event(action="finance.budget_line.added", actor=by, obj=line)
        return line


@lock_failures_as_domain_errors()
def revise_budget(
    line: BudgetLine,
    year: int,
    source: str,
    change: Decimal,
    *,
    reason: str,
    by=None,
    decision_reference: str = "",
) -> Budget:
    """Add ``change`` (negative to cut) to the budget of ``line`` for ``year`` and ``source``; the
    first revision sets it. A cut below what is committed and spent is refused."""
    if source not in FundSource.values:
        raise LedgerError(_("Unknown source of funds: %(source)s."), params={"source": source})
    if not reason.strip():
        raise LedgerError(_("Say why the budget changes."))
    if isinstance(change, float):
        raise LedgerError(_("amounts are decimals, never floating-point numbers."))
    magnitude = money(abs(Decimal(change)), _("change"))
    change = magnitude if Decimal(change) >= 0 else -magnitude
    with transaction.atomic():
        budget, _created = Budget.objects.get_or_create(line=line, year=year, source=source)
        budget = Budget.objects.select_for_update().get(pk=budget.pk)
        if budget.available + change < 0:
            raise InsufficientFunds(
                _(
                    "The budget %(budget)s cannot be cut by %(cut)s: only %(available)s is neither committed nor spent."
                ),
                params={"budget": budget, "cut": -change, "available": budget.available},
            )
        Budget.objects.filter(pk=budget.pk).update(amount=F("amount") + change)
        BudgetRevision.objects.create(
            budget=budget,
            change=change,
            reason=reason[:500],
            decision_reference=decision_reference[:100],
            by=_user(by),
        )
        budget.refresh_from_db()
        record_event(
            action="finance.budget.revised",
            actor=by,
            obj=budget,
            reason=reason,
            changes={"change": change, "amount": budget.amount, "decision": decision_reference},
        )
        return budget


@lock_failures_as_domain_errors()
def commit(
    budget: Budget,
    amount: Decimal,
    *,
    reference: str,
    description: str,
    party=None,
    source: Any = None,
    by=None,
) -> Commitment:
    """Reserve ``amount`` of ``budget`` (for an award, a contract). Refused beyond what is available."""
    amount = money(amount, _("amount"))
    if amount <= 0:
        raise LedgerError(_("A commitment is for an amount above zero."))
    source_type, source_id = document_reference(source)
    try:
        with transaction.atomic():
            locked = Budget.objects.select_for_update().get(pk=budget.pk)
            if amount > locked.available:
                raise InsufficientFunds(
                    _("The budget %(budget)s has %(available)s available; %(amount)s cannot be committed."),
                    params={"budget": locked, "available": locked.available, "amount": amount},
                )
            Budget.objects.filter(pk=locked.pk).update(committed=F("committed") + amount)
            commitment = Commitment.objects.create(
                budget=locked,
                reference=reference[:100],
                description=description[:500],
                party=party,
                amount=amount,
                source_type=source_type,
                source_id=source_id,
                created_by=_user(by),
            )
            CommitmentEvent.objects.create(
                commitment=commitment, kind=CommitmentEvent.Kind.RESERVE, amount=amount, by=_user(by)
            )
            record_event(
                action="finance.commitment.reserved",
                actor=by,
                obj=commitment,
                changes={"budget": str(locked), "amount": amount, "party": getattr(party, "pk", None)},
            )
            return commitment
    except IntegrityError:
        # The check constraint caught what the lock should have: report it as the refusal it is.
        raise InsufficientFunds(
            _("The budget %(budget)s does not have %(amount)s available."),
            params={"budget": budget, "amount": amount},
        ) from None


@lock_failures_as_domain_errors()
def release(commitment: Commitment, amount: Decimal | None = None, *, reason: str, by=None) -> Commitment:
    """Give back ``amount`` (default: all that is outstanding) of a commitment to its budget."""
    if not reason.strip():
        raise LedgerError(_("Say why the funds are released."))
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        Budget.objects.select_for_update().get(pk=commitment.budget_id)
        amount = commitment.outstanding if amount is None else money(amount, _("amount"))
        if amount <= 0 or amount > commitment.outstanding:
            raise LedgerError(
                _(
                    "The commitment %(reference)s has %(outstanding)s outstanding; %(amount)s cannot be released."
                ),
                params={
                    "reference": commitment.reference,
                    "outstanding": commitment.outstanding,
                    "amount": amount,
                },
            )
        status = Commitment.Status.CLOSED if amount == commitment.outstanding else commitment.status
        Commitment.objects.filter(pk=commitment.pk).update(released=F("released") + amount, status=status)
        Budget.objects.filter(pk=commitment.budget_id).update(committed=F("committed") - amount)
        CommitmentEvent.objects.create(
            commitment=commitment,
            kind=CommitmentEvent.Kind.RELEASE,
            amount=amount,
            reason=reason[:500],
            by=_user(by),
        )
        record_event(
            action="finance.commitment.released",
            actor=by,
            obj=commitment,
            reason=reason,
            changes={"amount": amount},
        )
        commitment.refresh_from_db()
        return commitment


@lock_failures_as_domain_errors()
def disburse(
    commitment: Commitment,
    amount: Decimal,
    *,
    date: dt.date,
    credit: Any = "grants_payable",
    description: str = "",
    reference: str = "",
    party=None,
    source: Any = None,
    by=None,
) -> Any:
    """Spend ``amount`` of a commitment: the budget line's expense account is debited (charged to
    the budget, drawing on the commitment) and ``credit`` (default: grants payable to the
    commitment's party; or a bank account's ledger account for a direct payment) credited."""
    party = party or commitment.party
    budget = commitment.budget
    credit_account = find_account(credit)
    with transaction.atomic():
        entry = post(
            date=date,
            description=description or f"{_('Disbursement')}: {commitment.description}",
            reference=reference or commitment.reference,
            source=source or commitment,
            by=by,
            legs=[
                Leg(
                    account=budget.line.expense_account,
                    debit=amount,
                    party=party,
                    budget=budget,
                    commitment=commitment,
                ),
                Leg(
                    account=credit_account,
                    credit=amount,
                    party=party if credit_account.requires_party else None,
                    fund_source=budget.source if not credit_account.fund_source else "",
                ),
            ],
        )
        CommitmentEvent.objects.create(
            commitment=commitment,
            kind=CommitmentEvent.Kind.DISBURSE,
            amount=money(amount, _("amount")),
            entry=entry,
            by=_user(by),
        )
        return entry
