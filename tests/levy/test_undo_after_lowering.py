"""Undoing a bank match after the obligation it paid was lowered below what was paid: the payment
is cancelled, the credit its excess became (``credits.release_excess``) is taken back (reduced
or cancelled), and the books agree with the levy after it; a credit already applied, refunded or
expired refuses the undo, saying what to undo first."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from innocluster.finance.matchers import Part
from innocluster.finance.models import JournalEntry, StatementLine
from innocluster.finance.selectors import ledger
from innocluster.finance.selectors.accounts import account
from innocluster.finance.selectors.checks import check_ledger
from innocluster.finance.services import reconciliation
from innocluster.levy.errors import LevyError
from innocluster.levy.models import Credit, Obligation, Settlement
from innocluster.levy.selectors import obligations as selectors
from innocluster.levy.selectors.statement import RELEASE_UNDONE, statement
from innocluster.levy.services import credits, declarations
from innocluster.levy.services import rnd as rnd_spending
from innocluster.levy.services.assessment import assess
from tests.factories import finance as f
from tests.factories.levy import TINY_PDF, ContractFactory, assessed, declared, subsoil_user
from tests.levy.bank import pay

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def bank(levy_ready):
    return f.bank_account(fund_source="levy")


def lower(contract, base: str, by) -> None:
    declarations.amend(contract.declarations.get(current=True), base, reason="audited", by=by)


def line_of(purpose_part: str) -> StatementLine:
    return StatementLine.objects.get(amount__gt=0, purpose__contains=purpose_part)


def books_agree(holder) -> None:
    """The levy's figures and the ledger's agree for ``holder``: what its obligations have
    outstanding is its levy receivable, what its money credits have left its overpayments owed; and
    every invariant of the books holds."""
    owed = sum((o.outstanding for o in selectors.obligations(holder=holder)), D("0.00"))
    assert ledger.balance_of(account("levy_receivable"), party=holder) == owed
    money_left = sum(
        (c.remaining for c in selectors.credits(holder=holder) if c.kind == Credit.Kind.OVERPAYMENT),
        D("0.00"),
    )
    assert ledger.balance_of(account("overpayments"), party=holder) == money_left
    assert check_ledger() == []


def test_undoing_the_only_payment_takes_back_the_whole_credit(bank, levy_people):
    holder = subsoil_user()
    contract = ContractFactory(holders=[(holder, "1")])
    [owed] = assessed(contract, 2026, "100000.00")  # 1,000.00
    pay(bank.iban, [("1000.00", holder.bin, owed.reference)])
    lower(contract, "60000.00", levy_people["officer"])  # 600.00: 400.00 paid above it
    credit = Credit.objects.get()
    assert (credit.kind, credit.amount, credit.match_id) == ("overpayment", D("400.00"), None)

    reconciliation.unmatch(StatementLine.objects.get(), reason="wrong payer", by=levy_people["officer"])

    owed.refresh_from_db()
    credit.refresh_from_db()
    assert Settlement.objects.get().status == "cancelled"
    assert credit.cancelled_at is not None and not selectors.credits(holder=holder).exists()
    assert owed.released == D("0.00") and selectors.outstanding(owed) == D("600.00")
    assert ledger.balance_of(account("levy_receivable"), party=holder) == D("600.00")
    assert ledger.balance_of(account("overpayments"), party=holder) == D("0.00")
    books_agree(holder)
    # The statement names the entry that took the credit back; the balance ends at what is owed.
    lines = statement(holder, owed.due_date.replace(month=1, day=1), owed.due_date.replace(month=12, day=31))
    assert [m.kind for m in lines.movements if m.kind == RELEASE_UNDONE] == [RELEASE_UNDONE]
    assert lines.closing == D("600.00")


def test_undoing_one_of_two_payments_takes_back_only_what_it_brought(bank, levy_people):
    holder = subsoil_user()
    contract = ContractFactory(holders=[(holder, "1")])
    [owed] = assessed(contract, 2026, "100000.00")  # 1,000.00
    pay(
        bank.iban,
        [
            ("500.00", holder.bin, f"first {owed.reference}"),
            ("500.00", holder.bin, f"second {owed.reference}"),
        ],
    )
    lower(contract, "30000.00", levy_people["officer"])  # 300.00: 700.00 above it
    credit = Credit.objects.get()
    assert credit.amount == D("700.00")

    reconciliation.unmatch(line_of("first"), reason="paid by another company", by=None)

    # 500.00 of the 700.00 came from the undone line: 200.00 (the second line's 500.00 above 300.00)
    credit.refresh_from_db()
    owed.refresh_from_db()
    assert (credit.amount, credit.cancelled_at) == (D("200.00"), None)
    assert owed.released == D("200.00") and selectors.outstanding(owed) == D("0.00")
    books_agree(holder)

    reconciliation.unmatch(line_of("second"), reason="paid by another company", by=None)
    credit.refresh_from_db()
    owed.refresh_from_db()
    assert credit.cancelled_at is not None
    assert owed.released == D("0.00") and selectors.outstanding(owed) == D("300.00")
    books_agree(holder)


def test_a_credit_not_needed_after_the_undo_is_cancelled_even_when_another_payment_stays(bank, levy_people):
    holder = subsoil_user()
    contract = ContractFactory(holders=[(holder, "1")])
    [owed] = assessed(contract, 2026, "100000.00")
    pay(
        bank.iban,
        [
            ("500.00", holder.bin, f"first {owed.reference}"),
            ("500.00", holder.bin, f"second {owed.reference}"),
        ],
    )
    lower(contract, "60000.00", levy_people["officer"])  # 600.00: 400.00 above it
    reconciliation.unmatch(line_of("first"), reason="wrong", by=None)
    owed.refresh_from_db()
    # 500.00 paid of 600.00: 100.00 outstanding, no credit left
    assert Credit.objects.get().cancelled_at is not None
    assert owed.released == D("0.00") and selectors.outstanding(owed) == D("100.00")
    books_agree(holder)


def test_raised_again_after_the_lowering_the_credit_is_still_taken_back(bank, levy_people):
    holder = subsoil_user()
    contract = ContractFactory(holders=[(holder, "1")])
    [owed] = assessed(contract, 2026, "100000.00")
    pay(bank.iban, [("1000.00", holder.bin, owed.reference)])
    lower(contract, "60000.00", levy_people["officer"])
    lower(contract, "100000.00", levy_people["officer"])  # back to 1,000.00: 400.00 owed, 400.00 credit
    owed.refresh_from_db()
    assert selectors.outstanding(owed) == D("400.00") and Credit.objects.get().remaining == D("400.00")
    reconciliation.unmatch(StatementLine.objects.get(), reason="wrong", by=None)
    owed.refresh_from_db()
    assert Credit.objects.get().cancelled_at is not None
    assert selectors.outstanding(owed) == D("1000.00")
    books_agree(holder)


def test_the_rnd_part_of_the_excess_stays_a_credit(bank, levy_people):
    holder = subsoil_user()
    contract = ContractFactory(holders=[(holder, "1")])
    [owed] = assessed(contract, 2026, "100000.00")
    rnd = rnd_spending.record_rnd(
        owed, "700.00", evidence=ContentFile(TINY_PDF, name="act.pdf"), description="Lab", by=None
    )
    rnd_spending.approve_rnd(rnd, by=levy_people["officer"])
    pay(bank.iban, [("300.00", holder.bin, owed.reference)])
    lower(contract, "50000.00", levy_people["officer"])  # 500.00: 500.00 above (300 money, 200 R&D)
    assert sorted((c.kind, c.amount) for c in Credit.objects.all()) == [
        ("overpayment", D("300.00")),
        ("rnd_excess", D("200.00")),
    ]
    reconciliation.unmatch(StatementLine.objects.get(), reason="wrong", by=None)
    owed.refresh_from_db()
    assert [(c.kind, c.remaining) for c in selectors.credits(holder=holder)] == [("rnd_excess", D("200.00"))]
    assert owed.released == D("200.00") and selectors.outstanding(owed) == D("0.00")
    books_agree(holder)


def test_a_credit_already_applied_refuses_the_undo_naming_what_to_undo_first(bank, levy_people):
    holder = subsoil_user()
    contract = ContractFactory(holders=[(holder, "1")])
    [owed] = assessed(contract, 2026, "100000.00")
    other_contract = ContractFactory(holders=[(holder, "1")])
    declared(other_contract, 2025, "100000.00")
    assess(2026)
    [other] = other_contract.obligations.all()
    pay(bank.iban, [("1000.00", holder.bin, owed.reference)])
    lower(contract, "60000.00", levy_people["officer"])
    credit = Credit.objects.get()
    credits.apply_credit(credit, other, by=levy_people["officer"], amount="150.00")
    entries = JournalEntry.objects.count()
    line = StatementLine.objects.get()

    with pytest.raises(LevyError) as refused:
        reconciliation.unmatch(line, reason="wrong payer", by=levy_people["officer"])

    assert refused.value.code == "released_credit_in_use"
    message = str(refused.value)
    assert owed.reference in message and other.reference in message and "undo" in message
    # nothing changed
    line.refresh_from_db()
    credit.refresh_from_db()
    assert line.status == "matched" and JournalEntry.objects.count() == entries
    assert Settlement.objects.get(kind="payment").status == "approved"
    assert (credit.amount, credit.used, credit.cancelled_at) == (D("400.00"), D("150.00"), None)
    books_agree(holder)


def test_a_refunded_credit_refuses_the_undo_until_the_refund_is_unmatched(bank, levy_people):
    holder = subsoil_user()
    contract = ContractFactory(holders=[(holder, "1")])
    [owed] = assessed(contract, 2026, "100000.00")
    pay(bank.iban, [("1000.00", holder.bin, owed.reference)])
    lower(contract, "60000.00", levy_people["officer"])
    credit = Credit.objects.get()
    pay(
        bank.iban,
        [("-400.00", holder.bin, "Возврат переплаты")],
        number="2",
        day="2026-07-02",
        opening="1000.00",
    )
    refund = StatementLine.objects.get(amount__lt=0)
    reconciliation.match(refund, [Part("overpayments", D("400.00"), party=holder, target=credit)])
    payment = StatementLine.objects.get(amount__gt=0)

    with pytest.raises(LevyError) as refused:
        reconciliation.unmatch(payment, reason="wrong payer", by=None)
    assert refused.value.code == "released_credit_in_use"
    assert "refund" in str(refused.value) and "02.07.2026" in str(refused.value)
    assert StatementLine.objects.get(pk=payment.pk).status == "matched"

    reconciliation.unmatch(refund, reason="refund sent back", by=None)
    reconciliation.unmatch(payment, reason="wrong payer", by=None)
    owed.refresh_from_db()
    assert Credit.objects.get().cancelled_at is not None
    assert selectors.outstanding(owed) == D("600.00")
    books_agree(holder)


def test_an_expired_credit_refuses_the_undo(bank, levy_people, one_year_carry_forward):
    import datetime as dt

    holder = subsoil_user()
    contract = ContractFactory(holders=[(holder, "1")])
    [owed] = assessed(contract, 2026, "100000.00")
    pay(bank.iban, [("1000.00", holder.bin, owed.reference)])
    lower(contract, "60000.00", levy_people["officer"])
    credits.expire_credits(dt.date(2028, 1, 1), by=levy_people["officer"])
    with pytest.raises(LevyError) as refused:
        reconciliation.unmatch(StatementLine.objects.get(), reason="wrong", by=None)
    assert refused.value.code == "released_credit_in_use" and "expired" in str(refused.value)
    assert Obligation.objects.get(pk=owed.pk).released == D("400.00")
