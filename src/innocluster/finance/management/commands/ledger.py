"""``innocluster ledger``: the books from the command line.

innocluster ledger trial-balance [--at 2026-12-31] [--json]
innocluster ledger check              # every invariant; exit 1 naming each breach
innocluster ledger chart              # load the shipped chart's missing accounts
innocluster ledger close 2026-11 --as chief
innocluster ledger reopen 2026-11 --as admin --reason "auditor's adjustment"
"""

import json
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


def _month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in text.split("-"))
        date(year, month, 1)
    except ValueError:
        raise CommandError(f"not a month as YYYY-MM: {text!r}", returncode=2) from None
    return year, month


def _user(username: str):
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"no user {username!r}", returncode=1) from None


class Command(BaseCommand):
    help = "The Fund's ledger: trial balance, invariant check, chart of accounts, periods."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        trial = sub.add_parser("trial-balance", help="balances of every account at a date")
        trial.add_argument("--at", type=date.fromisoformat, help="the date (default: everything posted)")
        trial.add_argument("--json", action="store_true", dest="as_json")
        check = sub.add_parser("check", help="check every invariant of the books")
        check.add_argument("--json", action="store_true", dest="as_json")
        sub.add_parser("chart", help="load the shipped chart of accounts (missing accounts only)")
        close = sub.add_parser("close", help="close a month")
        close.add_argument("month", type=_month, help="YYYY-MM")
        close.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        reopen = sub.add_parser("reopen", help="reopen a closed month (fund administrator)")
        reopen.add_argument("month", type=_month, help="YYYY-MM")
        reopen.add_argument("--as", dest="as_user", required=True, metavar="USERNAME")
        reopen.add_argument("--reason", required=True)

    def handle(self, *args, what, **options):
        # Prefixed: ``check`` is BaseCommand's own method (Django's system checks).
        getattr(self, "run_" + what.replace("-", "_"))(**options)

    def run_trial_balance(self, at=None, as_json=False, **_):
        from innocluster.finance.selectors.ledger import trial_balance

        rows = trial_balance(at)
        total_d = sum(b.debit_balance for b in rows)
        total_c = sum(b.credit_balance for b in rows)
        if as_json:
            data = {
                "at": at.isoformat() if at else None,
                "accounts": [
                    {
                        "code": b.account.code,
                        "name": b.account.name_en,
                        "debit": str(b.debit),
                        "credit": str(b.credit),
                        "debit_balance": str(b.debit_balance),
                        "credit_balance": str(b.credit_balance),
                    }
                    for b in rows
                ],
                "total_debit": str(total_d),
                "total_credit": str(total_c),
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for b in rows:
            self.stdout.write(
                f"{b.account.code:<10} {b.debit_balance:>18} {b.credit_balance:>18}  {b.account.name}"
            )
        self.stdout.write(f"{'total':<10} {total_d:>18} {total_c:>18}")

    def run_check(self, as_json=False, **_):
        from innocluster.finance.selectors.checks import check_ledger

        breaches = check_ledger()
        if as_json:
            self.stdout.write(json.dumps([b.__dict__ for b in breaches], ensure_ascii=False, indent=2))
        for breach in breaches:
            self.stderr.write(f"{breach.code}: {breach.message}")
        if breaches:
            raise CommandError(f"{len(breaches)} breaches of the ledger's invariants", returncode=1)
        if not as_json:
            self.stdout.write("ledger check: every invariant holds")

    def run_chart(self, **_):
        from innocluster.finance.services.chart import load_chart

        self.stdout.write(f"accounts added: {load_chart()}")

    def run_close(self, month, as_user, **_):
        from innocluster.finance.services import periods

        period = periods.close(*month, by=_user(as_user))
        self.stdout.write(f"period {period} closed")

    def run_reopen(self, month, as_user, reason, **_):
        from innocluster.finance.services import periods

        period = periods.reopen(*month, by=_user(as_user), reason=reason)
        self.stdout.write(f"period {period} reopened")
