"""Budgets and commitments: available never below zero, restricted money stays restricted."""

import datetime as dt
from decimal import Decimal

import pytest

from innocluster.finance.errors import InsufficientFunds, LedgerError, RestrictedFunds
from innocluster.finance.models import Budget, BudgetRevision, Commitment, CommitmentEvent, FundSource
from innocluster.finance.selectors.checks import check_ledger
from innocluster.finance.services import budgets, journal
from innocluster.finance.services.journal import Leg
from tests.factories import finance as f

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_budget_is_the_sum_of_its_revisions_and_cannot_be_cut_below_what_is_used(policy_loaded):
    budget = f.budget("1000.00")
    budget = budgets.revise_budget(budget.line, 2026, FundSource.LEVY, D("500.00"), reason="amendment")
    assert budget.amount == D("1500.00")
    assert list(BudgetRevision.objects.values_list("change", flat=True)) == [D("1000.00"), D("500.00")]
    budgets.commit(budget, D("1200.00"), reference="AW-1", description="award")
    with pytest.raises(InsufficientFunds):
        budgets.revise_budget(budget.line, 2026, FundSource.LEVY, D("-301.00"), reason="cut")
    budget = budgets.revise_budget(budget.line, 2026, FundSource.LEVY, D("-300.00"), reason="cut")
    assert budget.available == 0
    with pytest.raises(LedgerError):
        budgets.revise_budget(budget.line, 2026, "oil_money", D("1.00"), reason="x")


def test_commit_disburse_release_move_the_figures(policy_loaded):
    budget = f.budget("1000.00")
    winner = f.party()
    commitment = budgets.commit(budget, D("600.00"), reference="AW-7", description="grant", party=winner)
    budget.refresh_from_db()
    assert (budget.committed, budget.spent, budget.available) == (D("600.00"), 0, D("400.00"))
    with pytest.raises(InsufficientFunds):
        budgets.commit(budget, D("400.01"), reference="AW-8", description="too much")
    entry = budgets.disburse(commitment, D("250.00"), date=f.DAY)
    budget.refresh_from_db()
    commitment.refresh_from_db()
    assert (budget.committed, budget.spent, budget.available) == (D("350.00"), D("250.00"), D("400.00"))
    assert commitment.disbursed == D("250.00") and commitment.outstanding == D("350.00")
    payable = entry.lines.get(credit__gt=0)
    assert (
        payable.account.key == "grants_payable" and payable.party == winner and payable.fund_source == "levy"
    )
    with pytest.raises(LedgerError):
        budgets.disburse(commitment, D("350.01"), date=f.DAY)
    budgets.release(commitment, reason="project finished under budget")
    commitment.refresh_from_db()
    budget.refresh_from_db()
    assert commitment.status == Commitment.Status.CLOSED and commitment.released == D("350.00")
    assert (budget.committed, budget.available) == (0, D("750.00"))
    with pytest.raises(LedgerError):
        budgets.disburse(commitment, D("1.00"), date=f.DAY)
    assert [e.kind for e in CommitmentEvent.objects.order_by("id")] == ["reserve", "disburse", "release"]
    assert check_ledger() == []


def test_reversing_a_disbursement_gives_the_commitment_back(policy_loaded, finance_people):
    budget = f.budget("1000.00")
    commitment = budgets.commit(budget, D("600.00"), reference="AW-7", description="grant", party=f.party())
    entry = budgets.disburse(commitment, D("600.00"), date=f.DAY)
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.CLOSED
    journal.reverse(entry, by=finance_people["chief"], reason="paid to the wrong project")
    commitment.refresh_from_db()
    budget.refresh_from_db()
    assert commitment.status == Commitment.Status.OPEN and commitment.outstanding == D("600.00")
    assert (budget.committed, budget.spent) == (D("600.00"), 0)
    assert check_ledger() == []


def test_levy_money_is_not_spent_from_a_state_budget_account_and_the_reverse(policy_loaded):
    levy_budget = f.budget("1000.00", source=FundSource.LEVY)
    state_bank = f.bank_account(f.IBANS[1], fund_source=FundSource.STATE_BUDGET, name="Budget account")
    commitment = budgets.commit(
        levy_budget, D("100.00"), reference="AW-1", description="grant", party=f.party()
    )
    with pytest.raises(RestrictedFunds):
        budgets.disburse(commitment, D("100.00"), date=f.DAY, credit=state_bank.ledger_account)
    levy_bank = f.bank_account(f.IBANS[0], fund_source=FundSource.LEVY, name="Levy account")
    budgets.disburse(commitment, D("100.00"), date=f.DAY, credit=levy_bank.ledger_account)
    state_budget = f.budget("50.00", source=FundSource.STATE_BUDGET, code="OPS")
    with pytest.raises(RestrictedFunds):  # a levy-income line tagged for a state-budget budget
        journal.post(
            date=f.DAY,
            description="x",
            legs=[
                Leg("programme_expenses", debit=D("5.00"), budget=state_budget),
                Leg(levy_bank.ledger_account, credit=D("5.00")),
            ],
        )
    with pytest.raises(RestrictedFunds):  # an expense charged to a levy budget but paid with donations
        journal.post(
            date=f.DAY,
            description="x",
            legs=[
                Leg("programme_expenses", debit=D("5.00"), budget=levy_budget, fund_source="donations"),
                Leg("donations_income", credit=D("5.00")),
            ],
        )


def test_spending_without_a_commitment_still_respects_available(policy_loaded):
    budget = f.budget("100.00", code="OPS")
    bank = f.bank_account()
    journal.post(
        date=f.DAY,
        description="ok",
        legs=[
            Leg("programme_expenses", debit=D("100.00"), budget=budget),
            Leg(bank.ledger_account, credit=D("100.00")),
        ],
    )
    with pytest.raises(InsufficientFunds):
        journal.post(
            date=f.DAY,
            description="over",
            legs=[
                Leg("programme_expenses", debit=D("0.01"), budget=budget),
                Leg(bank.ledger_account, credit=D("0.01")),
            ],
        )
    assert Budget.objects.get(pk=budget.pk).available == 0
    assert check_ledger() == []


def test_a_budget_counts_only_expense_accounts(policy_loaded):
    budget = f.budget("100.00")
    with pytest.raises(LedgerError):
        journal.post(
            date=dt.date(2026, 1, 2),
            description="x",
            legs=[Leg("suspense", debit=D("1.00"), budget=budget), Leg("levy_income", credit=D("1.00"))],
        )
