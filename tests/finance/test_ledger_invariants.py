"""Hypothesis, stateful: any sequence of postings, reversals, commitments, releases and
disbursements keeps debits equal to credits and every budget's available at zero or above — and
``ledger check`` agrees with an independent recount after every step."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from innocluster.finance.errors import LedgerError
from innocluster.finance.models import Budget, Commitment, FundSource, JournalEntry, JournalLine
from innocluster.finance.selectors.checks import check_ledger
from innocluster.finance.services import budgets, journal
from innocluster.finance.services.journal import Leg
from tests.factories import finance as f

pytestmark = pytest.mark.django_db

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000.00"), places=2)


@pytest.fixture
def world(policy_loaded):
    return {
        "parties": [f.party(), f.party()],
        "levy": f.budget("10000.00", source=FundSource.LEVY, code="GRANTS"),
        "state": f.budget("3000.00", source=FundSource.STATE_BUDGET, code="OPS"),
        "bank": f.bank_account(),
    }


def test_any_sequence_keeps_the_books(world):
    class Books(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.refusals = 0

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        @rule(amount=amounts, who=st.integers(0, 1))
        def assess_levy(self, amount, who):
            journal.post(
                date=f.DAY,
                description="levy assessed",
                legs=[
                    Leg("levy_receivable", debit=amount, party=world["parties"][who]),
                    Leg("levy_income", credit=amount),
                ],
            )

        @rule(amount=amounts, source=st.sampled_from(["levy", "state"]))
        def spend_directly(self, amount, source):
            try:
                journal.post(
                    date=f.DAY,
                    description="spent",
                    legs=[
                        Leg("programme_expenses", debit=amount, budget=world[source]),
                        Leg(world["bank"].ledger_account, credit=amount),
                    ],
                )
            except LedgerError:
                self.refusals += 1

        @rule(amount=amounts, source=st.sampled_from(["levy", "state"]), who=st.integers(0, 1))
        def reserve(self, amount, source, who):
            try:
                budgets.commit(
                    Budget.objects.get(pk=world[source].pk),
                    amount,
                    reference="C",
                    description="c",
                    party=world["parties"][who],
                )
            except LedgerError:
                self.refusals += 1

        @precondition(lambda self: Commitment.objects.filter(status="open").exists())
        @rule(amount=amounts, pick=st.integers(0, 50))
        def disburse(self, amount, pick):
            open_ = list(Commitment.objects.filter(status="open").order_by("id"))
            commitment = open_[pick % len(open_)]
            try:
                budgets.disburse(commitment, amount, date=f.DAY)
            except LedgerError:
                self.refusals += 1

        @precondition(lambda self: Commitment.objects.filter(status="open").exists())
        @rule(pick=st.integers(0, 50), part=st.booleans())
        def release(self, pick, part):
            open_ = list(Commitment.objects.filter(status="open").order_by("id"))
            commitment = open_[pick % len(open_)]
            amount = (commitment.outstanding / 2).quantize(Decimal("0.01")) if part else None
            try:
                budgets.release(commitment, amount, reason="not needed")
            except LedgerError:
                self.refusals += 1

        @precondition(lambda self: JournalEntry.objects.filter(status="posted").exists())
        @rule(pick=st.integers(0, 50))
        def reverse(self, pick):
            entries = list(JournalEntry.objects.filter(status="posted").order_by("id"))
            try:
                journal.reverse(entries[pick % len(entries)], reason="correction")
            except LedgerError:
                self.refusals += 1

        @invariant()
        def debits_equal_credits(self):
            sums = JournalLine.objects.filter(entry__status="posted").aggregate(
                d=Sum("debit"), c=Sum("credit")
            )
            assert (sums["d"] or 0) == (sums["c"] or 0)

        @invariant()
        def available_never_negative_and_figures_recount(self):
            for budget in Budget.objects.all():
                assert budget.available >= 0
                spent = JournalLine.objects.filter(budget=budget, entry__status="posted").aggregate(
                    d=Sum("debit"), c=Sum("credit")
                )
                assert budget.spent == (spent["d"] or 0) - (spent["c"] or 0)

        @invariant()
        def ledger_check_agrees(self):
            assert check_ledger() == []

    run_state_machine_as_test(
        Books,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
