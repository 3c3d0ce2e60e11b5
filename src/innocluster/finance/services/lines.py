"""An entry's lines, checked before anything is written: accounts, amounts, parties, sources of
funds and restricted cash, balance — and what the lines do to the budgets and commitments they
name. :mod:`journal` writes what passes here."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from innocluster.core import db
from innocluster.core.money import TIYN
from innocluster.finance.errors import InsufficientFunds, LedgerError, RestrictedFunds, Unbalanced
from innocluster.finance.models import Account, AccountType, Budget, Commitment, JournalEntry, JournalLine
from innocluster.finance.selectors.accounts import account as find_account

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Leg:
    """One line of an entry to post: an account (object, key or code) and a debit or a credit."""

    account: Any
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    party: Any = None
    budget: Budget | None = None
    commitment: Commitment | None = None
    fund_source: str = ""
    memo: str = ""
    extra: dict = field(default_factory=dict, compare=False)


def money(value: Any, what: str) -> Decimal:
    """A positive or zero amount with at most two decimal places, or a refusal naming ``what``."""
    if isinstance(value, (float, bool)):
        raise LedgerError(
            _("%(what)s: amounts are decimals, never floating-point numbers."), params={"what": what}
        )
    try:
        amount = Decimal(value)
    except Exception:
        raise LedgerError(
            _("%(what)s: %(value)s is not an amount."), params={"what": what, "value": value}
        ) from None
    rounded = amount.quantize(TIYN) if amount.is_finite() else None
    if rounded is None or amount != rounded:
        raise LedgerError(
            _("%(what)s: %(value)s is not an amount in tenge and tiyn."),
            params={"what": what, "value": value},
        )
    if amount < 0:
        raise LedgerError(_("%(what)s: amounts are never negative."), params={"what": what})
    return rounded


class _LineNumber:
    """ "line N" in the reader's language, translated only when an error message shows it (the
    lookup per line was a tenth of a posting's time)."""

    def __init__(self, number: int):
        self.number = number

    def __str__(self) -> str:
        return gettext("line %(n)s") % {"n": self.number}


def check_lines(entry: JournalEntry, legs: Sequence[Leg]) -> list[JournalLine]:
    if len(legs) < 2:
        raise Unbalanced(_("An entry needs at least two lines."))
    lines: list[JournalLine] = []
    for number, leg in enumerate(legs, start=1):
        where = _LineNumber(number)
        try:
            account = find_account(leg.account)
        except Account.DoesNotExist:
            raise LedgerError(
                _("%(where)s: there is no account %(account)s in the chart of accounts."),
                params={"where": where, "account": leg.account},
            ) from None
        debit, credit = money(leg.debit, where), money(leg.credit, where)
        if (debit > 0) == (credit > 0):
            raise LedgerError(
                _("%(where)s: give either a debit or a credit, above zero."), params={"where": where}
            )
        if not account.postable:
            raise LedgerError(
                _("%(where)s: account %(account)s groups other accounts and takes no postings."),
                params={"where": where, "account": account.code},
            )
        party = leg.party
        if account.requires_party and party is None:
            raise LedgerError(
                _("%(where)s: account %(account)s is kept per party: name the organisation."),
                params={"where": where, "account": account.code},
            )
        budget = leg.budget
        if leg.commitment is not None:
            if budget is not None and budget.pk != leg.commitment.budget_id:
                raise LedgerError(
                    _("%(where)s: the commitment belongs to another budget."), params={"where": where}
                )
            budget = leg.commitment.budget
        source = account.fund_source or leg.fund_source or (budget.source if budget else "")
        if leg.fund_source and account.fund_source and leg.fund_source != account.fund_source:
            raise RestrictedFunds(
                _("%(where)s: account %(account)s holds only %(source)s money."),
                params={"where": where, "account": account.code, "source": account.get_fund_source_display()},
            )
        if budget is not None:
            if account.type != AccountType.EXPENSE:
                raise LedgerError(
                    _("%(where)s: only expense accounts are charged to a budget."), params={"where": where}
                )
            if source != budget.source:
                raise RestrictedFunds(
                    _(
                        "%(where)s: the budget %(budget)s is financed by %(source)s and cannot be spent from other money."
                    ),
                    params={"where": where, "budget": budget, "source": budget.get_source_display()},
                )
        lines.append(
            db.build(
                JournalLine,
                entry=entry,
                date=entry.date,
                account=account,
                debit=debit,
                credit=credit,
                party=party,
                budget=budget,
                commitment=leg.commitment,
                fund_source=source,
                memo=leg.memo[:300],
            )
        )
    debits = sum((line.debit for line in lines), ZERO)
    credits = sum((line.credit for line in lines), ZERO)
    if debits != credits:
        raise Unbalanced(
            _("Debits (%(debits)s) and credits (%(credits)s) differ: the entry is not balanced."),
            params={"debits": debits, "credits": credits},
        )
    _check_restricted_cash(lines)
    return lines


def _check_restricted_cash(lines: list[JournalLine]) -> None:
    """Money held for one source pays only that source's budgets: a bank account kept for the levy
    (its ``fund_source``) cannot pay a state-budget line, and the reverse."""
    budget_sources = {line.budget.source for line in lines if line.budget is not None}
    if not budget_sources:
        return
    for line in lines:
        bank = getattr(line.account, "bank_account", None) if line.credit > 0 else None
        if bank is not None and bank.fund_source and {bank.fund_source} != budget_sources:
            raise RestrictedFunds(
                _("The bank account %(iban)s holds %(source)s money only: it cannot pay this budget."),
                params={"iban": bank.iban, "source": bank.get_fund_source_display()},
            )


def apply_to_budgets(lines: Iterable[JournalLine]) -> None:
    """Move the budgets and commitments the lines name: spending adds to ``spent``; a line drawn
    on a commitment consumes it (``committed`` falls as ``spent`` rises). Rows are locked in id
    order (no deadlock between postings); the database's check constraints have the last word."""
    by_budget: dict[int, Decimal] = {}
    by_commitment: dict[int, Decimal] = {}
    for line in lines:
        if line.budget_id is None:
            continue
        net = line.debit - line.credit
        by_budget[line.budget_id] = by_budget.get(line.budget_id, ZERO) + net
        if line.commitment_id is not None:
            by_commitment[line.commitment_id] = by_commitment.get(line.commitment_id, ZERO) + net
    if not by_budget:
        return
    budgets = {b.pk: b for b in Budget.objects.select_for_update().filter(pk__in=by_budget).order_by("pk")}
    commitments = {
        c.pk: c for c in Commitment.objects.select_for_update().filter(pk__in=by_commitment).order_by("pk")
    }
    for pk, net in by_commitment.items():
        commitment = commitments[pk]
        if net > commitment.outstanding:
            raise LedgerError(
                _(
                    "The commitment %(reference)s has %(outstanding)s left; %(amount)s cannot be disbursed from it."
                ),
                params={
                    "reference": commitment.reference,
                    "outstanding": commitment.outstanding,
                    "amount": net,
                },
            )
        if net > 0 and commitment.status != Commitment.Status.OPEN:
            raise LedgerError(
                _("The commitment %(reference)s is closed."), params={"reference": commitment.reference}
            )
    for pk, net in by_budget.items():
        budget = budgets[pk]
        consumed = sum((by_commitment[c] for c in by_commitment if commitments[c].budget_id == pk), ZERO)
        available_after = budget.amount - (budget.committed - consumed) - (budget.spent + net)
        if available_after < 0:
            raise InsufficientFunds(
                _("The budget %(budget)s has %(available)s available; this spending needs %(amount)s."),
                params={"budget": budget, "available": budget.available, "amount": net - consumed},
            )
        Budget.objects.filter(pk=pk).update(spent=F("spent") + net, committed=F("committed") - consumed)
    for pk, net in by_commitment.items():
        commitment = commitments[pk]
        status = Commitment.Status.OPEN if net < 0 else commitment.status
        if net > 0 and commitment.outstanding - net == 0:
            status = Commitment.Status.CLOSED
        Commitment.objects.filter(pk=pk).update(disbursed=F("disbursed") + net, status=status)
