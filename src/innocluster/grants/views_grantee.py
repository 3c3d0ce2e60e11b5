"""The grantee's pages under ``/portal/grants/awards/``: the awards of the organisations the user
acts for, an award's milestones, tranches, indicators and reports, and submitting a report.

Every record is looked up through the user (``selectors.reports.award_of``/``report_of``): another
organisation's award or report is a 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from innocluster.core.access.views import requires
from innocluster.core.http import apply_errors, file_attachment, open_stored_or_404, see_other
from innocluster.grants.models import GranteeReport
from innocluster.grants.selectors import reports as selectors
from innocluster.grants.services import reports as services

SUBMIT = "grants.report.submit"


class ReportForm(forms.Form):
    """The report's text and file, the money spent (financial reports) and each indicator's value
    (progress and final reports). The service checks what is required and names the field."""

    text = forms.CharField(
        label=gettext_lazy("Report"), widget=forms.Textarea, required=False, max_length=20000
    )
    file = forms.FileField(label=gettext_lazy("File"), required=False)

    def __init__(self, *args, report: GranteeReport, kpis=(), **kwargs):
        super().__init__(*args, **kwargs)
        if report.kind == GranteeReport.Kind.FINANCIAL:
            self.fields["spent"] = forms.CharField(
                label=gettext_lazy("Spent in the period, ₸"), required=False
            )
        if report.kind in (GranteeReport.Kind.PROGRESS, GranteeReport.Kind.FINAL):
            for kpi in kpis:
                self.fields[f"kpi_{kpi.pk}"] = forms.CharField(
                    label=f"{kpi.name} ({kpi.unit})",
                    required=False,
                    help_text=_("Target: %(target)s") % {"target": kpi.target},
                )

    def kpi_values(self) -> dict:
        return {int(name[4:]): value for name, value in self.cleaned_data.items() if name.startswith("kpi_")}


def _award(request, pk: int):
    award = selectors.award_of(request.user, pk)
    if award is None:
        raise Http404
    return award


def _report(request, pk: int):
    report = selectors.report_of(request.user, pk)
    if report is None:
        raise Http404
    return report


@requires(SUBMIT)
@require_safe
def awards(request):
    return render(
        request,
        "grants/grantee/awards.html",
        {"summaries": selectors.summaries(selectors.awards_of(request.user)), "today": selectors.today()},
    )


@requires(SUBMIT)
@require_safe
def award_page(request, pk: int):
    award = _award(request, pk)
    today = selectors.today()
    reports = list(award.reports.select_related("milestone").order_by("due_on", "id"))
    for report in reports:
        report.late = selectors.is_late(report, today)
    return render(
        request,
        "grants/grantee/award.html",
        {
            "award": award,
            "summary": selectors.summaries([award], today)[0],
            "agreement": selectors.agreement_in_force(award),
            "milestones": list(award.milestones.all()),
            "tranches": list(award.tranches.select_related("milestone")),
            "kpis": selectors.kpi_table(award),
            "reports": reports,
        },
    )


def _report_page(request, report, form=None, status=200):
    kpis = selectors.project_kpis(report.award)
    editable = report.status in services.SUBMITTABLE and report.award.status == "active"
    if editable and form is None:
        initial = {"text": report.text, "spent": report.spent}
        initial.update({f"kpi_{k}": v for k, v in selectors.kpi_values_of(report).items()})
        form = ReportForm(report=report, kpis=kpis, initial=initial)
    values = selectors.kpi_values_of(report)
    return render(
        request,
        "grants/grantee/report.html",
        {
            "report": report,
            "award": report.award,
            "late": selectors.is_late(report),
            "form": form if editable else None,
            "kpi_rows": [(kpi, values.get(kpi.pk)) for kpi in kpis],
        },
        status=status,
    )


@requires(SUBMIT)
@require_http_methods(["GET", "HEAD", "POST"])
def report_page(request, pk: int):
    report = _report(request, pk)
    if request.method != "POST":
        return _report_page(request, report)
    form = ReportForm(request.POST, request.FILES, report=report, kpis=selectors.project_kpis(report.award))
    if form.is_valid():
        try:
            services.submit_report(
                report,
                by=request.user,
                text=form.cleaned_data["text"],
                file=form.cleaned_data.get("file"),
                spent=form.cleaned_data.get("spent"),
                kpi_values=form.kpi_values(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The report is submitted to the programme manager."))
            return see_other("grants_grantee:award", report.award_id)
    return _report_page(request, report, form=form, status=400)


@requires(SUBMIT)
@require_safe
def report_file(request, pk: int):
    report = _report(request, pk)
    if not report.file:
        raise Http404
    return file_attachment(open_stored_or_404(report.file), filename=report.file_name or "report")
