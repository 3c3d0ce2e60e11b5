"""The Fund's financial statements: the balance sheet at a date, income and expenses by source of
funds, and the cash-flow statement (direct method, from the bank accounts' lines). Each a fixed
number of queries.

Sections of the balance sheet come from the chart's first digit (Order No. 185): 1 current assets,
2 non-current assets, 3 current liabilities, 4 non-current liabilities, 5 capital and reserves
(for the Fund: net assets, target financing by source). Income (6) and expense (7) accounts are
never closed by an entry here, so the balance sheet shows their net inside net assets: the result
of the current year (from 1 January of the report date's year) and, separately, the result of
earlier years not yet transferred to target financing. Cost accounting (8) is not in it."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q

from innocluster.core.money import MoneySum
from innocluster.finance.models import (
    Account,
    AccountType,
    FundSource,
    JournalEntry,
    JournalLine,
)
from innocluster.finance.selectors.ledger import tiyn

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
POSTED = Q(entry__status=JournalEntry.Status.POSTED)


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
            d=MoneySum("debit"),
            c=MoneySum("credit"),
            dy=MoneySum("debit", filter=Q(date__gte=year_start)),
            cy=MoneySum("credit", filter=Q(date__gte=year_start)),
        )
    )
    totals = {pk: (d, c, dy, cy) for pk, d, c, dy, cy in rows}
    sections = {key: SheetSection(key) for _digit, key in SECTIONS}
    by_digit = dict(SECTIONS)
    current = earlier = ZERO
    for account in Account.objects.filter(pk__in=totals).order_by("code"):
        d, c, dy, cy = (tiyn(v) for v in totals[account.pk])
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
        .annotate(d=MoneySum("debit"), c=MoneySum("credit"))
    )
    rows = list(rows)
    accounts = {a.pk: a for a in Account.objects.filter(pk__in={r[1] for r in rows})}
    order = [*FundSource.values, ""]
    result = {source: SourceRow(source, source_label(source)) for source in order}
    for source, account_id, d, c in sorted(rows, key=lambda r: accounts[r[1]].code):
        account = accounts[account_id]
        bucket = result[source if source in result else ""]
        if account.type == AccountType.INCOME:
            bucket.income.append(SheetLine(account.code, account.name, tiyn(c) - tiyn(d), account))
        else:
            bucket.expenses.append(SheetLine(account.code, account.name, tiyn(d) - tiyn(c), account))
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
        .annotate(d=MoneySum("debit"), c=MoneySum("credit"))
    )
    balances = JournalLine.objects.filter(POSTED, account__in=cash, date__lte=end).aggregate(
        d=MoneySum("debit"),
        c=MoneySum("credit"),
        d0=MoneySum("debit", filter=Q(date__lt=start)),
        c0=MoneySum("credit", filter=Q(date__lt=start)),
    )
    accounts = {a.pk: a for a in Account.objects.filter(pk__in={r[0] for r in rows})}
    receipts, payments = [], []
    for account_id, source, d, c in sorted(rows, key=lambda r: (accounts[r[0]].code, r[1])):
        account = accounts[account_id]
        if tiyn(c):
            receipts.append(FlowLine(account, source, source_label(source), tiyn(c)))
        if tiyn(d):
            payments.append(FlowLine(account, source, source_label(source), tiyn(d)))
    opening = tiyn(balances["d0"]) - tiyn(balances["c0"])
    closing = tiyn(balances["d"]) - tiyn(balances["c"])
    return CashFlow(start, end, opening, closing, receipts, payments)


# --- budget execution ---------------------------------------------------------------------------
