"""Benchmark of the public register at scale, beside raw-SQL baselines doing the same data access.

    .venv/bin/python bench/registry.py [--n 100000] [--database-url URL] [--reps 30] [--json]

Migrates a fresh database (by default a new SQLite file under var/bench/, removed afterwards unless
``--keep``), loads the reference data, bulk-seeds N organisations with their register entries and
history (``innocluster.seed.registry_bulk.seed_registry_bulk``: benchmark data, not audited), then times:

(a) register search: ``search_register`` with a name query, one page of 50 rows plus its count
    (and the whole ``/register/?q=`` page), beside one raw SQL query for the same 50 rows + COUNT;
(b) participant page: ``/register/<number>/`` through ``django.test.Client`` (and the selector
    alone), beside raw SQL for the same participant and its history rows;
(c) CSV export: the whole ``/register/export.csv`` streamed and consumed, beside a raw SELECT of
    the same columns for every row;
(d) queries per page (list and participant) at N=1,000 and at N: the counts must not grow.

Each timing is ``time.perf_counter`` over ``--reps`` repetitions after one warm-up: median and p95
(nearest rank). A PostgreSQL database given with ``--database-url`` must be empty of register data
(or pass ``--reset`` to flush it first: it deletes every row of every table), or pass ``--reuse``
to time a database seeded by an earlier run (``--keep``, or ``innocluster seed registry --bulk``):
it is migrated, not seeded again, and the queries at N=1,000 are not counted. Seeding 100,000
organisations takes minutes; reusing one database per engine keeps repeated runs short.

The raw-SQL baselines read through the same index as the register: on SQLite the FTS5 trigram
table where it exists (a ``LIKE`` scan otherwise), on PostgreSQL the ``LIKE`` that ``pg_trgm`` serves.
"""

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

import _benchkit as benchkit

ROOT = Path(__file__).resolve().parent.parent
SEARCH = "Сарыарка"  # a company-name word the generator uses for about 1 in 36 organisations
SMALL_N = 1_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="organisations to seed (default 100000)")
    parser.add_argument("--database-url", help="default: a new SQLite file under var/bench/")
    parser.add_argument("--reps", type=int, default=30, help="repetitions per measurement (default 30)")
    parser.add_argument("--export-reps", type=int, help="repetitions of the CSV export (default: --reps)")
    parser.add_argument("--query", default=SEARCH, help=f"name searched in (a) (default {SEARCH!r})")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    parser.add_argument("--reset", action="store_true", help="flush a non-empty database first")
    parser.add_argument("--reuse", action="store_true", help="time the data already in the database")
    return parser.parse_args()


def setup(args: argparse.Namespace) -> Path | None:
    return benchkit.setup(args, "registry", extra_hosts=True)


timed = benchkit.timed


class Bench:
    def __init__(self, args: argparse.Namespace, progress):
        from django.db import connection

        self.args = args
        self.connection = connection
        self.vendor = connection.vendor
        self.progress = progress
        self.results: dict = {
            "n": args.n,
            "database": self.vendor,
            "skipped": [],
            "timings": {},
            "queries": {},
        }

    # --- database ------------------------------------------------------------------------------
    def prepare(self) -> None:
        from django.core.management import call_command

        from innocluster.registry.models import Participant

        has_data = Participant.objects.exists
        self.reused = benchkit.prepare(self.args, lambda: has_data(), "organisations")
        if self.reused:
            return
        if has_data():
            call_command("flush", interactive=False, verbosity=0)
        from innocluster.registry.services.register import load_reference_data

        load_reference_data()

    def seed(self, n: int) -> float:
        from innocluster.seed.registry_bulk import seed_registry_bulk

        started = time.perf_counter()
        seed_registry_bulk(n, self.progress, seed=20140610 + n)
        return time.perf_counter() - started

    def sample_participant(self) -> str:
        """An organisation's entry with the longest history (suspended, then reinstated or excluded)."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.number FROM registry_participant p JOIN registry_statuschange h ON h.participant_id = p.id"
                " WHERE p.organisation_id IS NOT NULL GROUP BY p.id, p.number ORDER BY COUNT(*) DESC, p.number LIMIT 1"
            )
            return cursor.fetchone()[0]

    # --- availability of the other engineers' code ---------------------------------------------
    def views_available(self) -> bool:
        from django.urls import Resolver404, resolve

        try:
            resolve("/register/")
            resolve("/register/export.csv")
            resolve("/register/2020-00001/")
        except Resolver404:
            self.skip("views", "the URLs /register/... are not routed in innocluster/urls.py yet")
            return False
        return True

    def selectors_available(self) -> bool:
        try:
            from innocluster.registry.selectors import register as selectors

            selectors.search_register  # noqa: B018
        except (ImportError, AttributeError) as exc:
            self.skip("selectors", f"innocluster.registry.selectors.register.search_register missing ({exc})")
            return False
        return True

    def skip(self, what: str, why: str) -> None:
        self.results["skipped"].append({"what": what, "why": why})

    # --- (a) search ----------------------------------------------------------------------------
    def raw_search(self, q: str) -> tuple[list[tuple], int]:
        """The same data access as the selector, by hand: one LIKE on the case-folded names column
        (every alphabet folded in Python when the row is written), or the register number."""
        where = "(p.search_text LIKE %s OR p.number = %s)"
        params = [f"%{q.casefold()}%", q]
        if self.has_fts and len(q) >= 3:
            where = (
                "(p.id IN (SELECT rowid FROM registry_participant_search WHERE registry_participant_search MATCH %s)"
                " OR p.number = %s)"
            )
            params = ['"' + q.casefold().replace('"', '""') + '"', q]
        joins = (
            " FROM registry_participant p"
            " LEFT JOIN parties_organisation o ON o.id = p.organisation_id"
            " JOIN registry_participantcategory c ON c.id = p.category_id"
            " LEFT JOIN parties_region r ON r.id = p.region_id"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.number, p.display_name, p.status, p.registered_on, p.status_since, o.bin,"
                " o.name_kk, o.name_ru, o.name_en, o.legal_form, c.code, c.name_kk, c.name_ru, c.name_en,"
                " r.kato, r.name_kk, r.name_ru, r.name_en"
                + joins
                + " WHERE "
                + where
                + " ORDER BY p.number LIMIT 50",
                params,
            )
            rows = cursor.fetchall()
            cursor.execute("SELECT COUNT(*) FROM registry_participant p WHERE " + where, params)
            return rows, cursor.fetchone()[0]

    @property
    def has_fts(self) -> bool:
        if self.vendor != "sqlite":
            return False
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'registry_participant_search'")
            return cursor.fetchone() is not None

    def raw_list(self) -> tuple[list[tuple], int]:
        """The first page of the whole register and its size, by hand (the page also counts by status)."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.number, p.display_name, p.status, p.registered_on, p.status_since, o.bin,"
                " o.name_kk, o.name_ru, o.name_en, o.legal_form, c.code, c.name_kk, c.name_ru, c.name_en,"
                " r.kato, r.name_kk, r.name_ru, r.name_en"
                " FROM registry_participant p"
                " LEFT JOIN parties_organisation o ON o.id = p.organisation_id"
                " JOIN registry_participantcategory c ON c.id = p.category_id"
                " LEFT JOIN parties_region r ON r.id = p.region_id"
                " ORDER BY p.number LIMIT 50"
            )
            rows = cursor.fetchall()
            cursor.execute("SELECT COUNT(*) FROM registry_participant")
            return rows, cursor.fetchone()[0]

    def measure_list(self, reps: int) -> None:
        from django.test import Client

        client = Client()
        self.results["timings"]["a_list_page"] = {
            "label": "(a0) /register/ page (HTML, no filter)",
            "django": timed(lambda: _get_ok(client, "/register/"), reps),
            "raw": timed(self.raw_list, reps),
        }

    def orm_search(self, q: str) -> tuple[list, int]:
        from innocluster.registry.selectors.register import RegisterFilter, search_register

        qs = search_register(RegisterFilter(q=q))
        return list(qs[:50]), qs.count()

    def measure_search(self, reps: int) -> None:
        q = self.args.query
        orm_rows, orm_count = self.orm_search(q)
        raw_rows, raw_count = self.raw_search(q)
        same = [p.number for p in orm_rows] == [r[0] for r in raw_rows] and orm_count == raw_count
        timings = self.results["timings"]
        timings["a_search"] = {
            "label": f"(a) search {q!r}: 50 rows + count ({orm_count} matches)",
            "django": timed(lambda: self.orm_search(q), reps),
            "raw": timed(lambda: self.raw_search(q), reps),
            "same_rows": same,
        }
        if self.has_views:
            from django.test import Client

            client = Client()
            timings["a_search_page"] = {
                "label": f"(a') /register/?q={q} page (HTML)",
                "django": timed(lambda: _get_ok(client, "/register/", {"q": q}), reps),
                "raw": timings["a_search"]["raw"],
            }

    # --- (b) participant page ------------------------------------------------------------------
    def raw_participant(self, number: str) -> tuple[tuple, list[tuple]]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.id, p.number, p.display_name, p.status, p.registered_on, p.status_since,"
                " o.bin, o.name_kk, o.name_ru, o.name_en, o.legal_form, o.address, a.oked, a.name_kk, a.name_ru,"
                " a.name_en, c.code, c.name_kk, c.name_ru, c.name_en, r.kato, r.name_kk, r.name_ru, r.name_en"
                " FROM registry_participant p"
                " LEFT JOIN parties_organisation o ON o.id = p.organisation_id"
                " LEFT JOIN parties_activity a ON a.id = o.activity_id"
                " JOIN registry_participantcategory c ON c.id = p.category_id"
                " LEFT JOIN parties_region r ON r.id = p.region_id"
                " WHERE p.number = %s",
                [number],
            )
            participant = cursor.fetchone()
            cursor.execute(
                "SELECT h.status, h.effective_on, h.reason, d.number, d.decided_on"
                " FROM registry_statuschange h LEFT JOIN decisions_decision d ON d.id = h.decision_id"
                " WHERE h.participant_id = %s ORDER BY h.effective_on, h.id",
                [participant[0]],
            )
            return participant, cursor.fetchall()

    def orm_participant(self, number: str):
        from innocluster.registry.selectors.register import participant_by_number

        participant = participant_by_number(number)
        return participant, list(participant.history.all())

    def measure_participant(self, number: str, reps: int) -> None:
        timings = self.results["timings"]
        raw = timed(lambda: self.raw_participant(number), reps)
        history = len(self.raw_participant(number)[1])
        if self.has_views:
            from django.test import Client

            client = Client()
            timings["b_participant_page"] = {
                "label": f"(b) /register/{number}/ page (HTML, {history} history rows)",
                "django": timed(lambda: _get_ok(client, f"/register/{number}/"), reps),
                "raw": raw,
            }
        with contextlib.suppress(ImportError):
            timings["b_participant_selector"] = {
                "label": "(b') participant_by_number + history (selector only)",
                "django": timed(lambda: self.orm_participant(number), reps),
                "raw": raw,
            }

    # --- (c) CSV export ------------------------------------------------------------------------
    def raw_export(self) -> int:
        rows = 0
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.number, COALESCE(NULLIF(o.name_kk, ''), p.display_name), COALESCE(o.bin, ''), c.code,"
                " c.name_kk, p.status, r.kato, r.name_kk, p.registered_on, p.status_since"
                " FROM registry_participant p"
                " LEFT JOIN parties_organisation o ON o.id = p.organisation_id"
                " JOIN registry_participantcategory c ON c.id = p.category_id"
                " LEFT JOIN parties_region r ON r.id = p.region_id"
                " ORDER BY p.number"
            )
            while chunk := cursor.fetchmany(2000):
                rows += len(chunk)
        return rows

    def measure_export(self, reps: int) -> None:
        from django.test import Client

        client = Client()

        def export() -> int:
            response = _get_ok(client, "/register/export.csv")
            size = sum(len(part) for part in response.streaming_content)
            response.close()
            return size

        size = export()
        rows = self.raw_export()
        self.results["timings"]["c_export"] = {
            "label": f"(c) /register/export.csv, {rows} rows, {size / 1e6:.1f} MB",
            "django": timed(export, reps),
            "raw": timed(self.raw_export, reps),
        }

    # --- (d) queries per page ------------------------------------------------------------------
    def count_queries(self, number: str) -> dict[str, int]:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client()
        counts = {}
        for name, path, params in (
            ("list /register/", "/register/", {}),
            ("search /register/?q=", "/register/", {"q": self.args.query}),
            ("list page 3 by name", "/register/", {"sort": "name", "page": "3"}),
            ("participant /register/<number>/", f"/register/{number}/", {}),
        ):
            with CaptureQueriesContext(connection) as ctx:
                _get_ok(client, path, params)
            counts[name] = len(ctx.captured_queries)
        return counts

    # --- the run -------------------------------------------------------------------------------
    def run(self) -> dict:
        args = self.args
        self.prepare()
        self.has_selectors = self.selectors_available()
        self.has_views = self.views_available()
        small = min(SMALL_N, args.n)
        seconds = 0.0
        if not self.reused:
            seconds = self.seed(small)
            number = self.sample_participant()
            self.results["participant"] = number
            if self.has_views:
                self.results["queries"][f"N={small}"] = self.count_queries(number)
            if args.n > small:
                seconds += self.seed(args.n - small)
        number = self.sample_participant()
        self.results["participant"] = number
        self.results["seed_seconds"] = seconds
        from innocluster.registry.models import Participant, StatusChange

        self.results["rows"] = {
            "participants": Participant.objects.count(),
            "history": StatusChange.objects.count(),
        }
        with self.connection.cursor() as cursor:  # fresh statistics, as autovacuum would gather
            cursor.execute("ANALYZE")
        if self.has_views:
            self.results["queries"][f"N={args.n}"] = self.count_queries(number)
            before, after = (
                self.results["queries"].values() if len(self.results["queries"]) == 2 else (None, None)
            )
            self.results["queries_constant"] = before == after if before is not None else True
        if self.has_views:
            self.measure_list(args.reps)
        if self.has_selectors:
            self.measure_search(args.reps)
            self.measure_participant(number, args.reps)
        if self.has_views:
            self.measure_export(args.export_reps or args.reps)
        return self.results


def _get_ok(client, path: str, params: dict | None = None):
    response = client.get(path, params or {})
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} {params or ''} answered {response.status_code}")
    if not response.streaming:
        response.content  # noqa: B018  (rendered already; read it as a browser would)
    return response


def print_table(results: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console() if sys.stdout.isatty() else Console(width=150)
    rows = results["rows"]
    console.print(
        f"[bold]register benchmark[/bold] on {results['database']}: N={results['n']} organisations "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
        f"{rows['participants']} participants, {rows['history']} history rows); "
        + (f"bulk seeding {results['seed_seconds']:.1f} s" if results["seed_seconds"] else "reused")
    )
    table = Table(title="median / p95 in ms")
    table.add_column("measurement")
    table.add_column("Django median", justify="right")
    table.add_column("Django p95", justify="right")
    table.add_column("raw SQL median", justify="right")
    table.add_column("raw SQL p95", justify="right")
    table.add_column("× raw", justify="right")
    table.add_column("Django CPU median", justify="right")
    table.add_column("raw CPU median", justify="right")
    for item in results["timings"].values():
        django, raw = item["django"], item["raw"]
        label = item["label"] + ("" if item.get("same_rows", True) else " [red](rows differ!)[/red]")
        table.add_row(
            label,
            f"{django['median_ms']:.2f}",
            f"{django['p95_ms']:.2f}",
            f"{raw['median_ms']:.2f}",
            f"{raw['p95_ms']:.2f}",
            f"{django['median_ms'] / raw['median_ms']:.1f}",
            f"{django['cpu_median_ms']:.2f}",
            f"{raw['cpu_median_ms']:.2f}",
        )
    console.print(table)
    if results["queries"]:
        queries = Table(title="queries per page (must not grow with N)")
        queries.add_column("page")
        for size in results["queries"]:
            queries.add_column(size, justify="right")
        first = next(iter(results["queries"].values()))
        for page in first:
            queries.add_row(page, *(str(counts[page]) for counts in results["queries"].values()))
        console.print(queries)
        verdict = "[green]constant[/green]" if results.get("queries_constant") else "[red]GROWS[/red]"
        console.print(f"queries per page: {verdict}")
    for skipped in results["skipped"]:
        console.print(f"[yellow]skipped {skipped['what']}:[/yellow] {skipped['why']}")


def main() -> None:
    args = parse_args()
    sqlite_file = setup(args)
    benchkit.run(args, sqlite_file, lambda progress: Bench(args, progress).run(), print_table)


if __name__ == "__main__":
    main()
