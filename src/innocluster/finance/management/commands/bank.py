"""``innocluster bank accounts add IBAN --bic BIC --name TEXT [--fund-source levy]`` and
``innocluster bank accounts list``. Adding an account that is already there changes nothing and
exits 0."""

import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "The Fund's bank accounts."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        accounts = sub.add_parser("accounts", help="the Fund's bank accounts")
        actions = accounts.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="add an account (IBAN and BIC validated)")
        add.add_argument("iban")
        add.add_argument("--bic", required=True)
        add.add_argument("--name", required=True)
        add.add_argument("--fund-source", default="", help="levy, state_budget, donations or own_income")
        add.add_argument("--currency", default="KZT", help="ISO 4217 code (default KZT)")
        listing = actions.add_parser("list", help="list the accounts")
        listing.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, what, action, **options):
        from innocluster.finance.models import BankAccount
        from innocluster.finance.services.banking import add_bank_account

        if action == "add":
            account, created = add_bank_account(
                options["iban"],
                bic=options["bic"],
                name=options["name"],
                fund_source=options["fund_source"],
                currency=options["currency"],
            )
            state = "added" if created else "already present, unchanged"
            self.stdout.write(
                f"{account.iban} {account.bic} {account.name}: {state} (ledger {account.ledger_account.code})"
            )
            return
        rows = list(BankAccount.objects.select_related("ledger_account").order_by("iban"))
        if options["as_json"]:
            data = [
                {
                    "iban": a.iban,
                    "bic": a.bic,
                    "name": a.name,
                    "fund_source": a.fund_source,
                    "ledger_account": a.ledger_account.code,
                }
                for a in rows
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for a in rows:
            self.stdout.write(
                f"{a.iban}  {a.bic:<11} {a.ledger_account.code:<8} {a.fund_source or '-':<13} {a.name}"
            )
