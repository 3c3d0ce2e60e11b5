"""The workforce reports under ``/staff/workforce/reports/``, for the Fund's readers
(``workforce.read``: the HR officer, the executives, auditors):

- the report of attracted foreigners for the state bodies (page, XLSX, CSV with ``;`` and a BOM,
  PDF): the HR officer sees the passport number and date of birth in full, and each such page or
  file is an audited read of every foreigner in it; the other readers see them masked;
- the statistics (by country, occupation, employer, category; SLA compliance) with charts
  (page, XLSX, PDF)."""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from innocluster.core import charts, reports
from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.exports import safe_cell
from innocluster.core.http import client_ip
from innocluster.workforce.selectors import reports as selectors

NS = "workforce_reports"
READ = "workforce.read"
FULL = "workforce.review"  # the HR officer: the passport data in full (an audited read)

COLUMN_LABELS = {
    "surname_latin": gettext_lazy("Surname (Latin)"),
    "given_names_latin": gettext_lazy("Given names (Latin)"),
    "full_name_cyrillic": gettext_lazy("Full name (Cyrillic)"),
    "citizenship": gettext_lazy("Citizenship"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "passport_number": gettext_lazy("Passport number"),
    "passport_expiry": gettext_lazy("Passport valid until"),
    "employer_name": gettext_lazy("Employer"),
    "employer_bin": gettext_lazy("Employer's BIN"),
    "position": gettext_lazy("Position"),
    "occupation_code": gettext_lazy("Occupation code"),
    "category": gettext_lazy("Category"),
    "contract_start": gettext_lazy("Contract start"),
    "contract_end": gettext_lazy("Contract end"),
    "visa_valid_until": gettext_lazy("Visa valid until"),
    "status": gettext_lazy("Status"),
    "letters": gettext_lazy("Letters"),
}


def index_url() -> str:
    return reverse(f"{NS}:index")


def index_label() -> str:
    return _("Foreign specialists: reports")


report = reports.report_view(READ, index_url=index_url, index_label=index_label)


@requires(READ)
@require_safe
def index(request):
    return render(request, "workforce/reports/index.html", {})


def header() -> list[str]:
    return [str(COLUMN_LABELS[c]) for c in selectors.REPORT_COLUMNS]


def csv_response(filename: str, rows: list[selectors.ReportRow]) -> HttpResponse:
    """UTF-8 with a BOM (Excel reads the Cyrillic), ``;`` between cells, dates dd.mm.yyyy; text
    that a spreadsheet would run as a formula is neutralised."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header())
    for row in rows:
        writer.writerow(
            [
                value.strftime("%d.%m.%Y") if hasattr(value, "strftime") else safe_cell(value or "")
                for value in (row.values[c] for c in selectors.REPORT_COLUMNS)
            ]
        )
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


@report
def state(request):
    """The attracted foreigners of ``?from=``–``?to=`` in the state bodies' columns."""
    start, end = reports.date_range(request)
    full = can(request.user, FULL).allowed
    rows = selectors.report_rows(start, end, masked=not full)
    wanted = request.GET.get("format", "")
    if full and rows:
        selectors.record_report_read(
            request.user,
            rows,
            where={
                "report": "state",
                "from": start.isoformat(),
                "to": end.isoformat(),
                "format": wanted or "html",
            },
            ip=client_ip(request),
        )
    filename = f"foreign-specialists-{start.isoformat()}-{end.isoformat()}"
    if wanted == "csv":
        return csv_response(filename, rows)

    def table():
        return header(), [[row.values[c] for c in selectors.REPORT_COLUMNS] for row in rows]

    query = request.GET.copy()
    query["format"] = "csv"
    return reports.respond(
        request,
        name="state",
        title=_("Attracted foreign specialists"),
        subtitle=_("%(period)s · for the migration service and the national security committee · %(count)s")
        % {"period": reports.period(start, end), "count": len(rows)},
        body="workforce/reports/_state.html",
        context={
            "rows": rows,
            "columns": [(c, COLUMN_LABELS[c]) for c in selectors.REPORT_COLUMNS],
            "masked": not full,
            "csv_query": "?" + query.urlencode(),
        },
        filename=filename,
        table=table,
        form="range",
        form_values={"from": start.isoformat(), "to": end.isoformat()},
        index_url=index_url(),
        index_label=index_label(),
        chart_below=True,
    )


def dimension_labels() -> dict[str, str]:
    return {
        "country": _("Country"),
        "occupation": _("Occupation code"),
        "employer": _("Employer"),
        "category": _("Category"),
    }


def chart_titles() -> dict[str, str]:
    return {
        "country": _("Requests by country"),
        "occupation": _("Requests by occupation code"),
        "employer": _("Requests by employer"),
        "category": _("Requests by category"),
    }


def sla_labels() -> tuple[str, str, str]:
    return _("On time"), _("Late"), _("Overdue")


@report
def statistics(request):
    """Requests and specialists by country, occupation, employer and category; the SLA."""
    on = reports.date_param(request, "at", None)
    data = selectors.statistics(on)
    labels = dimension_labels()
    title = _("Foreign specialists: statistics")

    def table():
        head = [_("Grouping"), _("Value"), _("Requests"), _("Approved"), _("Refused"), _("Working")]
        rows = [
            (labels[d], r.label, r.requests, r.approved, r.refused, r.working)
            for d in selectors.DIMENSIONS
            for r in data.groups[d]
        ]
        on_time, late, overdue = sla_labels()
        rows += [
            (_("Decision deadlines"), on_time, data.sla.on_time, None, None, None),
            (_("Decision deadlines"), late, data.late, None, None, None),
            (_("Decision deadlines"), overdue, data.sla.overdue, None, None, None),
        ]
        return head, rows

    chart_list = []
    for dimension in selectors.DIMENSIONS:
        rows = data.groups[dimension][:10]
        if not rows:
            continue
        chart_list.append(
            (
                chart_titles()[dimension],
                charts.data_uri(
                    charts.horizontal_bar(
                        [r.label[:40] for r in rows],
                        {
                            _("Requests"): [r.requests for r in rows],
                            _("Approved"): [r.approved for r in rows],
                        },
                        title=chart_titles()[dimension],
                        money=False,
                        language=reports.language(),
                        width=6.0,
                    )
                ),
            )
        )
    on_time, late, overdue = sla_labels()
    sla_chart = charts.bar_chart(
        [on_time, late, overdue],
        {_("Requests"): [data.sla.on_time, data.late, data.sla.overdue]},
        title=_("Decisions and their deadlines"),
        money=False,
        language=reports.language(),
    )
    return reports.respond(
        request,
        name="statistics",
        title=title,
        subtitle=_("Every request filed, at %(date)s") % {"date": reports.day(data.on)},
        body="workforce/reports/_statistics.html",
        context={
            "data": data,
            "groups": [(labels[d], data.groups[d]) for d in selectors.DIMENSIONS],
            "charts": chart_list,
            "sla_labels": sla_labels(),
        },
        filename=f"foreign-specialists-statistics-{data.on.isoformat()}",
        table=table,
        chart=lambda: sla_chart,
        form="at",
        form_values={"at": data.on.isoformat()},
        index_url=index_url(),
        index_label=index_label(),
    )
