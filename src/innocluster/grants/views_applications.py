"""The staff's project applications under ``/staff/grants/applications/``: the list (filters, sort,
counts per status, ``?format=xlsx``), one application with everything the stages hold, the staff's
download of its files, and the intake check (accept, return for revision, refuse).

Thin: reads through ``selectors.applications`` (the list, its export and the API share one
selector), writes through ``services.intake``; a refusal comes back on the page beside the form
that asked (status 400, nothing stored), a success answers 303 back to the application."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST, require_safe

from innocluster.core import forms as shared
from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.calendar import ALMATY
from innocluster.core.http import apply_errors, file_attachment, open_stored_or_404, see_other
from innocluster.core.policy import values as policy
from innocluster.core.reports import xlsx_response
from innocluster.core.widgets import DATE_INPUT
from innocluster.grants.forms import ReasonForm
from innocluster.grants.models import ApplicationStatus
from innocluster.grants.selectors import applications as selectors
from innocluster.grants.services import intake

READ = "grants.read"
INTAKE = "grants.intake"
S = ApplicationStatus
ANYTHING = ("", "—")


class FilterForm(forms.Form):
    """The list's GET filters; a value that cannot be read is dropped with its error shown."""

    q = forms.CharField(label=gettext_lazy("Organisation, BIN or number"), required=False, max_length=300)
    # Whole numbers shown as lists: the choices come with the counts (``show_choices``), one query.
    call = forms.IntegerField(label=gettext_lazy("Call"), required=False, min_value=1, widget=forms.Select)
    programme = forms.IntegerField(
        label=gettext_lazy("Programme"), required=False, min_value=1, widget=forms.Select
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    submitted_from = forms.DateField(label=gettext_lazy("Submitted from"), required=False, widget=DATE_INPUT)
    submitted_to = forms.DateField(label=gettext_lazy("Submitted to"), required=False, widget=DATE_INPUT)
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=[
            ("-submitted", gettext_lazy("newest submitted first")),
            ("submitted", gettext_lazy("oldest submitted first")),
            ("number", pgettext_lazy("sort order", "number")),
            ("-number", gettext_lazy("number, descending")),
            ("-amount", gettext_lazy("largest amount first")),
            ("amount", gettext_lazy("smallest amount first")),
        ],
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["status"].choices = [ANYTHING] + [
            (value, label) for value, label in S.choices if value != S.DRAFT
        ]

    def show_choices(self, overview: selectors.Overview) -> None:
        self.fields["call"].widget.choices = [ANYTHING] + [(pk, label) for pk, label, _p in overview.calls]
        self.fields["programme"].widget.choices = [ANYTHING, *list(overview.programmes)]

    def filters(self) -> selectors.ApplicationFilter:
        if not self.is_bound:
            return selectors.ApplicationFilter()
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return selectors.ApplicationFilter(
            call=data.get("call"),
            programme=data.get("programme"),
            status=data.get("status") or "",
            q=data.get("q") or "",
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
            sort=data.get("sort") or selectors.DEFAULT_SORT,
        )


class IntakeItemForm(shared.ReturnItemForm):
    missing_text = gettext_lazy("Write what the applicant is to change.")


class IntakeReturnForm(shared.ReturnForm):
    item_form = IntakeItemForm
    extra = 4


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in ("page", "format", *names):
        query.pop(name, None)
    return query.urlencode()


def _xlsx(rows):
    header = [
        _("Application number"), _("Call"), _("Applicant"), _("BIN"), _("Project title"),
        _("Amount requested, KZT"), _("Status"), _("Submitted (Astana time)"), _("Intake due"),
        _("Experts"), _("Average score"),
    ]  # fmt: skip

    def lines():
        for r in rows:
            submitted = r.submitted_at.astimezone(ALMATY).replace(tzinfo=None) if r.submitted_at else None
            yield [
                r.number, f"{r.call.programme.code} / {r.call.code}", r.organisation.name, r.organisation.bin,
                r.project.title, r.requested_amount, r.get_status_display(), submitted, r.intake_due,
                r.experts, r.average_score,
            ]  # fmt: skip

    return header, lines()


@requires(READ)
@require_safe
def application_list(request):
    """Applications to every call, 60 a page, filtered and sorted; counts per status above."""
    form = FilterForm(request.GET or None)
    filters = form.filters()
    rows = selectors.staff_applications(filters)
    today = policy.today()
    if request.GET.get("format") == "xlsx":
        header, lines = _xlsx(selectors.with_intake_due(rows, today=today))
        return xlsx_response(_("Project applications"), f"applications-{today.isoformat()}", header, lines)
    overview = selectors.overview(filters)
    form.show_choices(overview)
    counts = overview.counts
    paginator = Paginator(rows, selectors.PAGE_SIZE)
    # The counts per status give the list's size: no COUNT query of its own.
    paginator.count = counts[filters.status] if filters.status else overview.total
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.with_intake_due(page.object_list, today=today)
    others = _query_without(request, "status")
    labels = dict(S.choices)
    tabs = [{"status": "", "label": _("All"), "count": sum(counts.values()), "current": not filters.status,
             "query": others}]  # fmt: skip
    for status, count in counts.items():
        tabs.append(
            {
                "status": status,
                "label": labels[status],
                "count": count,
                "current": filters.status == status,
                "query": f"status={status}" + (f"&{others}" if others else ""),
            }
        )
    return render(
        request,
        "grants/staff/applications.html",
        {
            "form": form,
            "page": page,
            "tabs": tabs,
            "query": _query_without(request),
            "xlsx_query": (_query_without(request) + "&" if _query_without(request) else "") + "format=xlsx",
            "today": today,
        },
    )


def _application(pk: int):
    application = selectors.application_detail(pk)
    if application is None:
        raise Http404(_("There is no such application."))
    return application


def _detail(request, application, *, bound=None, status=200):
    bound = bound or {}
    participant, standing = selectors.register_standing(application)
    rows = selectors.with_intake_due([application])
    may_intake = application.status == S.SUBMITTED and can(request.user, INTAKE, application).allowed
    context = {
        "application": rows[0],
        "statuses": S,
        "budget": selectors.budget_table(application),
        "files": selectors.latest_files(application),
        "later": selectors.later_stages(application),
        "participant": participant,
        "standing": standing,
        "may_intake": may_intake,
        "comments": selectors.intake_comments(application),
    }
    if may_intake:
        context["return_form"] = bound.get("return") or IntakeReturnForm(prefix="return")
        context["refuse_form"] = bound.get("refuse") or ReasonForm(prefix="refuse")
        context["accept_errors"] = bound.get("accept_errors", [])
    return render(request, "grants/staff/application.html", context, status=status)


@requires(READ)
@require_safe
def application_page(request, pk: int):
    return _detail(request, _application(pk))


@requires(READ)
@require_safe
def file_download(request, pk: int, file_pk: int):
    stored = selectors.staff_file(pk, file_pk)
    if stored is None:
        raise Http404(_("There is no such file."))
    return file_attachment(
        open_stored_or_404(stored.file), filename=stored.original_name, content_type=stored.content_type
    )


@requires(INTAKE)
@require_POST
def intake_accept(request, pk: int):
    application = _application(pk)
    try:
        intake.accept(application, by=request.user)
    except ValidationError as exc:
        errors = [m for messages_ in exc.message_dict.values() for m in messages_]
        return _detail(request, _application(pk), bound={"accept_errors": errors}, status=400)
    if application.status == S.PRESELECTION:
        messages.success(
            request, _("The application is accepted: on to pre-selection by the financing subsoil users.")
        )
    else:
        messages.success(request, _("The application is accepted: on to the expert commission."))
    return see_other("grants_applications:detail", pk)


@requires(INTAKE)
@require_POST
def intake_return(request, pk: int):
    application = _application(pk)
    form = IntakeReturnForm(request.POST, prefix="return")
    if form.is_valid():
        try:
            items = form.pairs()
            general = (form.cleaned_data.get("reason") or "").strip()
            if general:
                items.append((_("General"), general))
            intake.return_for_revision(application, by=request.user, items=items)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The application is returned to the applicant for revision."))
            return see_other("grants_applications:detail", pk)
    return _detail(request, _application(pk), bound={"return": form}, status=400)


@requires(INTAKE)
@require_POST
def intake_refuse(request, pk: int):
    application = _application(pk)
    form = ReasonForm(request.POST, prefix="refuse")
    if form.is_valid():
        try:
            intake.refuse(application, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The application is refused at intake."))
            return see_other("grants_applications:detail", pk)
    return _detail(request, _application(pk), bound={"refuse": form}, status=400)
