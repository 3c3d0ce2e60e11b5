"""The postings export (CSV and XLSX) for the Fund's accounting system."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from innocluster.core.exports import XLSX_CONTENT_TYPE, csv_response, xlsx_bytes
from innocluster.finance.selectors import reports as selectors
from innocluster.finance.views.reports.common import (
    _range,
    report,
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
