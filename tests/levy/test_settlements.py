"""R&D spending (evidence, approval, four eyes above the threshold), credits applied and
refunded, carry-forward expiry."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from innocluster.finance.matchers import Part
from innocluster.finance.models import StatementLine
from innocluster.finance.selectors import ledger
from innocluster.finance.selectors.accounts import account
from innocluster.finance.selectors.checks import check_ledger
from innocluster.finance.services import reconciliation
from innocluster.levy.errors import LevyError
from innocluster.levy.models import Credit, Settlement
from innocluster.levy.selectors import obligations as selectors
from innocluster.levy.services import credits
from innocluster.levy.services import rnd as rnd_spending
from innocluster.levy.services.assessment import assess
from tests.factories import finance as f
from tests.factories.levy import TINY_PDF, ContractFactory, assessed, declared, subsoil_user
from tests.levy.bank import pay

pytestmark = pytest.mark.django_db
D = Decimal


def evidence():
    return ContentFile(TINY_PDF, name="rnd-contract-act.pdf")


@pytest.fixture
def owed(levy_people):
    holder = subsoil_user()
    [obligation] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "100000000.00")  # 1,000,000.00
    return obligation


def test_rnd_spending_below_the_threshold_needs_one_approval(owed, levy_people):
    rnd = rnd_spending.record_rnd(
        owed, "400000.00", evidence=evidence(), description="Lab study", by=levy_people["officer"]
    )
    assert rnd.status == "pending" and selectors.outstanding(owed) == D("1000000.00")
    with pytest.raises(PermissionDenied):
        rnd_spending.approve_rnd(rnd, by=levy_people["rep"])
    rnd_spending.approve_rnd(rnd, by=levy_people["officer"])
    rnd.refresh_from_db()
    assert (rnd.status, rnd.applied) == ("approved", D("400000.00"))
    assert selectors.outstanding(owed) == D("600000.00")
    assert ledger.balance_of(account("levy_rnd_settled")) == D("-400000.00")  # income side reduced
    assert check_ledger() == []


def test_above_the_threshold_a_different_chief_accountant_approves_too(levy_people):
    holder = subsoil_user()
    [owed] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "9000000000.00")  # 90,000,000.00
    rnd = rnd_spending.record_rnd(
        owed, "60000000.00", evidence=evidence(), description="Pilot plant", by=None
    )
    rnd_spending.approve_rnd(rnd, by=levy_people["officer"])
    rnd.refresh_from_db()
    assert rnd.status == "pending" and rnd.approved_by == levy_people["officer"]
    with pytest.raises(LevyError) as refused:
        rnd_spending.approve_rnd(rnd, by=levy_people["officer2"])
    assert refused.value.code == "second_approver_role"
    rnd_spending.approve_rnd(rnd, by=levy_people["chief"])
    rnd.refresh_from_db()
    assert rnd.status == "approved" and rnd.second_approved_by == levy_people["chief"]
    assert selectors.outstanding(owed) == D("30000000.00")


def test_rnd_spending_above_the_obligation_carries_forward_and_settles_the_next_year(owed, levy_people):
    rnd = rnd_spending.record_rnd(owed, "1300000.00", evidence=evidence(), description="Study", by=None)
    rnd_spending.approve_rnd(rnd, by=levy_people["officer"])
    credit = Credit.objects.get()
    # The shipped rules set no carry-forward term (null): the credit has no last day.
    assert (credit.kind, credit.amount, credit.expires_on) == ("rnd_excess", D("300000.00"), None)
    assert selectors.outstanding(owed) == D("0.00")
    with pytest.raises(LevyError) as refused:  # not to the same year
        credits.apply_credit(credit, owed, by=levy_people["officer"])
    assert refused.value.code == "not_later"
    # The 2027 obligation (base 2026)
    from unittest import mock

    with mock.patch("innocluster.core.policy.values.today", return_value=dt.date(2027, 5, 4)):
        declared(owed.contract, 2026, "20000000.00")  # 200,000.00
        assess(2027)
        next_year = owed.contract.obligations.get(year=2027)
        applied = credits.apply_credit(credit, next_year, by=levy_people["officer"])
    assert applied.amount == D("200000.00") and selectors.outstanding(next_year) == D("0.00")
    credit.refresh_from_db()
    assert credit.remaining == D("100000.00")
    assert check_ledger() == []


def test_rejection_needs_a_reason(owed, levy_people):
    rnd = rnd_spending.record_rnd(owed, "1.00", evidence=evidence(), description="x", by=None)
    with pytest.raises(LevyError):
        rnd_spending.reject_rnd(rnd, reason="", by=levy_people["officer"])
    rnd_spending.reject_rnd(rnd, reason="no evidence of R&D", by=levy_people["officer"])
    assert Settlement.objects.get().status == "rejected" and selectors.outstanding(owed) == D("1000000.00")


def test_rnd_needs_evidence_a_description_and_a_representative(owed, levy_people):
    with pytest.raises(LevyError):
        rnd_spending.record_rnd(owed, "1.00", evidence=None, description="x", by=None)
    with pytest.raises(LevyError):
        rnd_spending.record_rnd(owed, "1.00", evidence=evidence(), description=" ", by=None)
    with pytest.raises(LevyError) as refused:
        rnd_spending.record_rnd(
            owed, "1.00", evidence=evidence(), description="x", by=levy_people["stranger"]
        )
    assert refused.value.code == "not_a_representative" and not Settlement.objects.exists()


def test_an_overpayment_is_refunded_by_matching_the_outgoing_line(levy_people):
    bank = f.bank_account(fund_source="levy")
    holder = subsoil_user()
    [owed] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "100000.00")
    pay(bank.iban, [("1500.00", holder.bin, owed.reference)])
    credit = Credit.objects.get()
    pay(
        bank.iban,
        [("-500.00", holder.bin, "Возврат переплаты")],
        number="2",
        day="2026-07-02",
        opening="1500.00",
    )
    refund_line = StatementLine.objects.get(amount__lt=0)
    reconciliation.match(refund_line, [Part("overpayments", D("500.00"), party=holder, target=credit)])
    credit.refresh_from_db()
    assert credit.refunded == D("500.00") and credit.remaining == 0
    assert ledger.balance_of(account("overpayments"), party=holder) == D("0.00")
    assert check_ledger() == []


def test_under_the_shipped_rules_an_overpayment_never_expires(levy_people):
    bank = f.bank_account(fund_source="levy")
    holder = subsoil_user()
    [owed] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "100000.00")
    pay(bank.iban, [("1200.00", holder.bin, owed.reference)])
    credit = Credit.objects.get()
    assert credit.expires_on is None
    assert credits.expire_credits(dt.date(2040, 1, 1)) == []
    assert list(selectors.credits(holder=holder, usable_on=dt.date(2040, 1, 1))) == [credit]
    assert ledger.balance_of(account("overpayments"), party=holder) == D("200.00")


def test_a_capped_credit_is_listed_before_one_without_a_time_limit(levy_people):
    from innocluster.levy.models import Credit as CreditModel

    holder = subsoil_user()
    unlimited = CreditModel.objects.create(
        holder=holder, kind="rnd_excess", source_year=2025, amount=D("1.00"), expires_on=None
    )
    capped = CreditModel.objects.create(
        holder=holder, kind="rnd_excess", source_year=2025, amount=D("1.00"), expires_on=dt.date(2026, 12, 31)
    )
    assert list(selectors.credits(holder=holder)) == [capped, unlimited]
    assert list(selectors.credits(holder=holder, usable_on=dt.date(2027, 1, 1))) == [unlimited]


def test_an_unclaimed_overpayment_expires_into_levy_income(levy_people, one_year_carry_forward):
    bank = f.bank_account(fund_source="levy")
    holder = subsoil_user()
    [owed] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "100000.00")
    pay(bank.iban, [("1200.00", holder.bin, owed.reference)])
    assert credits.expire_credits(dt.date(2027, 12, 31)) == []
    income_before = ledger.balance_of(account("levy_income"))
    [expired] = credits.expire_credits(dt.date(2028, 1, 1))
    expired.refresh_from_db()
    assert expired.expired == D("200.00") and expired.remaining == 0
    assert ledger.balance_of(account("levy_income")) == income_before + D("200.00")
    assert ledger.balance_of(account("overpayments"), party=holder) == D("0.00")


def test_a_lowered_obligation_already_paid_moves_the_excess_to_an_overpayment(levy_people):
    from innocluster.levy.services import declarations

    bank = f.bank_account(fund_source="levy")
    holder = subsoil_user()
    contract = ContractFactory(holders=[(holder, "1")])
    [owed] = assessed(contract, 2026, "100000.00")
    pay(bank.iban, [("1000.00", holder.bin, owed.reference)])
    declarations.amend(contract.declarations.get(), "60000.00", reason="audited", by=levy_people["officer"])
    owed.refresh_from_db()
    assert owed.amount == D("600.00") and selectors.outstanding(owed) == D("0.00")
    credit = Credit.objects.get()
    assert (credit.kind, credit.amount) == ("overpayment", D("400.00"))
    assert ledger.balance_of(account("levy_receivable"), party=holder) == D("0.00")
    assert ledger.balance_of(account("overpayments"), party=holder) == D("400.00")
    assert check_ledger() == []
