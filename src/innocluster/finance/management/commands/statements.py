"""``innocluster statements import FILE [--format auto|mt940|camt053|1c|csv] [--dry-run] [--json]``

Imports a bank statement file with a progress bar on a terminal and prints the summary
(statements, lines, new, already imported, matched, unmatched). The same file twice changes
nothing; a file that cannot be imported changes nothing and exits 1 naming the line or element."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

FORMATS = ("auto", "mt940", "camt053", "1c", "csv")


class Command(BaseCommand):
    help = "Import bank statements (MT940, camt.053, 1C ClientBankExchange, CSV)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        imp = sub.add_parser("import", help="import a statement file")
        imp.add_argument("file", type=Path)
        imp.add_argument("--format", dest="fmt", choices=FORMATS, default="auto")
        imp.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        imp.add_argument("--json", action="store_true", dest="as_json")
        imp.add_argument("--as", dest="as_user", metavar="USERNAME", help="who imports (for the audit log)")

    def handle(self, *args, what, file, fmt, dry_run, as_json, as_user, **options):
        from django.contrib.auth import get_user_model

        from innocluster.finance.services.statements import import_statement

        if not file.is_file():
            raise CommandError(f"no such file: {file}", returncode=1)
        by = None
        if as_user:
            by = get_user_model().objects.filter(username=as_user).first()
            if by is None:
                raise CommandError(f"no user {as_user!r}", returncode=1)
        with open(file, "rb") as stream, _progress(file, enabled=not as_json and sys.stderr.isatty()) as tick:
            summary = import_statement(
                stream, file_name=file.name, fmt=fmt, by=by, dry_run=dry_run, progress=tick
            )
        data = summary.as_dict()
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        prefix = "dry run (nothing written): " if dry_run else ""
        self.stdout.write(
            f"{prefix}{file.name} ({summary.format}): statements {summary.statements}, lines {summary.lines}, "
            f"new {summary.new}, already imported {summary.known}, matched {summary.matched}, "
            f"unmatched {summary.unmatched}"
        )


class _progress:
    """A rich progress bar counting lines on a terminal; nothing otherwise."""

    def __init__(self, file: Path, enabled: bool):
        self.enabled = enabled
        self.bar = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), transient=True
        )
        self.bar.start()
        task = self.bar.add_task("lines read: 0")
        return lambda n: self.bar.update(task, description=f"lines read: {n:,}")

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False
