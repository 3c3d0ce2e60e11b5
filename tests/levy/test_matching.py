"""The levy matcher: by reference, by payer BIN + exact outstanding amount, ambiguous → the manual
queue with the candidates; each match clears the receivable and records the payment; an
overpayment becomes a credit (overpayments owed)."""

from decimal import Decimal

import pytest

from innocluster.finance.matchers import Part
from innocluster.finance.models import StatementLine
from innocluster.finance.selectors import ledger
from innocluster.finance.selectors.accounts import account
from innocluster.finance.selectors.banking import line_detail
from innocluster.finance.selectors.checks import check_ledger
from innocluster.finance.services import reconciliation
from innocluster.levy.errors import LevyError
from innocluster.levy.models import Credit, Obligation, Settlement
from innocluster.levy.selectors import obligations as selectors
from innocluster.levy.services.assessment import assess
from tests.factories import finance as f
from tests.factories.levy import ContractFactory, assessed, declared, subsoil_user
from tests.levy.bank import pay

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def iban(levy_ready):
    return f.bank_account(fund_source="levy").iban


def test_a_reference_anywhere_in_the_purpose_matches_in_any_case_and_spacing(iban):
    holder = subsoil_user()
    [obligation] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "100000.00")  # 1000.00
    ref = obligation.reference.lower().replace("-", " ")  # "levy 2026 000001"
    summary = pay(iban, [("1000.00", "", f"Оплата отчислений на НИОКР по {ref}, без НДС")])
    assert summary.matched == 1
    assert selectors.outstanding(obligation) == D("0.00")
    assert ledger.balance_of(account("levy_receivable"), party=holder) == D("0.00")
    payment = Settlement.objects.get(obligation=obligation)
    assert (payment.kind, payment.status, payment.amount) == ("payment", "approved", D("1000.00"))
    assert payment.statement_line.status == StatementLine.Status.MATCHED
    assert check_ledger() == []


def test_the_payer_bin_and_the_exact_outstanding_amount_match_when_one_obligation_fits(iban):
    holder = subsoil_user()
    [obligation] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "123456.00")  # 1234.56
    summary = pay(iban, [("1234.55", holder.bin, "R&D levy"), ("1234.56", holder.bin, "R&D levy")])
    assert summary.matched == 1
    lines = list(StatementLine.objects.order_by("id"))
    assert [line.status for line in lines] == ["unmatched", "matched"]
    assert selectors.outstanding(obligation) == D("0.00")


def test_two_obligations_that_fit_leave_the_line_in_the_manual_queue_with_candidates(iban):
    holder = subsoil_user()
    first = ContractFactory(holders=[(holder, "1")])
    second = ContractFactory(holders=[(holder, "1")])
    assessed(first, 2026, "100000.00")
    declared(second, 2025, "100000.00")
    assess(2026)
    summary = pay(iban, [("1000.00", holder.bin, "levy payment")])
    assert summary.matched == 0
    line = StatementLine.objects.get()
    detail = line_detail(line.pk)
    assert sorted(c.part.target.reference for c in detail.candidates) == [
        "LEVY-2026-000001",
        "LEVY-2026-000002",
    ]
    # The officer picks one: the match records the payment like the matcher's would.
    chosen = detail.candidates[0]
    reconciliation.match(line, [chosen.part])
    assert Settlement.objects.filter(kind="payment").count() == 1


def test_an_overpayment_becomes_a_credit_owed_to_the_payer(iban):
    holder = subsoil_user()
    [obligation] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "100000.00")  # 1000.00
    pay(iban, [("1500.00", holder.bin, f"{obligation.reference}")])
    assert selectors.outstanding(obligation) == D("0.00")
    credit = Credit.objects.get()
    assert (credit.kind, credit.amount, credit.holder, credit.source_year) == (
        "overpayment",
        D("500.00"),
        holder,
        2026,
    )
    assert ledger.balance_of(account("overpayments"), party=holder) == D("500.00")
    assert check_ledger() == []


def test_undoing_a_match_cancels_the_payment_and_its_credit(iban):
    holder = subsoil_user()
    [obligation] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "100000.00")
    pay(iban, [("1200.00", holder.bin, obligation.reference)])
    line = StatementLine.objects.get()
    reconciliation.unmatch(line, reason="wrong payer")
    assert selectors.outstanding(obligation) == D("1000.00")
    assert Settlement.objects.get().status == "cancelled"
    assert Credit.objects.get().cancelled_at is not None and not selectors.credits().exists()
    assert check_ledger() == []


def test_a_manual_match_above_the_outstanding_amount_is_refused(iban):
    holder = subsoil_user()
    [obligation] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "100000.00")
    pay(iban, [("1500.00", "", "no reference")])
    line = StatementLine.objects.get()
    with pytest.raises(LevyError) as refused:
        reconciliation.match(line, [Part("levy_receivable", D("1500.00"), party=holder, target=obligation)])
    assert refused.value.code == "more_than_outstanding"
    assert StatementLine.objects.get().status == "unmatched" and not Settlement.objects.exists()


def test_lines_of_one_file_see_what_the_earlier_ones_paid(iban):
    """The matcher reads the batch's obligations once; a second full payment of the same
    obligation in the same file is an overpayment, and a BIN + amount line no longer fits an
    obligation an earlier line of the file has paid."""
    holder = subsoil_user()
    [obligation] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "100000.00")  # 1000.00
    summary = pay(
        iban,
        [
            ("600.00", "", f"Part 1, {obligation.reference}"),
            ("1000.00", "", f"Again, {obligation.reference}"),
            ("1000.00", holder.bin, "R&D levy"),
        ],
    )
    assert summary.matched == 2
    assert selectors.outstanding(obligation) == D("0.00")
    [credit] = Credit.objects.filter(holder=holder)
    assert credit.amount == D("600.00")  # 400.00 finished the obligation, 600.00 over
    assert [line.status for line in StatementLine.objects.order_by("id")] == [
        "matched",
        "matched",
        "unmatched",
    ]
    assert ledger.balance_of(account("overpayments"), party=holder) == D("600.00")
    assert check_ledger() == []


def test_the_years_totals_count_what_was_paid(iban):
    holder = subsoil_user()
    [first] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "100000.00")  # 1000.00
    [second] = assessed(ContractFactory(holders=[(holder, "1")]), 2026, "50000.00")  # 500.00
    pay(iban, [("300.00", "", f"{first.reference}"), ("500.00", "", f"{second.reference}")])
    assert selectors.totals(2026) == {"due": D("1500.00"), "settled": D("800.00"), "outstanding": D("700.00")}
    assert selectors.totals(2025) == {"due": D("0.00"), "settled": D("0.00"), "outstanding": D("0.00")}


def test_the_officer_chooses_a_candidate_on_the_line_page(iban, levy_people):
    from django.urls import reverse

    from tests.levy.test_pages_staff import client_for

    holder = subsoil_user()
    first, second = (ContractFactory(holders=[(holder, "1")]) for _ in range(2))
    declared(first, 2025, "100000.00")
    declared(second, 2025, "100000.00")
    assess(2026)
    pay(iban, [("1000.00", holder.bin, "levy payment")])
    line = StatementLine.objects.get()
    officer = client_for(levy_people["officer"])
    page = officer.get(reverse("finance:line", args=[line.pk])).content.decode()
    obligations = sorted(Obligation.objects.filter(holder=holder), key=lambda o: o.reference)
    assert all(o.reference in page for o in obligations) and "Match to this" in page
    action = reverse("finance:line_action", args=[line.pk, "candidate"])
    refused = officer.post(action, {"target": "levy.obligation:999999"})
    assert refused.status_code == 422 and StatementLine.objects.get(pk=line.pk).status == "unmatched"
    chosen = officer.post(action, {"target": f"levy.obligation:{obligations[1].pk}"})
    assert chosen.status_code == 303
    assert StatementLine.objects.get(pk=line.pk).status == "matched"
    assert selectors.outstanding(obligations[1]) == D("0.00")
    assert selectors.outstanding(obligations[0]) == D("1000.00")
    assert Settlement.objects.get(kind="payment").obligation == obligations[1]
    assert check_ledger() == []
