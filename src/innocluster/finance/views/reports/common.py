"""The Fund's financial reports as pages, PDF and XLSX: thin views over
``finance.selectors.reports``, answered through the platform's one report response
(``core.reports``: the page ``reports/page.html`` around the report's own body
``finance/reports/_<report>.html``, the same body printed for ``?format=pdf``, ``?format=xlsx``
from the report's table). A query parameter that cannot be read (a date that is no date, a year
that is no year) is a 400 page saying what to write instead."""

from django.urls import reverse
from django.utils.translation import gettext as _

from innocluster.core import reports
from innocluster.core.reports import BadParameter  # noqa: F401  (the report modules import it here)

NS = "finance_reports"

_date = reports.date_param
_range = reports.date_range
_year = reports.year_param
_day = reports.day
_language = reports.language


def _index_url() -> str:
    return reverse(f"{NS}:index")


def _index_label() -> str:
    return _("Financial reports")


# Read-only, for finance readers; a BadParameter becomes a 400 page.
report = reports.report_view("finance.read", index_url=_index_url, index_label=_index_label)


def _respond(request, **kwargs):
    """The report as a page, or as ``?format=pdf`` / ``?format=xlsx`` (``core.reports.respond``)."""
    return reports.respond(
        request,
        index_url=_index_url(),
        index_label=_index_label(),
        nav="finance/_nav.html",
        **kwargs,
    )
