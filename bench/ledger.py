"""Benchmark of the Fund's ledger at scale, beside raw-SQL baselines doing the same data access.

    .venv/bin/python bench/ledger.py [--postings 2000000] [--database-url URL] [--reps 20] [--json]
                                     [--keep|--reuse|--reset] [--statement-lines 100000]

Migrates a fresh database (by default a new SQLite file under var/bench/, removed afterwards unless
``--keep``), then bulk-seeds ``--postings`` posted journal lines (half as many balanced two-line
entries over three years, ~40 accounts of the chart, a few thousand organisations as parties:
``innocluster.seed.finance_bulk.seed_ledger_bulk``). SEEDING BYPASSES THE COMMANDS: entries are
inserted already posted with the protection triggers lifted, and re-installed afterwards; no audit
events (benchmark data, not audited: see that module). Then it times:

(a) trial balance: ``selectors.ledger.trial_balance()`` beside one raw grouped query over the
    posted lines (JOIN entry, ``status = 'posted'``) + the account rows;
(b) trial balance at a date in the middle of the range (``at=``), the same with ``date <= at``;
(c) the busiest account's ledger, first page (``account_ledger(account, limit=100)``) and a page
    in the middle of the account (``after=(date, id)``), beside raw SQL for the same 100 rows (line,
    entry and party columns) + the opening balance (the sum of the lines before the page);
(d) writes: ``--entries`` two-line entries posted through ``journal.post`` one by one (one audit
    event each) in one transaction, beside raw SQL doing the same writes in one transaction (entry
    inserted as draft, its 2 lines, the UPDATE to posted — the triggers stay installed for both —
    and one audit event row with the same columns, its row MAC written as the service does), and
    the same entries through ``journal.post_many`` (a batch, as an assessment run posts). The
    period is known open beforehand, as in a process that has posted before. The transactions are
    rolled back, so the database stays as seeded (and the after-commit seal of
    the audit chain does not run for either);
(e) import: a ``--statement-lines`` statement (``importers.samples.write``, CSV and camt.053) through
    ``import_statement`` with the matchers on, each in a child process (so its memory is its own):
    lines/s from a run without tracing, the ``tracemalloc`` peak from a second run with tracing,
    and the growth of ``ru_maxrss`` over the import (inherited from this process across exec, so
    it mostly reads 0) and of the child's own peak RSS (``VmHWM``); once at 10,000 lines and once
    at the full size, to see whether the peak grows with the file. The import is rolled back too.
    The bank account must exist: ``add_bank_account(samples.FUND_ACCOUNT, bic="HSBKKZKX", ...)``
    (the seeder adds it first, as the Fund's current account).

Reads are ``time.perf_counter`` over ``--reps`` repetitions after one warm-up: median and p95
(nearest rank), and the ratio of the medians (target: selector ≤ 1.5 × raw). Writes: the median of
``--write-reps`` runs, rows/s (an entry is 4 rows: entry, 2 lines, audit event); target: the
commands reach ≥ 50 % of the raw rate. ``core.db`` runs its statements on the driver's own cursor
(Django's checks kept, its per-call layers not), so the raw SQL is timed both ways: through
Django's cursor, and through the driver's. The share is also given by this process's CPU time, which
other jobs on the machine move less than the wall clock (on SQLite it is all the work).

A database given with ``--database-url`` must hold no journal lines (or pass ``--reset``: it
deletes every row of every table), or pass ``--reuse`` to time a database seeded by an earlier run
(``--keep`` for SQLite): it is migrated, not seeded again.

Reproduce (SQLite, then PostgreSQL; seeding 2M lines takes a few minutes per engine):

    .venv/bin/python bench/ledger.py --keep                       # prints the SQLite file it kept
    .venv/bin/python bench/ledger.py --reuse --database-url sqlite:///var/bench/ledger-NNN.sqlite3
    psql -h 127.0.0.1 -U postgres -c 'create database ic_ledger'
    .venv/bin/python bench/ledger.py --database-url postgres://postgres@127.0.0.1:5432/ic_ledger
    .venv/bin/python bench/ledger.py --database-url postgres://postgres@127.0.0.1:5432/ic_ledger --reuse --json
    .venv/bin/python bench/ledger.py --reuse --database-url URL --profile-writes   # cProfile of (d)
"""

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import _benchkit as benchkit

ROOT = Path(__file__).resolve().parent.parent
MID_DATE = dt.date(2024, 7, 1)  # the middle of the seeded range (2023-2025)
WRITE_DATE = dt.date(2025, 12, 15)
SMALL_STATEMENT = 10_000
CENT = Decimal("0.01")


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--postings", type=int, default=2_000_000, help="journal lines to seed (default 2000000)"
    )
    parser.add_argument("--database-url", help="default: a new SQLite file under var/bench/")
    parser.add_argument("--reps", type=int, default=20, help="repetitions per read (default 20)")
    parser.add_argument("--entries", type=int, default=2_000, help="entries posted in (d) (default 2000)")
    parser.add_argument("--write-reps", type=int, default=3, help="runs of (d) per side (default 3)")
    parser.add_argument("--statement-lines", type=int, default=100_000, help="lines of the statement in (e)")
    parser.add_argument(
        "--formats", default="csv,camt053", help="statement formats for (e) (default csv,camt053)"
    )
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: reads,writes,import")
    parser.add_argument("--profile-writes", action="store_true", help="print a cProfile of journal.post runs")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    parser.add_argument("--reset", action="store_true", help="flush a non-empty database first")
    parser.add_argument("--reuse", action="store_true", help="time the data already in the database")
    parser.add_argument("--import-child", help=argparse.SUPPRESS)  # fmt:lines:trace, run by (e)
    return parser.parse_args(argv)


def setup(args: argparse.Namespace) -> Path | None:
    return benchkit.setup(args, "ledger")


timed = benchkit.timed


def _same(a, b) -> bool:
    """Equal, amounts within 2 tiyn: on SQLite, SUM over decimals is a float sum, and the selector
    (Django's converter) and the baseline (``repr``) may round its last digit differently."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return abs(a - b) <= Decimal("0.02")
    return a == b


def _money(value) -> Decimal:
    return Decimal(value if not isinstance(value, float) else repr(value)).quantize(CENT)


class Bench:
    def __init__(self, args: argparse.Namespace, progress):
        from django.db import connection

        self.args = args
        self.connection = connection
        self.vendor = connection.vendor
        self.progress = progress
        self.skip = set(filter(None, args.skip.split(",")))
        self.results: dict = {
            "postings": args.postings,
            "database": self.vendor,
            "cpus": os.cpu_count(),
            "load_average_start": os.getloadavg(),
            "timings": {},
            "writes": {},
            "import": [],
        }

    # --- database ------------------------------------------------------------------------------
    def prepare(self) -> None:
        from django.core.management import call_command

        from innocluster.finance.models import JournalLine

        has_data = JournalLine.objects.exists
        self.reused = benchkit.prepare(self.args, lambda: has_data(), "journal lines")
        if self.reused or not has_data():
            return
        from innocluster.finance import protection

        protection.uninstall_models(self.connection)  # the flush deletes lines and entries
        call_command("flush", interactive=False, verbosity=0)  # its post_migrate re-installs it and the chart

    def seed(self) -> None:
        from innocluster.seed.finance_bulk import seed_ledger_bulk

        result = seed_ledger_bulk(self.args.postings, self.progress)
        self.results["seed_seconds"] = result.seconds

    def busiest_account(self):
        from innocluster.finance.models import Account

        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT account_id FROM finance_journalline GROUP BY account_id ORDER BY COUNT(*) DESC LIMIT 1"
            )
            return Account.objects.get(pk=cursor.fetchone()[0])

    # --- (a), (b) trial balance ----------------------------------------------------------------
    def orm_trial_balance(self, at=None) -> list[tuple]:
        from innocluster.finance.selectors.ledger import trial_balance

        return [(b.account.code, b.debit, b.credit) for b in trial_balance(at)]

    def raw_trial_balance(self, at=None) -> list[tuple]:
        where, params = "", []
        if at is not None:
            where, params = " AND l.date <= %s", [at]
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT l.account_id, SUM(l.debit), SUM(l.credit) FROM finance_journalline l"
                " JOIN finance_journalentry e ON e.id = l.entry_id"
                " WHERE e.status = 'posted'" + where + " GROUP BY l.account_id",
                params,
            )
            totals = {a: (d, c) for a, d, c in cursor.fetchall()}
            ids = list(totals)
            cursor.execute(
                "SELECT * FROM finance_account WHERE id IN ("
                + ", ".join(["%s"] * len(ids))
                + ") ORDER BY code",
                ids,
            )
            columns = [c[0] for c in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        return [(r["code"], _money(totals[r["id"]][0]), _money(totals[r["id"]][1])) for r in rows]

    def measure_trial_balance(self, reps: int) -> None:
        timings = self.results["timings"]
        for key, label, at in (
            ("a_trial_balance", "(a) trial_balance(): all accounts", None),
            ("b_trial_balance_at", f"(b) trial_balance(at={MID_DATE})", MID_DATE),
        ):
            same = _same(self.orm_trial_balance(at), self.raw_trial_balance(at))
            timings[key] = {
                "label": label,
                "django": timed(lambda at=at: self.orm_trial_balance(at), reps),
                "raw": timed(lambda at=at: self.raw_trial_balance(at), reps),
                "same_rows": same,
            }

    # --- (c) an account's ledger ---------------------------------------------------------------
    def orm_ledger(self, account, after=None) -> tuple:
        from innocluster.finance.selectors.ledger import account_ledger

        opening, rows = account_ledger(account, after=after, limit=100)
        return opening, [
            (
                line.pk,
                line.date,
                line.debit,
                line.credit,
                line.reference,
                line.party_id and line.party_bin,
                bal,
            )
            for line, bal in rows
        ]

    def raw_ledger(self, account, after=None) -> tuple:
        sign = 1 if account.normal_side == "debit" else -1
        opening = Decimal("0.00")
        keyset, params = "", [account.pk]
        with self.connection.cursor() as cursor:
            if after is not None:
                cursor.execute(
                    "SELECT SUM(l.debit), SUM(l.credit) FROM finance_journalline l"
                    " JOIN finance_journalentry e ON e.id = l.entry_id"
                    " WHERE l.account_id = %s AND e.status = 'posted'"
                    " AND (l.date < %s OR (l.date = %s AND l.id <= %s))",
                    [account.pk, after[0], after[0], after[1]],
                )
                d, c = cursor.fetchone()
                opening = _money(d or 0) - _money(c or 0)
                keyset = " AND (l.date > %s OR (l.date = %s AND l.id > %s))"
                params += [after[0], after[0], after[1]]
            cursor.execute(
                "SELECT l.*, e.*, o.* FROM finance_journalline l"
                " JOIN finance_journalentry e ON e.id = l.entry_id"
                " LEFT JOIN parties_organisation o ON o.id = l.party_id"
                " WHERE l.account_id = %s AND e.status = 'posted'"
                + keyset
                + " ORDER BY l.date, l.id LIMIT 100",
                params,
            )
            columns = [c[0] for c in cursor.description]
            rows = cursor.fetchall()
        at = {name: columns.index(name) for name in ("id", "date", "debit", "credit", "reference", "bin")}
        running, out = opening, []
        for row in rows:
            debit, credit = _money(row[at["debit"]]), _money(row[at["credit"]])
            running += debit - credit
            out.append(
                (
                    row[at["id"]],
                    row[at["date"]],
                    debit,
                    credit,
                    row[at["reference"]],
                    row[at["bin"]],
                    sign * running,
                )
            )
        return sign * opening, out

    def middle_of(self, account) -> tuple:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM finance_journalline WHERE account_id = %s", [account.pk])
            n = cursor.fetchone()[0]
            cursor.execute(
                "SELECT date, id FROM finance_journalline WHERE account_id = %s ORDER BY date, id LIMIT 1 OFFSET %s",
                [account.pk, n // 2],
            )
            day, pk = cursor.fetchone()
        return (day if isinstance(day, dt.date) else dt.date.fromisoformat(day)), pk, n

    def measure_ledger(self, account, reps: int) -> None:
        timings = self.results["timings"]
        day, pk, n = self.middle_of(account)
        self.results["ledger_account"] = {"code": account.code, "lines": n, "after": [day.isoformat(), pk]}
        for key, label, after in (
            ("c_ledger_first", f"(c) account_ledger({account.code}, limit=100): first page", None),
            ("c_ledger_after", f"(c') account_ledger({account.code}, after=middle, limit=100)", (day, pk)),
        ):
            orm, raw = self.orm_ledger(account, after), self.raw_ledger(account, after)
            timings[key] = {
                "label": label + f" of {n} lines",
                "django": timed(lambda after=after: self.orm_ledger(account, after), reps),
                "raw": timed(lambda after=after: self.raw_ledger(account, after), reps),
                "same_rows": _same(orm, raw),
            }

    def explain(self, account) -> dict:
        """The plans of the selectors' queries (for the report)."""
        from django.db.models import Q, Sum

        from innocluster.finance.models import JournalLine
        from innocluster.finance.selectors.ledger import POSTED, _posted_lines

        day, pk, _n = self.middle_of(account)
        tb = _posted_lines().order_by().values_list("account_id").annotate(d=Sum("debit"), c=Sum("credit"))
        lines = JournalLine.objects.filter(POSTED, account=account)
        page = (
            lines.filter(Q(date__gt=day) | Q(date=day, id__gt=pk))
            .select_related("entry", "party")
            .order_by("date", "id")[:100]
        )
        opening = lines.filter(Q(date__lt=day) | Q(date=day, id__lte=pk))
        return {
            "trial_balance": tb.explain(),
            "ledger_page": page.explain(),
            "opening": opening.values("account").annotate(d=Sum("debit")).order_by().explain(),
        }

    # --- (d) writes ----------------------------------------------------------------------------
    def write_plan(self, n: int) -> list[tuple]:
        """``n`` two-line entries: (debit account, credit account, amount, party or None)."""
        from innocluster.finance.models import BankAccount
        from innocluster.finance.selectors.accounts import account as find_account
        from innocluster.parties.models import Organisation

        bank = BankAccount.objects.select_related("ledger_account").order_by("pk").first().ledger_account
        receivable, levy, donations = (
            find_account(k) for k in ("levy_receivable", "levy_income", "donations_income")
        )
        parties = list(Organisation.objects.order_by("pk")[:200])
        plan = []
        for i in range(n):
            amount = Decimal(100_000 + i * 7_919 % 9_000_000).scaleb(-2)
            if i % 2:
                plan.append((receivable, levy, amount, parties[i % len(parties)]))
            else:
                plan.append((bank, donations, amount, None))
        return plan

    def orm_writes(self, plan) -> None:
        from innocluster.finance.services.journal import Leg, post

        for i, (debit, credit, amount, party) in enumerate(plan):
            post(
                date=WRITE_DATE,
                description=f"Bench posting {i}",
                legs=[Leg(debit, debit=amount, party=party), Leg(credit, credit=amount)],
                reference=f"BENCH-{i}",
            )

    def orm_batch_writes(self, plan) -> None:
        from innocluster.finance.services.journal import Leg, Posting, post_many

        post_many(
            Posting(
                date=WRITE_DATE,
                description=f"Bench posting {i}",
                legs=[Leg(debit, debit=amount, party=party), Leg(credit, credit=amount)],
                reference=f"BENCH-{i}",
            )
            for i, (debit, credit, amount, party) in enumerate(plan)
        )

    def raw_writes(self, plan, driver: bool = False) -> None:
        """The writes by hand, five statements an entry, as ``post`` issues once the period is
        known open: the entry, its lines, the UPDATE to posted, the audit row and its MAC. Through
        Django's cursor, or with ``driver`` through the driver's own cursor (``?`` placeholders on
        SQLite), as ``core.db`` runs them."""
        import sqlite3

        from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
        from django.utils import timezone

        from innocluster.core.audit.services import canonical_content, mac
        from innocluster.finance.models import Period

        period = Period.objects.get(year=WRITE_DATE.year, month=WRITE_DATE.month).pk
        postgres = self.vendor == "postgresql"
        returning = " RETURNING id" if postgres else ""
        with self.connection.cursor() as django_cursor:
            cursor = django_cursor
            if driver:
                own, qmarks = django_cursor.cursor, {}

                class cursor:
                    lastrowid = None

                    @staticmethod
                    def execute(sql, params):
                        if postgres:
                            own.execute(sql, params)
                            return
                        if sql not in qmarks:
                            qmarks[sql] = FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")
                        sqlite3.Cursor.execute(own, qmarks[sql], params)
                        cursor.lastrowid = own.lastrowid

                    @staticmethod
                    def fetchone():
                        return own.fetchone()

            for i, (debit, credit, amount, party) in enumerate(plan):
                now = timezone.now()
                reference, description = f"BENCH-{i}", f"Bench posting {i}"
                cursor.execute(
                    "INSERT INTO finance_journalentry (date, period_id, reference, description, source_type,"
                    " source_id, kind, status, created_at) VALUES (%s, %s, %s, %s, '', '', 'system', 'draft', %s)"
                    + returning,
                    [WRITE_DATE, period, reference, description, now],
                )
                entry = cursor.fetchone()[0] if postgres else cursor.lastrowid
                source = [(debit, amount, Decimal("0.00"), party), (credit, Decimal("0.00"), amount, None)]
                cursor.execute(
                    "INSERT INTO finance_journalline (entry_id, date, account_id, debit, credit, party_id,"
                    " fund_source, memo) VALUES (%s, %s, %s, %s, %s, %s, %s, ''), (%s, %s, %s, %s, %s, %s, %s, '')",
                    [
                        v
                        for account, d, c, p in source
                        for v in (entry, WRITE_DATE, account.pk, d, c, p and p.pk, account.fund_source or "")
                    ],
                )
                posted_at = timezone.now()
                cursor.execute(
                    "UPDATE finance_journalentry SET status = 'posted', posted_at = %s, approved_by_id = NULL"
                    " WHERE id = %s",
                    [posted_at, entry],
                )
                number = f"JE-{WRITE_DATE.year}-{entry:07d}"
                changes = {
                    "date": WRITE_DATE.isoformat(),
                    "reference": reference,
                    "source": "",
                    "reverses": "",
                    "lines": [
                        [a.code, str(d), str(c), p and p.pk, None, a.fund_source or ""]
                        for a, d, c, p in source
                    ],
                }
                row = {
                    "occurred_at": timezone.now(),
                    "actor_id": None,
                    "actor_repr": "system",
                    "action": "finance.entry.posted",
                    "object_type": "finance.journalentry",
                    "object_id": str(entry),
                    "object_repr": f"{number} {description}"[:300],
                    "changes": changes,
                    "reason": "",
                    "ip": None,
                }
                cursor.execute(
                    "INSERT INTO audit_auditevent (occurred_at, actor_id, actor_repr, action, object_type, object_id,"
                    " object_repr, changes, reason, ip, row_mac, prev_mac, mac)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'pending', '', '')" + returning,
                    [*(row[k] for k in list(row)[:7]), json.dumps(changes), "", None],
                )
                event = cursor.fetchone()[0] if postgres else cursor.lastrowid
                row_mac = mac(b"row", canonical_content({"id": event, **row}))
                cursor.execute("UPDATE audit_auditevent SET row_mac = %s WHERE id = %s", [row_mac, event])

    def rolled_back(self, fn: Callable[[], object]) -> float:
        from django.db import transaction

        started, cpu = time.perf_counter(), time.process_time()
        with transaction.atomic():
            fn()
            elapsed = time.perf_counter() - started
            self.last_cpu = time.process_time() - cpu
            transaction.set_rollback(True)
        return elapsed

    def measure_writes(self) -> None:
        from innocluster.finance.services.journal import open_period_id

        open_period_id(WRITE_DATE)  # outside a transaction: remembered open, as after a first posting
        n = self.args.entries
        plan = self.write_plan(n)
        self.rolled_back(lambda: self.orm_writes(plan[: min(n, 200)]))  # warm-up
        self.rolled_back(lambda: self.raw_writes(plan[: min(n, 200)]))
        self.rolled_back(lambda: self.orm_batch_writes(plan[: min(n, 200)]))
        self.rolled_back(lambda: self.raw_writes(plan[: min(n, 200)], driver=True))
        orm, raw, batch, orm_cpu, raw_cpu, lean, lean_cpu = [], [], [], [], [], [], []
        for _ in range(self.args.write_reps):
            orm.append(self.rolled_back(lambda: self.orm_writes(plan)))
            orm_cpu.append(self.last_cpu)
            raw.append(self.rolled_back(lambda: self.raw_writes(plan)))
            raw_cpu.append(self.last_cpu)
            lean.append(self.rolled_back(lambda: self.raw_writes(plan, driver=True)))
            lean_cpu.append(self.last_cpu)
            batch.append(self.rolled_back(lambda: self.orm_batch_writes(plan)))
        orm_s, raw_s, batch_s = statistics.median(orm), statistics.median(raw), statistics.median(batch)
        self.results["writes"] = {
            "entries": n,
            "rows_per_entry": 4,
            "django_seconds": orm,
            "raw_seconds": raw,
            "django_entries_per_s": n / orm_s,
            "raw_entries_per_s": n / raw_s,
            "django_rows_per_s": 4 * n / orm_s,
            "raw_rows_per_s": 4 * n / raw_s,
            "django_share_of_raw": raw_s / orm_s,
            # This process's CPU time (on SQLite all the work; on PostgreSQL the client's part):
            # less moved by other jobs on the machine than the wall clock.
            "django_cpu_seconds": orm_cpu,
            "raw_cpu_seconds": raw_cpu,
            "django_cpu_share_of_raw": statistics.median(raw_cpu) / statistics.median(orm_cpu),
            # The same raw SQL through the driver's own cursor (core.db's way): the leaner baseline.
            "driver_raw_seconds": lean,
            "driver_raw_rows_per_s": 4 * n / statistics.median(lean),
            "django_share_of_driver_raw": statistics.median(lean) / orm_s,
            "django_cpu_share_of_driver_raw": statistics.median(lean_cpu) / statistics.median(orm_cpu),
            # The same by hand with post's 11 statements per entry (savepoints, period reads):
            "batch_seconds": batch,
            "batch_rows_per_s": 4 * n / batch_s,
            "batch_share_of_raw": raw_s / batch_s,
        }
        if self.args.profile_writes:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            self.rolled_back(lambda: profile.runcall(self.orm_writes, plan))
            stats = pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative")
            stats.print_stats(45)
            if os.environ.get("BENCH_CALLERS"):
                stats.print_callers(os.environ["BENCH_CALLERS"])
            stats.sort_stats("tottime").print_stats(25)
            if os.environ.get("BENCH_CALLERS"):  # who calls a function of the profile (a regex)
                stats.print_callers(os.environ["BENCH_CALLERS"])

    # --- (e) import ----------------------------------------------------------------------------
    def measure_import(self) -> None:
        from innocluster.finance.importers import samples
        from innocluster.finance.services.banking import add_bank_account

        add_bank_account(samples.FUND_ACCOUNT, bic="HSBKKZKX", name="bench")
        self.connection.close()  # the children open their own
        sizes = sorted({min(SMALL_STATEMENT, self.args.statement_lines), self.args.statement_lines})
        for fmt in filter(None, self.args.formats.split(",")):
            for lines in sizes:
                plain = _child(self.args, fmt, lines, trace=False)
                traced = _child(self.args, fmt, lines, trace=True)
                self.results["import"].append(
                    {
                        "format": fmt,
                        "lines": lines,
                        "seconds": plain["seconds"],
                        "lines_per_s": lines / plain["seconds"],
                        "maxrss_delta_mb": plain["maxrss_delta_mb"],
                        "maxrss_before_mb": plain["maxrss_before_mb"],
                        "hwm_before_mb": plain["hwm_before_mb"],
                        "hwm_delta_mb": plain["hwm_delta_mb"],
                        "tracemalloc_peak_mb": traced["tracemalloc_peak_mb"],
                        "traced_seconds": traced["seconds"],
                        "new": plain["new"],
                        "matched": plain["matched"],
                        "file_mb": plain["file_mb"],
                    }
                )

    # --- the run -------------------------------------------------------------------------------
    def run(self) -> dict:
        self.prepare()
        if not self.reused:
            self.seed()
        else:
            self.results["seed_seconds"] = 0.0
        from innocluster.finance.models import JournalEntry, JournalLine

        self.results["rows"] = {"entries": JournalEntry.objects.count(), "lines": JournalLine.objects.count()}
        with self.connection.cursor() as cursor:  # fresh statistics, as autovacuum would gather
            cursor.execute("ANALYZE")
        account = self.busiest_account()
        if "reads" not in self.skip:
            self.measure_trial_balance(self.args.reps)
            self.measure_ledger(account, self.args.reps)
            self.results["explain"] = self.explain(account)
        if "writes" not in self.skip:
            self.measure_writes()
        if "import" not in self.skip:
            self.measure_import()
        self.results["load_average_end"] = os.getloadavg()
        return self.results


def _child(args: argparse.Namespace, fmt: str, lines: int, trace: bool) -> dict:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--database-url",
        args.database_url,
        "--import-child",
        f"{fmt}:{lines}:{int(trace)}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 (this script)
    if done.returncode:
        raise RuntimeError(f"import child {fmt} {lines} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _vm_hwm_kb() -> int:
    """This process's own peak resident set (Linux). ``ru_maxrss`` is inherited across fork and
    exec: a child started by a process of 370 MB reports at least 370 MB, whatever it does."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def import_child(spec: str) -> None:
    """In a fresh process: write the sample statement to a file, then import it (rolled back)."""
    import resource
    import tracemalloc

    from django.db import transaction

    from innocluster.finance.importers import samples
    from innocluster.finance.services.statements import import_statement

    fmt, lines, trace = spec.split(":")
    lines, trace = int(lines), trace == "1"
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"statement-{os.getpid()}.{fmt}"
    samples.write_file(path, fmt, lines)
    try:
        import django.db

        django.db.connection.ensure_connection()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        hwm_before = _vm_hwm_kb()
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        with open(path, "rb") as stream, transaction.atomic():
            summary = import_statement(stream, file_name=path.name, fmt=fmt)
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        peak = tracemalloc.get_traced_memory()[1] if trace else None
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        hwm_after = _vm_hwm_kb()
        print(
            json.dumps(
                {
                    "seconds": seconds,
                    "new": summary.new,
                    "matched": summary.matched,
                    "maxrss_before_mb": before / 1024,
                    "maxrss_delta_mb": (after - before) / 1024,
                    "hwm_before_mb": hwm_before / 1024,
                    "hwm_delta_mb": (hwm_after - hwm_before) / 1024,
                    "tracemalloc_peak_mb": peak / 2**20 if peak is not None else None,
                    "file_mb": path.stat().st_size / 2**20,
                }
            )
        )
    finally:
        path.unlink(missing_ok=True)


def print_table(results: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console() if sys.stdout.isatty() else Console(width=160)
    rows = results["rows"]
    console.print(
        f"[bold]ledger benchmark[/bold] on {results['database']}: {rows['lines']} journal lines, "
        f"{rows['entries']} entries (load average {results['load_average_start'][0]:.1f} at the start, "
        f"{results['load_average_end'][0]:.1f} at the end, on {results['cpus']} CPUs); "
        + (f"bulk seeding {results['seed_seconds']:.1f} s" if results["seed_seconds"] else "reused")
    )
    if results["timings"]:
        table = Table(title="reads: median / p95 in ms")
        for column in ("measurement", "Django median", "Django p95", "raw median", "raw p95", "× raw",
                       "Django CPU", "raw CPU"):  # fmt: skip
            table.add_column(column, justify="left" if column == "measurement" else "right")
        for item in results["timings"].values():
            django, raw = item["django"], item["raw"]
            label = item["label"] + ("" if item.get("same_rows", True) else " [red](results differ!)[/red]")
            table.add_row(
                label,
                f"{django['median_ms']:.2f}",
                f"{django['p95_ms']:.2f}",
                f"{raw['median_ms']:.2f}",
                f"{raw['p95_ms']:.2f}",
                f"{django['median_ms'] / raw['median_ms']:.2f}",
                f"{django['cpu_median_ms']:.2f}",
                f"{raw['cpu_median_ms']:.2f}",
            )
        console.print(table)
    if results["writes"]:
        w = results["writes"]
        console.print(
            f"writes: {w['entries']} two-line entries in one transaction (median of {len(w['django_seconds'])}): "
            f"journal.post {w['django_rows_per_s']:.0f} rows/s ({w['django_entries_per_s']:.0f} entries/s), "
            f"raw SQL {w['raw_rows_per_s']:.0f} rows/s ({w['raw_entries_per_s']:.0f} entries/s): "
            f"journal.post reaches {100 * w['django_share_of_raw']:.0f} % of raw "
            f"({100 * w['django_cpu_share_of_raw']:.0f} % by this process's CPU time); beside raw SQL on the "
            f"driver's own cursor ({w['driver_raw_rows_per_s']:.0f} rows/s) "
            f"{100 * w['django_share_of_driver_raw']:.0f} % "
            f"({100 * w['django_cpu_share_of_driver_raw']:.0f} % by CPU); journal.post_many "
            f"{w['batch_rows_per_s']:.0f} rows/s, {100 * w['batch_share_of_raw']:.0f} % of raw"
        )
    if results["import"]:
        table = Table(title="statement import (matchers on), each in a fresh process, rolled back")
        for column in ("format", "lines", "file MB", "seconds", "lines/s", "tracemalloc peak MB",
                       "ru_maxrss growth MB", "VmHWM before MB", "VmHWM growth MB", "new", "matched"):  # fmt: skip
            table.add_column(column, justify="right")
        for item in results["import"]:
            table.add_row(
                item["format"],
                str(item["lines"]),
                f"{item['file_mb']:.1f}",
                f"{item['seconds']:.1f}",
                f"{item['lines_per_s']:.0f}",
                f"{item['tracemalloc_peak_mb']:.1f}",
                f"{item['maxrss_delta_mb']:.1f}",
                f"{item['hwm_before_mb']:.1f}",
                f"{item['hwm_delta_mb']:.1f}",
                str(item["new"]),
                str(item["matched"]),
            )
        console.print(table)


def report(results: dict) -> None:
    print_table(results)
    for name, plan in results.get("explain", {}).items():
        print(f"--- EXPLAIN {name}\n{plan}")


def main() -> None:
    args = parse_args()
    sqlite_file = setup(args)
    if args.import_child:
        import_child(args.import_child)
        return
    benchkit.run(args, sqlite_file, lambda progress: Bench(args, progress).run(), report)


if __name__ == "__main__":
    main()
