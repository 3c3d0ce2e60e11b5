"""One report response for every app: a report as a page, ``?format=pdf`` or ``?format=xlsx``.

An app's report view reads its figures from its selectors and hands them to :func:`respond` with
the body template that draws them (``<app>/reports/_<report>.html``), a ``table()`` giving the
XLSX's header and rows, and optionally a ``chart()`` giving an SVG (``core.charts``). The page
(``reports/page.html``) and the paper (``reports/print.html``, printed by WeasyPrint) include the
same body, so page and paper never disagree. An app wraps its views with :func:`report_view`
(its access action, and a 400 page for a parameter that cannot be read: :class:`BadParameter`).

The query helpers (:func:`date_param`, :func:`date_range`, :func:`year_param`) read the usual
``?at=``, ``?from=``/``?to=`` and ``?year=`` and say what to write instead of a wrong value."""

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from functools import wraps

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from innocluster.core import charts
from innocluster.core.exports import XLSX_CONTENT_TYPE, xlsx_bytes
from innocluster.core.guards import requires
from innocluster.core.http import pdf_attachment
from innocluster.core.policy import values as policy

PAGE_TEMPLATE = "reports/page.html"
PRINT_TEMPLATE = "reports/print.html"
BAD_REQUEST_TEMPLATE = "reports/bad_request.html"


class BadParameter(Exception):
    """A query parameter the report cannot read; the message says what to write."""


def date_param(request, name: str, default: dt.date | None) -> dt.date | None:
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


def date_range(request) -> tuple[dt.date, dt.date]:
    """``?from=`` and ``?to=``: by default from 1 January of the end's year to today."""
    today = policy.today()
    end = date_param(request, "to", today)
    start = date_param(request, "from", dt.date(end.year, 1, 1))
    if start > end:
        raise BadParameter(_("The period starts after it ends: “from” must be on or before “to”."))
    return start, end


def year_param(request, name: str = "year", default: int | None = None) -> int:
    value = request.GET.get(name, "").strip()
    if not value:
        return default if default is not None else policy.today().year
    if not value.isdigit() or not 1990 <= int(value) <= 2100:
        raise BadParameter(
            _("“%(value)s” is not a year. Write the year in four digits, for example %(example)s.")
            % {"value": value[:40], "example": policy.today().year}
        )
    return int(value)


def choice_param(request, name: str, choices: Sequence[str], default: str) -> str:
    value = request.GET.get(name, "").strip() or default
    if value not in choices:
        raise BadParameter(
            _("“%(value)s” cannot be chosen here. Choose one of: %(choices)s.")
            % {"value": value[:40], "choices": ", ".join(choices)}
        )
    return value


def day(value: dt.date | None) -> str:
    """A date as the reader's language writes it (blank for none)."""
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def period(start: dt.date, end: dt.date) -> str:
    return _("%(start)s – %(end)s") % {"start": day(start), "end": day(end)}


def language() -> str:
    return (translation.get_language() or "kk").split("-")[0]


def report_view(action: str, *, index_url: Callable[[], str], index_label: Callable[[], str]) -> Callable:
    """A decorator for an app's report views: read-only, for holders of ``action``; a
    :class:`BadParameter` becomes a 400 page with a link back to the app's reports."""

    def decorate(view: Callable) -> Callable:
        @requires(action)
        @require_safe
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except BadParameter as error:
                return bad_request(request, str(error), index_url=index_url(), index_label=index_label())

        return wrapped

    return decorate


def bad_request(request, message: str, *, index_url: str, index_label: str):
    return render(
        request,
        BAD_REQUEST_TEMPLATE,
        {"message": message, "index_url": index_url, "index_label": index_label},
        status=400,
    )


def _with(query, fmt: str) -> str:
    query = query.copy()
    query["format"] = fmt
    return "?" + query.urlencode()


def xlsx_response(title: str, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    sheet = re.sub(r"[\[\]:*?/\\']", " ", str(title)).strip()[:31]
    response = HttpResponse(xlsx_bytes(header, rows, sheet=sheet), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def respond(
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
    index_url: str = "",
    index_label: str = "",
    nav: str = "",
    printed_note: str | None = None,
    chart_below: bool = False,
    page_template: str = PAGE_TEMPLATE,
    print_template: str = PRINT_TEMPLATE,
):
    """The report as a page, or as ``?format=pdf`` / ``?format=xlsx``.

    ``form`` chooses the filter form of the page (``at``, ``range``, ``year`` or a template name
    of the app's own fields); ``nav`` is the app's navigation template shown above the report;
    ``printed_note`` the last line of the paper (by default: printed on the day from the ledger);
    ``chart_below`` puts the chart under a wide table rather than beside it."""
    wanted = request.GET.get("format", "")
    if wanted == "xlsx":
        header, rows = table()
        return xlsx_response(title, filename, header, rows)
    if wanted not in ("", "html", "pdf"):
        raise BadParameter(_("Choose the format pdf or xlsx, or leave it out for the page."))
    query = request.GET.copy()
    query.pop("format", None)
    svg = chart() if chart else ""
    printed = policy.today()
    if printed_note is None:
        printed_note = _("Printed on %(date)s from the Fund's ledger.") % {
            "date": formats.date_format(printed, "DATE_FORMAT")
        }
    context = {
        **context,
        "report_name": name,
        "title": title,
        "subtitle": subtitle,
        "body": body,
        "chart": svg,
        "chart_uri": charts.data_uri(svg) if svg else "",
        "chart_title": title,
        "chart_below": chart_below,
        "form": form,
        "form_values": form_values or {},
        "pdf_query": _with(query, "pdf"),
        "xlsx_query": _with(query, "xlsx"),
        "index_url": index_url,
        "index_label": index_label,
        "nav": nav,
        "printed": printed,
        "printed_note": printed_note,
    }
    if wanted == "pdf":
        from weasyprint import HTML  # only the PDF needs it

        html = render_to_string(print_template, context, request=request)
        return pdf_attachment(HTML(string=html).write_pdf(), f"{filename}.pdf")
    return render(request, page_template, context)
