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

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from innocluster.core import charts
from innocluster.core.access.views import requires
from innocluster.core.exports import XLSX_CONTENT_TYPE, xlsx_bytes
from innocluster.core.http import pdf_attachment
from innocluster.core.policy import values as policy

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
