"""The staff's downloads and charts of project financing: the expert commission's ranking, the
awards list and the grantee reports queue, each as ``?format=xlsx`` of the page's own rows (the
same view, so the same permission) and, for the awards and the queue, a chart beside the table.

The views read their rows once through the selectors and hand them here: the workbook (through
``core.reports.xlsx_response``: one sheet named after the page, a translated header row, amounts
and scores as numbers, dates as dates) and the chart (``core.charts``) are drawn from those rows,
so the page, its chart and its XLSX never disagree and cost no query of their own."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from babel.dates import format_date
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from innocluster.core import charts
from innocluster.core.reports import xlsx_response
from innocluster.grants.models import GranteeReport
from innocluster.grants.selectors import awards as award_selectors
from innocluster.grants.selectors import reports as report_selectors

XLSX = "xlsx"
ZERO = Decimal("0.00")
_BABEL_LOCALES = {"kk": "kk_KZ", "ru": "ru_KZ", "en": "en_US"}


def wants_xlsx(request) -> bool:
    return request.GET.get("format") == XLSX


def xlsx_query(request) -> str:
    """The page's own query (its filters) asking for the XLSX: the link beside the table."""
    query = request.GET.copy()
    query["format"] = XLSX
    return "?" + query.urlencode()


def _yes_no(flag: bool) -> str:
    return _("yes") if flag else _("no")


def _capitalised(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


# --- the expert commission's ranking ----------------------------------------------------------


def ranking_xlsx(call, rows):
    """The ranking's table (``selectors.expertise.ranking``) as a workbook, in the page's order."""
    header = [
        _("Application number"), _("Applicant"), _("Project title"),
        pgettext("reviews", "Submitted"), pgettext("reviews", "Assigned"), _("Recused"),
        pgettext("scores", "Mean"), pgettext("scores", "Lowest"), pgettext("scores", "Highest"),
        pgettext("scores", "Spread"), _("Expedient"), _("Inexpedient"), _("Disagreement"),
        _("Enough reviews"),
    ]  # fmt: skip
    lines = (
        [
            r.application.number,
            r.application.organisation.name,
            r.application.project.title,
            r.submitted,
            r.assigned,
            r.recused,
            r.mean,
            r.low,
            r.high,
            r.spread,
            r.expedient,
            r.inexpedient,
            _yes_no(r.disagreement),
            pgettext("enough reviews", "yes") if r.enough else pgettext("enough reviews", "no"),
        ]
        for r in rows
    )
    filename = "ranking-" + "-".join(filter(None, (slugify(call.programme.code), slugify(call.code))))
    return xlsx_response(_("Ranking of the applications"), filename, header, lines)


# --- the awards list --------------------------------------------------------------------------


def awards_xlsx(rows, today: dt.date):
    """The awards (``selectors.awards.awards``) as a workbook: still to pay is what the planned
    tranches hold (a tranche cancelled by a termination is not to pay)."""
    header = [
        pgettext("financing agreement", "Agreement"), _("Grantee"), _("Programme"), _("Project"),
        _("Amount awarded, ₸"), _("Paid so far, ₸"), _("Still to pay, ₸"), _("Status"),
        _("Decision number"), _("Decision date"),
    ]  # fmt: skip
    lines = (
        [
            a.number,
            a.application.organisation.name,
            a.application.call.programme.code,
            a.application.project.title,
            a.amount,
            a.paid or ZERO,
            a.to_pay or ZERO,
            str(a.get_status_display()),
            a.decision.number,
            a.decision.decided_on,
        ]
        for a in rows
    )
    return xlsx_response(_("Grant awards"), f"grant-awards-{today.isoformat()}", header, lines)


def awards_chart(rows) -> str:
    """Per programme, the amount awarded beside what was paid on it (grouped bars); empty when
    there is no award."""
    totals = award_selectors.amounts_by_programme(rows)
    if not totals:
        return ""
    return charts.bar_chart(
        [code for code, _awarded, _paid in totals],
        {
            _("Amount awarded"): [awarded for _code, awarded, _paid in totals],
            _("Paid so far"): [paid for _code, _awarded, paid in totals],
        },
        title=_("Amounts awarded and paid per programme"),
    )


# --- the grantee reports queue ----------------------------------------------------------------


def queue_xlsx(reports, today: dt.date):
    """The queue's reports under the page's filters as a workbook; late as the page says it."""
    header = [
        _("Agreement"), _("Organisation"), _("Report kind"), _("Milestone"), _("Period end"),
        pgettext("report", "Due"), _("Status"), _("Late"),
    ]  # fmt: skip
    lines = (
        [
            r.award.number,
            r.award.application.organisation.name,
            str(r.get_kind_display()),
            r.milestone.title if r.milestone else None,
            r.period_end,
            r.due_on,
            str(r.get_status_display()),
            _yes_no(report_selectors.is_late(r, today)),
        ]
        for r in reports
    )
    return xlsx_response(_("Grantee reports"), f"grantee-reports-{today.isoformat()}", header, lines)


def _month(first: dt.date) -> str:
    language = (translation.get_language() or "kk").split("-")[0]
    return format_date(first, "LLL yyyy", locale=_BABEL_LOCALES.get(language, "en_US"))


def queue_chart(months: Sequence[tuple[dt.date, dict[str, int]]]) -> str:
    """The queue per month of the due date, each bar stacked by where its reports stand
    (``selectors.reports.queue_by_month``); empty when the queue is."""
    if not months:
        return ""
    S = report_selectors
    names = {
        S.ACCEPTED: GranteeReport.Status.ACCEPTED.label,
        S.SUBMITTED: GranteeReport.Status.SUBMITTED.label,
        S.AWAITED: GranteeReport.Status.DUE.label,
        S.LATE: pgettext("report", "late"),
    }
    return charts.stacked_bar(
        [_month(first) for first, _counts in months],
        {_capitalised(names[s]): [counts[s] for _first, counts in months] for s in S.STANDINGS},
        title=_("Grantee reports by month of the deadline"),
        money=False,
        width=6.0,
    )
