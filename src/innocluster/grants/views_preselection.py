"""Pre-selection pages: the financing subsoil user's shortlist and marks under
``/portal/grants/preselection/``, and the programme manager's financers and closing under
``/staff/grants/preselection/``.

The shortlist shows the project, never the people: no team, no submitting user, no files, and not
the applicant organisation's name (a sole proprietor's name is a person's name, and the subsoil
users choose projects on their merits; the application's number identifies it)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from innocluster.core.access.views import requires
from innocluster.core.http import apply_errors, see_other
from innocluster.grants.selectors import preselection as selectors
from innocluster.grants.services import preselection as services

PRESELECT = "grants.preselect"
MANAGE = "grants.financers.manage"


class MarkForm(forms.Form):
    interested = forms.TypedChoiceField(
        label=gettext_lazy("Your interest"),
        choices=(("yes", gettext_lazy("Interested in financing")), ("no", gettext_lazy("Not interested"))),
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount you would fund, tenge"),
        max_digits=18,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"), widget=forms.Textarea, required=False, max_length=2000
    )


class FinancerForm(forms.Form):
    bin = forms.CharField(label=gettext_lazy("BIN of the subsoil user"), max_length=12)
    pledged = forms.DecimalField(
        label=gettext_lazy("Amount pledged, tenge"), max_digits=18, decimal_places=2, min_value=0
    )


def _errors_to_messages(request, exc: ValidationError) -> None:
    for errors in exc.message_dict.values():
        for message in errors:
            messages.error(request, message)


# --- the financing subsoil user ------------------------------------------------------------------


@requires(PRESELECT)
@require_safe
def index(request):
    return render(
        request, "grants/preselection/index.html", {"calls": selectors.financed_calls(request.user)}
    )


@requires(PRESELECT)
@require_safe
def call_page(request, pk: int):
    call = selectors.financed_call(request.user, pk)
    if call is None:
        raise Http404
    financer = selectors.financer_for(request.user, call)
    marks = selectors.marks_by(financer)
    applications = selectors.shortlist(call)
    for application in applications:
        application.my_mark = marks.get(application.pk)
    context = {"call": call, "financer": financer, "applications": applications}
    return render(request, "grants/preselection/call.html", context)


def _application(request, pk: int):
    application = selectors.shortlisted_application(request.user, pk)
    if application is None:
        raise Http404
    return application


def _application_page(request, application, *, form=None, status=200):
    financer = selectors.financer_for(request.user, application.call)
    mark = selectors.mark_of(financer, application)
    if form is None:
        initial = {"interested": "yes" if mark and mark.interested else "no"} if mark else {}
        if mark:
            initial.update(amount=mark.amount, comment=mark.comment)
        form = MarkForm(prefix="mark", initial=initial)
    context = {"application": application, "call": application.call, "mark": mark, "form": form}
    return render(request, "grants/preselection/application.html", context, status=status)


@requires(PRESELECT)
@require_safe
def application_page(request, pk: int):
    return _application_page(request, _application(request, pk))


@requires(PRESELECT)
@require_POST
def application_mark(request, pk: int):
    application = _application(request, pk)
    financer = selectors.financer_for(request.user, application.call)
    form = MarkForm(request.POST, prefix="mark")
    if form.is_valid():
        try:
            services.mark(application, financer, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your mark is saved."))
            return see_other("grants_preselection:call", application.call_id)
    return _application_page(request, application, form=form, status=400)


# --- the programme manager -----------------------------------------------------------------------


@requires(MANAGE)
@require_safe
def staff_index(request):
    return render(
        request, "grants/preselection/staff_index.html", {"calls": selectors.calls_for_preselection()}
    )


def _call(pk: int):
    call = selectors.call_by_pk(pk)
    if call is None:
        raise Http404
    return call


def _staff_call_page(request, call, *, form=None, status=200):
    context = {
        "call": call,
        "financers": selectors.financers(call),
        "applications": selectors.marks_summary(call),
        "can_close": selectors.in_preselection(call).exists(),
        "form": form or FinancerForm(prefix="financer"),
    }
    return render(request, "grants/preselection/staff_call.html", context, status=status)


@requires(MANAGE)
@require_safe
def staff_call(request, pk: int):
    return _staff_call_page(request, _call(pk))


@requires(MANAGE)
@require_POST
def financer_add(request, pk: int):
    call = _call(pk)
    form = FinancerForm(request.POST, prefix="financer")
    if form.is_valid():
        try:
            services.add_financer(call, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The subsoil user is added to the call's financers."))
            return see_other("grants_preselection_staff:call", call.pk)
    return _staff_call_page(request, call, form=form, status=400)


@requires(MANAGE)
@require_POST
def financer_remove(request, pk: int, item: int):
    call = _call(pk)
    financer = selectors.financer_of_call(call, item)
    if financer is None:
        raise Http404
    try:
        services.remove_financer(financer, by=request.user)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
        return _staff_call_page(request, call, status=400)
    messages.success(request, _("The subsoil user is removed from the call's financers."))
    return see_other("grants_preselection_staff:call", call.pk)


@requires(MANAGE)
@require_POST
def close(request, pk: int):
    call = _call(pk)
    try:
        counts = services.close_preselection(call, by=request.user)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
        return _staff_call_page(request, call, status=400)
    messages.success(
        request,
        _("Pre-selection is closed: %(expertise)s to the expert commission, %(other)s not pre-selected.")
        % {"expertise": counts["expertise"], "other": counts["not_preselected"]},
    )
    return see_other("grants_preselection_staff:call", call.pk)
