"""The Fund's financial reports as pages, PDF and XLSX: thin views over
``finance.selectors.reports``.

Every report page is one template (``finance/reports/page.html``) around the report's own body
(``finance/reports/_<report>.html``); the PDF prints the same body through
``finance/reports/print.html`` with WeasyPrint, so page and paper never disagree. ``?format=pdf``
and ``?format=xlsx`` choose the download. A query parameter that cannot be read (a date that is no
date, a year that is no year) is a 400 page saying what to write instead."""

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from innocluster.core import charts
from innocluster.core.access.views import requires
from innocluster.core.exports import XLSX_CONTENT_TYPE, csv_response, xlsx_bytes
from innocluster.core.http import pdf_attachment
from innocluster.core.policy import values as policy
from innocluster.finance.models import AccountType
from innocluster.finance.selectors import reports as selectors
from innocluster.parties.models import Organisation

NS = "finance_reports"


class BadParameter(Exception):
    """A query parameter the report cannot read; the message says what to write."""


def _date(request, name: str, default: dt.date | None) -> dt.date | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadParameter(
            _("“%(value)s” is not a date. Write the date as YYYY-MM-DD, for example %(example)s.")
            % {"value": value[:40], "example": policy.today().isoformat()}
        ) from None


def _range(request) -> tuple[dt.date, dt.date]:
    today = policy.today()
    end = _date(request, "to", today)
    start = _date(request, "from", dt.date(end.year, 1, 1))
    if start > end:
        raise BadParameter(_("The period starts after it ends: “from” must be on or before “to”."))
    return start, end


def _year(request) -> int:
    value = request.GET.get("year", "").strip()
    if not value:
        return policy.today().year
    if not value.isdigit() or not 1990 <= int(value) <= 2100:
        raise BadParameter(
            _("“%(value)s” is not a year. Write the year in four digits, for example %(example)s.")
            % {"value": value[:40], "example": policy.today().year}
        )
    return int(value)


def _day(value: dt.date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def report(view: Callable) -> Callable:
    """Read-only, for finance readers; a :class:`BadParameter` becomes a 400 page."""

    @requires("finance.read")
    @require_safe
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadParameter as error:
            return render(
                request,
                "finance/reports/bad_request.html",
                {"message": str(error), "index_url": reverse(f"{NS}:index")},
                status=400,
            )

    return wrapped


def _respond(
    request,
    *,
    name: str,
    title: str,
    subtitle: str,
    body: str,
    context: dict,
    filename: str,
    table: Callable[[], tuple[Sequence[str], Iterable[Sequence]]],
    chart: Callable[[], str] | None = None,
    form: str = "",
    form_values: dict | None = None,
):
    """The report as a page, or as ``?format=pdf`` / ``?format=xlsx``."""
    wanted = request.GET.get("format", "")
    if wanted == "xlsx":
        header, rows = table()
        sheet = re.sub(r"[\[\]:*?/\\']", " ", title).strip()[:31]
        response = HttpResponse(xlsx_bytes(header, rows, sheet=sheet), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    if wanted not in ("", "html", "pdf"):
        raise BadParameter(_("Choose the format pdf or xlsx, or leave it out for the page."))
    query = request.GET.copy()
    query.pop("format", None)
    svg = chart() if chart else ""
    context = {
        **context,
        "report_name": name,
        "title": title,
        "subtitle": subtitle,
        "body": body,
        "chart": svg,
        "chart_uri": charts.data_uri(svg) if svg else "",
        "chart_title": title,
        "form": form,
        "form_values": form_values or {},
        "pdf_query": _with(query, "pdf"),
        "xlsx_query": _with(query, "xlsx"),
        "index_url": reverse(f"{NS}:index"),
        "printed": policy.today(),
    }
    if wanted == "pdf":
        from weasyprint import HTML  # only the PDF needs it

        html = render_to_string("finance/reports/print.html", context, request=request)
        return pdf_attachment(HTML(string=html).write_pdf(), f"{filename}.pdf")
    return render(request, "finance/reports/page.html", context)


def _with(query, fmt: str) -> str:
    query = query.copy()
    query["format"] = fmt
    return "?" + query.urlencode()


def _language() -> str:
    return (translation.get_language() or "kk").split("-")[0]


# --- the index ----------------------------------------------------------------------------------


@report
def index(request):
    """The list of reports, each with what it shows (``?bin=`` opens that organisation's sub-ledger)."""
    bin_ = request.GET.get("bin", "").strip()
    if bin_:
        return redirect(f"{NS}:party_ledger", bin_[:12])
    return render(request, "finance/reports/index.html", {"today": policy.today()})


# --- trial balance -----------------------------------------------------------------------------


@report
def trial_balance(request):
    """Turnover and balance of every account up to ``?at=`` (default today)."""
    at = _date(request, "at", policy.today())
    data = selectors.trial_balance(at)

    def table():
        header = [
            _("Account"),
            _("Name"),
            _("Debit turnover"),
            _("Credit turnover"),
            _("Debit balance"),
            _("Credit balance"),
        ]
        rows = [
            (r.account.code, r.account.name, r.debit, r.credit, r.debit_balance, r.credit_balance)
            for r in data.rows
        ]
        rows.append(("", _("Total"), data.debit, data.credit, data.debit_balance, data.credit_balance))
        return header, rows

    return _respond(
        request,
        name="trial_balance",
        title=_("Trial balance"),
        subtitle=_("at %(date)s") % {"date": _day(at)},
        body="finance/reports/_trial_balance.html",
        context={"data": data, "at": at},
        filename=f"trial-balance-{at.isoformat()}",
        table=table,
        form="at",
        form_values={"at": at.isoformat()},
    )


# --- general ledger of one account -------------------------------------------------------------


def _after(request) -> tuple[dt.date, int] | None:
    value = request.GET.get("after", "").strip()
    if not value:
        return None
    day, _sep, pk = value.partition(".")
    try:
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        raise BadParameter(_("The page link is damaged: open the ledger from its first page.")) from None


@report
def account_ledger(request, code: str):
    """One account's posted lines with the running balance, a page at a time (keyset paging)."""
    account = selectors.account_by_code(code)
    if account is None:
        raise Http404(_("There is no account %(code)s in the chart of accounts.") % {"code": code[:20]})
    start = _date(request, "from", None)
    end = _date(request, "to", None)
    after = _after(request)
    wanted = request.GET.get("format", "")
    limit = 100_000 if wanted in ("pdf", "xlsx") else 100
    data = selectors.general_ledger(account, start=start, end=end, after=after, limit=limit)
    next_query = ""
    if data.next_after:
        query = request.GET.copy()
        query["after"] = f"{data.next_after[0].isoformat()}.{data.next_after[1]}"
        next_query = "?" + query.urlencode()

    def table():
        header = [
            _("Date"),
            _("Entry"),
            _("Reference"),
            _("Description"),
            _("Organisation"),
            _("Debit"),
            _("Credit"),
            _("Balance"),
        ]
        rows = [("", "", "", _("Opening balance"), "", None, None, data.opening)]
        rows += [
            (
                line.date,
                line.entry.number,
                line.entry.reference,
                line.memo or line.entry.description,
                line.party.bin if line.party_id else "",
                line.debit or None,
                line.credit or None,
                balance,
            )
            for line, balance in data.rows
        ]
        return header, rows

    period = ""
    if start or end:
        period = _("%(start)s – %(end)s") % {"start": _day(start) or "…", "end": _day(end) or "…"}
    return _respond(
        request,
        name="account_ledger",
        title=_("General ledger: account %(code)s") % {"code": account.code},
        subtitle=f"{account.name} {period}".strip(),
        body="finance/reports/_account_ledger.html",
        context={"data": data, "next_query": next_query, "paged": after is not None},
        filename=f"ledger-{account.code}",
        table=table,
        form="range",
        form_values={"from": start.isoformat() if start else "", "to": end.isoformat() if end else ""},
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


# --- budget execution --------------------------------------------------------------------------


def _budget_labels(rows) -> list[str]:
    """The line's code, with the source of funds only where a line has budgets from several."""
    codes = [r.line.code for r in rows]
    return [
        f"{r.line.code} · {r.budget.get_source_display()}" if codes.count(r.line.code) > 1 else r.line.code
        for r in rows
    ]


@report
def budget_execution(request):
    """Every budget of ``?year=`` (default this year): budget, committed, spent, available."""
    year = _year(request)
    data = selectors.budget_execution(year)

    def table():
        header = [
            _("Budget line"),
            _("Name"),
            _("Source of funds"),
            _("Budget"),
            _("Committed"),
            _("Spent"),
            _("Available"),
        ]
        rows = [
            (
                r.line.code,
                r.line.name,
                r.budget.get_source_display(),
                r.amount,
                r.committed,
                r.spent,
                r.available,
            )
            for r in data.rows
        ]
        rows.append(("", _("Total"), "", data.amount, data.committed, data.spent, data.available))
        return header, rows

    def chart():
        return charts.horizontal_bar(
            _budget_labels(data.rows),
            {
                _("Budget"): [r.amount for r in data.rows],
                _("Committed"): [r.committed for r in data.rows],
                _("Spent"): [r.spent for r in data.rows],
                _("Available"): [r.available for r in data.rows],
            },
            title=_("Budget execution, %(year)s") % {"year": year},
            language=_language(),
        )

    return _respond(
        request,
        name="budget_execution",
        title=_("Budget execution"),
        subtitle=str(year),
        body="finance/reports/_budget_execution.html",
        context={"data": data, "year": year},
        filename=f"budget-execution-{year}",
        table=table,
        chart=chart if data.rows else None,
        form="year",
        form_values={"year": year},
    )


# --- a party's sub-ledger ----------------------------------------------------------------------


@report
def party_ledger(request, bin: str):
    """One organisation's lines on the accounts kept per party, with running balances."""
    organisation = Organisation.objects.filter(bin=bin[:12]).first()
    if organisation is None:
        raise Http404(_("There is no organisation with BIN %(bin)s.") % {"bin": bin[:20]})
    start = _date(request, "from", None)
    end = _date(request, "to", None)
    if start and end and start > end:
        raise BadParameter(_("The period starts after it ends: “from” must be on or before “to”."))
    accounts = selectors.party_ledger(organisation, start=start, end=end)

    def table():
        header = [
            _("Account"),
            _("Date"),
            _("Entry"),
            _("Reference"),
            _("Description"),
            _("Debit"),
            _("Credit"),
            _("Balance"),
        ]
        rows: list[tuple] = []
        for block in accounts:
            rows.append((block.account.code, None, "", "", _("Opening balance"), None, None, block.opening))
            rows += [
                (
                    block.account.code,
                    line.date,
                    line.entry.number,
                    line.entry.reference,
                    line.memo or line.entry.description,
                    line.debit or None,
                    line.credit or None,
                    balance,
                )
                for line, balance in block.rows
            ]
        return header, rows

    def chart():
        return charts.horizontal_bar(
            [f"{b.account.code} {b.account.name}"[:60] for b in accounts],
            {_("Balance"): [b.closing for b in accounts]},
            title=_("Balances of %(name)s") % {"name": organisation.name},
            language=_language(),
        )

    period = _("%(start)s – %(end)s") % {"start": _day(start) or "…", "end": _day(end) or "…"}
    return _respond(
        request,
        name="party_ledger",
        title=_("Sub-ledger: %(name)s") % {"name": organisation.name},
        subtitle=f"{_('BIN')} {organisation.bin} · {period}",
        body="finance/reports/_party_ledger.html",
        context={"organisation": organisation, "accounts": accounts},
        filename=f"sub-ledger-{organisation.bin}",
        table=table,
        chart=chart if accounts else None,
        form="range",
        form_values={"from": start.isoformat() if start else "", "to": end.isoformat() if end else ""},
    )


# --- the postings export -----------------------------------------------------------------------


def _posting_header() -> list[str]:
    return [
        _("Entry"),
        _("Date"),
        _("Reference"),
        _("Description"),
        _("Account"),
        _("Debit"),
        _("Credit"),
        _("BIN"),
        _("Budget line"),
        _("Source of funds"),
    ]


@report
def postings_csv(request):
    """Every posted line of ``?from=``–``?to=``, streamed as CSV."""
    start, end = _range(request)
    return csv_response(
        f"postings-{start.isoformat()}-{end.isoformat()}.csv",
        _posting_header(),
        selectors.postings(start, end),
        text_columns=(2, 3, 8),
    )


@report
def postings_xlsx(request):
    """Every posted line of ``?from=``–``?to=`` as an XLSX workbook (amounts as numbers)."""
    start, end = _range(request)
    content = xlsx_bytes(_posting_header(), selectors.postings(start, end), sheet=_("Postings"))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="postings-{start.isoformat()}-{end.isoformat()}.xlsx"'
    )
    return response
