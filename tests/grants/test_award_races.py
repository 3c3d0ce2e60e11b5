"""Two awards racing for the last funds of a programme's budget: exactly one wins, the other is
refused naming the amount and leaves nothing behind (PostgreSQL, two connections released together
by a barrier)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from innocluster.finance.models import Budget, Commitment
from innocluster.grants.models import Award, ProjectApplication
from innocluster.grants.services.awards import award
from tests.grants.awards_support import awaiting, cast_fixture, decision, org_fixture  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
D = Decimal


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the race needs two real connections to PostgreSQL")


def test_two_awards_for_the_last_funds_exactly_one_wins(programme, cast, org):
    from innocluster.finance.services.budgets import revise_budget

    budget = Budget.objects.get(line=programme.budget_line)
    # Room for one award of 15 million only.
    revise_budget(programme.budget_line, budget.year, "levy", D("-480000000.00"), reason="cut")
    first = awaiting(programme, cast, org, code="C1")
    second = awaiting(programme, cast, org, code="C2")
    decisions = [decision(cast["executive"], number=f"FE-{n}") for n in (1, 2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(application, taken):
        try:
            barrier.wait()
            award(
                ProjectApplication.objects.get(pk=application.pk),
                amount=D("15000000.00"),
                decision=taken,
                by=cast["executive"],
            )
            outcomes.append("won")
        except ValidationError as exc:
            outcomes.append("refused" if "amount" in exc.message_dict else f"other: {exc}")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=pair) for pair in zip((first, second), decisions, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "won"]
    budget.refresh_from_db()
    assert budget.committed == D("15000000.00") and budget.available == D("5000000.00")
    assert Award.objects.count() == 1 and Commitment.objects.count() == 1
    statuses = sorted(ProjectApplication.objects.values_list("status", flat=True))
    assert statuses == ["awarded", "decision"]
