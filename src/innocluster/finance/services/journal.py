"""Posting to the journal: the one way money moves in the ledger.

Every module posts through :func:`post` (and corrects through :func:`reverse`); a finance officer's
manual entry goes through ``manual_entries.propose_manual`` (four eyes above a policy threshold).
Budgets and commitments named on the lines move in the same
transaction as the entry."""

import copy
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innocluster.core import db
from innocluster.core.audit import services as audit
from innocluster.core.errors import lock_failures_as_domain_errors
from innocluster.core.policy import values as policy
from innocluster.finance.errors import (
    AlreadyReversed,
    ClosedPeriod,
    LedgerError,
)
from innocluster.finance.models import (
    CommitmentEvent,
    JournalEntry,
    JournalLine,
    Period,
)

# Leg and money are part of the posting API: modules import them from here.
from innocluster.finance.services.lines import Leg, apply_to_budgets, check_lines, money  # noqa: F401

ZERO = Decimal("0.00")


def period_for(day: dt.date) -> Period:
    """The period holding ``day`` (created open the first time a date in it is posted)."""
    period, _created = Period.objects.get_or_create(year=day.year, month=day.month)
    return period


_PERIOD_SQL: dict[str, str] = {}
# (database alias, year, month) -> id of a period seen open in a committed transaction. A hint,
# never the last word: the database's posting check reads the period (``FOR SHARE`` on
# PostgreSQL) and refuses a posting into a closed one, which :func:`_finalise` turns into
# :class:`ClosedPeriod` and which drops the hint. Filled only after commit, so a period created
# in a transaction that rolls back is never remembered; emptied after a flush (``apps.py``).
_OPEN_PERIODS: dict[tuple[str, int, int], int] = {}


def forget_periods() -> None:
    _OPEN_PERIODS.clear()


def period_closing() -> None:
    """A period is being closed in the current transaction: the hints its postings left so far
    (:class:`_RememberOpen`) no longer hold, here or after commit (when every remembered period is
    forgotten: :func:`forget_periods`)."""
    connection = transaction.get_connection()
    for _savepoints, callback, _robust in connection.run_on_commit:
        if type(callback) is _RememberOpen:
            callback.period_id = None
    transaction.on_commit(forget_periods)


class _RememberOpen:
    """The after-commit callback that remembers a period seen open. While the transaction is
    open, the callback itself is the hint for later postings in it: found among the pending
    callbacks, it saves reading the period again (an import of 100,000 lines read it, and
    registered a callback, once per line); a savepoint rolled back takes it away with it."""

    __slots__ = ("key", "period_id")

    def __init__(self, key: tuple[str, int, int], period_id: int):
        self.key, self.period_id = key, period_id

    def __call__(self) -> None:
        if self.period_id is not None:
            _OPEN_PERIODS[self.key] = self.period_id


def open_period_id(day: dt.date) -> int:
    """The id of the open period holding ``day``, or :class:`ClosedPeriod`. Remembered per
    process once seen open, so the hot path of posting reads no period at all."""
    connection = transaction.get_connection()
    key = (connection.alias, day.year, day.month)
    known = _OPEN_PERIODS.get(key)
    if known is not None:
        return known
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in connection.run_on_commit:
            if type(callback) is _RememberOpen and callback.key == key and callback.period_id is not None:
                return callback.period_id
    sql = _PERIOD_SQL.get(connection.vendor)
    if sql is None:
        sql = _PERIOD_SQL[connection.vendor] = (
            f"SELECT id, status FROM {connection.ops.quote_name(Period._meta.db_table)}"  # noqa: S608
            " WHERE year = %s AND month = %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [day.year, day.month])
        row = cursor.fetchone()
    if row is None:
        period = period_for(day)
        row = period.pk, period.status
    if row[1] != Period.Status.OPEN:
        raise ClosedPeriod(Period.objects.get(pk=row[0]))
    transaction.on_commit(_RememberOpen(key, row[0]), using=connection.alias)
    return row[0]


def _closed_period(entry: JournalEntry) -> ClosedPeriod:
    """The refusal for a posting the database stopped because its period is closed (the hint in
    :data:`_OPEN_PERIODS` was out of date: another process closed it)."""
    for key, pk in list(_OPEN_PERIODS.items()):
        if pk == entry.period_id:
            del _OPEN_PERIODS[key]
    return ClosedPeriod(
        Period(pk=entry.period_id, year=entry.date.year, month=entry.date.month, status=Period.Status.CLOSED)
    )


def _posted_event(entry: JournalEntry, lines: list[JournalLine], by, action: str, reason: str = ""):
    return audit.event(
        action=action,
        actor=by,
        obj=entry,
        object_repr=f"{entry.number} {entry.description}"[:300],
        reason=reason,
        changes={
            "date": entry.date,
            "reference": entry.reference,
            "source": f"{entry.source_type}:{entry.source_id}" if entry.source_type else "",
            "reverses": entry.reversal_of.number if entry.reversal_of_id else "",
            "lines": [
                [
                    line.account.code,
                    str(line.debit),
                    str(line.credit),
                    line.party_id,
                    line.budget_id,
                    line.fund_source,
                ]
                for line in lines
            ],
        },
    )


def _finalise(
    entry: JournalEntry, lines: list[JournalLine], by, action: str, reason: str = "", *, check_period=True
) -> JournalEntry:
    """Post an entry whose lines are written: budgets move, the status turns ``posted`` (the
    database checks balance and period again), one audit event. ``check_period=False`` when the
    caller has just read the period open in this transaction."""
    _finalise_many([(entry, lines)], by, action, reason, check_period=check_period)
    return entry


def _finalise_many(
    written: Sequence[tuple[JournalEntry, list[JournalLine]]],
    by,
    action: str,
    reason: str = "",
    *,
    check_period=True,
) -> None:
    if check_period:
        for period in Period.objects.filter(pk__in={entry.period_id for entry, _lines in written}):
            if not period.is_open:
                raise ClosedPeriod(period)
    apply_to_budgets(line for _entry, lines in written for line in lines)
    posted_at = timezone.now()
    for entry, _lines in written:
        entry.status, entry.posted_at = JournalEntry.Status.POSTED, posted_at
    try:
        if len(written) == 1:
            entry = written[0][0]
            db.update(
                JournalEntry,
                entry.pk,
                status=entry.status,
                posted_at=posted_at,
                approved_by_id=entry.approved_by_id,
            )
        else:
            db.update_many(
                JournalEntry,
                ("status", "posted_at", "approved_by_id"),
                [(entry.status, posted_at, entry.approved_by_id, entry.pk) for entry, _lines in written],
            )
    except IntegrityError as error:
        if "period is closed" in str(error):
            raise _closed_period(written[0][0]) from None
        raise
    audit.record_events([_posted_event(entry, lines, by, action, reason) for entry, lines in written])


def _prepare(
    *,
    date: dt.date,
    description: str,
    legs: Sequence[Leg],
    reference: str,
    source: Any,
    by,
    kind: str,
    status: str,
    reversal_of: JournalEntry | None = None,
) -> tuple[JournalEntry, list[JournalLine]]:
    if not description.strip():
        raise LedgerError(_("An entry needs a description."))
    if isinstance(date, dt.datetime) or not isinstance(date, dt.date):
        raise LedgerError(_("An entry is dated with a date."))
    period_id = open_period_id(date)
    source_type, source_id = document_reference(source)
    user = by if getattr(by, "is_authenticated", False) else None
    entry = db.build(
        JournalEntry,
        date=date,
        period_id=period_id,
        reference=reference[:100],
        description=description[:500],
        source_type=source_type,
        source_id=source_id,
        kind=kind,
        status=status,
        reversal_of=reversal_of,
        prepared_by=user,
    )
    return entry, check_lines(entry, legs)


def _insert(entry: JournalEntry, lines: list[JournalLine]) -> None:
    db.insert([entry])
    for line in lines:
        line.entry_id = entry.pk
    db.insert(lines)


def _write(**kwargs) -> tuple[JournalEntry, list[JournalLine]]:
    """An entry checked and written (still a draft), inside the caller's transaction."""
    entry, lines = _prepare(**kwargs)
    _insert(entry, lines)
    return entry, lines


def document_reference(source: Any) -> tuple[str, str]:
    """A source document (or a match's target) as stored: ``("app.model", "id")`` from a model
    instance or from such a pair; ``("", "")`` for none."""
    if source is None:
        return "", ""
    if isinstance(source, tuple):
        return str(source[0])[:100], str(source[1])[:64]
    return source._meta.label_lower, str(source.pk)


@lock_failures_as_domain_errors()
def post(
    *,
    date: dt.date,
    description: str,
    legs: Sequence[Leg],
    reference: str = "",
    source: Any = None,
    by=None,
) -> JournalEntry:
    """Post a balanced entry now (a module's own posting: levy assessed, tranche due, line matched).
    ``source`` is the document it comes from: a model instance or ``("app.model", id)``.

    Everything that can refuse the entry is checked before anything is written, so the writes need
    no savepoint of their own inside a caller's transaction (two statements fewer per entry on the
    hot path) unless budgets are charged: their check, under row locks, comes after."""
    entry, lines = _prepare(
        date=date,
        description=description,
        legs=legs,
        reference=reference,
        source=source,
        by=by,
        kind=JournalEntry.Kind.SYSTEM,
        status=JournalEntry.Status.DRAFT,
    )
    with transaction.atomic(savepoint=any(line.budget_id is not None for line in lines)), db.one_cursor():
        _insert(entry, lines)
        return _finalise(entry, lines, by, "finance.entry.posted", check_period=False)


@dataclass(frozen=True)
class Posting:
    """One entry of :func:`post_many` (the arguments of :func:`post` but ``by``)."""

    date: dt.date
    description: str
    legs: Sequence[Leg]
    reference: str = ""
    source: Any = None


# Entries per batch of :func:`post_many`: their lines and audit rows stay inside SQLite's limit of
# parameters per statement.
POST_BATCH = 500


@lock_failures_as_domain_errors()
def post_many(postings: Iterable[Posting], *, by=None) -> list[JournalEntry]:
    """Post many entries at once (an assessment run, a batch of matches): each checked as
    :func:`post` checks it, all refused if one is (the error names which, by its position), and
    written with a few statements per batch of :data:`POST_BATCH` instead of five per entry. One
    audit event per entry, as with :func:`post`."""
    prepared: list[tuple[JournalEntry, list[JournalLine]]] = []
    for number, posting in enumerate(postings, start=1):
        try:
            prepared.append(
                _prepare(
                    date=posting.date,
                    description=posting.description,
                    legs=posting.legs,
                    reference=posting.reference,
                    source=posting.source,
                    by=by,
                    kind=JournalEntry.Kind.SYSTEM,
                    status=JournalEntry.Status.DRAFT,
                )
            )
        except LedgerError as error:
            refusal = copy.copy(error)  # the same kind of refusal, saying which entry
            refusal.message, refusal.params = _("Entry %(n)s: %(error)s"), {"n": number, "error": error}
            raise refusal from error
    budgets = any(line.budget_id is not None for _entry, lines in prepared for line in lines)
    with transaction.atomic(savepoint=budgets):
        for start in range(0, len(prepared), POST_BATCH):
            batch = prepared[start : start + POST_BATCH]
            db.insert([entry for entry, _lines in batch])
            for entry, lines in batch:
                for line in lines:
                    line.entry_id = entry.pk
            db.insert([line for _entry, lines in batch for line in lines])
            _finalise_many(batch, by, "finance.entry.posted", check_period=False)
    return [entry for entry, _lines in prepared]


def reversal_date(entry: JournalEntry) -> dt.date:
    """The original's date while its period is open; otherwise the first day of the first open
    period after it (the current month's if none is open in between)."""
    if Period.objects.filter(pk=entry.period_id, status=Period.Status.OPEN).exists():
        return entry.date
    year, month = entry.period.year, entry.period.month
    later = (
        Period.objects.filter(status=Period.Status.OPEN)
        .filter(Q(year__gt=year) | Q(year=year, month__gt=month))
        .order_by("year", "month")
        .first()
    )
    if later is not None:
        return dt.date(later.year, later.month, 1)
    today = policy.today()
    return max(today, entry.date)


@lock_failures_as_domain_errors()
def reverse(entry: JournalEntry, *, by=None, reason: str, on: dt.date | None = None) -> JournalEntry:
    """The correction of a posted entry: a new entry with every line on the other side, linked to
    the original (which stays as it was). Budgets and commitments move back."""
    if not reason.strip():
        raise LedgerError(_("Say why the entry is reversed."))
    with transaction.atomic():
        original = JournalEntry.objects.select_for_update().select_related("period").get(pk=entry.pk)
        if original.status != JournalEntry.Status.POSTED:
            raise LedgerError(_("Only a posted entry can be reversed."))
        if original.kind == JournalEntry.Kind.REVERSAL:
            raise AlreadyReversed(
                _("%(entry)s is itself a reversal; post the entry again instead."), params={"entry": original}
            )
        if JournalEntry.objects.filter(reversal_of=original).exists():
            raise AlreadyReversed(_("%(entry)s has already been reversed."), params={"entry": original})
        legs = [
            Leg(
                account=line.account,
                debit=line.credit,
                credit=line.debit,
                party=line.party,
                budget=line.budget,
                commitment=line.commitment,
                fund_source=line.fund_source if not line.account.fund_source else "",
                memo=line.memo,
            )
            for line in original.lines.select_related("account", "budget", "commitment__budget", "party")
        ]
        try:
            reversal, lines = _write(
                date=on or reversal_date(original),
                description=f"{_('Reversal of')} {original.number}: {original.description}",
                legs=legs,
                reference=original.reference,
                source=(original.source_type, original.source_id) if original.source_type else None,
                by=by,
                kind=JournalEntry.Kind.REVERSAL,
                status=JournalEntry.Status.DRAFT,
                reversal_of=original,
            )
        except IntegrityError:
            raise AlreadyReversed(
                _("%(entry)s has already been reversed."), params={"entry": original}
            ) from None
        for line in lines:
            if line.commitment_id is not None and line.debit < line.credit:
                CommitmentEvent.objects.create(
                    commitment_id=line.commitment_id,
                    kind=CommitmentEvent.Kind.REVERSE,
                    amount=line.credit - line.debit,
                    entry=reversal,
                    reason=reason[:500],
                    by=reversal.prepared_by,
                )
        return _finalise(reversal, lines, by, "finance.entry.reversed", reason=reason, check_period=False)
