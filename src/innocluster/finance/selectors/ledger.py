"""Balances and reports read from the journal's posted lines, one grouped query each (the cost does
not depend on how many accounts or lines a page shows)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db import connections
from django.db.models import Count, Q

from innocluster.core.money import MoneySum
from innocluster.finance.models import Account, AccountType, JournalEntry, JournalLine, Side
from innocluster.finance.models.journal import entry_number
from innocluster.parties.models import name_in_reader_language

ZERO = Decimal("0.00")


def tiyn(value) -> Decimal:
    """A database sum back to the tiyn: SQLite adds decimals as binary floats (…821.1002 over a
    million lines); PostgreSQL's sums are exact, and this changes nothing there."""
    return Decimal(value or 0).quantize(ZERO)


POSTED = Q(entry__status=JournalEntry.Status.POSTED)


@dataclass(frozen=True)
class Balance:
    account: Account
    debit: Decimal
    credit: Decimal

    @property
    def net(self) -> Decimal:
        """Debit minus credit."""
        return self.debit - self.credit

    @property
    def balance(self) -> Decimal:
        """The balance on the account's normal side (positive when it is where it should be)."""
        return self.net if self.account.normal_side == Side.DEBIT else -self.net

    @property
    def debit_balance(self) -> Decimal:
        return self.net if self.net > 0 else ZERO

    @property
    def credit_balance(self) -> Decimal:
        return -self.net if self.net < 0 else ZERO


def _posted_lines(at: dt.date | None = None, since: dt.date | None = None):
    lines = JournalLine.objects.filter(POSTED)
    if at is not None:
        lines = lines.filter(date__lte=at)
    if since is not None:
        lines = lines.filter(date__gte=since)
    return lines


def totals_by_account(
    at: dt.date | None = None, since: dt.date | None = None
) -> dict[int, tuple[Decimal, Decimal]]:
    rows = (
        _posted_lines(at, since)
        .order_by()
        .values_list("account_id")
        .annotate(d=MoneySum("debit"), c=MoneySum("credit"))
    )
    return {account_id: (d or ZERO, c or ZERO) for account_id, d, c in rows}


def trial_balance(at: dt.date | None = None) -> list[Balance]:
    """Every account with postings up to ``at`` (inclusive), in code order."""
    totals = totals_by_account(at)
    accounts = Account.objects.filter(pk__in=totals).order_by("code")
    return [Balance(a, *(tiyn(v) for v in totals[a.pk])) for a in accounts]


def _net(sums: dict) -> Decimal:
    """Debits minus credits of an aggregate, to the tiyn: SQLite sums decimals as floats, so a sum
    over many lines comes back with noise in the last digits (…821.1002); PostgreSQL's are exact."""
    return ((sums["d"] or ZERO) - (sums["c"] or ZERO)).quantize(ZERO)


def balance_of(account: Account, at: dt.date | None = None, party=None) -> Decimal:
    """One account's balance on its normal side (of one party's sub-ledger when ``party`` is given)."""
    lines = _posted_lines(at).filter(account=account)
    if party is not None:
        lines = lines.filter(party=party)
    sums = lines.aggregate(d=MoneySum("debit"), c=MoneySum("credit"))
    net = _net(sums)
    return net if account.normal_side == Side.DEBIT else -net


class LedgerLine(NamedTuple):
    """A posted line as a ledger page shows it: plain values read in one query (a page of model
    instances with their entry and party cost five times the query itself)."""

    pk: int
    date: dt.date
    debit: Decimal
    credit: Decimal
    memo: str
    entry_id: int
    reference: str
    description: str
    party_id: int | None
    party_bin: str | None
    name_kk: str | None
    name_ru: str | None
    name_en: str | None

    @property
    def party_name(self) -> str:
        """The organisation's name in the reader's language (as ``Organisation.name``)."""
        return name_in_reader_language(self) if self.party_id else ""

    @property
    def number(self) -> str:
        return entry_number(self.date, self.entry_id)

    @property
    def text(self) -> str:
        """The line's own memo, else its entry's description."""
        return self.memo or self.description


LEDGER_LINE_FIELDS = (
    "id",
    "date",
    "debit",
    "credit",
    "memo",
    "entry_id",
    "entry__reference",
    "entry__description",
    "party_id",
    "party__bin",
    "party__name_kk",
    "party__name_ru",
    "party__name_en",
)


def account_ledger(
    account: Account,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    after: tuple | None = None,
    limit: int = 100,
):
    """One account's posted lines in date order with the entry, the party and the running balance
    from ``start``: ``(opening, rows)`` where each row is ``(LedgerLine, balance_after)``. Pages go
    by keyset (``after=(date, id)`` of the previous page's last line), not by offset."""
    lines = JournalLine.objects.filter(POSTED, account=account)
    if end is not None:
        lines = lines.filter(date__lte=end)
    opening_lines = lines.filter(date__lt=start) if start else None
    if after is not None:
        opening_lines = lines.filter(Q(date__lt=after[0]) | Q(date=after[0], id__lte=after[1]))
        if start:
            opening_lines = opening_lines | lines.filter(date__lt=start)
    # The first page from the beginning opens at zero: no query (not even an empty one to build).
    opening_net = (
        ZERO
        if opening_lines is None
        else _net(opening_lines.aggregate(d=MoneySum("debit"), c=MoneySum("credit")))
    )
    sign = 1 if account.normal_side == Side.DEBIT else -1
    page = lines
    if start:
        page = page.filter(date__gte=start)
    if after is not None:
        page = page.filter(Q(date__gt=after[0]) | Q(date=after[0], id__gt=after[1]))
    running = opening_net
    rows = []
    if start is None and end is None and after is None:
        found = _first_page(account, limit)
    else:
        found = _ledger_lines(page.order_by("date", "id").values_list(*LEDGER_LINE_FIELDS)[:limit])
    for line in found:
        running += line.debit - line.credit
        rows.append((line, sign * running))
    return sign * opening_net, rows


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


# The first page of an account's ledger (no period, no keyset): the page people open first. Its
# SQL is compiled once per database and page size, with a stand-in account id swapped for the real
# one: compiling the query cost as much as running it.
_FIRST_PAGE: dict[tuple, tuple[str, list]] = {}
_STAND_IN = -7_300_000_001


def _first_page(account: Account, limit: int) -> list[LedgerLine]:
    connection = connections[JournalLine.objects.db]
    key = (connection.alias, connection.vendor, limit)
    if key not in _FIRST_PAGE:
        query = (
            JournalLine.objects.filter(POSTED, account_id=_STAND_IN)
            .order_by("date", "id")
            .values_list(*LEDGER_LINE_FIELDS)[:limit]
        )
        sql, params = query.query.get_compiler(using=query.db).as_sql()
        if list(params).count(_STAND_IN) != 1:
            raise RuntimeError("the ledger's first-page query no longer has one account parameter")
        _FIRST_PAGE[key] = sql, list(params)
    sql, params = _FIRST_PAGE[key]
    return _ledger_lines(None, sql, [account.pk if p == _STAND_IN else p for p in params])


def _ledger_lines(queryset, sql: str = "", params=()) -> list[LedgerLine]:
    """The rows of a ``values_list(*LEDGER_LINE_FIELDS)`` query (or its SQL), converted here rather
    than by the ORM's per-value converters (which took twice as long as the query on SQLite): dates
    from SQLite's text, amounts to the tiyn."""
    if queryset is not None:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[JournalLine.objects.db if queryset is None else queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        LedgerLine(pk, _day(date), tiyn(debit), tiyn(credit), *rest)
        for pk, date, debit, credit, *rest in rows
    ]


def party_balances(account: Account, at: dt.date | None = None) -> list[tuple[int | None, Decimal]]:
    """The sub-ledger: ``(party_id, balance)`` of each party on ``account``."""
    rows = (
        _posted_lines(at)
        .filter(account=account)
        .order_by()
        .values_list("party_id")
        .annotate(d=MoneySum("debit"), c=MoneySum("credit"))
    )
    sign = 1 if account.normal_side == Side.DEBIT else -1
    return [(party_id, sign * ((d or ZERO) - (c or ZERO))) for party_id, d, c in rows]


def income_and_expenses_by_source(since: dt.date, at: dt.date) -> dict[str, dict[str, Decimal]]:
    """Income and expenses of the period by source of funds: ``{source: {"income", "expenses"}}``."""
    rows = (
        _posted_lines(at, since)
        .filter(account__type__in=[AccountType.INCOME, AccountType.EXPENSE])
        .order_by()
        .values_list("fund_source", "account__type")
        .annotate(d=MoneySum("debit"), c=MoneySum("credit"))
    )
    result: dict[str, dict[str, Decimal]] = {}
    for source, kind, d, c in rows:
        bucket = result.setdefault(source or "", {"income": ZERO, "expenses": ZERO})
        if kind == AccountType.INCOME:
            bucket["income"] += (c or ZERO) - (d or ZERO)
        else:
            bucket["expenses"] += (d or ZERO) - (c or ZERO)
    return result


def entry_count() -> int:
    return JournalEntry.objects.filter(status=JournalEntry.Status.POSTED).aggregate(n=Count("id"))["n"]
