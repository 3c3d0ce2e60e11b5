"""``innocluster workforce``: foreign specialists from the command line.

innocluster workforce report --from 2026-01-01 --to 2026-03-31 --format csv|xlsx --output FILE [--as USERNAME]

The report of attracted foreigners for the state bodies (the migration service, the security
committee), with the passport data in full: the operator of the server hands it over. Each run is
an audited read of every foreigner in it (``--as`` names the person; else the system).

Exit codes: 0 success, 1 a refusal (no such user, a file that cannot be written), 2 wrong usage
(a date that is not YYYY-MM-DD, a period that starts after it ends, an unknown format)."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: write YYYY-MM-DD", returncode=2) from None


class Command(BaseCommand):
    help = "Foreign specialists: the report of attracted foreigners for the state bodies."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        report = sub.add_parser("report", help="attracted foreigners of a period, as CSV or XLSX")
        report.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
        report.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
        report.add_argument("--format", dest="fmt", choices=("csv", "xlsx"), default="xlsx")
        report.add_argument("--output", type=Path, required=True, metavar="FILE")
        report.add_argument("--as", dest="as_user", metavar="USERNAME")

    def handle(self, *args, what, **options):
        getattr(self, f"run_{what}")(**options)

    def run_report(self, *, start, end, fmt, output, as_user=None, **_):
        from django.contrib.auth import get_user_model
        from django.utils import translation

        from innocluster.core.exports import xlsx_bytes
        from innocluster.workforce.selectors import reports as selectors
        from innocluster.workforce.views import reports as views

        start, end = _day(start), _day(end)
        if start > end:
            raise CommandError(
                "the period starts after it ends: --from must be on or before --to", returncode=2
            )
        user = None
        if as_user:
            user = get_user_model().objects.filter(username=as_user).first()
            if user is None:
                raise CommandError(f"no user {as_user!r}", returncode=1)
        with translation.override("ru"):
            rows = selectors.report_rows(start, end, masked=False)
            if fmt == "csv":
                content = views.csv_response("report", rows).content
            else:
                table = [[row.values[c] for c in selectors.REPORT_COLUMNS] for row in rows]
                content = xlsx_bytes(views.header(), table, sheet="foreigners")
        try:
            output.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}", returncode=1) from exc
        if rows:
            selectors.record_report_read(
                user,
                rows,
                where={
                    "report": "state",
                    "from": start.isoformat(),
                    "to": end.isoformat(),
                    "format": fmt,
                    "cli": True,
                },
            )
        self.stdout.write(
            f"{output}: {len(rows)} foreign specialists, {start.isoformat()} – {end.isoformat()}"
        )
