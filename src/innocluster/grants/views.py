"""The staff pages of programmes and calls under ``/staff/grants/`` and the public list of calls
under ``/grants/calls/``.

Every write is a service call (``services.programmes``, ``services.calls``); a refusal comes back
on the page beside the field it names, with status 400; a success sends the browser back (303)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.http import apply_errors, see_other
from innocluster.grants import selectors
from innocluster.grants.forms import CallForm, CriterionForm, DocumentForm, ProgrammeForm, ReasonForm
from innocluster.grants.models import CallStatus
from innocluster.grants.services import calls as call_services
from innocluster.grants.services import programmes as programme_services

READ = "grants.read"
MANAGE = "grants.programme.manage"
EDIT = "grants.call.edit"
APPROVE = "grants.call.approve"


# --- programmes ---------------------------------------------------------------------------------


def _index(request, *, programme_form=None, status=200):
    context = {
        "programmes": selectors.programmes(),
        "waiting": selectors.waiting_for_approval(request.user) if can(request.user, APPROVE) else [],
        "statuses": CallStatus,
    }
    if can(request.user, MANAGE):
        context["programme_form"] = programme_form or ProgrammeForm(prefix="programme")
    return render(request, "grants/index.html", context, status=status)


@requires(READ)
@require_safe
def index(request):
    return _index(request)


@requires(MANAGE)
@require_POST
def programme_create(request):
    form = ProgrammeForm(request.POST, prefix="programme")
    if form.is_valid():
        try:
            programme = programme_services.create_programme(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The programme is created with its budget line."))
            return see_other("grants:programme", programme.pk)
    return _index(request, programme_form=form, status=400)


def _programme(pk: int):
    programme = selectors.programme_by_pk(pk)
    if programme is None:
        raise Http404
    return programme


def _programme_page(request, programme, *, call_form=None, status=200):
    context = {
        "programme": programme,
        "budgets": selectors.budgets_of(programme),
        "calls": list(programme.calls.order_by("-year", "code")),
    }
    if can(request.user, EDIT, programme):
        context["call_form"] = call_form or CallForm(
            prefix="call",
            categories=selectors.all_categories(),
            initial={"cofinancing_share": 0, "max_months": 12},
        )
    return render(request, "grants/programme.html", context, status=status)


@requires(READ)
@require_safe
def programme_page(request, pk: int):
    return _programme_page(request, _programme(pk))


@requires(EDIT)
@require_POST
def call_create(request, pk: int):
    programme = _programme(pk)
    form = CallForm(request.POST, prefix="call", categories=selectors.all_categories())
    if form.is_valid():
        try:
            call = call_services.create_call(programme, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The call is drafted: add its documents and scoring criteria."))
            return see_other("grants:call", call.pk)
    return _programme_page(request, programme, call_form=form, status=400)


# --- one call -----------------------------------------------------------------------------------


def _call(pk: int):
    call = selectors.call_by_pk(pk)
    if call is None:
        raise Http404
    return call


def _call_form(call, data=None):
    initial = {
        name: getattr(call, name)
        for name in (
            "title_en",
            "title_kk",
            "title_ru",
            "summary_en",
            "summary_kk",
            "summary_ru",
            "opens_at",
            "closes_at",
            "year",
            "budget",
            "max_amount",
            "max_months",
            "cofinancing_share",
        )
    }
    initial["eligible_categories"] = [c.code for c in call.eligible_categories.all()]
    return CallForm(
        data, prefix="call", categories=selectors.all_categories(), with_code=False, initial=initial
    )


def _call_page(request, call, *, bound=None, status=200):
    bound = bound or {}
    user = request.user
    editing = call.status == CallStatus.DRAFT and can(user, EDIT, call).allowed
    second_person = user.pk not in (call.created_by_id, call.submitted_by_id)
    context = {
        "call": call,
        "statuses": CallStatus,
        "available": selectors.available_for_call(call),
        "problems": call_services.readiness_errors(call) if call.status == CallStatus.DRAFT else {},
        "editing": editing,
        "can_approve": call.status == CallStatus.SUBMITTED
        and can(user, APPROVE, call).allowed
        and second_person,
        "can_withdraw": call.status == CallStatus.PUBLISHED and can(user, APPROVE, call).allowed,
        "weights": sum(c.weight for c in call.criteria.all()),
    }
    if editing:
        context["call_form"] = bound.get("call") or _call_form(call)
        context["document_form"] = bound.get("document") or DocumentForm(
            prefix="document", initial={"required": True}
        )
        context["criterion_form"] = bound.get("criterion") or CriterionForm(prefix="criterion")
    if context["can_approve"]:
        context["return_form"] = bound.get("return") or ReasonForm(prefix="return")
    if context["can_withdraw"]:
        context["withdraw_form"] = bound.get("withdraw") or ReasonForm(prefix="withdraw")
    for key, form in bound.items():
        if f"{key}_form" not in context:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
    return render(request, "grants/call.html", context, status=status)


@requires(READ)
@require_safe
def call_page(request, pk: int):
    return _call_page(request, _call(pk))


def _act(request, call, key: str, form, action, done: str):
    if form is None or form.is_valid():
        try:
            action(form.cleaned_data if form is not None else {})
        except ValidationError as exc:
            if form is None:
                for errors in exc.message_dict.values():
                    for message in errors:
                        messages.error(request, message)
                return _call_page(request, _call(call.pk), status=400)
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return see_other("grants:call", call.pk)
    return _call_page(request, _call(call.pk), bound={key: form}, status=400)


@requires(EDIT)
@require_POST
def call_update(request, pk: int):
    call = _call(pk)
    form = _call_form(call, request.POST)
    return _act(
        request, call, "call", form,
        lambda data: call_services.update_call(call, by=request.user, **data),
        _("The call is saved."),
    )  # fmt: skip


@requires(EDIT)
@require_POST
def document_add(request, pk: int):
    call = _call(pk)
    form = DocumentForm(request.POST, prefix="document")
    return _act(
        request, call, "document", form,
        lambda data: call_services.add_document(call, by=request.user, **data),
        _("The document is added to the list."),
    )  # fmt: skip


@requires(EDIT)
@require_POST
def document_remove(request, pk: int, item: int):
    call = _call(pk)
    return _act(
        request, call, "document", None,
        lambda data: call_services.remove_document(call, item, by=request.user),
        _("The document is removed from the list."),
    )  # fmt: skip


@requires(EDIT)
@require_POST
def criterion_add(request, pk: int):
    call = _call(pk)
    form = CriterionForm(request.POST, prefix="criterion")
    return _act(
        request, call, "criterion", form,
        lambda data: call_services.add_criterion(call, by=request.user, **data),
        _("The criterion is added to the rubric."),
    )  # fmt: skip


@requires(EDIT)
@require_POST
def criterion_remove(request, pk: int, item: int):
    call = _call(pk)
    return _act(
        request, call, "criterion", None,
        lambda data: call_services.remove_criterion(call, item, by=request.user),
        _("The criterion is removed from the rubric."),
    )  # fmt: skip


@requires(EDIT)
@require_POST
def call_submit(request, pk: int):
    call = _call(pk)
    return _act(
        request, call, "submit", None,
        lambda data: call_services.submit_call(call, by=request.user),
        _("The call is submitted: another programme manager or a Fund executive approves it."),
    )  # fmt: skip


@requires(APPROVE)
@require_POST
def call_approve(request, pk: int):
    call = _call(pk)
    return _act(
        request, call, "approve", None,
        lambda data: call_services.approve_call(call, by=request.user),
        _("The call is approved and published."),
    )  # fmt: skip


@requires(APPROVE)
@require_POST
def call_return(request, pk: int):
    call = _call(pk)
    form = ReasonForm(request.POST, prefix="return")
    return _act(
        request, call, "return", form,
        lambda data: call_services.return_call(call, by=request.user, reason=data["reason"]),
        _("The call is sent back to its author as a draft."),
    )  # fmt: skip


@requires(APPROVE)
@require_POST
def call_withdraw(request, pk: int):
    call = _call(pk)
    form = ReasonForm(request.POST, prefix="withdraw")
    return _act(
        request, call, "withdraw", form,
        lambda data: call_services.withdraw_call(call, by=request.user, reason=data["reason"]),
        _("The call is withdrawn."),
    )  # fmt: skip


# --- public -------------------------------------------------------------------------------------


@requires("grants.public")
@require_safe
def public_calls(request):
    return render(request, "grants/public_calls.html", {"calls": selectors.public_calls()})
