"""``innocluster levy``: the subsoil users' levy from the command line.

innocluster levy assess --year 2026 [--dry-run] [--json] [--as USERNAME]
innocluster levy contracts import FILE [--dry-run] [--json] [--as USERNAME]
innocluster levy rates import FILE [--json] [--as USERNAME]
innocluster levy credits expire [--on 2027-01-01] [--as USERNAME]

Exit codes: 0 success, 1 a refusal (the message on stderr: every line of a refused file), 2 wrong
usage. A long assessment shows a progress bar on a terminal."""

import json
import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from innocluster.core.errors import DomainError


def _user(username: str | None):
    if not username:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"no user {username!r}", returncode=1)
    return user


def _file(path: Path) -> Path:
    if not path.is_file():
        raise CommandError(f"no such file: {path}", returncode=1)
    return path


class Command(BaseCommand):
    help = "Subsoil users' levy: assessment, contracts and exchange-rate imports, credits."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        assess = sub.add_parser("assess", help="assess the obligations of a year")
        assess.add_argument("--year", type=int, required=True)
        assess.add_argument("--dry-run", action="store_true", help="compute and report, write nothing")
        assess.add_argument("--json", action="store_true", dest="as_json")
        assess.add_argument("--as", dest="as_user", metavar="USERNAME")
        contracts = sub.add_parser("contracts", help="subsoil-use contracts")
        csub = contracts.add_subparsers(dest="action", required=True)
        cimp = csub.add_parser("import", help="import contracts from CSV or XLSX")
        cimp.add_argument("file", type=Path)
        cimp.add_argument("--dry-run", action="store_true")
        cimp.add_argument("--json", action="store_true", dest="as_json")
        cimp.add_argument("--as", dest="as_user", metavar="USERNAME")
        rates = sub.add_parser("rates", help="National Bank exchange rates")
        rsub = rates.add_subparsers(dest="action", required=True)
        rimp = rsub.add_parser("import", help="import rates (CSV date;currency;rate or the Bank's XML)")
        rimp.add_argument("file", type=Path)
        rimp.add_argument("--json", action="store_true", dest="as_json")
        rimp.add_argument("--as", dest="as_user", metavar="USERNAME")
        credits = sub.add_parser("credits", help="credits carried forward")
        ksub = credits.add_subparsers(dest="action", required=True)
        kexp = ksub.add_parser("expire", help="expire credits past their last usable day")
        kexp.add_argument("--on", type=date.fromisoformat, help="the day (default: today in Almaty)")
        kexp.add_argument("--as", dest="as_user", metavar="USERNAME")

    def handle(self, *args, what, **options):
        try:
            getattr(self, f"run_{what}")(**options)
        except DomainError as exc:
            # Through call_command too (tests, scripts): exit 1 with the message, as the CLI does.
            raise CommandError(str(exc), returncode=1) from exc

    def run_assess(self, *, year, dry_run, as_json, as_user, **_):
        from innocluster.levy.services.assessment import assess

        by = _user(as_user)
        with _Progress(enabled=not as_json and sys.stderr.isatty()) as tick:
            result = assess(year, by=by, dry_run=dry_run, progress=tick)
        if as_json:
            self.stdout.write(
                json.dumps([row.as_json() for row in result.obligations], ensure_ascii=False, indent=2)
            )
            return
        prefix = "dry run (nothing written): " if dry_run else ""
        self.stdout.write(
            f"{prefix}levy {year}: obligations {len(result.obligations)}, created {result.count('created')}, "
            f"adjusted {result.count('adjusted')}, unchanged {result.count('unchanged')}; "
            f"contracts without a declaration for {year - 1}: {len(result.undeclared)}"
        )
        for row in result.obligations:
            self.stdout.write(
                f"{row.reference}  {row.contract}  {row.holder_bin}  {row.amount:>18}  due {row.due_date}  {row.outcome}"
            )

    def run_contracts(self, *, action, file, dry_run, as_json, as_user, **_):
        from innocluster.levy.services.contracts import import_contracts

        with open(_file(file), "rb") as stream:
            summary = import_contracts(stream, file_name=file.name, by=_user(as_user), dry_run=dry_run)
        if as_json:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
            return
        prefix = "dry run (nothing written): " if dry_run else ""
        self.stdout.write(
            f"{prefix}{file.name}: rows {summary.rows}, contracts added {summary.contracts_added}, "
            f"changed {summary.contracts_changed}, unchanged {summary.contracts_unchanged}; "
            f"organisations added {summary.organisations_added}, flagged as subsoil users "
            f"{summary.organisations_flagged}"
        )

    def run_rates(self, *, action, file, as_json, as_user, **_):
        from innocluster.levy.services.rates import import_rates

        with open(_file(file), "rb") as stream:
            summary = import_rates(stream, file_name=file.name, by=_user(as_user))
        if as_json:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{file.name} ({summary.format}): rates {summary.rates}, added {summary.added}, "
            f"already there {summary.known}"
        )

    def run_credits(self, *, action, on=None, as_user=None, **_):
        from innocluster.levy.services.credits import expire_credits

        expired = expire_credits(on, by=_user(as_user))
        self.stdout.write(f"credits expired: {len(expired)}")


class _Progress:
    """A rich progress bar of contracts assessed on a terminal; nothing otherwise."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("contracts assessed"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
        )
        self.bar.start()
        task = self.bar.add_task("assess", total=None)
        return lambda n, total: self.bar.update(task, completed=n, total=total)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False
