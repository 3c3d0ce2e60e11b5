"""Finance's metrics through the manifest: funds committed and paid in the year to a day, and the
budget's execution, each moving with the commitments, disbursements and reversals."""

import datetime as dt
from decimal import Decimal

import pytest

from innocluster.core.manifest import metrics
from innocluster.core.policy import values as policy
from innocluster.finance.services import budgets, journal
from tests.factories import finance as f

pytestmark = pytest.mark.django_db
D = Decimal


def value(code: str, on: dt.date):
    return metrics()[code].value(on)


def test_funds_committed_this_year_follow_commitments_and_releases(policy_loaded):
    today = policy.today()
    assert value("finance.committed", today) == D("0.00")
    budget = f.budget("1000.00", year=today.year)
    first = budgets.commit(budget, D("600.00"), reference="AW-1", description="grant")
    assert value("finance.committed", today) == D("600.00")
    budgets.commit(budget, D("100.00"), reference="AW-2", description="grant")
    assert value("finance.committed", today) == D("700.00")
    budgets.release(first, D("250.00"), reason="smaller project")
    assert value("finance.committed", today) == D("450.00")
    # Next year starts from nothing; the year before had nothing either.
    assert value("finance.committed", dt.date(today.year + 1, 1, 10)) == D("0.00")
    assert value("finance.committed", dt.date(today.year - 1, 12, 31)) == D("0.00")


def test_funds_paid_and_budget_execution_follow_disbursements_by_their_date(policy_loaded, finance_people):
    today = policy.today()
    assert value("finance.budget_execution", today) is None  # no budget: no share
    budget = f.budget("1000.00", year=today.year)
    commitment = budgets.commit(budget, D("600.00"), reference="AW-7", description="grant", party=f.party())
    assert value("finance.paid", today) == D("0.00")
    assert value("finance.budget_execution", today) == D("0.0000")
    day = dt.date(today.year, 3, 16)
    entry = budgets.disburse(commitment, D("250.00"), date=day)
    assert value("finance.paid", today) == D("250.00")
    assert value("finance.paid", day - dt.timedelta(days=1)) == D("0.00")
    assert value("finance.budget_execution", today) == D("0.2500")
    journal.reverse(entry, by=finance_people["chief"], reason="paid twice", on=day)
    assert value("finance.paid", today) == D("0.00")
    assert value("finance.budget_execution", today) == D("0.0000")
