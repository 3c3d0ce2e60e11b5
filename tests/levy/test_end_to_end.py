"""End to end: contracts imported, a representative declares, the officer assesses from the CLI, a
bank statement pays it, the balance is zero and ``ledger check`` passes; an ambiguous payment
waits in the manual queue; an overpayment becomes a credit."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from innocluster.finance.models import StatementLine
from innocluster.finance.selectors import ledger
from innocluster.finance.selectors.accounts import account
from innocluster.levy.models import Credit
from innocluster.levy.selectors import obligations as selectors
from innocluster.levy.services import declarations
from innocluster.parties.models import Organisation, Region
from innocluster.parties.services.representatives import add_representative
from tests.factories import finance as f
from tests.factories.registry import valid_bin
from tests.levy.bank import pay

pytestmark = pytest.mark.django_db
D = Decimal


def test_declare_assess_pay_balance_zero_ledger_check(levy_people, tmp_path):
    kato = Region.objects.order_by("kato").first().kato
    one, two = valid_bin(), valid_bin()
    contracts = tmp_path / "contracts.csv"
    contracts.write_text(
        "contract_number;contract_date;mineral;region_kato;stage;basis;production_start_year;holder_bin;holder_name_ru;share\n"
        f"KZ-E2E-1;2018-07-01;oil;{kato};production;income;2018;{one};ТОО «Бір»;0.75\n"
        f"KZ-E2E-1;2018-07-01;oil;{kato};production;income;2018;{two};ТОО «Екі»;0.25\n",
        encoding="utf-8",
    )
    call_command("levy", "contracts", "import", str(contracts), stdout=io.StringIO())
    first = Organisation.objects.get(bin=one)
    add_representative(first, user=levy_people["rep"], role="head", by=None)
    from innocluster.levy.selectors.contracts import contract_by_number

    declarations.declare(contract_by_number("KZ-E2E-1"), 2025, "40000000.01", by=levy_people["rep"])

    out = io.StringIO()
    call_command("levy", "assess", "--year", "2026", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    # 1% of 40,000,000.01 = 400,000.0001 → 400,000.00; split 0.75 / 0.25
    assert [(r["holder_bin"], r["amount"], r["base"], r["rate"]) for r in rows] == [
        (one, "300000.00", "40000000.01", "0.01"),
        (two, "100000.00", "40000000.01", "0.01"),
    ]
    assert all(
        r["contract"] == "KZ-E2E-1" and r["year"] == 2026 and r["due_date"] == "2026-07-01" for r in rows
    )

    bank = f.bank_account(fund_source="levy")
    summary = pay(
        bank.iban,
        [
            ("300000.00", one, f"Отчисления на НИОКР 1% за 2026 г., {rows[0]['reference']}"),
            ("100000.00", two, "Отчисления на НИОКР 1% за 2026 г."),  # no reference: BIN + amount
        ],
    )
    assert summary.matched == 2
    assert all(selectors.outstanding(o) == 0 for o in selectors.obligations(year=2026))
    assert ledger.balance_of(account("levy_receivable")) == D("0.00")
    assert ledger.balance_of(account("levy_income")) == D("400000.00")
    call_command("ledger", "check", stdout=io.StringIO())  # raises CommandError on any breach


def test_an_ambiguous_payment_waits_and_an_overpayment_becomes_a_credit(levy_people):
    from tests.factories.levy import ContractFactory, declared, subsoil_user

    holder = subsoil_user()
    a = ContractFactory(holders=[(holder, "1")])
    b = ContractFactory(holders=[(holder, "1")])
    declared(a, 2025, "100000.00")
    declared(b, 2025, "100000.00")
    call_command("levy", "assess", "--year", "2026", stdout=io.StringIO())
    bank = f.bank_account(fund_source="levy")
    ref = selectors.obligations(contract=a).get().reference
    pay(bank.iban, [("1000.00", holder.bin, "levy"), ("1250.00", holder.bin, ref)])
    waiting = StatementLine.objects.get(status="unmatched")
    assert waiting.amount == D("1000.00")
    assert Credit.objects.get().amount == D("250.00")
    call_command("ledger", "check", stdout=io.StringIO())


def test_cli_dry_run_and_wrong_usage(levy_ready):
    out = io.StringIO()
    call_command("levy", "assess", "--year", "2026", "--dry-run", stdout=out)
    assert out.getvalue().startswith("dry run (nothing written): levy 2026")
    with pytest.raises(CommandError) as refused:
        call_command("levy", "assess", "--year", "1999")
    assert refused.value.returncode == 1
    with pytest.raises(CommandError) as missing:
        call_command("levy", "rates", "import", "/nonexistent.csv")
    assert missing.value.returncode == 1


def test_cli_rates_import_and_a_refused_contracts_file(levy_ready, tmp_path):
    rates = tmp_path / "rates.csv"
    rates.write_text("date;currency;rate\n2026-01-05;USD;455.10\n", encoding="utf-8")
    out = io.StringIO()
    call_command("levy", "rates", "import", str(rates), stdout=out)
    assert "added 1" in out.getvalue()
    bad = tmp_path / "contracts.csv"
    bad.write_text("contract_number;contract_date\nX;2019-01-01\n", encoding="utf-8")
    with pytest.raises(CommandError, match="header lacks"):
        call_command("levy", "contracts", "import", str(bad))
