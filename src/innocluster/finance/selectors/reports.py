"""The reads behind the Fund's financial reports, each a fixed number of queries whatever the
number of accounts, budgets or lines (grouped sums in the database, names in one more query).

Sections of the balance sheet come from the chart's first digit (Order No. 185): 1 current assets,
2 non-current assets, 3 current liabilities, 4 non-current liabilities, 5 capital and reserves
(for the Fund: net assets, target financing by source). The financial statements themselves are
in ``statements``."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from innocluster.core.money import MoneySum
from innocluster.finance.models import (
    Account,
    Budget,
    JournalEntry,
    JournalLine,
    Side,
)
from innocluster.finance.selectors import ledger
from innocluster.finance.selectors.ledger import tiyn

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
POSTED = Q(entry__status=JournalEntry.Status.POSTED)


def entry_number(year: int, pk: int) -> str:
    """The entry's number as ``JournalEntry.number`` writes it, from its date's year and id."""
    return f"JE-{year}-{pk:07d}"


# --- trial balance and general ledger -----------------------------------------------------------


@dataclass(frozen=True)
class TrialBalance:
    at: dt.date | None
    rows: list[ledger.Balance]

    @property
    def debit(self) -> Decimal:
        return sum((r.debit for r in self.rows), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((r.credit for r in self.rows), ZERO)

    @property
    def debit_balance(self) -> Decimal:
        return sum((r.debit_balance for r in self.rows), ZERO)

    @property
    def credit_balance(self) -> Decimal:
        return sum((r.credit_balance for r in self.rows), ZERO)


def trial_balance(at: dt.date | None = None) -> TrialBalance:
    """Turnover and balance of every account with postings up to ``at`` (two queries)."""
    return TrialBalance(at, ledger.trial_balance(at))


def account_by_code(code: str) -> Account | None:
    return Account.objects.filter(code=code).select_related("parent").first()


@dataclass(frozen=True)
class GeneralLedger:
    account: Account
    start: dt.date | None
    end: dt.date | None
    opening: Decimal
    rows: list  # (LedgerLine, balance after)
    next_after: tuple[dt.date, int] | None

    @property
    def closing(self) -> Decimal:
        return self.rows[-1][1] if self.rows else self.opening


def general_ledger(
    account: Account,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    after: tuple[dt.date, int] | None = None,
    limit: int = 100,
) -> GeneralLedger:
    """One page of an account's ledger (``ledger.account_ledger``: two queries), with the keyset
    of the next page when there is one."""
    opening, rows = ledger.account_ledger(account, start=start, end=end, after=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    next_after = (rows[-1][0].date, rows[-1][0].pk) if more and rows else None
    return GeneralLedger(account, start, end, opening, rows, next_after)


@dataclass(frozen=True)
class BudgetRow:
    budget: Budget

    @property
    def line(self):
        return self.budget.line

    @property
    def source(self) -> str:
        return self.budget.source

    @property
    def amount(self) -> Decimal:
        return self.budget.amount

    @property
    def committed(self) -> Decimal:
        return self.budget.committed

    @property
    def spent(self) -> Decimal:
        return self.budget.spent

    @property
    def available(self) -> Decimal:
        return self.budget.available

    @property
    def executed_share(self) -> Decimal | None:
        """Spent as a share of the budget (None for a zero budget)."""
        return (self.spent / self.amount).quantize(Decimal("0.001")) if self.amount else None


@dataclass(frozen=True)
class BudgetExecution:
    year: int
    rows: list[BudgetRow]

    def _sum(self, name: str) -> Decimal:
        return sum((getattr(r, name) for r in self.rows), ZERO)

    @property
    def amount(self) -> Decimal:
        return self._sum("amount")

    @property
    def committed(self) -> Decimal:
        return self._sum("committed")

    @property
    def spent(self) -> Decimal:
        return self._sum("spent")

    @property
    def available(self) -> Decimal:
        return self._sum("available")


def budget_execution(year: int) -> BudgetExecution:
    """Every budget of ``year``: the budget, what is committed and not yet spent, what is spent
    (the net of its posted lines) and what is available (one query; the figures are the ones the
    commands keep, checked against the journal by ``ledger check``)."""
    budgets = Budget.objects.filter(year=year).select_related("line").order_by("line__code", "source")
    return BudgetExecution(year, [BudgetRow(b) for b in budgets])


def budget_years() -> list[int]:
    return sorted(set(Budget.objects.values_list("year", flat=True)), reverse=True)


# --- a party's sub-ledger -----------------------------------------------------------------------


@dataclass
class PartyAccount:
    account: Account
    opening: Decimal
    rows: list = field(default_factory=list)  # (LedgerLine, balance after)

    @property
    def closing(self) -> Decimal:
        return self.rows[-1][1] if self.rows else self.opening


def party_ledger(
    party, *, start: dt.date | None = None, end: dt.date | None = None, limit: int = 2000
) -> list[PartyAccount]:
    """One organisation's lines on the accounts kept per party, account by account in date order,
    with the running balance on each account's normal side (three queries). At most ``limit``
    lines in all (the most active payer has a few hundred a year)."""
    lines = JournalLine.objects.filter(POSTED, party=party, account__requires_party=True)
    if end is not None:
        lines = lines.filter(date__lte=end)
    openings = {}
    if start is not None:
        openings = {
            pk: tiyn(d) - tiyn(c)
            for pk, d, c in lines.filter(date__lt=start)
            .order_by()
            .values_list("account_id")
            .annotate(d=MoneySum("debit"), c=MoneySum("credit"))
        }
        lines = lines.filter(date__gte=start)
    page = [
        (values[0], ledger.LedgerLine._make(values[1:]))
        for values in lines.order_by("account__code", "date", "id").values_list(
            "account_id", *ledger.LEDGER_LINE_FIELDS
        )[:limit]
    ]
    found = {a.pk: a for a in Account.objects.filter(pk__in={pk for pk, _line in page} | set(openings))}
    accounts: dict[int, PartyAccount] = {}
    running: dict[int, Decimal] = {}
    for pk, account in found.items():
        sign = 1 if account.normal_side == Side.DEBIT else -1
        accounts[pk] = PartyAccount(account, sign * openings.get(pk, ZERO))
        running[pk] = openings.get(pk, ZERO)
    for pk, line in page:
        running[pk] += line.debit - line.credit
        sign = 1 if found[pk].normal_side == Side.DEBIT else -1
        accounts[pk].rows.append((line, sign * running[pk]))
    return sorted(accounts.values(), key=lambda a: a.account.code)


# --- the postings export ------------------------------------------------------------------------

POSTING_COLUMNS = (
    "entry",
    "date",
    "reference",
    "description",
    "account",
    "debit",
    "credit",
    "party_bin",
    "budget_line",
    "source",
)


def postings(start: dt.date | None = None, end: dt.date | None = None) -> Iterator[tuple]:
    """Every posted line of ``start``–``end`` in date order as a row of :data:`POSTING_COLUMNS`
    (entry number, date, reference, description, account code, debit, credit, party BIN, budget
    line code, source of funds), streamed from one query in chunks."""
    lines = JournalLine.objects.filter(POSTED)
    if start is not None:
        lines = lines.filter(date__gte=start)
    if end is not None:
        lines = lines.filter(date__lte=end)
    rows = lines.order_by("date", "entry_id", "id").values_list(
        "entry_id",
        "date",
        "entry__reference",
        "entry__description",
        "account__code",
        "debit",
        "credit",
        "party__bin",
        "budget__line__code",
        "fund_source",
    )
    for entry_id, day, reference, description, code, debit, credit, bin_, line_code, source in rows.iterator(
        chunk_size=5000
    ):
        yield (
            entry_number(day.year, entry_id),
            day,
            reference,
            description,
            code,
            tiyn(debit),
            tiyn(credit),
            bin_ or "",
            line_code or "",
            source,
        )
