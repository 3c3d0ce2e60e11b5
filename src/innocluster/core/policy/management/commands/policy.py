"""``innocluster policy show|list|load|test``: read and check the rules in force."""

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from innocluster.core.policy import lawcases, services, values
from innocluster.core.policy.models import ParameterValue, Regime


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


class Command(BaseCommand):
    help = "Show policy values in force, load the shipped defaults, run law cases."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="the value of KEY in force on a date, with its legal reference")
        show.add_argument("key")
        show.add_argument("--on", type=_date, help="date (YYYY-MM-DD); default today in Almaty")
        show.add_argument("--regime", help="regime code; default the active regime")
        show.add_argument("--json", action="store_true", dest="as_json")
        listing = sub.add_parser("list", help="every key of a regime with the value in force")
        listing.add_argument("--on", type=_date)
        listing.add_argument("--regime")
        listing.add_argument("--json", action="store_true", dest="as_json")
        sub.add_parser("load", help="insert the shipped defaults that are missing (never overwrites)")
        test = sub.add_parser("test", help="run YAML law cases; exit 1 on any failure")
        test.add_argument(
            "paths", nargs="*", type=Path, help="files or folders (default: every app's lawcases/)"
        )
        test.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, action, **options):
        return getattr(self, f"do_{action}")(**options)

    def do_show(self, *, key, on, regime, as_json: bool, **_):
        try:
            found = values.lookup(key, on=on, regime=regime)
        except values.PolicyError as exc:
            raise CommandError(str(exc)) from exc
        self._print([found], as_json=as_json, single=True)

    def do_list(self, *, on, regime, as_json: bool, **_):
        code = regime or values.active_regime_code()
        if not Regime.objects.filter(code=code).exists():
            raise CommandError(str(values.UnknownRegime(code)))
        keys = (
            ParameterValue.objects.filter(regime__code=code)
            .order_by("key")
            .values_list("key", flat=True)
            .distinct()
        )
        found = []
        for key in keys:
            try:
                found.append(values.lookup(key, on=on, regime=code))
            except values.NoValueInForce:
                continue
        self._print(found, as_json=as_json)

    def _print(self, found, *, as_json: bool, single: bool = False):
        if as_json:
            data = [f.as_json() for f in found]
            self.stdout.write(json.dumps(data[0] if single else data, ensure_ascii=False, indent=2))
            return
        for f in found:
            shown = "none (explicitly no value)" if f.value is None else f.as_json()["value"]
            until = f" until {f.valid_until.isoformat()}" if f.valid_until else ""
            self.stdout.write(f"{f.key} = {shown}  [{f.kind}]")
            self.stdout.write(f"  regime {f.regime}, in force from {f.valid_from.isoformat()}{until}")
            self.stdout.write(f"  reference ({f.source}): {f.reference}")

    def do_load(self, **_):
        try:
            result = services.load_defaults()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"policy defaults: {result.regimes_added} regimes added, {result.values_added} values added, "
            f"{result.values_present} already present (never overwritten)"
        )

    def do_test(self, *, paths, as_json: bool, **_):
        try:
            results = lawcases.run(paths or None)
        except (lawcases.CaseFileError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        failed = [r for r in results if not r.passed]
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "passed": len(results) - len(failed),
                        "failed": len(failed),
                        "cases": [r.as_json() for r in results],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for r in results:
                mark = "ok  " if r.passed else "FAIL"
                line = f"{mark} {r.name}  ({r.file})"
                if not r.passed:
                    line += f"\n     expected {r.expected!r}, got {r.actual!r}"
                self.stdout.write(line)
            verdict = (
                f"{len(failed)} of {len(results)} law cases failed"
                if failed
                else f"all {len(results)} law cases passed"
            )
            self.stdout.write(verdict)
        if not results:
            raise CommandError("no law cases found")
        if failed:
            sys.exit(1)
