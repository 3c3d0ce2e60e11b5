"""Benchmark of the levy at scale: assessment and statement matching through the commands, beside
raw SQL doing the same writes.

    .venv/bin/python bench/levy.py [--contracts 15000] [--statement-lines 100000]
                                   [--database-url URL] [--json] [--keep|--reuse|--reset]

Migrates a fresh database (by default a new SQLite file under var/bench/, removed afterwards unless
``--keep``), bulk-seeds ``--contracts`` contracts with current declarations for two base years
(``innocluster.seed.levy_bulk``: BYPASSES THE COMMANDS, no audit events), then assesses the
earlier obligation year through ``levy.services.assessment.assess`` (committed: its obligations
are what the statement pays). Then it times, each in one transaction that is rolled back:

(a) ``assess(year)`` of the later year: per contract-year, its obligations (one per holder), each
    posted to the ledger (entry, 2 lines, the UPDATE to posted, its audit event) with its posting
    row and audit event — beside raw SQL doing the same writes (the obligations computed in Python
    from one read of the declarations and holders, then per obligation: the obligation, its audit
    row and MAC, the entry, its lines, the UPDATE to posted, the entry's audit row and MAC, the
    posting row, the obligation's UPDATE);
(b) ``import_statement`` of a ``--statement-lines`` CSV statement of the levy account whose every
    line pays an obligation by its reference (several part-payments each), the levy matcher on —
    beside raw SQL doing the same writes, one row at a time (the statement lines, then per line:
    the entry, its lines, the UPDATE to posted, the match, its part, the levy settlement, the
    line's UPDATE, and the three audit rows with their MACs; the import's own row and event). Before
    timing, both sides run on a 3-line statement and must leave the same rows with the same content
    (ids, moments and MACs aside): descriptions, memos, the lines' ``raw`` columns, the match's note,
    the audit events' actions and changes.

Rows/s count the rows inserted (an UPDATE is not a row). Each side's CPU seconds (this process)
are reported beside the wall clock: on a busy machine they move far less. The reads each side
needs are its own business: the commands read what they check; the baseline only what it must to
compute the writes.
"""

import argparse
import datetime as dt
import io
import json
import os
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import _benchkit as benchkit

ROOT = Path(__file__).resolve().parent.parent
CENT = Decimal("0.01")
PAYER_IBAN, PAYER_BIC = "KZ13925KZT0012345678", "HSBKKZKX"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contracts", type=int, default=15_000, help="contracts to seed (default 15000)")
    parser.add_argument(
        "--statement-lines", type=int, default=100_000, help="lines of the statement in (b) (default 100000)"
    )
    parser.add_argument("--database-url", help="default: a new SQLite file under var/bench/")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: assess,match")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file")
    parser.add_argument("--reset", action="store_true", help="flush a non-empty database first")
    parser.add_argument("--reuse", action="store_true", help="time the data already in the database")
    return parser.parse_args(argv)


class Bench:
    def __init__(self, args: argparse.Namespace, progress):
        from django.db import connection

        from innocluster.core.policy import values as policy

        self.args, self.progress, self.connection = args, progress, connection
        self.vendor = connection.vendor
        self.skip = set(filter(None, args.skip.split(",")))
        self.year = policy.today().year  # assessed in (a); the year before is assessed when seeding
        self.results: dict = {
            "database": self.vendor,
            "contracts": args.contracts,
            "cpus": os.cpu_count(),
            "load_average_start": os.getloadavg(),
        }

    # --- data ----------------------------------------------------------------------------------
    def prepare(self) -> None:
        from django.core.management import call_command

        from innocluster.levy.models import Contract

        reused = benchkit.prepare(self.args, Contract.objects.exists, "contracts")
        if not reused and Contract.objects.exists():
            from innocluster.finance import protection

            protection.uninstall_models(self.connection)
            call_command("flush", interactive=False, verbosity=0)
        if not reused:
            from innocluster.core.policy.services import load_defaults
            from innocluster.levy.services.assessment import assess
            from innocluster.seed.levy_bulk import seed_levy_bulk

            load_defaults()
            started = time.perf_counter()
            seed_levy_bulk(self.args.contracts, (self.year - 2, self.year - 1), self.progress)
            self.results["seed_seconds"] = time.perf_counter() - started
            started = time.perf_counter()
            assess(self.year - 1, progress=self.progress)
            self.results["first_assessment_seconds"] = time.perf_counter() - started
        from innocluster.core.audit.chain import seal_pending

        seal_pending()

    def rolled_back(self, fn):
        """``fn()`` in a transaction rolled back: (wall-clock seconds, its value). This process's
        CPU seconds go to ``self.cpu`` (on a busy machine they move far less than the wall clock;
        on PostgreSQL they leave out the server's work)."""
        from django.db import transaction

        started, cpu_started = time.perf_counter(), time.process_time()
        with transaction.atomic():
            value = fn()
            elapsed = time.perf_counter() - started
            self.cpu = time.process_time() - cpu_started
            transaction.set_rollback(True)
        return elapsed, value

    # --- shared raw helpers -------------------------------------------------------------------
    def _insert(self, cursor, table: str, values: dict) -> int:
        columns = ", ".join(values)
        marks = ", ".join(["%s"] * len(values))
        if self.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id", list(values.values())
            )
            return cursor.fetchone()[0]
        cursor.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))
        return cursor.lastrowid

    def _audit(
        self,
        cursor,
        action: str,
        object_type: str,
        object_id,
        object_repr: str,
        changes: dict,
        reason: str = "",
    ) -> None:
        from django.utils import timezone

        from innocluster.core.audit.services import canonical_content, mac, normalise

        row = {
            "occurred_at": timezone.now(),
            "actor_id": None,
            "actor_repr": "system",
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "object_repr": object_repr[:300],
            "changes": normalise(changes),
            "reason": reason,
            "ip": None,
        }
        event = self._insert(
            cursor,
            "audit_auditevent",
            {**row, "changes": json.dumps(row["changes"]), "row_mac": "pending", "prev_mac": "", "mac": ""},
        )
        cursor.execute(
            "UPDATE audit_auditevent SET row_mac = %s WHERE id = %s",
            [mac(b"row", canonical_content({"id": event, **row}, normalised=True)), event],
        )

    def _entry(self, cursor, day, period, reference, description, source, legs) -> int:
        """The journal writes of one posting: entry, lines, UPDATE to posted, audit row."""
        from django.utils import timezone

        entry = self._insert(
            cursor,
            "finance_journalentry",
            {"date": day, "period_id": period, "reference": reference, "description": description[:500],
             "source_type": source[0], "source_id": str(source[1]), "kind": "system", "status": "draft",
             "created_at": timezone.now()},
        )  # fmt: skip
        marks = ", ".join(["(%s, %s, %s, %s, %s, %s, NULL, NULL, %s, %s)"] * len(legs))
        cursor.execute(
            "INSERT INTO finance_journalline (entry_id, date, account_id, debit, credit, party_id, budget_id,"
            f" commitment_id, fund_source, memo) VALUES {marks}",
            [v for a, d, c, p, src, memo in legs for v in (entry, day, a.pk, d, c, p, src, memo)],
        )
        cursor.execute(
            "UPDATE finance_journalentry SET status = 'posted', posted_at = %s, approved_by_id = NULL WHERE id = %s",
            [timezone.now(), entry],
        )
        self._audit(
            cursor, "finance.entry.posted", "finance.journalentry", entry, f"JE-{day.year}-{entry:07d} {description}",
            {"date": day, "reference": reference, "source": f"{source[0]}:{source[1]}", "reverses": "",
             "lines": [[a.code, str(d), str(c), p, None, src] for a, d, c, p, src, _m in legs]},
        )  # fmt: skip
        return entry

    # --- (a) assessment ------------------------------------------------------------------------
    def orm_assess(self) -> int:
        from innocluster.levy.services.assessment import assess

        return len(assess(self.year).obligations)

    def raw_assess(self) -> int:
        from django.utils import timezone

        from innocluster.core.policy import values as policy
        from innocluster.finance.selectors.accounts import account
        from innocluster.finance.services.journal import open_period_id
        from innocluster.levy import rules
        from innocluster.levy.services.assessment import due_date

        year, day = self.year, policy.today()
        rates = {
            basis: policy.value(rules.rate_key(basis), on=rules.rate_day(year))
            for basis in ("income", "extraction_costs")
        }
        due = due_date(year)
        receivable, income = account("levy_receivable"), account("levy_income")
        period = open_period_id(day)
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.id, d.base_amount, c.id, c.number, c.basis, h.organisation_id, h.share"
                " FROM levy_declaration d JOIN levy_contract c ON c.id = d.contract_id"
                " JOIN levy_contractholder h ON h.contract_id = c.id"
                " WHERE d.year = %s AND d.current ORDER BY c.id, h.share DESC, h.organisation_id",
                [year - 1],
            )
            by_contract: dict = {}
            for declaration, base, contract, number, basis, holder, share in cursor.fetchall():
                by_contract.setdefault(contract, (declaration, Decimal(str(base)), number, basis, []))[
                    4
                ].append((holder, Decimal(str(share))))
            n = 0
            for contract, (declaration, base, number, basis, holders) in by_contract.items():
                rate = rates[basis]
                total = (base * rate).quantize(CENT, rounding=ROUND_HALF_UP)
                parts = rules.split_by_shares(total, [share for _h, share in holders])
                for (holder, share), amount in zip(holders, parts, strict=True):
                    n += 1
                    reference = f"LEVY-{year}-{n:06d}"
                    obligation = self._insert(
                        cursor,
                        "levy_obligation",
                        {"contract_id": contract, "holder_id": holder, "year": year, "share": share, "base": base,
                         "rate": rate, "amount": amount, "posted": Decimal("0.00"), "released": Decimal("0.00"),
                         "reference": reference, "due_date": due, "declaration_id": declaration,
                         "assessed_at": timezone.now(), "changed_at": timezone.now()},
                    )  # fmt: skip
                    self._audit(cursor, "levy.obligation.assessed", "levy.obligation", obligation, reference,
                                {"contract": number, "holder": holder, "amount": amount, "rate": rate})  # fmt: skip
                    legs = [(receivable, amount, Decimal("0.00"), holder, "", reference),
                            (income, Decimal("0.00"), amount, None, "levy", reference)]  # fmt: skip
                    entry = self._entry(cursor, day, period, reference, f"Levy assessed {year}: {number}",
                                        ("levy.obligation", obligation), legs)  # fmt: skip
                    self._insert(cursor, "levy_obligationposting",
                                 {"obligation_id": obligation, "entry_id": entry, "kind": "assessment",
                                  "amount": amount, "at": timezone.now()})  # fmt: skip
                    cursor.execute(
                        "UPDATE levy_obligation SET posted = %s WHERE id = %s", [amount, obligation]
                    )
        return n

    def measure_assess(self) -> None:
        orm_s, orm_n = self.rolled_back(self.orm_assess)
        orm_cpu = self.cpu
        raw_s, raw_n = self.rolled_back(self.raw_assess)
        rows = 7  # obligation, entry, 2 lines, posting, 2 audit events
        self.results["assess"] = {
            "obligations": orm_n,
            "raw_obligations": raw_n,
            "rows_per_obligation": rows,
            "django_seconds": orm_s,
            "raw_seconds": raw_s,
            "django_cpu_seconds": orm_cpu,
            "raw_cpu_seconds": self.cpu,
            "django_rows_per_s": rows * orm_n / orm_s,
            "raw_rows_per_s": rows * raw_n / raw_s,
            "share_of_raw": (rows * orm_n / orm_s) / (rows * raw_n / raw_s),
        }

    # --- (b) statement matching ----------------------------------------------------------------
    def statement(self, n: int | None = None) -> tuple[bytes, list[tuple]]:
        """A CSV statement of the levy account paying the earlier year's obligations by reference,
        ``--statement-lines`` lines spread over them (each obligation in equal part-payments)."""
        from innocluster.finance.models import BankAccount, BankStatement
        from innocluster.levy.models import Obligation

        account = BankAccount.objects.get(iban="KZ18722S000012345678")
        last = BankStatement.objects.filter(bank_account=account).order_by("-closing_date", "-id").first()
        opening = last.closing_balance if last else Decimal("0.00")
        obligations = list(
            Obligation.objects.filter(year=self.year - 1)
            .order_by("id")
            .values_list("id", "reference", "amount", "holder__bin", "holder_id")
        )
        n = n or self.args.statement_lines
        per = -(-self.args.statement_lines // len(obligations))
        rows, plan = [], []
        day0 = dt.date(self.year - 1, 7, 1)
        for i in range(n):
            pk, reference, amount, bin_, holder = obligations[i % len(obligations)]
            part = (amount / per).quantize(CENT, rounding="ROUND_DOWN")
            day = day0 + dt.timedelta(days=i * 150 // n)
            rows.append((day, part, bin_, reference, f"BL{i:07d}"))
        closing = opening + sum(r[1] for r in rows)
        columns = ("account_iban;statement;booked_on;value_on;amount;currency;counterparty_name;counterparty_id;"
                   "counterparty_iban;counterparty_bic;purpose;knp;bank_reference;opening_balance;closing_balance")  # fmt: skip
        out = [columns]
        for i, (day, part, bin_, reference, ref) in enumerate(rows):
            values = [
                account.iban, "BENCH-1", day.isoformat(), day.isoformat(), f"{part:.2f}", "KZT", f"Subsoil user {bin_}",
                bin_, PAYER_IBAN, PAYER_BIC, f"R&D levy, {reference}", "119", ref,
                f"{opening:.2f}" if i == 0 else "", f"{closing:.2f}" if i == n - 1 else "",
            ]  # fmt: skip
            out.append(";".join(values))
            pk, _reference, _amount, _bin, holder = obligations[i % len(obligations)]
            # What the importer keeps of the line: its columns as read (``raw``), its place in the file.
            plan.append(
                (
                    pk,
                    holder,
                    part,
                    reference,
                    day,
                    ref,
                    bin_,
                    dict(zip(columns.split(";"), values, strict=True)),
                    i + 2,
                )
            )
        return ("\n".join(out) + "\n").encode(), plan, account, opening, closing

    def orm_match(self, data: bytes) -> int:
        from innocluster.finance.services.statements import import_statement

        summary = import_statement(io.BytesIO(data), file_name="bench-levy.csv")
        return summary.matched

    def raw_match(self, plan, account, opening, closing, data: bytes) -> int:
        """The rows ``import_statement`` writes, with the same content (descriptions, memos, the
        line's ``raw`` columns, the match's note, the audit events' changes), one row at a time."""
        import hashlib

        from django.utils import timezone
        from django.utils.translation import gettext

        from innocluster.finance.models.journal import entry_number
        from innocluster.finance.selectors.accounts import account as find_account
        from innocluster.finance.services.journal import open_period_id

        bank, receivable = account.ledger_account, find_account("levy_receivable")
        fund = account.fund_source
        receipt, matcher = gettext("Bank receipt"), "levy.obligation"
        with self.connection.cursor() as cursor:
            imported = self._insert(
                cursor, "finance_statementimport",
                {"file_name": "bench-levy.csv", "sha256": hashlib.sha256(data).hexdigest(), "format": "csv",
                 "statements": 0, "lines": 0, "new_lines": 0, "known_lines": 0, "matched": 0, "at": timezone.now()},
            )  # fmt: skip
            statement = self._insert(
                cursor, "finance_bankstatement",
                {"bank_account_id": account.pk, "number": "BENCH-1", "opening_date": plan[0][4],
                 "closing_date": plan[-1][4], "opening_balance": opening, "closing_balance": closing,
                 "imported_id": imported},
            )  # fmt: skip
            lines = []
            for _obligation, _holder, amount, reference, day, ref, bin_, raw, row in plan:
                lines.append(self._insert(
                    cursor, "finance_statementline",
                    {"statement_id": statement, "bank_account_id": account.pk, "key": f"csv:{ref}",
                     "booked_on": day, "value_on": day, "amount": amount, "currency": "KZT",
                     "counterparty_name": f"Subsoil user {bin_}", "counterparty_id": bin_,
                     "counterparty_iban": PAYER_IBAN, "counterparty_bic": PAYER_BIC, "purpose": f"R&D levy, {reference}",
                     "knp": "119", "bank_reference": ref, "is_reversal": False, "location": f"line {row}",
                     "status": "unmatched", "raw": json.dumps(raw)},
                ))  # fmt: skip
            # As the importer leaves it: a CSV statement gives no closing date, it keeps its first day.
            cursor.execute(
                "UPDATE finance_bankstatement SET closing_balance = %s, closing_date = %s WHERE id = %s",
                [closing, plan[0][4], statement],
            )
            periods = {}
            for line, (obligation, holder, amount, reference, day, ref, bin_, _raw, _row) in zip(
                lines, plan, strict=True
            ):
                key = (day.year, day.month)
                if key not in periods:
                    periods[key] = open_period_id(day)
                payer, purpose = f"Subsoil user {bin_}", f"R&D levy, {reference}"
                legs = [(bank, amount, Decimal("0.00"), None, fund, payer),
                        (receivable, Decimal("0.00"), amount, holder, fund, reference)]  # fmt: skip
                entry = self._entry(cursor, day, periods[key], ref, f"{receipt}: {payer} — {purpose}",
                                    ("finance.statementline", line), legs)  # fmt: skip
                note = f"{matcher}: {reference} (reference)"
                match = self._insert(
                    cursor, "finance_match",
                    {"line_id": line, "kind": "matched", "matcher": matcher, "reason": note, "entry_id": entry,
                     "at": timezone.now(), "undo_reason": ""},
                )  # fmt: skip
                self._insert(cursor, "finance_matchpart",
                             {"match_id": match, "account_id": receivable.pk, "party_id": holder, "amount": amount,
                              "target_type": "levy.obligation", "target_id": str(obligation), "memo": reference})  # fmt: skip
                self._insert(
                    cursor, "levy_settlement",
                    {"obligation_id": obligation, "kind": "payment", "status": "approved", "amount": amount,
                     "applied": amount, "description": purpose, "statement_line_id": line, "match_id": match,
                     "entry_id": entry, "evidence": "", "evidence_name": "", "evidence_type": "",
                     "evidence_sha256": "", "created_at": timezone.now(), "approved_at": timezone.now(), "reason": ""},
                )  # fmt: skip
                self._audit(cursor, "levy.payment.recorded", "levy.obligation", obligation, reference,
                            {"amount": amount, "line": line, "entry": entry})  # fmt: skip
                cursor.execute("UPDATE finance_statementline SET status = 'matched' WHERE id = %s", [line])
                self._audit(cursor, "finance.line.matched", "finance.statementline", line, f"{day} {amount} {payer}",
                            {"entry": entry_number(day, entry), "matcher": matcher,
                             "parts": [[receivable.code, str(amount), holder, "levy.obligation", str(obligation)]]},
                            reason=note)  # fmt: skip
            n = len(plan)
            summary = {"statements": 1, "lines": n, "new": n, "known": 0, "matched": n}
            cursor.execute(
                "UPDATE finance_statementimport SET statements = %s, lines = %s, new_lines = %s, known_lines = %s,"
                " matched = %s WHERE id = %s",
                [1, n, n, 0, n, imported],
            )
            self._audit(cursor, "finance.statements.imported", "finance.statementimport", imported, "bench-levy.csv",
                        {"file_name": "bench-levy.csv", "format": "csv", "sha256": hashlib.sha256(data).hexdigest(),
                         **summary, "unmatched": 0})  # fmt: skip
        return len(plan)

    TABLES = ("finance_statementimport", "finance_bankstatement", "finance_statementline", "finance_journalentry",
              "finance_journalline", "finance_match", "finance_matchpart", "levy_settlement", "audit_auditevent")  # fmt: skip
    # Differ by nature between two runs: keys, moments, MACs (of the ids and moments); a period the
    # first run created and rolled back has a new id on PostgreSQL (its dates say which it is).
    VOLATILE = frozenset({"id", "at", "created_at", "posted_at", "approved_at", "occurred_at", "row_mac",
                          "entry_id", "match_id", "line_id", "statement_line_id", "statement_id", "imported_id",
                          "source_id", "period_id"})  # fmt: skip

    def _written(self, fn) -> dict[str, list[str]]:
        """The rows ``fn`` writes (rolled back), per table, ids and moments left out, sorted."""
        import re

        from django.db import transaction

        def plain(table, row):
            row = {k: v for k, v in row.items() if k not in self.VOLATILE}
            if table == "audit_auditevent":
                if row["object_type"] != "levy.obligation":
                    row["object_id"] = "ID"
                row["object_repr"] = re.sub(r"JE-\d{4}-\d{7}", "JE", row["object_repr"])
                changes = row["changes"] if isinstance(row["changes"], dict) else json.loads(row["changes"])
                for key in ("entry", "line"):
                    if key in changes:
                        changes[key] = "ID"
                if "source" in changes:
                    changes["source"] = re.sub(r":\d+$", ":ID", changes["source"])
                row["changes"] = changes
            return json.dumps(row, sort_keys=True, default=str)

        with transaction.atomic(), self.connection.cursor() as cursor:
            last = {}
            for table in self.TABLES:
                cursor.execute(f"SELECT max(id) FROM {table}")
                last[table] = cursor.fetchone()[0] or 0
            fn()
            written = {}
            for table in self.TABLES:
                cursor.execute(f"SELECT * FROM {table} WHERE id > %s ORDER BY id", [last[table]])
                names = [d[0] for d in cursor.description]
                written[table] = sorted(
                    plain(table, dict(zip(names, r, strict=True))) for r in cursor.fetchall()
                )
            transaction.set_rollback(True)
        return written

    def check_same_writes(self) -> None:
        """Both sides of (b) on a 3-line statement: the same rows with the same content, or stop."""
        data, plan, account, opening, closing = self.statement(3)
        command = self._written(lambda: self.orm_match(data))
        raw = self._written(lambda: self.raw_match(plan, account, opening, closing, data))
        differ = {t: (command[t], raw[t]) for t in self.TABLES if command[t] != raw[t]}
        if differ:
            raise SystemExit(f"(b): the raw SQL does not write what the command writes: {differ}")
        self.results["match_rows_checked"] = {t: len(rows) for t, rows in command.items()}

    def measure_match(self) -> None:
        self.check_same_writes()
        data, plan, account, opening, closing = self.statement()
        orm_s, orm_matched = self.rolled_back(lambda: self.orm_match(data))
        orm_cpu = self.cpu
        raw_s, raw_matched = self.rolled_back(lambda: self.raw_match(plan, account, opening, closing, data))
        rows = 11  # line, entry, 2 lines, match, part, settlement, 3 audit events (+ the statement once)
        n = len(plan)
        self.results["match"] = {
            "lines": n,
            "file_mb": len(data) / 2**20,
            "matched": orm_matched,
            "raw_matched": raw_matched,
            "rows_per_line": rows,
            "django_seconds": orm_s,
            "raw_seconds": raw_s,
            "django_cpu_seconds": orm_cpu,
            "raw_cpu_seconds": self.cpu,
            "django_lines_per_s": n / orm_s,
            "raw_lines_per_s": n / raw_s,
            "django_rows_per_s": rows * orm_matched / orm_s,
            "raw_rows_per_s": rows * raw_matched / raw_s,
            "share_of_raw": (rows * orm_matched / orm_s) / (rows * raw_matched / raw_s),
        }

    def run(self) -> dict:
        self.prepare()
        if "assess" not in self.skip:
            self.measure_assess()
        if "match" not in self.skip:
            self.measure_match()
        self.results["load_average_end"] = os.getloadavg()
        return self.results


def report(results: dict) -> None:
    from rich.console import Console

    console = Console(width=120)
    la, lb = results["load_average_start"], results["load_average_end"]
    console.print(
        f"levy benchmark on {results['database']}: {results['contracts']} contracts (load average {la[0]:.1f} at "
        f"the start, {lb[0]:.1f} at the end, on {results['cpus']} CPUs)"
        + (
            f"; seeding {results['seed_seconds']:.1f} s, first assessment {results['first_assessment_seconds']:.1f} s"
            if "seed_seconds" in results
            else "; reused"
        )
    )
    if "assess" in results:
        a = results["assess"]
        console.print(
            f"(a) assessment of {a['obligations']} obligations in one transaction: assess {a['django_seconds']:.1f} s, "
            f"{a['django_rows_per_s']:.0f} rows/s; raw SQL {a['raw_seconds']:.1f} s, {a['raw_rows_per_s']:.0f} rows/s: "
            f"the command reaches {100 * a['share_of_raw']:.0f} % of raw (CPU of this process: "
            f"{a['django_cpu_seconds']:.1f} s vs {a['raw_cpu_seconds']:.1f} s)"
        )
    if "match" in results:
        m = results["match"]
        console.print(
            f"(b) a {m['lines']}-line statement ({m['file_mb']:.1f} MB), every line paying an obligation by "
            f"reference: import_statement {m['django_seconds']:.1f} s, {m['django_lines_per_s']:.0f} lines/s, "
            f"{m['matched']} matched, {m['django_rows_per_s']:.0f} rows/s; raw SQL {m['raw_seconds']:.1f} s, "
            f"{m['raw_lines_per_s']:.0f} lines/s, {m['raw_rows_per_s']:.0f} rows/s: the command reaches "
            f"{100 * m['share_of_raw']:.0f} % of raw (CPU of this process: {m['django_cpu_seconds']:.1f} s vs "
            f"{m['raw_cpu_seconds']:.1f} s)"
        )


def main() -> None:
    args = parse_args()
    sqlite_file = benchkit.setup(args, "levy")
    benchkit.run(args, sqlite_file, lambda progress: Bench(args, progress).run(), report)


if __name__ == "__main__":
    main()
