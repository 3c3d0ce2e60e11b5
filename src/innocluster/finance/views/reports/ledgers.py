"""The trial balance, one account's general ledger and one party's sub-ledger, and the index of the reports."""

import datetime as dt

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from innocluster.core import charts
from innocluster.core.policy import values as policy
from innocluster.finance.selectors import reports as selectors
from innocluster.finance.views.reports.common import (
    NS,
    BadParameter,
    _date,
    _day,
    _language,
    _respond,
    report,
)
from innocluster.parties.models import Organisation

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
                line.number,
                line.reference,
                line.text,
                line.party_bin or "",
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
                    line.number,
                    line.reference,
                    line.text,
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
