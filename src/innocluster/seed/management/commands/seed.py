"""``innocluster seed registry --organisations N [--bulk]``: fill the register with generated data.

Without ``--bulk`` the rows go through the registry's services (validated and audited, idempotent:
the demo path). ``--bulk`` writes benchmark-scale data with ``bulk_create`` and NO audit events:
use it only on a throwaway database (benchmarks), never for a demo or real data.
"""

import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from innocluster.core.audit.chain import ChainTamperedError, seal_pending


class Command(BaseCommand):
    help = "Generate register data: through the services (audited, idempotent) or --bulk for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("target", choices=["registry"], help="what to seed")
        parser.add_argument("--organisations", type=int, default=220, help="how many organisations")
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="bulk_create in batches, no audit events: benchmark data only, never a demo",
        )
        parser.add_argument("--seed", type=int, default=None, help="random seed of the bulk generator")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, target: str, organisations: int, bulk: bool, seed, json: bool, **options):
        from innocluster.seed import registry, registry_bulk

        if organisations < 1:
            raise CommandError("--organisations must be at least 1")
        started = time.perf_counter()
        with _progress(self.stdout, enabled=not json) as progress:
            try:
                if bulk:
                    kwargs = {"seed": seed} if seed is not None else {}
                    result = registry_bulk.seed_registry_bulk(organisations, progress, **kwargs)
                else:
                    result = registry.seed_registry_demo(organisations, progress)
            except (FileNotFoundError, RuntimeError) as exc:
                raise CommandError(str(exc)) from exc
        if not bulk:
            try:
                seal_pending()
            except ChainTamperedError as exc:
                raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        report = {"target": target, "mode": "bulk" if bulk else "services", **result.as_dict()}
        report["seconds"] = round(elapsed, 3)
        if json:
            self.stdout.write(_json_dumps(report))
            return
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(result.by_status.items())) or "-"
        self.stdout.write(
            f"{report['mode']}: {result.organisations} organisations, {result.individuals} individuals, "
            f"{result.participants} participants ({statuses}), {result.status_changes} status changes; "
            f"{result.skipped} already present; {elapsed:.1f} s"
        )
        if bulk:
            self.stdout.write("bulk rows carry no audit events: benchmark data only.")


def _json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class _progress:
    """A rich progress bar when stdout is a terminal; otherwise a line every 10% (or nothing)."""

    def __init__(self, stdout, *, enabled: bool):
        self.stdout = stdout
        self.enabled = enabled
        self.tty = enabled and _isatty(stdout)
        self.bar = None
        self.task = None
        self.last_tenth = -1

    def __enter__(self):
        if self.tty:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self.bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
            )
            self.bar.start()
        return self

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            if self.task is None:
                self.task = self.bar.add_task("seeding the register", total=total)
            self.bar.update(self.task, completed=done, total=total)
        elif self.enabled and total:
            tenth = done * 10 // total
            if tenth != self.last_tenth and (tenth > self.last_tenth or done == total):
                self.last_tenth = tenth
                self.stdout.write(f"  {done}/{total}")

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False


def _isatty(stream) -> bool:
    target = getattr(stream, "_out", stream)
    try:
        return bool(target.isatty()) and target is sys.stdout
    except (AttributeError, ValueError):
        return False
