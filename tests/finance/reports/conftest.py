"""Books for the report tests, written only through the finance commands: receipts by source, a
levy assessment with two payers, a budget with a commitment and a disbursement, a grant payment,
bank charges, and one receipt of the year before."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from innocluster.finance.models import FundSource
from innocluster.finance.services import budgets, journal
from innocluster.finance.services.journal import Leg
from tests.factories import finance as f

D = Decimal


@dataclass
class Books:
    main: object
    levy_bank: object
    payer_a: object
    payer_b: object
    winner: object
    grants: object
    admin: object
    commitment: object


@pytest.fixture
def books(finance_people):
    return build_books()


def build_books() -> Books:
    """The books, posted through the commands (the shipped policy must be loaded)."""
    main = f.bank_account(f.IBANS[0], name="Current account")
    levy_bank = f.bank_account(f.IBANS[1], fund_source=FundSource.LEVY, name="Levy account")
    payer_a, payer_b, winner = f.party(), f.party(), f.party()
    post = journal.post
    post(
        date=dt.date(2025, 12, 20),
        description="Fee for services",
        reference="INV-2025-9",
        legs=[Leg(main.ledger_account, debit=D("100000.00")), Leg("own_income", credit=D("100000.00"))],
    )
    post(
        date=dt.date(2026, 2, 10),
        description="State budget subsidy received",
        reference="PP-17",
        legs=[
            Leg(main.ledger_account, debit=D("5000000.00")),
            Leg("state_budget_income", credit=D("5000000.00")),
        ],
    )
    post(
        date=dt.date(2026, 2, 20),
        description="Donation received",
        legs=[Leg(main.ledger_account, debit=D("750000.00")), Leg("donations_income", credit=D("750000.00"))],
    )
    post(
        date=dt.date(2026, 3, 1),
        description="Levy assessed for 2025",
        reference="LEVY-2025",
        legs=[
            Leg("levy_receivable", debit=D("3000000.00"), party=payer_a),
            Leg("levy_receivable", debit=D("1200000.00"), party=payer_b),
            Leg("levy_income", credit=D("4200000.00")),
        ],
    )
    post(
        date=dt.date(2026, 3, 10),
        description="Levy received",
        reference="PP-204",
        legs=[
            Leg(levy_bank.ledger_account, debit=D("2000000.00")),
            Leg("levy_receivable", credit=D("2000000.00"), party=payer_a),
        ],
    )
    grants = f.budget("1500000.00", source=FundSource.LEVY, code="P-GRANTS")
    admin = budgets.revise_budget(
        budgets.add_budget_line(
            code="C-ADMIN",
            name_kk="Әкімшілік",
            name_ru="Администрирование",
            name_en="Administration",
            kind="cost_centre",
            expense_account="operating_expenses",
        ),
        2026,
        FundSource.STATE_BUDGET,
        D("800000.00"),
        reason="approved budget",
    )
    commitment = budgets.commit(
        grants, D("600000.00"), reference="AW-7", description="grant award", party=winner
    )
    budgets.disburse(commitment, D("250000.00"), date=dt.date(2026, 3, 15))
    post(
        date=dt.date(2026, 3, 20),
        description="Grant paid",
        reference="PP-301",
        legs=[
            Leg("grants_payable", debit=D("200000.00"), party=winner, fund_source=FundSource.LEVY),
            Leg(levy_bank.ledger_account, credit=D("200000.00"), fund_source=FundSource.LEVY),
        ],
    )
    post(
        date=dt.date(2026, 3, 31),
        description="Bank charges for March",
        legs=[Leg("bank_charges", debit=D("1500.00")), Leg(main.ledger_account, credit=D("1500.00"))],
    )
    return Books(main, levy_bank, payer_a, payer_b, winner, grants, admin, commitment)
