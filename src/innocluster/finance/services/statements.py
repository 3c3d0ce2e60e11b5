"""Importing bank statements: any supported file into the one statement-line table.

Idempotent (a line whose key is already there is counted, not added; a statement already there is
reused), atomic (a refused file leaves nothing behind), checked (opening balance + lines = closing
balance; a statement continues the account's previous one), and streamed: lines go to the
database in batches as the parser yields them, so a 100,000-line file never sits in memory."""

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import BinaryIO

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from innocluster.core.audit.services import record_event
from innocluster.core.errors import lock_failures_as_domain_errors
from innocluster.finance.errors import StatementRefused
from innocluster.finance.importers import base as importers
from innocluster.finance.models import BankAccount, BankStatement, StatementImport, StatementLine
from innocluster.finance.services import reconciliation

BATCH = 2000
ZERO = Decimal("0.00")


@dataclass
class ImportSummary:
    file_name: str
    format: str
    sha256: str
    statements: int = 0
    lines: int = 0
    new: int = 0
    known: int = 0
    matched: int = 0
    dry_run: bool = False
    import_id: int | None = None

    @property
    def unmatched(self) -> int:
        return self.new - self.matched

    def as_dict(self) -> dict:
        return {**asdict(self), "unmatched": self.unmatched}


class _DryRun(Exception):
    pass


def _sha256(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


class _Statement:
    """The statement being read: its row, the running sum of its lines, the batch to write."""

    def __init__(
        self, row: BankStatement | None, start: importers.StatementStart, reused: bool, account=None
    ):
        self.row = row
        self.start = start
        self.reused = reused
        self.account = account if account is not None else row.bank_account
        self.total = ZERO
        self.batch: list[importers.StatementLine] = []


class _Importer:
    def __init__(
        self, summary: ImportSummary, record: StatementImport, progress: Callable[[int], None] | None
    ):
        self.summary = summary
        self.record = record
        self.progress = progress
        self.current: _Statement | None = None
        self.accounts = {a.iban: a for a in BankAccount.objects.all()}

    # --- events -------------------------------------------------------------------------------
    def start(self, event: importers.StatementStart) -> None:
        if self.current is not None:
            raise StatementRefused(
                _("%(where)s: a statement starts before the previous one ended."),
                params={"where": importers.Place(event.location)},
            )
        account = self.accounts.get((event.account_iban or "").replace(" ", "").upper())
        if account is None:
            raise StatementRefused(
                _("%(where)s: %(iban)s is not one of the Fund's bank accounts; add it first."),
                params={"where": importers.Place(event.location), "iban": event.account_iban or "—"},
                code="unknown_account",
            )
        if event.currency and event.currency != account.currency:
            raise StatementRefused(
                _(
                    "%(where)s: the statement is in %(currency)s but the account %(iban)s is in %(account_currency)s."
                ),
                params={
                    "where": importers.Place(event.location),
                    "currency": event.currency,
                    "iban": account.iban,
                    "account_currency": account.currency,
                },
            )
        self.current = _Statement(None, event, reused=False, account=account)
        if event.opening_date is not None:
            self._open(event.opening_date)

    def _open(self, day) -> None:
        """Find the statement already imported, or create its row, once its first date is known
        (the start of the statement, or — in formats that give none — its first line's date)."""
        current = self.current
        event, account = current.start, current.account
        existing = BankStatement.objects.filter(
            bank_account=account, number=event.number, opening_date=day
        ).first()
        if existing is not None:
            current.row, current.reused = existing, True
            return
        opening = event.opening_balance
        if opening is None:
            previous = self._previous(account, day)
            if previous is None:
                raise StatementRefused(
                    _("%(where)s: the first statement of %(iban)s needs an opening balance."),
                    params={"where": importers.Place(event.location), "iban": account.iban},
                )
            opening = previous.closing_balance
        current.row = BankStatement.objects.create(
            bank_account=account,
            number=event.number[:100],
            opening_date=day,
            closing_date=event.closing_date or day,
            opening_balance=opening,
            closing_balance=event.closing_balance if event.closing_balance is not None else opening,
            imported=self.record,
        )
        self.summary.statements += 1

    def line(self, event: importers.StatementLine) -> None:
        current = self.current
        if current is None:
            raise StatementRefused(
                _("%(where)s: a line outside any statement."),
                params={"where": importers.Place(event.location)},
            )
        if current.row is None:
            self._open(event.booked_on)
        if event.currency and event.currency != current.row.bank_account.currency:
            raise StatementRefused(
                _("%(where)s: a line in %(currency)s on a %(account_currency)s account."),
                params={
                    "where": importers.Place(event.location),
                    "currency": event.currency,
                    "account_currency": current.row.bank_account.currency,
                },
            )
        current.total += event.amount
        current.batch.append(event)
        self.summary.lines += 1
        if len(current.batch) >= BATCH:
            self.flush()

    def end(self, event: importers.StatementEnd) -> None:
        current = self.current
        if current is None:
            raise StatementRefused(
                _("%(where)s: a statement ends that never started."),
                params={"where": importers.Place(event.location)},
            )
        if current.row is None:
            day = event.closing_date or current.start.closing_date
            if day is None:
                raise StatementRefused(
                    _("%(where)s: a statement with no lines and no dates cannot be placed."),
                    params={"where": importers.Place(event.location)},
                )
            self._open(day)
        self.flush()
        row = current.row
        closing = (
            event.closing_balance if event.closing_balance is not None else current.start.closing_balance
        )
        closing_date = event.closing_date or current.start.closing_date or row.closing_date
        expected = row.opening_balance + current.total
        if closing is None:
            closing = expected
        if expected != closing:
            raise StatementRefused(
                _(
                    "%(where)s: opening balance %(opening)s plus the lines (%(total)s) gives %(expected)s, but the closing balance is %(closing)s."
                ),
                params={
                    "where": importers.Place(event.location),
                    "opening": row.opening_balance,
                    "total": current.total,
                    "expected": expected,
                    "closing": closing,
                },
                code="balance_mismatch",
            )
        if current.reused:
            if row.closing_balance != closing:
                raise StatementRefused(
                    _(
                        "%(where)s: statement %(number)s was imported before with the closing balance %(before)s, now %(closing)s."
                    ),
                    params={
                        "where": importers.Place(event.location),
                        "number": row.number or row.opening_date,
                        "before": row.closing_balance,
                        "closing": closing,
                    },
                )
        else:
            BankStatement.objects.filter(pk=row.pk).update(closing_balance=closing, closing_date=closing_date)
            row.closing_balance, row.closing_date = closing, closing_date
            self._check_continuity(row, event.location)
        self.current = None

    # --- helpers ------------------------------------------------------------------------------
    def _previous(self, account: BankAccount, before, exclude: int | None = None) -> BankStatement | None:
        qs = BankStatement.objects.filter(bank_account=account, opening_date__lte=before)
        if exclude:
            qs = qs.exclude(pk=exclude)
        return qs.order_by("-closing_date", "-opening_date", "-id").first()

    def _check_continuity(self, row: BankStatement, where: str) -> None:
        previous = self._previous(row.bank_account, row.opening_date, exclude=row.pk)
        if previous is not None and previous.closing_balance != row.opening_balance:
            raise StatementRefused(
                _(
                    "%(where)s: the statement opens with %(opening)s but the previous statement of %(iban)s (to %(date)s) closed with %(closing)s."
                ),
                params={
                    "where": where,
                    "opening": row.opening_balance,
                    "iban": row.bank_account.iban,
                    "date": f"{previous.closing_date:%d.%m.%Y}",
                    "closing": previous.closing_balance,
                },
                code="not_continuous",
            )
        following = (
            BankStatement.objects.filter(bank_account=row.bank_account, opening_date__gte=row.closing_date)
            .exclude(pk=row.pk)
            .order_by("opening_date", "id")
            .first()
        )
        if following is not None and following.opening_balance != row.closing_balance:
            raise StatementRefused(
                _(
                    "%(where)s: the statement closes with %(closing)s but the next statement of %(iban)s opens with %(opening)s."
                ),
                params={
                    "where": where,
                    "closing": row.closing_balance,
                    "iban": row.bank_account.iban,
                    "opening": following.opening_balance,
                },
                code="not_continuous",
            )

    def flush(self) -> None:
        current = self.current
        if current is None or not current.batch:
            return
        account = current.row.bank_account
        keys = [line.key for line in current.batch]
        if len(set(keys)) != len(keys):
            seen: set[str] = set()
            for line in current.batch:
                if line.key in seen:
                    raise StatementRefused(
                        _("%(where)s: the same line appears twice in the file."),
                        params={"where": importers.Place(line.location)},
                    )
                seen.add(line.key)
        known = set(
            StatementLine.objects.filter(bank_account=account, key__in=keys).values_list("key", flat=True)
        )
        fresh = [
            StatementLine(
                statement=current.row,
                bank_account=account,
                key=line.key[:200],
                booked_on=line.booked_on,
                value_on=line.value_on,
                amount=line.amount,
                currency=line.currency or account.currency,
                counterparty_name=line.counterparty_name[:300],
                counterparty_id=line.counterparty_id[:12],
                counterparty_iban=line.counterparty_iban[:34],
                counterparty_bic=line.counterparty_bic[:11],
                purpose=line.purpose,
                knp=line.knp[:3],
                bank_reference=line.bank_reference[:100],
                is_reversal=line.is_reversal,
                raw=dict(line.raw),
                location=line.location[:100],
            )
            for line in current.batch
            if line.key not in known and line.amount != 0
        ]
        if fresh:
            StatementLine.objects.bulk_create(fresh)
        self.summary.new += len(fresh)
        self.summary.known += len(current.batch) - len(fresh)
        current.batch = []
        if self.progress:
            self.progress(self.summary.lines)


def _auto_match(record: StatementImport, by) -> int:
    """The matchers over the lines this import added, a batch at a time (bounded memory)."""
    matched, after = 0, 0
    lines = (
        StatementLine.objects.filter(statement__imported=record).select_related("bank_account").order_by("pk")
    )
    while True:
        batch = list(lines.filter(pk__gt=after, status=StatementLine.Status.UNMATCHED)[:BATCH])
        if not batch:
            return matched
        after = batch[-1].pk
        matched += reconciliation.auto_match(batch, by=by)


@lock_failures_as_domain_errors()
def import_statement(
    stream: BinaryIO,
    *,
    file_name: str,
    fmt: str = "auto",
    by=None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    match: bool = True,
) -> ImportSummary:
    """Import a statement file (``fmt`` ``auto``, ``mt940``, ``camt053``, ``1c`` or ``csv``).
    Raises :class:`StatementRefused` naming the line or element when the file cannot be imported;
    then nothing is written."""
    sha = _sha256(stream)
    if fmt == "auto":
        head = stream.read(4096)
        stream.seek(0)
        try:
            fmt = importers.detect(head, file_name)
        except importers.StatementFormatError as error:
            raise StatementRefused(
                _("%(file)s: %(error)s"), params={"file": file_name, "error": error}
            ) from None
    summary = ImportSummary(file_name=file_name, format=fmt, sha256=sha, dry_run=dry_run)
    try:
        with transaction.atomic():
            record = StatementImport.objects.create(
                file_name=file_name[:255],
                sha256=sha,
                format=fmt,
                by=by if getattr(by, "is_authenticated", False) else None,
            )
            importer = _Importer(summary, record, progress)
            try:
                for event in importers.parse(stream, fmt, file_name):
                    if isinstance(event, importers.StatementLine):
                        importer.line(event)
                    elif isinstance(event, importers.StatementStart):
                        importer.start(event)
                    else:
                        importer.end(event)
            except importers.StatementFormatError as error:
                raise StatementRefused(
                    _("%(file)s: %(error)s"), params={"file": file_name, "error": error}
                ) from None
            if importer.current is not None:
                raise StatementRefused(
                    _("%(file)s: the file ends inside a statement."), params={"file": file_name}
                )
            if match and summary.new:
                summary.matched = _auto_match(record, by)
            StatementImport.objects.filter(pk=record.pk).update(
                statements=summary.statements,
                lines=summary.lines,
                new_lines=summary.new,
                known_lines=summary.known,
                matched=summary.matched,
            )
            summary.import_id = record.pk
            record_event(
                action="finance.statements.imported",
                actor=by,
                obj=record,
                object_repr=file_name[:300],
                changes={k: v for k, v in summary.as_dict().items() if k not in {"dry_run", "import_id"}},
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        summary.import_id = None
    return summary
