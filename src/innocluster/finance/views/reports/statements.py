"""The balance sheet, income and expenses by source of funds, and the cash-flow statement."""

import datetime as dt

from django.utils.translation import gettext as _

from innocluster.core import charts
from innocluster.core.policy import values as policy
from innocluster.finance.models import AccountType
from innocluster.finance.selectors import statements as selectors
from innocluster.finance.views.reports.common import (
    _date,
    _day,
    _language,
    _range,
    _respond,
    report,
)

# --- balance sheet -----------------------------------------------------------------------------


def section_titles() -> dict[str, str]:
    return {
        "current_assets": _("Current assets"),
        "non_current_assets": _("Non-current assets"),
        "current_liabilities": _("Current liabilities"),
        "non_current_liabilities": _("Non-current liabilities"),
        "net_assets": _("Net assets"),
    }


@report
def balance_sheet(request):
    """Assets, liabilities and net assets at ``?at=`` (default today)."""
    at = _date(request, "at", policy.today())
    data = selectors.balance_sheet(at)
    titles = section_titles()
    sections = [(titles[key], section) for key, section in data.sections.items()]

    def table():
        header = [_("Account"), _("Name"), _("Amount")]
        rows: list[tuple] = []
        for key, section in data.sections.items():
            rows.append(("", titles[key], None))
            rows += [(line.code, line.name, line.amount) for line in section.lines]
            if key == "net_assets":
                rows.append(("", _("Result of the current year (income less expenses)"), data.current_result))
                if data.earlier_result:
                    rows.append(("", _("Result of earlier years not yet transferred"), data.earlier_result))
                rows.append(("", _("Total net assets"), data.net_assets))
            else:
                rows.append(("", _("Total: %(section)s") % {"section": titles[key]}, section.total))
        rows.append(("", _("Total assets"), data.assets))
        rows.append(("", _("Total liabilities and net assets"), data.liabilities_and_net_assets))
        return header, rows

    def chart():
        parts = {
            titles["current_assets"]: [data.sections["current_assets"].total, 0],
            titles["non_current_assets"]: [data.sections["non_current_assets"].total, 0],
            titles["current_liabilities"]: [0, data.sections["current_liabilities"].total],
            titles["non_current_liabilities"]: [0, data.sections["non_current_liabilities"].total],
            titles["net_assets"]: [0, data.net_assets],
        }
        return charts.stacked_bar(
            [_("Assets"), _("Liabilities and net assets")],
            {name: values for name, values in parts.items() if any(values)},
            title=_("Balance sheet at %(date)s") % {"date": _day(at)},
            language=_language(),
        )

    return _respond(
        request,
        name="balance_sheet",
        title=_("Balance sheet"),
        subtitle=_("at %(date)s") % {"date": _day(at)},
        body="finance/reports/_balance_sheet.html",
        context={"data": data, "sections": sections, "at": at},
        filename=f"balance-sheet-{at.isoformat()}",
        table=table,
        chart=chart,
        form="at",
        form_values={"at": at.isoformat()},
    )


# --- income and expenses by source of funds ----------------------------------------------------


def _period(start: dt.date, end: dt.date) -> str:
    return _("%(start)s – %(end)s") % {"start": _day(start), "end": _day(end)}


@report
def income_expenses(request):
    """Income and expenses of ``?from=``–``?to=`` by source of funds and account."""
    start, end = _range(request)
    rows = selectors.income_and_expenses(start, end)

    def table():
        header = [_("Source of funds"), _("Account"), _("Name"), _("Income"), _("Expenses")]
        out: list[tuple] = []
        for row in rows:
            out += [(row.label, line.code, line.name, line.amount, None) for line in row.income]
            out += [(row.label, line.code, line.name, None, line.amount) for line in row.expenses]
            out.append((row.label, "", _("Total"), row.total_income, row.total_expenses))
        return header, out

    def chart():
        return charts.bar_chart(
            [row.label for row in rows],
            {
                _("Income"): [row.total_income for row in rows],
                _("Expenses"): [row.total_expenses for row in rows],
            },
            title=_("Income and expenses by source of funds"),
            language=_language(),
        )

    return _respond(
        request,
        name="income_expenses",
        title=_("Income and expenses by source of funds"),
        subtitle=_period(start, end),
        body="finance/reports/_income_expenses.html",
        context={
            "rows": rows,
            "total_income": sum((r.total_income for r in rows), selectors.ZERO),
            "total_expenses": sum((r.total_expenses for r in rows), selectors.ZERO),
        },
        filename=f"income-expenses-{start.isoformat()}-{end.isoformat()}",
        table=table,
        chart=chart if rows else None,
        form="range",
        form_values={"from": start.isoformat(), "to": end.isoformat()},
    )


# --- cash flow ---------------------------------------------------------------------------------


@report
def cash_flow(request):
    """Receipts and payments of the Fund's bank accounts in ``?from=``–``?to=`` (direct method)."""
    start, end = _range(request)
    data = selectors.cash_flow(start, end)
    types = dict(AccountType.choices)

    def table():
        header = [_("Section"), _("Account"), _("Name"), _("Source of funds"), _("Amount")]
        rows: list[tuple] = [("", "", _("Cash at the start of the period"), "", data.opening)]
        rows += [(_("Receipts"), f.account.code, f.account.name, f.label, f.amount) for f in data.receipts]
        rows.append((_("Receipts"), "", _("Total receipts"), "", data.total_receipts))
        rows += [(_("Payments"), f.account.code, f.account.name, f.label, f.amount) for f in data.payments]
        rows.append((_("Payments"), "", _("Total payments"), "", data.total_payments))
        rows.append(("", "", _("Net cash flow"), "", data.net))
        rows.append(("", "", _("Cash at the end of the period"), "", data.closing))
        return header, rows

    by_type = data.by_type()
    by_source = [(selectors.source_label(s), pair) for s, pair in data.by_source().items()]

    def chart():
        return charts.horizontal_bar(
            [str(types.get(t, t)) for t in by_type],
            {
                _("Receipts"): [p[0] for p in by_type.values()],
                _("Payments"): [p[1] for p in by_type.values()],
            },
            title=_("Receipts and payments by the other side of the entry"),
            language=_language(),
        )

    return _respond(
        request,
        name="cash_flow",
        title=_("Cash flow statement"),
        subtitle=_period(start, end),
        body="finance/reports/_cash_flow.html",
        context={
            "data": data,
            "by_type": [(types.get(t, t), pair) for t, pair in by_type.items()],
            "by_source": by_source,
        },
        filename=f"cash-flow-{start.isoformat()}-{end.isoformat()}",
        table=table,
        chart=chart if by_type else None,
        form="range",
        form_values={"from": start.isoformat(), "to": end.isoformat()},
    )
