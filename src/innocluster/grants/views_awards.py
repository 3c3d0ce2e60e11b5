"""The staff pages of awards under ``/staff/grants/awards/`` and the agreement's PDF under
``/portal/grants/agreements/`` (for the grantee's representatives and the staff).

- An application awaiting the decision: who decides its amount (the authority matrix); the Fund
  executive records its decision and awards in one form, or declines; above its band the page says
  the award goes to the Managing Committee (an agenda item of type ``grants.award``).
- An award: its agreement versions, milestones and tranches, the ledger's figures; the finance
  officer pays a tranche; a programme manager proposes an amendment and another person approves
  it; suspension, resumption, termination and clawback.

Every write is a service call; a refusal comes back on the page (status 400); a success sends
the browser back (303)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.decisions.executors import body_label
from innocluster.core.http import apply_errors, see_other
from innocluster.core.policy import values as policy
from innocluster.grants import pdf
from innocluster.grants.models import AgreementVersion, ApplicationStatus, AwardStatus, Opinion, Tranche
from innocluster.grants.selectors import awards as selectors
from innocluster.grants.services import agreements, awards, tranches

READ = "grants.read"
DECIDE = "grants.award.decide"
PAY = "grants.tranche.pay"
AMEND = "grants.agreement.amend"
APPROVE = "grants.agreement.approve"
AGREEMENT = "grants.agreement.read"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AwardForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Amount awarded, KZT"), max_digits=18, decimal_places=2)
    number = forms.CharField(label=gettext_lazy("Decision number"), max_length=50)
    decided_on = forms.DateField(label=gettext_lazy("Decision date"), widget=DATE_INPUT)
    basis = forms.CharField(label=gettext_lazy("Basis"), widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Decision number"), max_length=50)
    decided_on = forms.DateField(label=gettext_lazy("Decision date"), widget=DATE_INPUT)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class PayForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Payment date"), widget=DATE_INPUT)


class AmendmentForm(forms.Form):
    ends_on = forms.DateField(label=gettext_lazy("Project end"), widget=DATE_INPUT, required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, milestones=(), tranche_amounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        tranche_amounts = tranche_amounts or {}
        self.positions = []
        for milestone in milestones:
            position = milestone.position
            self.positions.append(position)
            self.fields[f"due_{position}"] = forms.DateField(
                label=_("Milestone %(position)s: due") % {"position": position},
                widget=DATE_INPUT,
                required=False,
                initial=milestone.due_on,
            )
            self.fields[f"amount_{position}"] = forms.DecimalField(
                label=_("Milestone %(position)s: amount, KZT") % {"position": position},
                max_digits=18,
                decimal_places=2,
                required=False,
                initial=tranche_amounts.get(position),
            )

    def milestones(self) -> dict:
        found = {}
        for position in self.positions:
            due, amount = (
                self.cleaned_data.get(f"due_{position}"),
                self.cleaned_data.get(f"amount_{position}"),
            )
            values = {}
            if due is not None:
                values["due_on"] = due
            if amount is not None:
                values["amount"] = amount
            if values:
                found[position] = values
        return found


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ClawbackForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("Amount to return, KZT"), max_digits=18, decimal_places=2)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


def _flash(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- the list and the decision on an application ----------------------------------------------


@requires(READ)
@require_safe
def award_list(request):
    return render(
        request,
        "grants/awards/list.html",
        {"awards": selectors.awards(), "awaiting": selectors.awaiting_decision()},
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
    rows = selectors.tranches(award)
    accepted = selectors.accepted_milestones(award)
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
        "figures": selectors.ledger_figures(award),
        "paid": selectors.paid(award),
        "statuses": AwardStatus,
        "can_pay": active and can(user, PAY).allowed,
        "proposed": proposed,
        "can_approve": proposed is not None
        and can(user, APPROVE).allowed
        and proposed.proposed_by_id != user.pk,
        "can_manage": can(user, APPROVE).allowed,
        "planned": Tranche.Status.PLANNED,
    }
    if context["can_pay"]:
        context["pay_form"] = bound.get("pay") or PayForm(prefix="pay", initial={"on": policy.today()})
    if active and proposed is None and can(user, AMEND).allowed:
        context["amend_form"] = bound.get("amend") or AmendmentForm(
            prefix="amend",
            milestones=milestones,
            tranche_amounts={t.position: t.amount for t in rows},
        )
    if context["can_approve"]:
        context["refuse_form"] = bound.get("refuse") or ReasonForm(prefix="refuse")
    if context["can_manage"]:
        if active:
            context["suspend_form"] = bound.get("suspend") or ReasonForm(prefix="suspend")
        if award.status == AwardStatus.SUSPENDED:
            context["resume_form"] = bound.get("resume") or ReasonForm(prefix="resume")
        if award.status in (AwardStatus.ACTIVE, AwardStatus.SUSPENDED):
            context["terminate_form"] = bound.get("terminate") or ReasonForm(prefix="terminate")
        if context["paid"] > context["figures"]["clawed_back"]:
            context["clawback_form"] = bound.get("clawback") or ClawbackForm(prefix="clawback")
    return render(request, "grants/awards/award.html", context, status=status)


@requires(READ)
@require_safe
def award_page(request, pk: int):
    return _award_page(request, _award(pk))


def _act(request, award, key: str, form, action, done: str):
    if form is None or form.is_valid():
        try:
            action(form.cleaned_data if form is not None else {})
        except ValidationError as exc:
            if form is None:
                _flash(request, exc)
                return _award_page(request, _award(award.pk), status=400)
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return see_other("grants_awards:award", award.pk)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return _award_page(request, _award(award.pk), bound={key: form}, status=400)


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


@requires(PAY)
@require_POST
def tranche_pay(request, pk: int, item: int):
    award = _award(pk)
    tranche = _tranche(award, item)
    form = PayForm(request.POST, prefix="pay")
    return _act(
        request, award, "pay", form,
        lambda data: tranches.pay(tranche, on=data["on"], by=request.user),
        _("The tranche is paid."),
    )  # fmt: skip


@requires(AMEND)
@require_POST
def amend(request, pk: int):
    award = _award(pk)
    form = AmendmentForm(
        request.POST, prefix="amend", milestones=selectors.milestones(award), tranche_amounts={}
    )
    return _act(
        request, award, "amend", form,
        lambda data: agreements.propose_amendment(
            award, ends_on=data.get("ends_on"), milestones=form.milestones(), reason=data["reason"], by=request.user
        ),
        _("The amendment is proposed: another person approves it."),
    )  # fmt: skip


@requires(APPROVE)
@require_POST
def version_approve(request, pk: int, item: int):
    award = _award(pk)
    version = _version(award, item)
    return _act(
        request, award, "approve", None,
        lambda data: agreements.approve_amendment(version, by=request.user),
        _("The amendment is approved and in force."),
    )  # fmt: skip


@requires(APPROVE)
@require_POST
def version_refuse(request, pk: int, item: int):
    award = _award(pk)
    version = _version(award, item)
    form = ReasonForm(request.POST, prefix="refuse")
    return _act(
        request, award, "refuse", form,
        lambda data: agreements.refuse_amendment(version, reason=data["reason"], by=request.user),
        _("The amendment is refused."),
    )  # fmt: skip


@requires(APPROVE)
@require_POST
def award_suspend(request, pk: int):
    award = _award(pk)
    form = ReasonForm(request.POST, prefix="suspend")
    return _act(
        request, award, "suspend", form,
        lambda data: agreements.suspend(award, reason=data["reason"], by=request.user),
        _("The award is suspended: no tranche is paid until it is resumed."),
    )  # fmt: skip


@requires(APPROVE)
@require_POST
def award_resume(request, pk: int):
    award = _award(pk)
    form = ReasonForm(request.POST, prefix="resume")
    return _act(
        request, award, "resume", form,
        lambda data: agreements.resume(award, reason=data["reason"], by=request.user),
        _("The award is resumed."),
    )  # fmt: skip


@requires(APPROVE)
@require_POST
def award_terminate(request, pk: int):
    award = _award(pk)
    form = ReasonForm(request.POST, prefix="terminate")
    return _act(
        request, award, "terminate", form,
        lambda data: agreements.terminate(award, reason=data["reason"], by=request.user),
        _("The agreement is terminated and the funds not paid are released."),
    )  # fmt: skip


@requires(APPROVE)
@require_POST
def award_clawback(request, pk: int):
    award = _award(pk)
    form = ClawbackForm(request.POST, prefix="clawback")
    return _act(
        request, award, "clawback", form,
        lambda data: agreements.clawback(award, amount=data["amount"], reason=data["reason"], by=request.user),
        _("The clawback is posted as a receivable from the grantee."),
    )  # fmt: skip


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
