"""The programme manager's queue of grantee reports under ``/staff/grants/reports/``: filters (due,
late, submitted, accepted; per programme), a report's page, accepting (the final report closes the
project with its published results) and returning with comments. Staff and the auditor read."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from innocluster.core import charts
from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.http import apply_errors, file_attachment, open_stored_or_404, see_other
from innocluster.grants import exports
from innocluster.grants import selectors as grants_selectors
from innocluster.grants.models import GranteeReport
from innocluster.grants.selectors import reports as selectors
from innocluster.grants.services import reports as services

READ = "grants.read"
REVIEW = "grants.report.review"


class AcceptForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comments"), widget=forms.Textarea, required=False, max_length=5000
    )
    results = forms.CharField(
        label=gettext_lazy("Results of the project (published)"),
        widget=forms.Textarea,
        required=False,
        max_length=20000,
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comments"), widget=forms.Textarea, required=False, max_length=5000
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@requires(READ)
@require_safe
def queue(request):
    show = request.GET.get("show", "")
    show = show if show in selectors.FILTERS else ""
    programme = _int(request.GET.get("programme"))
    today = selectors.today()
    if exports.wants_xlsx(request):
        # Every report under the filters (the page lists the first 500).
        return exports.queue_xlsx(selectors.report_queue(show=show, programme=programme, on=today), today)
    reports = list(selectors.report_queue(show=show, programme=programme, on=today)[:500])
    for report in reports:
        report.late = selectors.is_late(report, today)
    chart = exports.queue_chart(selectors.queue_by_month(show=show, programme=programme, on=today))
    return render(
        request,
        "grants/reports/queue.html",
        {
            "chart": charts.data_uri(chart) if chart else "",
            "xlsx_query": exports.xlsx_query(request),
            "reports": reports,
            "show": show,
            "programme": programme,
            "programmes": grants_selectors.programmes(),
            "filters": selectors.FILTERS,
        },
    )


def _report(pk: int) -> GranteeReport:
    report = selectors.report_by_pk(pk)
    if report is None:
        raise Http404
    return report


def _page(request, report, *, accept_form=None, return_form=None, status=200):
    reviewing = report.status == GranteeReport.Status.SUBMITTED and can(request.user, REVIEW, report).allowed
    values = selectors.kpi_values_of(report)
    return render(
        request,
        "grants/reports/report.html",
        {
            "report": report,
            "award": report.award,
            "late": selectors.is_late(report),
            "kpi_rows": [(kpi, values.get(kpi.pk)) for kpi in selectors.project_kpis(report.award)],
            "accept_form": (accept_form or AcceptForm(prefix="accept")) if reviewing else None,
            "return_form": (return_form or ReturnForm(prefix="return")) if reviewing else None,
            "final": report.kind == GranteeReport.Kind.FINAL,
        },
        status=status,
    )


@requires(READ)
@require_safe
def report_page(request, pk: int):
    return _page(request, _report(pk))


@requires(REVIEW)
@require_POST
def accept(request, pk: int):
    report = _report(pk)
    form = AcceptForm(request.POST, prefix="accept")
    if form.is_valid():
        try:
            services.accept_report(
                report,
                by=request.user,
                comment=form.cleaned_data["comment"],
                results=form.cleaned_data["results"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The report is accepted."))
            return see_other("grants_reports:report", report.pk)
    return _page(request, _report(pk), accept_form=form, status=400)


@requires(REVIEW)
@require_POST
def send_back(request, pk: int):
    report = _report(pk)
    form = ReturnForm(request.POST, prefix="return")
    if form.is_valid():
        try:
            services.return_report(report, by=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The report is returned to the grantee with your comments."))
            return see_other("grants_reports:report", report.pk)
    return _page(request, _report(pk), return_form=form, status=400)


@requires(READ)
@require_safe
def report_file(request, pk: int):
    report = _report(pk)
    if not report.file:
        raise Http404
    return file_attachment(open_stored_or_404(report.file), filename=report.file_name or "report")
