"""The staff pages of awards under ``/staff/grants/awards/`` and the agreement's PDF under
``/portal/grants/agreements/`` (for the grantee's representatives and the staff).

- An application awaiting the decision: who decides its amount (the authority matrix); the Fund
  executive records its decision and awards in one form, or declines; above its band the page says
  the award goes to the Managing Committee (an agenda item of type ``grants.award``).
- An award: its agreement versions, milestones and tranches, the ledger's figures; the finance
  officer pays a tranche (the form shows on the tranches payable now; the others say why not); a
  programme manager proposes an amendment and another person approves it; the Fund executive
  suspends, resumes, terminates and claws back, citing its decision record.

Every write is a service call, configured in ``ACTIONS`` (one entry per action, one view each);
a refusal comes back on the page (status 400); a success sends the browser back (303)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from innocluster.core import charts
from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.decisions.executors import body_label
from innocluster.core.http import apply_errors, see_other
from innocluster.core.policy import values as policy
from innocluster.grants import exports, pdf
from innocluster.grants.forms_awards import (
    AmendmentForm,
    AwardForm,
    ClawbackForm,
    DeclineForm,
    EnforcementForm,
    PayForm,
    ReasonForm,
)
from innocluster.grants.models import AgreementVersion, ApplicationStatus, AwardStatus, Opinion, Tranche
from innocluster.grants.selectors import awards as selectors
from innocluster.grants.services import agreements, awards, enforcement, tranches

READ = "grants.read"
DECIDE = "grants.award.decide"
PAY = "grants.tranche.pay"
AMEND = "grants.agreement.amend"
APPROVE = "grants.agreement.approve"
ENFORCE = "grants.award.enforce"
DECISIONS = "decisions.view"
AGREEMENT = "grants.agreement.read"


def _flash(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- the list and the decision on an application ----------------------------------------------


@requires(READ)
@require_safe
def award_list(request):
    awards = list(selectors.awards())
    if exports.wants_xlsx(request):
        return exports.awards_xlsx(awards, policy.today())
    chart = exports.awards_chart(awards)
    return render(
        request,
        "grants/awards/list.html",
        {
            "awards": awards,
            "awaiting": selectors.awaiting_decision(),
            "chart": charts.data_uri(chart) if chart else "",
            "xlsx_query": exports.xlsx_query(request),
        },
    )


def _application(pk: int):
    found = selectors.application_for_decision(pk)
    if found is None:
        raise Http404
    return found


def _decision_page(request, application, *, award_form=None, decline_form=None, status=200):
    amount = application.requested_amount
    authority = selectors.deciding(amount)
    waiting = application.status == ApplicationStatus.DECISION
    within_band = authority is not None and authority.body == "fund_executive"
    deciding = waiting and can(request.user, DECIDE).allowed
    context = {
        "application": application,
        "waiting": waiting,
        "expedient": application.opinion == Opinion.EXPEDIENT,
        "authority": authority,
        "authority_body": body_label(authority.body) if authority else "",
        "authority_reference": authority.text((request.LANGUAGE_CODE or "en")[:2]) if authority else "",
        "within_band": within_band,
        "award": getattr(application, "award", None)
        if application.status == ApplicationStatus.AWARDED
        else None,
    }
    if deciding and within_band and application.opinion == Opinion.EXPEDIENT:
        context["award_form"] = award_form or AwardForm(
            prefix="award",
            initial={"amount": amount, "decided_on": policy.today(), "basis": context["authority_reference"]},
        )
    if deciding and within_band:
        context["decline_form"] = decline_form or DeclineForm(
            prefix="decline", initial={"decided_on": policy.today()}
        )
    return render(request, "grants/awards/decision.html", context, status=status)


@requires(READ)
@require_safe
def decision_page(request, pk: int):
    return _decision_page(request, _application(pk))


@requires(DECIDE)
@require_POST
def award_make(request, pk: int):
    application = _application(pk)
    form = AwardForm(request.POST, prefix="award")
    if form.is_valid():
        try:
            made = awards.decide_and_award(application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The grant is awarded and the funds are committed."))
            return see_other("grants_awards:award", made.pk)
    return _decision_page(request, _application(pk), award_form=form, status=400)


@requires(DECIDE)
@require_POST
def award_decline(request, pk: int):
    application = _application(pk)
    form = DeclineForm(request.POST, prefix="decline")
    if form.is_valid():
        try:
            awards.decide_and_decline(application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The decision not to finance the project is recorded."))
            return see_other("grants_awards:application", application.pk)
    return _decision_page(request, _application(pk), decline_form=form, status=400)


# --- one award ------------------------------------------------------------------------------------


def _award(pk: int):
    found = selectors.award_by_pk(pk)
    if found is None:
        raise Http404
    return found


def _award_page(request, award, *, bound=None, status=200):
    bound = bound or {}
    user = request.user
    active = award.status == AwardStatus.ACTIVE
    accepted = selectors.accepted_milestones(award)
    rows = selectors.payable_tranches(award, accepted=accepted)
    milestones = selectors.milestones(award)
    versions = selectors.versions(award)
    proposed = next((v for v in versions if v.status == AgreementVersion.Status.PROPOSED), None)
    context = {
        "award": award,
        "application": award.application,
        "versions": versions,
        "milestones": milestones,
        "tranches": rows,
        "accepted": accepted,
        "clawbacks": selectors.clawbacks(award),
        "figures": selectors.ledger_figures(award),
        "paid": selectors.paid(award),
        "statuses": AwardStatus,
        "can_pay": active and can(user, PAY).allowed,
        "proposed": proposed,
        "can_approve": proposed is not None
        and can(user, APPROVE).allowed
        and proposed.proposed_by_id != user.pk,
        "can_enforce": can(user, ENFORCE).allowed,
        "can_read_decisions": can(user, DECISIONS).allowed,
        "planned": Tranche.Status.PLANNED,
    }
    if context["can_pay"] and any(not t.problem for t in rows):
        context["pay_form"] = bound.get("pay") or PayForm(prefix="pay", initial={"on": policy.today()})
    if active and proposed is None and can(user, AMEND).allowed:
        context["amend_form"] = bound.get("amend") or AmendmentForm(
            prefix="amend",
            milestones=milestones,
            tranche_amounts={t.position: t.amount for t in rows},
        )
    if context["can_approve"]:
        context["refuse_form"] = bound.get("refuse") or ReasonForm(prefix="refuse")
    if context["can_enforce"]:
        offered = []
        if active:
            offered.append("suspend")
        if award.status == AwardStatus.SUSPENDED:
            offered.append("resume")
        if award.status in (AwardStatus.ACTIVE, AwardStatus.SUSPENDED):
            offered.append("terminate")
        if context["paid"] > context["figures"]["clawed_back"]:
            offered.append("clawback")
        options = selectors.enforcement_decisions(award) if offered else []
        for key in offered:
            context[f"{key}_form"] = bound.get(key) or ACTIONS[key].form(None, award, options)
    return render(request, "grants/awards/award.html", context, status=status)


@requires(READ)
@require_safe
def award_page(request, pk: int):
    return _award_page(request, _award(pk))


def _tranche(award, item: int):
    found = award.tranches.filter(pk=item).first()
    if found is None:
        raise Http404
    return found


def _version(award, item: int):
    found = award.versions.filter(pk=item).first()
    if found is None:
        raise Http404
    return found


# --- the actions on an award: one line of configuration each ---------------------------------------


def _reason_form(prefix):
    return lambda data, award, options=None: ReasonForm(data, prefix=prefix)


def _enforcement_form(form_class, prefix):
    def make(data, award, options=None):
        if options is None:
            options = selectors.enforcement_decisions(award)
        return form_class(data, prefix=prefix, decisions=options)

    return make


def _amendment_form(data, award, options=None):
    return AmendmentForm(data, prefix="amend", milestones=selectors.milestones(award), tranche_amounts={})


@dataclass(frozen=True)
class Action:
    """What one POST on an award does: the permission, the item it names (``_tranche``,
    ``_version`` or none), the form (``form(data, award, decision options)``, or ``None``), the
    service call ``run(request, award, item, form)`` and the message on success."""

    permission: str
    form: Callable | None
    run: Callable
    done: str
    item: Callable | None = None


ACTIONS = {
    "pay": Action(
        PAY, lambda data, award, options=None: PayForm(data, prefix="pay"),
        lambda request, award, item, form: tranches.pay(item, on=form.cleaned_data["on"], by=request.user),
        gettext_lazy("The tranche is paid."), item=_tranche,
    ),
    "amend": Action(
        AMEND, _amendment_form,
        lambda request, award, item, form: agreements.propose_amendment(
            award, ends_on=form.cleaned_data.get("ends_on"), milestones=form.milestones(),
            reason=form.cleaned_data["reason"], by=request.user,
        ),
        gettext_lazy("The amendment is proposed: another person approves it."),
    ),
    "approve": Action(
        APPROVE, None, lambda request, award, item, form: agreements.approve_amendment(item, by=request.user),
        gettext_lazy("The amendment is approved and in force."), item=_version,
    ),
    "refuse": Action(
        APPROVE, _reason_form("refuse"),
        lambda request, award, item, form: agreements.refuse_amendment(item, by=request.user, **form.cleaned_data),
        gettext_lazy("The amendment is refused."), item=_version,
    ),
    "suspend": Action(
        ENFORCE, _enforcement_form(EnforcementForm, "suspend"),
        lambda request, award, item, form: enforcement.suspend(award, by=request.user, **form.cleaned_data),
        gettext_lazy("The award is suspended: no tranche is paid until it is resumed."),
    ),
    "resume": Action(
        ENFORCE, _enforcement_form(EnforcementForm, "resume"),
        lambda request, award, item, form: enforcement.resume(award, by=request.user, **form.cleaned_data),
        gettext_lazy("The award is resumed."),
    ),
    "terminate": Action(
        ENFORCE, _enforcement_form(EnforcementForm, "terminate"),
        lambda request, award, item, form: enforcement.terminate(award, by=request.user, **form.cleaned_data),
        gettext_lazy("The agreement is terminated and the funds not paid are released."),
    ),
    "clawback": Action(
        ENFORCE, _enforcement_form(ClawbackForm, "clawback"),
        lambda request, award, item, form: enforcement.clawback(award, by=request.user, **form.cleaned_data),
        gettext_lazy("The clawback is posted as a receivable from the grantee."),
    ),
}  # fmt: skip


def _action_view(key: str):
    """The POST view of ``ACTIONS[key]``: run the service; a refusal comes back on the page (400)
    with the form's errors, a success sends the browser back to the award (303)."""
    action = ACTIONS[key]

    @requires(action.permission)
    @require_POST
    def view(request, pk: int, item: int | None = None):
        award = _award(pk)
        found = action.item(award, item) if action.item is not None else None
        form = action.form(request.POST, award) if action.form is not None else None
        if form is None or form.is_valid():
            try:
                action.run(request, award, found, form)
            except ValidationError as exc:
                if form is None:
                    _flash(request, exc)
                    return _award_page(request, _award(award.pk), status=400)
                apply_errors(form, exc)
            else:
                messages.success(request, str(action.done))
                return see_other("grants_awards:award", award.pk)
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _award_page(request, _award(award.pk), bound={key: form}, status=400)

    view.__name__ = view.__qualname__ = f"award_{key}"
    view.__doc__ = f"POST: {key} (see ``ACTIONS``)."
    return view


tranche_pay = _action_view("pay")
amend = _action_view("amend")
version_approve = _action_view("approve")
version_refuse = _action_view("refuse")
award_suspend = _action_view("suspend")
award_resume = _action_view("resume")
award_terminate = _action_view("terminate")
award_clawback = _action_view("clawback")


# --- the agreement's PDF --------------------------------------------------------------------------


@requires(AGREEMENT)
@require_safe
def agreement_pdf(request, pk: int):
    """The agreement in force, in Kazakh (default) or Russian (``?lang=ru``); someone else's is
    not found."""
    award = selectors.award_for_user(request.user, pk)
    if award is None:
        raise Http404
    language = request.GET.get("lang", "kk")
    if language not in pdf.LANGUAGES:
        raise Http404
    response = HttpResponse(pdf.agreement_pdf(award, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{award.number}-{language}.pdf"'
    return response
