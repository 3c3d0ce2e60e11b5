"""The public list of funded projects under ``/grants/funded/``: filters by programme, year and
status, ``?format=xlsx`` for the table as a workbook, and a chart of the amounts per programme."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from innocluster.core import charts
from innocluster.core.access.views import requires
from innocluster.core.reports import xlsx_response
from innocluster.grants.selectors import funded as selectors
from innocluster.parties.models import name_in_reader_language


def _filters(request) -> dict:
    year = request.GET.get("year", "")
    status = request.GET.get("status", "")
    return {
        "programme": request.GET.get("programme", "").strip(),
        "year": int(year) if year.isdigit() else None,
        "status": status if status in selectors.PUBLIC_STATUSES else "",
    }


def _row(award) -> list:
    return [
        award.application.project.title,
        name_in_reader_language(award.application.organisation),
        award.application.call.programme.code,
        award.amount,
        award.paid,
        str(award.get_status_display()),
        award.results if award.status == award.Status.CLOSED else "",
        award.decision.decided_on.year,
    ]


@requires("grants.public")
@require_safe
def funded(request):
    filters = _filters(request)
    awards = list(selectors.funded_awards(**filters))
    if request.GET.get("format") == "xlsx":
        header = [
            _("Project"),
            _("Organisation"),
            _("Programme"),
            _("Amount awarded, ₸"),
            _("Paid so far, ₸"),
            _("Status"),
            _("Results"),
            _("Year"),
        ]
        return xlsx_response(_("Funded projects"), "funded-projects", header, [_row(a) for a in awards])
    totals = selectors.amounts_by_programme(awards)
    chart = ""
    if totals:
        chart = charts.bar_chart(
            [code for code, _amount in totals],
            {_("Amount awarded"): [amount for _code, amount in totals]},
            title=_("Amounts awarded per programme"),
        )
    query = request.GET.copy()
    query["format"] = "xlsx"
    for award in awards:
        award.organisation_name = name_in_reader_language(award.application.organisation)
    return render(
        request,
        "grants/funded/list.html",
        {
            "awards": awards,
            "filters": filters,
            "programmes": selectors.programmes_with_awards(),
            "years": selectors.years_with_awards(),
            "statuses": [(s, s.label) for s in selectors.PUBLIC_STATUSES],
            "chart": chart,
            "xlsx_query": "?" + query.urlencode(),
        },
    )
