"""Two commitments racing for the last funds of a budget: exactly one wins (PostgreSQL, two
connections released together by a barrier)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from innocluster.finance.errors import InsufficientFunds
from innocluster.finance.models import Budget, Commitment
from innocluster.finance.services import budgets
from tests.factories import finance as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the race needs two real connections to PostgreSQL")


def test_two_commitments_for_the_last_funds_exactly_one_wins(policy_loaded):
    budget = f.budget("100.00")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def reserve(reference):
        try:
            barrier.wait()
            budgets.commit(
                Budget.objects.get(pk=budget.pk), Decimal("60.00"), reference=reference, description="race"
            )
            outcomes.append("won")
        except InsufficientFunds:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reserve, args=(f"AW-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "won"]
    budget.refresh_from_db()
    assert budget.committed == Decimal("60.00") and budget.available == Decimal("40.00")
    assert Commitment.objects.count() == 1
