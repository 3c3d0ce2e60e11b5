"""Importing statements into the ledger's bank lines: idempotent, atomic, balanced, continuous,
only for the Fund's accounts — and the CLI and upload page saying the same."""

import io
import itertools
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command

from innocluster.cli import main as cli_main
from innocluster.core.audit.models import AuditEvent
from innocluster.finance.errors import StatementRefused
from innocluster.finance.models import BankStatement, JournalEntry, StatementImport, StatementLine
from innocluster.finance.services.banking import add_bank_account
from innocluster.finance.services.statements import import_statement
from tests.factories import finance as f

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures" / "statements"
HALYK, KASPI, USD = "KZ78601A861001234567", "KZ18722S000012345678", "KZ32601A861009876543"


@pytest.fixture
def accounts(policy_loaded):
    return {
        "halyk": add_bank_account(HALYK, bic="HSBKKZKX", name="Halyk current account")[0],
        "kaspi": add_bank_account(KASPI, bic="CASPKZKA", name="Kaspi levy account", fund_source="levy")[0],
        "usd": add_bank_account(USD, bic="HSBKKZKX", name="Halyk USD account", currency="USD")[0],
    }


def main(argv):
    """The real CLI entry point (DomainError → exit 1), without the connection closing that
    ``run_from_argv`` does at the end (it would end the test's transaction on PostgreSQL)."""
    with mock.patch("django.db.connections.close_all"):
        return cli_main(argv)


def load(name: str, **kwargs):
    with open(FIXTURES / name, "rb") as stream:
        return import_statement(stream, file_name=name, **kwargs)


def test_a_file_imports_once_the_second_time_changes_nothing(accounts):
    first = load("halyk_two_statements.sta")
    assert (first.format, first.statements, first.lines, first.new, first.known) == (
        "mt940",
        2,
        first.lines,
        first.lines,
        0,
    )
    assert first.lines > 0 and StatementLine.objects.count() == first.new
    rows = list(StatementLine.objects.order_by("id").values_list("key", "amount", "counterparty_id", "knp"))
    second = load("halyk_two_statements.sta")
    assert (second.statements, second.new, second.known, second.matched) == (0, 0, first.lines, 0)
    assert (
        list(StatementLine.objects.order_by("id").values_list("key", "amount", "counterparty_id", "knp"))
        == rows
    )
    assert BankStatement.objects.count() == 2 and StatementImport.objects.count() == 2
    assert AuditEvent.objects.filter(action="finance.statements.imported").count() == 2


def test_the_chain_of_one_account_continues_across_formats(accounts):
    # camt v08 carries a USD statement too: its account is one of the Fund's (in USD).
    summaries = [
        load(n) for n in ("halyk_two_statements.sta", "halyk_camt053_v08.xml", "halyk_1c_standard_cp1251.txt")
    ]
    assert [s.format for s in summaries] == ["mt940", "camt053", "1c"]
    statements = list(BankStatement.objects.filter(bank_account=accounts["halyk"]).order_by("opening_date"))
    for before, after in itertools.pairwise(statements):
        assert before.closing_balance == after.opening_balance
    assert statements[-1].closing_balance == Decimal("17244150.00")


def test_bank_charges_are_matched_by_the_built_in_matcher(accounts):
    summary = load("halyk_two_statements.sta")
    charges = StatementLine.objects.filter(status=StatementLine.Status.MATCHED)
    assert summary.matched == charges.count() >= 1
    line = charges.first()
    assert line.amount < 0
    entry = JournalEntry.objects.get(source_type="finance.statementline", source_id=str(line.pk))
    assert {x.account.key for x in entry.lines.all()} == {None, "bank_charges"}  # the bank's 1030.xx and 7211


def test_a_statement_that_does_not_continue_the_previous_one_is_refused_whole(accounts):
    load("kaspi_1c_kazakh_dialect.txt")  # closes 2 346 750,50 on 3 November
    before = StatementLine.objects.count()
    with pytest.raises(StatementRefused) as refused:
        load("kaspi_camt053_v02.xml")  # opens 2 000 000,00 on 4 November
    assert refused.value.code == "not_continuous"
    assert "2346750.50" in str(refused.value) and "2000000.00" in str(refused.value)
    assert StatementLine.objects.count() == before and StatementImport.objects.count() == 1


def test_an_account_that_is_not_the_funds_is_refused(policy_loaded):
    add_bank_account(KASPI, bic="CASPKZKA", name="Kaspi")
    with pytest.raises(StatementRefused) as refused:
        load("halyk_two_statements.sta")
    assert refused.value.code == "unknown_account" and HALYK in str(refused.value)
    assert not StatementLine.objects.exists() and not StatementImport.objects.exists()


def test_balances_that_do_not_add_up_are_refused_naming_the_place(accounts):
    text = (FIXTURES / "kaspi_1c_kazakh_dialect.txt").read_bytes().replace(b"2346750,50", b"2346750,51")
    with pytest.raises(StatementRefused) as refused:
        import_statement(io.BytesIO(text), file_name="kaspi.txt")
    assert refused.value.code == "balance_mismatch" and "line" in str(refused.value)
    assert not StatementLine.objects.exists()


def test_a_garbled_file_is_refused_and_leaves_nothing(accounts):
    with pytest.raises(StatementRefused):
        import_statement(io.BytesIO(b"\x00\xff garbage"), file_name="x.bin")
    data = (FIXTURES / "halyk_two_statements.sta").read_bytes()
    with pytest.raises(StatementRefused):
        import_statement(io.BytesIO(data[: len(data) // 2]), file_name="cut.sta")
    assert not StatementLine.objects.exists() and not JournalEntry.objects.exists()


def test_a_dry_run_counts_and_writes_nothing(accounts):
    summary = load("halyk_two_statements.sta", dry_run=True)
    assert summary.dry_run and summary.new > 0 and summary.import_id is None
    assert not StatementLine.objects.exists() and not StatementImport.objects.exists()
    assert not JournalEntry.objects.exists()


def test_the_cli_prints_the_summary_and_exits_1_on_a_refused_file(accounts, tmp_path, capsys):
    out = StringIO()
    call_command("statements", "import", str(FIXTURES / "halyk_two_statements.sta"), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (
        data["statements"] == 2
        and data["new"] == data["lines"]
        and data["unmatched"] == data["new"] - data["matched"]
    )
    out = StringIO()
    call_command("statements", "import", str(FIXTURES / "halyk_two_statements.sta"), stdout=out)
    assert "new 0" in out.getvalue() and f"already imported {data['lines']}" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "account_iban;statement;booked_on;amount;currency\nKZ78601A861001234567;1;2026-13-40;5,00;KZT\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as failed:
        main(["innocluster", "statements", "import", str(bad)])
    assert failed.value.code == 1
    assert "line 2" in capsys.readouterr().err


def test_a_foreign_currency_line_is_not_matched_into_the_tenge_ledger(accounts):
    from innocluster.finance.errors import LedgerError
    from innocluster.finance.matchers import Part
    from innocluster.finance.services.reconciliation import match

    load("halyk_two_statements.sta")
    load("halyk_camt053_v08.xml")
    usd = StatementLine.objects.filter(bank_account=accounts["usd"]).first()
    assert usd is not None and usd.currency == "USD"
    with pytest.raises(LedgerError) as refused:
        match(usd, [Part(account="bank_charges", amount=abs(usd.amount))])
    assert refused.value.code == "foreign_currency"


def test_every_line_carries_what_the_bank_sent(accounts):
    load("kaspi_1c_kazakh_dialect.txt")
    line = StatementLine.objects.filter(amount__gt=0).order_by("id").first()
    assert line.counterparty_id and len(line.counterparty_id) == 12
    assert line.raw and all(isinstance(k, str) for k in line.raw)
    assert line.location.startswith("line")
    assert f.IBANS  # the factory's accounts are separate from the fixtures'


def test_fuzzed_files_raise_only_the_refusal_and_leave_nothing(accounts):
    """Any bytes — random, or a real statement mutated — either import or are refused with
    ``StatementRefused``; a refused file leaves no statement, line or entry behind."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    seeds = [
        (FIXTURES / name).read_bytes()
        for name in ("kaspi_1c_kazakh_dialect.txt", "fund_statements.csv", "kaspi_camt053_v02.xml")
    ]

    @st.composite
    def files(draw):
        if draw(st.booleans()):
            return draw(st.binary(max_size=400))
        data = bytearray(draw(st.sampled_from(seeds)))
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(data) - 1))
            data[at : at + draw(st.integers(0, 8))] = draw(st.binary(max_size=8))
        return bytes(data)

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(files(), st.sampled_from(["auto", "1c", "csv", "camt053", "mt940"]))
    def check(data, fmt):
        before = (StatementLine.objects.count(), BankStatement.objects.count(), JournalEntry.objects.count())
        try:
            from django.db import transaction

            with transaction.atomic():
                import_statement(io.BytesIO(data), file_name="fuzz", fmt=fmt)
                transaction.set_rollback(True)
        except StatementRefused:
            assert (
                StatementLine.objects.count(),
                BankStatement.objects.count(),
                JournalEntry.objects.count(),
            ) == before

    check()
