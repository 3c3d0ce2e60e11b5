# ruff: noqa: S608  (SQL built from table names read from the models; the values are parameters)
"""Benchmark-scale ledger data: :func:`seed_ledger_bulk` writes N posted journal lines (N/2 balanced
two-line entries) over three years, on ~40 accounts of the standard chart (four bank sub-accounts
among them), a few thousand organisations as the parties of the party-kept accounts.

Benchmarks only. Seeding BYPASSES THE COMMANDS: entries are inserted already posted, in batches of
raw multi-row inserts (SQLite) or ``COPY`` (PostgreSQL), with the ledger's protection triggers
lifted for the duration (``protection.uninstall_models``) and re-installed afterwards
(``install_models``), and NO audit events are written: posting two million lines one command at a
time would take hours, and the benchmark measures reads of the ledger, not the audit log. Never
use it for demo or real data: the audit chain would not account for these entries. (The bank
accounts are added through ``banking.add_bank_account``, audited; the organisations are bulk-created
as :mod:`innocluster.seed.registry_bulk` does, from the same generator, BIN serials 50000-99999.)

Deterministic for a given ``seed``: the same accounts, parties, dates and amounts on every run.
"""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

Progress = Callable[[int, int], None]

BULK_SEED = 20260112
FIRST_DAY = dt.date(2023, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
BATCH_ENTRIES = 25_000
# (IBAN, BIC, name, fund source): the first is the account the sample statements are for.
BANK_ACCOUNTS = [
    ("KZ78601A861001234567", "HSBKKZKX", "Halyk Bank: current account", ""),
    ("KZ18722S000012345678", "CASPKZKA", "Kaspi Bank: levy account", "levy"),
    ("KZ86125KZT5004100100", "HSBKKZKX", "Halyk Bank: state budget account", "state_budget"),
    ("KZ28601A861009999999", "HSBKKZKX", "Halyk Bank: deposit account", ""),
]
# (weight, debit account, credit account, description): "bank", "levy_bank", "budget_bank" and
# "deposit" are the bank sub-accounts above; the rest are keys of the chart.
TEMPLATES = [
    (10, "levy_receivable", "levy_income", "Начислен сбор недропользователя"),
    (10, "levy_bank", "levy_receivable", "Поступление сбора недропользователя"),
    (2, "levy_bank", "overpayments", "Переплата сбора недропользователя"),
    (8, "programme_expenses", "grants_payable", "Грант: транш к выплате"),
    (8, "grants_payable", "bank", "Грант: выплата транша"),
    (1, "grants_refundable", "programme_expenses", "Грант: возврат нецелевого использования"),
    (10, "operating_expenses", "suppliers_payable", "Счёт поставщика"),
    (10, "suppliers_payable", "bank", "Оплата поставщику"),
    (1, "fixed_assets", "suppliers_payable", "Поступление основных средств"),
    (16, "bank_charges", "bank", "Комиссия банка"),
    (3, "deposit", "interest_income", "Вознаграждение по депозиту"),
    (2, "deposit", "bank", "Перевод на депозит"),
    (5, "bank", "donations_income", "Добровольный взнос"),
    (4, "budget_bank", "state_budget_income", "Средства республиканского бюджета"),
    (3, "advances_paid", "bank", "Аванс выдан"),
    (3, "acceleration_expenses", "advances_paid", "Акселерационная программа: зачёт аванса"),
    (2, "bank", "advances_received", "Аванс получен"),
    (2, "bank", "suspense", "Невыясненное поступление"),
    (2, "suspense", "own_income", "Невыясненное поступление выяснено"),
    (1, "levy_income", "target_financing_levy", "Закрытие доходов: сбор"),
]


@dataclass
class LedgerSeedResult:
    entries: int = 0
    lines: int = 0
    organisations: int = 0
    accounts: int = 0
    seconds: float = 0.0


def _bank_accounts() -> dict[str, int]:
    from innocluster.finance.services.banking import add_bank_account

    ids = {}
    for name, (iban, bic, label, source) in zip(
        ("bank", "levy_bank", "budget_bank", "deposit"), BANK_ACCOUNTS, strict=True
    ):
        account, _added = add_bank_account(iban, bic=bic, name=label, fund_source=source)
        ids[name] = account.ledger_account_id
    return ids


def _organisations(n: int, seed: int) -> list[int]:
    """``n`` organisations from the register's generator, bulk-created (no participants)."""
    from innocluster.parties import selectors as parties
    from innocluster.parties.models import Organisation
    from innocluster.registry.models import ParticipantCategory
    from innocluster.registry.services.register import load_reference_data
    from innocluster.seed.registry import Generator, Reference
    from innocluster.seed.registry_bulk import BULK_SERIALS

    if not ParticipantCategory.objects.exists():
        load_reference_data()
    gen = Generator(
        Reference.load(), seed=seed, serials=BULK_SERIALS, taken_bins=parties.taken_bins().iterator()
    )
    ids = []
    with transaction.atomic():
        for start in range(0, n, 5_000):
            rows = [Organisation(**gen.organisation().fields) for _ in range(min(5_000, n - start))]
            ids += [o.pk for o in Organisation.objects.bulk_create(rows)]
    return ids


def _periods() -> dict[tuple[int, int], int]:
    from innocluster.finance.models import Period

    months = [(y, m) for y in range(FIRST_DAY.year, LAST_DAY.year + 1) for m in range(1, 13)]
    have = set(Period.objects.values_list("year", "month"))
    Period.objects.bulk_create([Period(year=y, month=m) for y, m in months if (y, m) not in have])
    return {(p.year, p.month): p.pk for p in Period.objects.all()}


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def seed_ledger_bulk(
    lines: int = 2_000_000,
    progress: Progress | None = None,
    *,
    seed: int = BULK_SEED,
    organisations: int = 3_000,
) -> LedgerSeedResult:
    """Benchmark data only: ``lines`` posted journal lines (``lines // 2`` entries), unaudited, written
    with the protection triggers lifted (see the module docstring). Adds to what is there."""
    import time

    from innocluster.finance import protection
    from innocluster.finance.models import Account, JournalEntry, JournalLine
    from innocluster.finance.selectors.accounts import clear_cache

    started = time.perf_counter()
    rng = random.Random(seed)
    result = LedgerSeedResult()
    bank_ids = _bank_accounts()
    party_ids = _organisations(organisations, seed)
    result.organisations = len(party_ids)
    periods = _periods()
    clear_cache()
    accounts = {a.key: a for a in Account.objects.exclude(key=None)}
    by_id = {a.pk: a for a in Account.objects.all()}
    result.accounts = len(by_id)

    def resolve(name: str) -> tuple[int, bool, str]:
        account = by_id[bank_ids[name]] if name in bank_ids else accounts[name]
        assert account.postable, account.code
        return account.pk, account.requires_party, account.fund_source or ""

    weights = [t[0] for t in TEMPLATES]
    templates = [(resolve(t[1]), resolve(t[2]), t[3]) for t in TEMPLATES]
    days = (LAST_DAY - FIRST_DAY).days + 1
    n_parties = len(party_ids)
    entry_table, line_table = JournalEntry._meta.db_table, JournalLine._meta.db_table
    entries_total = lines // 2
    entry_id, line_id = _next_id(entry_table), _next_id(line_table)
    postgres = connection.vendor == "postgresql"

    with transaction.atomic():
        protection.uninstall_models(connection)
        done = 0
        while done < entries_total:
            count = min(BATCH_ENTRIES, entries_total - done)
            picks = rng.choices(templates, weights, k=count)
            # Dates in order within a batch and across batches, as a ledger grows.
            offsets = sorted(int(days * (done + i + rng.random()) / entries_total) for i in range(count))
            entry_rows, line_rows = [], []
            for (debit, credit, text), offset in zip(picks, offsets, strict=True):
                day = FIRST_DAY + dt.timedelta(days=min(offset, days - 1))
                # Amounts in tiyn, mostly small, a few large (log-uniform from 1,000 to 50M tenge).
                tiyn = int(100_000 * 10 ** (rng.random() * 4.7))
                amount = f"{tiyn // 100}.{tiyn % 100:02d}"
                party = party_ids[int(n_parties * rng.random() ** 2)] if n_parties else None
                stamp = f"{day.isoformat()} 05:00:00"
                entry_rows.append(
                    (entry_id, day.isoformat(), f"B-{entry_id:08d}", f"{text} № {entry_id}", stamp,
                     periods[(day.year, day.month)])
                )  # fmt: skip
                for account_id, kept_per_party, source, d, c in (
                    (*debit, amount, "0.00"),
                    (*credit, "0.00", amount),
                ):
                    line_rows.append(
                        (line_id, day.isoformat(), d, c, source, account_id, entry_id,
                         party if kept_per_party else None)
                    )  # fmt: skip
                    line_id += 1
                entry_id += 1
            if postgres:
                _copy(entry_table, line_table, entry_rows, line_rows)
            else:
                _insert(entry_table, line_table, entry_rows, line_rows)
            done += count
            result.entries += count
            result.lines += len(line_rows)
            if progress:
                progress(done, entries_total)
        if postgres:
            with connection.cursor() as cursor:
                for table in (entry_table, line_table):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                    )
        protection.install_models(connection)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    result.seconds = time.perf_counter() - started
    return result


_ENTRY_COLUMNS = (
    "id, date, reference, description, source_type, source_id, kind, status, created_at, posted_at, period_id"
)
NULL = "\\N"  # COPY's NULL
_LINE_COLUMNS = "id, date, debit, credit, fund_source, memo, account_id, entry_id, party_id"


def _insert(entry_table: str, line_table: str, entry_rows: list, line_rows: list) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {entry_table} ({_ENTRY_COLUMNS})"
            " VALUES (%s, %s, %s, %s, '', '', 'system', 'posted', %s, %s, %s)",
            [(i, d, r, t, s, s, p) for i, d, r, t, s, p in entry_rows],
        )
        cursor.executemany(
            f"INSERT INTO {line_table} ({_LINE_COLUMNS}) VALUES (%s, %s, %s, %s, %s, '', %s, %s, %s)",
            line_rows,
        )


def _copy(entry_table: str, line_table: str, entry_rows: list, line_rows: list) -> None:
    raw = connection.connection  # the psycopg connection, inside Django's transaction
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY {entry_table} ({_ENTRY_COLUMNS}) FROM STDIN") as copy:
            copy.write(
                "".join(
                    f"{i}\t{d}\t{r}\t{t}\t\t\tsystem\tposted\t{s}+00\t{s}+00\t{p}\n"
                    for i, d, r, t, s, p in entry_rows
                )
            )
        with cursor.copy(f"COPY {line_table} ({_LINE_COLUMNS}) FROM STDIN") as copy:
            copy.write(
                "".join(
                    f"{i}\t{d}\t{dr}\t{cr}\t{src}\t\t{a}\t{e}\t{NULL if p is None else p}\n"
                    for i, d, dr, cr, src, a, e, p in line_rows
                )
            )
