"""The reads behind the Fund's financial reports, each a fixed number of queries whatever the
number of accounts, budgets or lines (grouped sums in the database, names in one more query).

Sections of the balance sheet come from the chart's first digit (Order No. 185): 1 current assets,
2 non-current assets, 3 current liabilities, 4 non-current liabilities, 5 capital and reserves
(for the Fund: net assets, target financing by source). Income (6) and expense (7) accounts are
never closed by an entry here, so the balance sheet shows their net inside net assets: the result
of the current year (from 1 January of the report date's year) and, separately, the result of
earlier years not yet transferred to target financing. Cost accounting (8) is not in it."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum

from innocluster.finance.models import (
    Account,
    AccountType,
    Budget,
    FundSource,
    JournalEntry,
    JournalLine,
    Side,
)
from innocluster.finance.selectors import ledger

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
POSTED = Q(entry__status=JournalEntry.Status.POSTED)


def _money(value) -> Decimal:
    # SQLite sums decimals as floats: back to the tiyn (PostgreSQL's sums are exact anyway).
    return Decimal(value or 0).quantize(CENT)


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
    rows: list  # (line, balance after)
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


# --- balance sheet -----------------------------------------------------------------------------

SECTIONS = (
    ("1", "current_assets"),
    ("2", "non_current_assets"),
    ("3", "current_liabilities"),
    ("4", "non_current_liabilities"),
    ("5", "net_assets"),
)


@dataclass
class SheetLine:
    code: str
    name: str
    amount: Decimal
    account: Account | None = None


@dataclass
class SheetSection:
    key: str
    lines: list[SheetLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


@dataclass
class BalanceSheet:
    at: dt.date
    sections: dict[str, SheetSection]
    current_result: Decimal
    earlier_result: Decimal

    @property
    def assets(self) -> Decimal:
        return self.sections["current_assets"].total + self.sections["non_current_assets"].total

    @property
    def liabilities(self) -> Decimal:
        return self.sections["current_liabilities"].total + self.sections["non_current_liabilities"].total

    @property
    def net_assets(self) -> Decimal:
        return self.sections["net_assets"].total + self.current_result + self.earlier_result

    @property
    def liabilities_and_net_assets(self) -> Decimal:
        return self.liabilities + self.net_assets

    @property
    def balances(self) -> bool:
        return self.assets == self.liabilities_and_net_assets


def balance_sheet(at: dt.date) -> BalanceSheet:
    """Assets, liabilities and net assets at the end of ``at`` (three queries): each account's
    balance on its section's side (assets debit minus credit, the others credit minus debit, so a
    contra balance shows negative), and income minus expenses inside net assets."""
    year_start = dt.date(at.year, 1, 1)
    rows = (
        JournalLine.objects.filter(POSTED, date__lte=at)
        .order_by()
        .values_list("account_id")
        .annotate(
            d=Sum("debit"),
            c=Sum("credit"),
            dy=Sum("debit", filter=Q(date__gte=year_start)),
            cy=Sum("credit", filter=Q(date__gte=year_start)),
        )
    )
    totals = {pk: (d, c, dy, cy) for pk, d, c, dy, cy in rows}
    sections = {key: SheetSection(key) for _digit, key in SECTIONS}
    by_digit = dict(SECTIONS)
    current = earlier = ZERO
    for account in Account.objects.filter(pk__in=totals).order_by("code"):
        d, c, dy, cy = (_money(v) for v in totals[account.pk])
        if account.type in (AccountType.INCOME, AccountType.EXPENSE):
            current += cy - dy
            earlier += (c - cy) - (d - dy)
            continue
        key = by_digit.get(account.code[:1])
        if key is None or account.type == AccountType.MEMO:
            continue
        amount = d - c if account.type == AccountType.ASSET else c - d
        if amount:
            sections[key].lines.append(SheetLine(account.code, account.name, amount, account))
    return BalanceSheet(at, sections, current, earlier)


# --- income and expenses by source of funds ----------------------------------------------------


@dataclass
class SourceRow:
    source: str
    label: str
    income: list[SheetLine] = field(default_factory=list)
    expenses: list[SheetLine] = field(default_factory=list)

    @property
    def total_income(self) -> Decimal:
        return sum((line.amount for line in self.income), ZERO)

    @property
    def total_expenses(self) -> Decimal:
        return sum((line.amount for line in self.expenses), ZERO)

    @property
    def result(self) -> Decimal:
        return self.total_income - self.total_expenses


def source_label(source: str) -> str:
    from django.utils.translation import gettext as _

    return str(FundSource(source).label) if source in FundSource.values else _("no source named")


def income_and_expenses(start: dt.date, end: dt.date) -> list[SourceRow]:
    """Income and expenses of ``start``–``end`` by source of funds and account (two queries), in
    the order of ``FundSource`` (lines with no source last). Totals per source equal
    ``ledger.income_and_expenses_by_source``."""
    rows = (
        JournalLine.objects.filter(POSTED, date__gte=start, date__lte=end)
        .filter(account__type__in=[AccountType.INCOME, AccountType.EXPENSE])
        .order_by()
        .values_list("fund_source", "account_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    rows = list(rows)
    accounts = {a.pk: a for a in Account.objects.filter(pk__in={r[1] for r in rows})}
    order = [*FundSource.values, ""]
    result = {source: SourceRow(source, source_label(source)) for source in order}
    for source, account_id, d, c in sorted(rows, key=lambda r: accounts[r[1]].code):
        account = accounts[account_id]
        bucket = result[source if source in result else ""]
        if account.type == AccountType.INCOME:
            bucket.income.append(SheetLine(account.code, account.name, _money(c) - _money(d), account))
        else:
            bucket.expenses.append(SheetLine(account.code, account.name, _money(d) - _money(c), account))
    return [row for row in result.values() if row.income or row.expenses]


# --- cash flow (direct method) -------------------------------------------------------------------


@dataclass
class FlowLine:
    account: Account
    source: str
    label: str
    amount: Decimal


@dataclass
class CashFlow:
    start: dt.date
    end: dt.date
    opening: Decimal
    closing: Decimal
    receipts: list[FlowLine]
    payments: list[FlowLine]

    @property
    def total_receipts(self) -> Decimal:
        return sum((f.amount for f in self.receipts), ZERO)

    @property
    def total_payments(self) -> Decimal:
        return sum((f.amount for f in self.payments), ZERO)

    @property
    def net(self) -> Decimal:
        return self.total_receipts - self.total_payments

    @property
    def reconciles(self) -> bool:
        return self.opening + self.net == self.closing

    def by_type(self) -> dict[str, tuple[Decimal, Decimal]]:
        """Receipts and payments per type of counterpart account (asset, liability, income…)."""
        out: dict[str, tuple[Decimal, Decimal]] = {}
        for flows, index in ((self.receipts, 0), (self.payments, 1)):
            for f in flows:
                pair = list(out.get(f.account.type, (ZERO, ZERO)))
                pair[index] += f.amount
                out[f.account.type] = (pair[0], pair[1])
        return out

    def by_source(self) -> dict[str, tuple[Decimal, Decimal]]:
        out: dict[str, tuple[Decimal, Decimal]] = {}
        for flows, index in ((self.receipts, 0), (self.payments, 1)):
            for f in flows:
                pair = list(out.get(f.source, (ZERO, ZERO)))
                pair[index] += f.amount
                out[f.source] = (pair[0], pair[1])
        return out


def _cash_accounts():
    """The ledger accounts of the Fund's bank accounts."""
    return Account.objects.filter(bank_account__isnull=False)


def cash_flow(start: dt.date, end: dt.date) -> CashFlow:
    """Receipts and payments of the Fund's bank accounts in ``start``–``end`` by the other side of
    each entry (four queries). Each entry that moves a bank account is read from its other lines:
    a counterpart credited is money received for it, a counterpart debited money paid for it
    (an entry paying 110 of expense with 10 withheld to a payable shows 110 paid and 10 received,
    net 100 out). Transfers between the Fund's own bank accounts have no other line and do not
    appear; opening and closing are the bank accounts' balances."""
    cash = _cash_accounts()
    moves = JournalLine.objects.filter(
        POSTED, date__gte=start, date__lte=end, entry_id=OuterRef("entry_id"), account__in=cash
    )
    rows = list(
        JournalLine.objects.filter(POSTED, date__gte=start, date__lte=end)
        .exclude(account__in=cash)
        .filter(Exists(moves))
        .order_by()
        .values_list("account_id", "fund_source")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    balances = JournalLine.objects.filter(POSTED, account__in=cash, date__lte=end).aggregate(
        d=Sum("debit"),
        c=Sum("credit"),
        d0=Sum("debit", filter=Q(date__lt=start)),
        c0=Sum("credit", filter=Q(date__lt=start)),
    )
    accounts = {a.pk: a for a in Account.objects.filter(pk__in={r[0] for r in rows})}
    receipts, payments = [], []
    for account_id, source, d, c in sorted(rows, key=lambda r: (accounts[r[0]].code, r[1])):
        account = accounts[account_id]
        if _money(c):
            receipts.append(FlowLine(account, source, source_label(source), _money(c)))
        if _money(d):
            payments.append(FlowLine(account, source, source_label(source), _money(d)))
    opening = _money(balances["d0"]) - _money(balances["c0"])
    closing = _money(balances["d"]) - _money(balances["c"])
    return CashFlow(start, end, opening, closing, receipts, payments)


# --- budget execution ---------------------------------------------------------------------------


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
    rows: list = field(default_factory=list)  # (line, balance after)

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
            pk: _money(d) - _money(c)
            for pk, d, c in lines.filter(date__lt=start)
            .order_by()
            .values_list("account_id")
            .annotate(d=Sum("debit"), c=Sum("credit"))
        }
        lines = lines.filter(date__gte=start)
    page = list(lines.select_related("entry", "account").order_by("account__code", "date", "id")[:limit])
    found = {line.account_id: line.account for line in page}
    missing = set(openings) - set(found)
    if missing:  # accounts with an opening balance and no line in the period
        found.update((a.pk, a) for a in Account.objects.filter(pk__in=missing))
    accounts: dict[int, PartyAccount] = {}
    running: dict[int, Decimal] = {}
    for pk, account in found.items():
        sign = 1 if account.normal_side == Side.DEBIT else -1
        accounts[pk] = PartyAccount(account, sign * openings.get(pk, ZERO))
        running[pk] = openings.get(pk, ZERO)
    for line in page:
        running[line.account_id] += line.debit - line.credit
        sign = 1 if line.account.normal_side == Side.DEBIT else -1
        accounts[line.account_id].rows.append((line, sign * running[line.account_id]))
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
            _money(debit),
            _money(credit),
            bin_ or "",
            line_code or "",
            source,
        )
