"""The levy's staff reports under ``/staff/levy/reports/``: collection by year, region or mineral
(due against collected), the ageing of arrears, expected against collected by month and the top
debtors, each a page with its chart beside the table and a PDF and an XLSX
(``core.reports.respond``); and the index with a subsoil user's account statement by BIN.

Thin views over ``levy.selectors.reports``; readers of the levy only (``levy.read``)."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from innocluster.core import charts, reports
from innocluster.core.access.views import requires
from innocluster.core.policy import values as policy
from innocluster.levy.selectors import reports as selectors

NS = "levy_reports"
READ = "levy.read"


def index_url() -> str:
    return reverse(f"{NS}:index")


def index_label() -> str:
    return _("Levy reports")


report = reports.report_view(READ, index_url=index_url, index_label=index_label)


def respond(request, **kwargs):
    return reports.respond(request, index_url=index_url(), index_label=index_label(), **kwargs)


@requires(READ)
@require_safe
def index(request):
    bin_ = "".join(ch for ch in request.GET.get("bin", "") if ch.isdigit())
    if bin_:
        return redirect(f"{NS}:statement", bin_[:12])
    return render(request, "levy/reports/index.html", {})


def grouping_labels() -> dict[str, str]:
    return {"year": _("Year"), "region": _("Region"), "mineral": _("Mineral")}


@report
def collection(request):
    """Due against collected by obligation year (every year), or by region or mineral (one year)."""
    by = reports.choice_param(request, "by", selectors.GROUPINGS, "year")
    year = None if by == "year" else reports.year_param(request)
    data = selectors.collection(by, year=year)
    labels = grouping_labels()
    title = {
        "year": _("Levy collection by year"),
        "region": _("Levy collection by region"),
        "mineral": _("Levy collection by mineral"),
    }[by]
    subtitle = (
        _("Every obligation year: due, paid, settled by R&D spending and credits, outstanding")
        if year is None
        else _("Obligations of %(year)s: due, paid, settled by R&D spending and credits, outstanding")
        % {"year": year}
    )

    def table():
        header = [
            labels[by],
            _("Obligations"),
            _("Due"),
            _("Paid"),
            _("R&D spending and credits"),
            _("Collected"),
            _("Outstanding"),
            _("Collected, %"),
        ]
        rows = [
            (r.label, r.obligations, r.due, r.paid, r.other, r.collected, r.outstanding, r.percent)
            for r in data.rows
        ]
        t = data.total
        rows.append(
            (_("Total"), t.obligations, t.due, t.paid, t.other, t.collected, t.outstanding, t.percent)
        )
        return header, rows

    def chart():
        return charts.bar_chart(
            [r.label for r in data.rows],
            {_("Due"): [r.due for r in data.rows], _("Collected"): [r.collected for r in data.rows]},
            title=title,
            horizontal=by != "year",
            language=reports.language(),
            # Under the table, across the page: drawn wide so its text stays the page's size.
            width=9.0,
            height=None if by != "year" else 3.2,
        )

    return respond(
        request,
        name="collection",
        title=title,
        subtitle=subtitle,
        body="levy/reports/_collection.html",
        context={"data": data, "group_label": labels[by], "rate_label": _("Share collected")},
        filename=f"levy-collection-{by}" + (f"-{year}" if year else ""),
        table=table,
        chart=chart,
        form="levy/reports/_collection_form.html",
        chart_below=True,
        form_values={"by": by, "year": year or policy.today().year, "choices": labels.items()},
    )


@report
def arrears(request):
    """What is outstanding past its due date, by days past due, on ``?at=`` (default today)."""
    at = reports.date_param(request, "at", policy.today())
    data = selectors.ageing(at)
    title = _("Ageing of levy arrears")

    def table():
        header = [_("Days past due"), _("Obligations"), _("Outstanding")]
        rows = [(b.label, b.obligations, b.amount) for b in data.buckets]
        rows.append((_("Total"), data.obligations, data.total))
        return header, rows

    def chart():
        return charts.bar_chart(
            [b.label for b in data.buckets],
            {_("Outstanding"): [b.amount for b in data.buckets]},
            title=_("Arrears by days past due"),
            language=reports.language(),
        )

    return respond(
        request,
        name="arrears",
        title=title,
        subtitle=_("at %(date)s · subsoil users in arrears: %(count)s")
        % {"date": reports.day(at), "count": data.debtors},
        body="levy/reports/_arrears.html",
        context={"data": data, "at": at},
        filename=f"levy-arrears-{at.isoformat()}",
        table=table,
        chart=chart,
        form="at",
        form_values={"at": at.isoformat()},
    )


@report
def monthly(request):
    """What fell due and what was collected in each month of ``?year=``."""
    year = reports.year_param(request)
    rows = selectors.by_month(year)
    names = [capfirst(str(MONTHS[r.month])) for r in rows]
    title = _("Levy expected and collected by month")

    def table():
        header = [_("Month"), _("Expected"), _("Paid"), _("R&D spending and credits"), _("Collected")]
        out = [(name, r.expected, r.paid, r.other, r.collected) for name, r in zip(names, rows, strict=True)]
        out.append(
            (
                _("Total"),
                sum(r.expected for r in rows),
                sum(r.paid for r in rows),
                sum(r.other for r in rows),
                sum(r.collected for r in rows),
            )
        )
        return header, out

    def chart():
        return charts.bar_chart(
            [name[:3] for name in names],
            {_("Expected"): [r.expected for r in rows], _("Collected"): [r.collected for r in rows]},
            title=_("Expected and collected, %(year)s") % {"year": year},
            language=reports.language(),
        )

    _header, out = table()
    return respond(
        request,
        name="monthly",
        title=title,
        subtitle=_("%(year)s: obligations by due date, settlements by the date of their entry")
        % {"year": year},
        body="levy/reports/_monthly.html",
        context={"rows": list(zip(names, rows, strict=True)), "total": out[-1], "year": year},
        filename=f"levy-by-month-{year}",
        table=table,
        chart=chart,
        form="year",
        form_values={"year": year},
    )


@report
def debtors(request):
    """The subsoil users with the most outstanding past due on ``?at=``."""
    at = reports.date_param(request, "at", policy.today())
    rows = selectors.top_debtors(at, limit=selectors.TOP_DEBTORS)
    title = _("Top levy debtors")

    def table():
        header = [_("BIN"), _("Subsoil user"), _("Obligations"), _("Oldest due date"), _("Outstanding")]
        return header, [(d.bin, d.name, d.obligations, d.oldest_due, d.outstanding) for d in rows]

    def chart():
        return charts.horizontal_bar(
            [d.name[:40] for d in rows],
            {_("Outstanding"): [d.outstanding for d in rows]},
            title=title,
            language=reports.language(),
        )

    return respond(
        request,
        name="debtors",
        title=title,
        subtitle=_("The largest arrears at %(date)s (up to %(count)s subsoil users)")
        % {"count": selectors.TOP_DEBTORS, "date": reports.day(at)},
        body="levy/reports/_debtors.html",
        context={"rows": rows, "at": at},
        filename=f"levy-debtors-{at.isoformat()}",
        table=table,
        chart=chart,
        form="at",
        form_values={"at": at.isoformat()},
    )
