"""What the benchmarks share: pointing Django at the benchmark database, timing a measurement
(median, p95, CPU), and running a benchmark with a progress bar for its seeding and the clean-up
of a throw-away SQLite file. Each script under bench/ imports it (it sits beside them)."""

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(args: argparse.Namespace, name: str, *, extra_hosts: bool = False) -> Path | None:
    """Point Django at ``args.database_url`` (default: a new SQLite file var/bench/<name>-<pid>)
    before anything imports the settings; DEBUG off, so no query log: timings as in production."""
    sqlite_file = None
    if args.database_url:
        url = args.database_url
    else:
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        sqlite_file = folder / f"{name}-{os.getpid()}.sqlite3"
        url = f"sqlite:///{sqlite_file}"
        args.database_url = url
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "innocluster.settings"
    os.environ["DEBUG"] = "0"
    src = str(ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    import django

    django.setup()
    if extra_hosts:
        from django.conf import settings

        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    return sqlite_file


def timed(fn: Callable[[], object], reps: int) -> dict:
    """``fn`` once to warm up (caches, prepared templates, the OS page cache), then ``reps`` times:
    wall-clock median and p95 (nearest rank), and this process's CPU median — on a busy machine it
    moves far less than the wall clock (on SQLite it includes the database's work; on PostgreSQL
    the server's work is not in it)."""
    fn()
    samples, cpu = [], []
    for _ in range(reps):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    ordered = sorted(samples)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return {
        "median_ms": statistics.median(samples) * 1000,
        "p95_ms": p95 * 1000,
        "cpu_median_ms": statistics.median(cpu) * 1000,
        "reps": reps,
    }


def run(args: argparse.Namespace, sqlite_file: Path | None, bench: Callable, report: Callable) -> None:
    """``bench(progress)`` (``progress(done, total)`` drives a bar on a terminal, or is None) and
    then its results as JSON (``--json``) or through ``report(results)``; a throw-away SQLite
    file is removed unless ``--keep``."""
    progress_bar = None
    progress = None
    if not args.json and sys.stdout.isatty():
        from rich.progress import Progress

        progress_bar = Progress()
        task = progress_bar.add_task("bulk seeding", total=None)

        def progress(done: int, total: int) -> None:
            progress_bar.update(task, completed=done, total=total)

        progress_bar.start()
    try:
        try:
            results = bench(progress)
        finally:
            if progress_bar is not None:
                progress_bar.stop()
        if args.json:
            print(json.dumps(results, indent=2, ensure_ascii=False, default=str))
        else:
            report(results)
        if sqlite_file is not None and args.keep:
            print(f"kept {sqlite_file}", file=sys.stderr)
    finally:
        if sqlite_file is not None and not args.keep:
            from django.db import connection

            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)


def prepare(args: argparse.Namespace, has_data: Callable[[], bool], what: str) -> bool:
    """Migrate the benchmark database; answer whether it is reused as it is (``--reuse`` and
    ``has_data()``). A database holding ``what`` is refused unless ``--reuse`` or ``--reset``
    (the caller empties it then)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not has_data():
        return False
    if args.reuse:
        return True
    if not args.reset:
        sys.exit(f"the database already holds {what}: use an empty database or pass --reset")
    return False
