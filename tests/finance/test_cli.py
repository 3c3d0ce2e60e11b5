"""The ``ledger`` and ``bank`` commands: the same commands as the pages, exit codes as documented."""

import json
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from innocluster.cli import main as cli_main
from innocluster.core.audit.models import AuditEvent
from innocluster.finance.models import BankAccount, JournalLine
from innocluster.finance.services import journal
from innocluster.finance.services.journal import Leg
from tests.factories import finance as f

pytestmark = pytest.mark.django_db


def main(argv):
    """The real CLI entry point (DomainError → exit 1), without the connection closing that
    ``run_from_argv`` does at the end (it would end the test's transaction on PostgreSQL)."""
    with mock.patch("django.db.connections.close_all"):
        return cli_main(argv)


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_bank_accounts_add_is_idempotent_and_validates(policy_loaded):
    first = run(
        "bank",
        "accounts",
        "add",
        f.IBANS[0],
        "--bic",
        f.BIC,
        "--name",
        "Levy account",
        "--fund-source",
        "levy",
    )
    assert "added" in first and "1030.01" in first
    again = run("bank", "accounts", "add", f.IBANS[0].lower(), "--bic", f.BIC, "--name", "Other name")
    assert "already present, unchanged" in again
    account = BankAccount.objects.get()
    assert account.name == "Levy account" and account.fund_source == "levy"
    assert AuditEvent.objects.filter(action="finance.bank_account.added").count() == 1
    for iban, bic in (("KZ86125KZT5004100101", f.BIC), (f.IBANS[1], "NOTABIC")):
        with pytest.raises(SystemExit) as refused:
            main(["innocluster", "bank", "accounts", "add", iban, "--bic", bic, "--name", "x"])
        assert refused.value.code == 1
    assert BankAccount.objects.count() == 1
    listed = json.loads(run("bank", "accounts", "list", "--json"))
    assert listed == [
        {
            "iban": f.IBANS[0],
            "bic": f.BIC,
            "name": "Levy account",
            "fund_source": "levy",
            "ledger_account": "1030.01",
        }
    ]


def test_trial_balance_json_at_a_date(policy_loaded):
    bank = f.bank_account()
    for day, amount in ((f.DAY, "100.00"), (f.DAY.replace(month=4), "50.00")):
        journal.post(
            date=day,
            description="subsidy",
            legs=[
                Leg(bank.ledger_account, debit=Decimal(amount)),
                Leg("state_budget_income", credit=Decimal(amount)),
            ],
        )
    march = json.loads(run("ledger", "trial-balance", "--at", f.DAY.isoformat(), "--json"))
    rows = {row["code"]: row for row in march["accounts"]}
    assert rows["1030.01"]["debit_balance"] == "100.00" and rows["6230"]["credit_balance"] == "100.00"
    assert march["total_debit"] == march["total_credit"] == "100.00"
    everything = json.loads(run("ledger", "trial-balance", "--json"))
    assert everything["total_debit"] == "150.00"


def test_ledger_check_names_a_breach_and_exits_1(policy_loaded):
    assert "every invariant holds" in run("ledger", "check")
    entry = journal.post(
        date=f.DAY,
        description="levy",
        legs=[
            Leg("levy_receivable", debit=Decimal("5.00"), party=f.party()),
            Leg("levy_income", credit=Decimal("5.00")),
        ],
    )
    # A line without its party on a sub-ledger account, written past the commands (the triggers
    # allow lines into an entry that is not posted yet; the entry is then marked posted by hand).
    from innocluster.finance.models import JournalEntry
    from innocluster.finance.selectors.accounts import account

    broken = JournalEntry.objects.create(date=f.DAY, period=entry.period, description="by hand")
    JournalLine.objects.create(
        entry=broken, date=f.DAY, account=account("levy_receivable"), debit=Decimal("1.00")
    )
    JournalLine.objects.create(
        entry=broken, date=f.DAY, account=account("levy_income"), credit=Decimal("1.00")
    )
    JournalEntry.objects.filter(pk=broken.pk).update(status="posted", posted_at=entry.posted_at)
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("ledger", "check", stdout=StringIO(), stderr=err)
    assert failed.value.returncode == 1
    assert "sub_ledger" in err.getvalue() and "has no party" in err.getvalue()


def test_close_and_reopen_from_the_command_line(policy_loaded, finance_people):
    assert "closed" in run("ledger", "close", "2026-02", "--as", "chief")
    with pytest.raises(CommandError):
        run("ledger", "close", "2026-13", "--as", "chief")
    assert "reopened" in run("ledger", "reopen", "2026-02", "--as", "fadmin", "--reason", "correction")


def test_the_admin_adds_a_bank_account_through_the_same_command(policy_loaded, admin_client):
    url = "/admin/finance/bankaccount/add/"
    form = {"iban": f.IBANS[2], "bic": f.BIC, "name": "Deposit account", "fund_source": ""}
    assert admin_client.post(url, form).status_code == 302
    account = BankAccount.objects.get(iban=f.IBANS[2])
    assert account.ledger_account.parent.key == "bank_group"
    assert AuditEvent.objects.filter(action="finance.bank_account.added", object_id=str(account.pk)).exists()
    again = admin_client.post(url, {**form, "name": "Other"})
    assert again.status_code == 302 and BankAccount.objects.count() == 1
    refused = admin_client.post(url, {**form, "iban": "KZ00000", "name": "x"})
    assert refused.status_code == 200 and BankAccount.objects.count() == 1
    assert admin_client.get(f"/admin/finance/bankaccount/{account.pk}/delete/").status_code == 403
