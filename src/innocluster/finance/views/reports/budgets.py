"""Budget execution: budget, committed, spent and available per budget line, with its chart."""

from django.utils.translation import gettext as _

from innocluster.core import charts
from innocluster.finance.selectors import reports as selectors
from innocluster.finance.views.reports.common import (
    _language,
    _respond,
    _year,
    report,
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
