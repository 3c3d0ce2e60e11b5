"""Assessment: DOMAIN's conventions, the split by shares, the ledger entries, dry run, and re-runs
that post only the differences."""

import datetime as dt
from decimal import Decimal

import pytest

from innocluster.core.policy.models import ParameterValue
from innocluster.finance.models import JournalEntry
from innocluster.finance.selectors import ledger
from innocluster.finance.selectors.accounts import account
from innocluster.finance.selectors.checks import check_ledger
from innocluster.levy.errors import LevyError
from innocluster.levy.models import Obligation
from innocluster.levy.services import assessment, declarations
from innocluster.levy.services.contracts import save_contract
from tests.factories.levy import ContractFactory, declared, subsoil_user

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_joint_contract_is_assessed_split_by_shares_and_posted(levy_ready):
    a, b, c = subsoil_user(), subsoil_user(), subsoil_user()
    contract = ContractFactory(holders=[(a, "0.333334"), (b, "0.333333"), (c, "0.333333")])
    declared(contract, 2025, "10000.50")  # 1% = 100.005 → 100.01 once, then split
    result = assessment.assess(2026)
    rows = {row.holder_bin: row for row in result.obligations}
    assert sum(r.amount for r in rows.values()) == D("100.01")
    assert [rows[h.bin].amount for h in (a, b, c)] == [D("33.34"), D("33.34"), D("33.33")]
    refs = sorted(r.reference for r in rows.values())
    assert refs == ["LEVY-2026-000001", "LEVY-2026-000002", "LEVY-2026-000003"]
    assert {r.due_date for r in rows.values()} == {dt.date(2026, 7, 1)} and {
        r.rate for r in rows.values()
    } == {D("0.01")}
    assert ledger.balance_of(account("levy_receivable"), party=a) == D("33.34")
    assert ledger.balance_of(account("levy_income")) == D("100.01")
    assert check_ledger() == []


def test_a_rerun_posts_nothing_and_a_dry_run_writes_nothing(levy_ready):
    contract = ContractFactory()
    declared(contract, 2025, "500000.00")
    dry = assessment.assess(2026, dry_run=True)
    assert dry.obligations[0].reference == "LEVY-2026-000001" and dry.obligations[0].amount == D("5000.00")
    assert not Obligation.objects.exists() and not JournalEntry.objects.exists()
    assessment.assess(2026)
    entries = JournalEntry.objects.count()
    again = assessment.assess(2026)
    assert [r.outcome for r in again.obligations] == ["unchanged"]
    assert JournalEntry.objects.count() == entries == 1


def test_a_lower_figure_posts_an_adjusting_entry_the_other_way(levy_ready):
    holder = subsoil_user()
    contract = ContractFactory(holders=[(holder, "1")])
    declared(contract, 2025, "500000.00")
    assessment.assess(2026)
    declarations.amend(contract.declarations.get(), "300000.00", reason="corrected")
    [obligation] = contract.obligations.all()
    assert (obligation.amount, obligation.posted) == (D("3000.00"), D("3000.00"))
    adjustment = obligation.postings.get(kind="adjustment")
    assert adjustment.amount == D("-2000.00")
    assert adjustment.entry.lines.get(account__key="levy_income").debit == D("2000.00")
    assert ledger.balance_of(account("levy_receivable"), party=holder) == D("3000.00")


def test_a_new_holder_gets_its_share_and_one_who_left_is_brought_to_zero(levy_ready):
    a, b = subsoil_user(), subsoil_user()
    contract = ContractFactory(holders=[(a, "1")])
    declared(contract, 2025, "100000.00")
    assessment.assess(2026)
    save_contract(
        number=contract.number,
        date=contract.date,
        mineral=contract.mineral,
        region=contract.region,
        stage=contract.stage,
        basis=contract.basis,
        production_start_year=2019,
        holders=[(b, D("1"))],
    )
    result = assessment.assess(2026)
    by_bin = {r.holder_bin: r for r in result.obligations}
    assert (by_bin[a.bin].amount, by_bin[a.bin].outcome) == (D("0.00"), "adjusted")
    assert (by_bin[b.bin].amount, by_bin[b.bin].outcome) == (D("1000.00"), "created")
    assert by_bin[b.bin].reference == "LEVY-2026-000002"
    assert ledger.balance_of(account("levy_receivable"), party=a) == D("0.00")


def test_extraction_cost_contracts_owe_from_the_second_production_year(levy_ready):
    first_year = ContractFactory(basis="extraction_costs", production_start_year=2026)
    second_year = ContractFactory(basis="extraction_costs", production_start_year=2025)
    declared(first_year, 2025, "1000000.00")
    declared(second_year, 2025, "1000000.00")
    result = assessment.assess(2026)
    assert [(r.contract, r.amount) for r in result.obligations] == [(second_year.number, D("10000.00"))]


def test_the_rate_in_force_on_1_january_applies(levy_ready):
    from innocluster.core.policy.models import Regime
    from innocluster.core.policy.services import add_value

    add_value(
        regime=Regime.objects.get(code="pit-2014"),
        key="levy.rate",
        valid_from=dt.date(2026, 1, 2),
        kind="decimal",
        value="0.02",
        reference="test: a later rate",
    )
    contract = ContractFactory()
    declared(contract, 2025, "100000.00")
    assert assessment.assess(2026).obligations[0].amount == D("1000.00")


def test_no_rate_in_force_is_a_plain_refusal(levy_ready):
    ParameterValue.objects.filter(key="levy.rate").delete()
    declared(ContractFactory(), 2025, "100000.00")
    with pytest.raises(LevyError) as refused:
        assessment.assess(2026)
    assert refused.value.code == "no_value_in_force" and "levy.rate" in str(refused.value)
    assert not Obligation.objects.exists()


def test_undeclared_contracts_are_reported(levy_ready):
    contract = ContractFactory()
    result = assessment.assess(2026)
    assert result.undeclared == [contract.number] and result.obligations == []
