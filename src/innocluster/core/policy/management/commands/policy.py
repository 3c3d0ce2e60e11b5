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
        compare = sub.add_parser(
            "compare", help="the same date under two or more regimes: which values differ, and outcomes"
        )
        compare.add_argument(
            "--regime", action="append", required=True, dest="regimes", help="give twice or more"
        )
        compare.add_argument("--on", type=_date, help="date (YYYY-MM-DD); default today in Almaty")
        compare.add_argument("--all", action="store_true", help="list every key, not only those that differ")
        compare.add_argument(
            "--what-if", dest="what_if", help="a subject kind apps offer (see --what-if list)"
        )
        compare.add_argument(
            "--subject", default="", help="the subject: a BIN, an application number, an amount"
        )
        compare.add_argument("--json", action="store_true", dest="as_json")
        sub.add_parser("load", help="insert the shipped defaults that are missing (never overwrites)")
        test = sub.add_parser("test", help="run YAML law cases; exit 1 on any failure")
        test.add_argument(
            "paths", nargs="*", type=Path, help="files or folders (default: every app's lawcases/)"
        )
        test.add_argument("--json", action="store_true", dest="as_json")
        test.add_argument(
            "--coverage",
            action="store_true",
            help="also list every (regime, key) that no passing case reads; exit 1 if any",
        )

    def handle(self, *args, action, **options):
        return getattr(self, f"do_{action}")(**options)

    def do_show(self, *, key, on, regime, as_json: bool, **_):
        try:
            found = values.lookup(key, on=on, regime=regime)
        except values.PolicyError as exc:
            raise CommandError(str(exc)) from exc
        self._print([found], as_json=as_json, single=True)

    def do_list(self, *, on, regime, as_json: bool, **_):
        code = regime or values.regime_on(on)
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

    def do_compare(self, *, regimes, on, all: bool, what_if, subject, as_json: bool, **_):
        from innocluster.core.policy import compare

        offered = compare.what_ifs()
        if what_if == "list":
            for name, entry in offered.items():
                self.stdout.write(f"{name}: {entry.label} ({entry.prompt}, e.g. {entry.example})")
            return
        if len(regimes) < 2:
            raise CommandError("name at least two regimes: --regime A --regime B")
        for code in regimes:
            if not Regime.objects.filter(code=code).exists():
                raise CommandError(str(values.UnknownRegime(code)))
        on = on or values.today()
        rows = compare.compare_values(regimes, on, differing_only=not all)
        outcomes = []
        if what_if:
            if what_if not in offered:
                raise CommandError(f"unknown --what-if {what_if!r}; offered: {', '.join(offered) or 'none'}")
            try:
                outcomes = compare.compare_outcomes(offered[what_if], subject, regimes, on)
            except (LookupError, ValueError) as exc:
                raise CommandError(f"--subject {subject!r}: {exc}") from exc
        if as_json:
            data = {
                "on": on.isoformat(),
                "regimes": list(regimes),
                "values": [
                    {"key": r.key, "values": dict(zip(regimes, r.values, strict=True)), "differs": r.differs}
                    for r in rows
                ],
                "outcomes": [
                    {
                        "label": o.label,
                        "values": dict(zip(regimes, o.values, strict=True)),
                        "differs": o.differs,
                    }
                    for o in outcomes
                ],
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"on {on.isoformat()}: " + " | ".join(regimes))
        differing = sum(r.differs for r in rows)
        self.stdout.write(f"{differing} keys differ" + ("" if all else " (--all lists every key)"))
        for r in rows:
            mark = "≠" if r.differs else "="
            self.stdout.write(f"{mark} {r.key}: " + " | ".join(r.values))
        if outcomes:
            self.stdout.write(f"what if: {offered[what_if].label} {subject}")
            for o in outcomes:
                mark = "≠" if o.differs else "="
                self.stdout.write(f"{mark} {o.label}: " + " | ".join(o.values))

    def do_load(self, **_):
        try:
            result = services.load_defaults()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"policy defaults: {result.regimes_added} regimes added, {result.periods_added} timeline periods added, "
            f"{result.values_added} values added, "
            f"{result.values_present} already present (never overwritten)"
        )

    def do_test(self, *, paths, as_json: bool, coverage: bool = False, **_):
        try:
            results = lawcases.run(paths or None)
        except (lawcases.CaseFileError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        failed = [r for r in results if not r.passed]
        missing = lawcases.uncovered(results) if coverage else []
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "passed": len(results) - len(failed),
                        "failed": len(failed),
                        "cases": [r.as_json() for r in results],
                        **({"uncovered": [f"{r}:{k}" for r, k in missing]} if coverage else {}),
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
            if coverage:
                for regime, key in missing:
                    self.stdout.write(f"NO CASE {regime}:{key}")
                self.stdout.write(
                    f"{len(missing)} (regime, key) pairs have no passing law case"
                    if missing
                    else "every key of every regime is read by a passing law case"
                )
        if not results:
            raise CommandError("no law cases found")
        if failed or missing:
            sys.exit(1)
