"""``innocluster calendar load|year|deadline``: the working-day calendar from the command line."""

import argparse
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from innocluster.core import calendar, services


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


class Command(BaseCommand):
    help = "Load decree overrides, list a year's holidays and transfers, compute a working-day deadline."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="insert the shipped decree overrides that are missing (never overwrites)")
        year = sub.add_parser("year", help="weekdays off and working weekend days of a year")
        year.add_argument("year", type=int)
        year.add_argument("--language", default="en", choices=["kk", "ru", "en"])
        year.add_argument("--json", action="store_true", dest="as_json")
        deadline = sub.add_parser("deadline", help="the N-th working day after a date")
        deadline.add_argument("start", type=_date)
        deadline.add_argument("days", type=int)

    def handle(self, *args, action, **options):
        if action == "load":
            added = services.load_overrides()
            self.stdout.write(f"calendar: {added} decree overrides added (existing rows kept)")
        elif action == "year":
            if not 1992 <= options["year"] <= 2100:
                raise CommandError("year must be between 1992 and 2100")
            days = calendar.irregular_days(
                date(options["year"], 1, 1), date(options["year"], 12, 31), options["language"]
            )
            if options["as_json"]:
                rows = [{"date": d.isoformat(), "working": w, "name": n} for d, w, n in days]
                self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
                return
            for day, working, name in days:
                kind = "working" if working else "off"
                self.stdout.write(f"{day.isoformat()} {day:%a}  {kind:7}  {name or ''}")
        else:
            if options["days"] < 0:
                raise CommandError("days must be zero or more")
            self.stdout.write(calendar.add_working_days(options["start"], options["days"]).isoformat())
