"""Obligations, direct R&D spending (four eyes above the threshold: the service decides, the page
says who approves next), credits applied and refunded."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.errors import DomainError
from innocluster.core.http import file_attachment, open_stored_or_404, see_other
from innocluster.core.policy import values as policy
from innocluster.finance.matchers import Part
from innocluster.finance.models import StatementLine
from innocluster.finance.services import reconciliation
from innocluster.levy import forms
from innocluster.levy.models import Credit, Obligation, Settlement
from innocluster.levy.selectors import obligations as selectors
from innocluster.levy.services import credits
from innocluster.levy.services import rnd as rnd_spending
from innocluster.levy.views.common import (
    refusal_to_form,
    status_of,
)
from innocluster.levy.views.staff.common import (
    PAGE_SIZE,
    _next_approver,
    _page,
)


def _obligation_or_404(pk: int) -> Obligation:
    found = selectors.obligations().filter(pk=pk).first()
    if found is None:
        raise Http404(_("There is no such obligation."))
    return found


def _render_obligation(request, obligation, *, rnd=None, status=200):
    today = policy.today()
    obligation.status = status_of(obligation, today)
    rows = list(
        selectors.settlements(obligation).select_related(
            "approved_by", "second_approved_by", "created_by", "statement_line", "credit"
        )
    )
    for row in rows:
        if row.kind == Settlement.Kind.RND and row.status == Settlement.Status.PENDING:
            row.next_approver = _next_approver(row)
    return _page(
        request,
        "levy/staff/obligation.html",
        {
            "obligation": obligation,
            "settlements": rows,
            "postings": obligation.postings.select_related("entry"),
            "rnd": rnd or forms.RndForm(prefix="rnd"),
            "reject": forms.ReasonForm(prefix="reject"),
            "threshold": rnd_spending.rnd_threshold(today),
            "can_settle": can(request.user, "levy.settle").allowed,
            "can_approve": can(request.user, "levy.rnd.approve").allowed,
        },
        status=status,
    )


@requires("levy.read")
@require_safe
def obligation(request, pk: int):
    return _render_obligation(request, _obligation_or_404(pk))


@requires("levy.settle")
@require_POST
def rnd_record(request, pk: int):
    found = _obligation_or_404(pk)
    form = forms.RndForm(request.POST, request.FILES, prefix="rnd")
    if form.is_valid():
        data = form.cleaned_data
        try:
            rnd_spending.record_rnd(
                found,
                data["amount"],
                evidence=data["evidence"],
                description=data["description"],
                by=request.user,
            )
        except DomainError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("The R&D spending is recorded; it settles nothing until approved."))
            return see_other("levy:obligation", found.pk)
    return _render_obligation(request, found, rnd=form, status=422)


@requires("levy.rnd.approve")
@require_POST
def rnd_action(request, pk: int, action: str):
    """``approve`` (the first approval, or the chief accountant's second above the threshold) or
    ``reject`` (with a reason)."""
    settlement = (
        Settlement.objects.filter(pk=pk, kind=Settlement.Kind.RND).select_related("obligation").first()
    )
    if settlement is None or action not in {"approve", "reject"}:
        raise Http404(_("There is no such R&D spending."))
    try:
        if action == "approve":
            done = rnd_spending.approve_rnd(settlement, by=request.user)
            if done.status == Settlement.Status.APPROVED:
                messages.success(request, _("Approved and applied to the obligation."))
            else:
                messages.success(
                    request, _("Approved; above the threshold a chief accountant approves as well.")
                )
        else:
            form = forms.ReasonForm(request.POST, prefix="reject")
            reason = form.data.get("reject-reason", "")
            rnd_spending.reject_rnd(settlement, reason=reason, by=request.user)
            messages.success(request, _("The R&D spending is rejected."))
    except DomainError as error:
        messages.error(request, str(error))
    return see_other("levy:obligation", settlement.obligation_id)


@requires("levy.read")
@require_safe
def rnd_evidence(request, pk: int):
    found = Settlement.objects.filter(pk=pk, kind=Settlement.Kind.RND).exclude(evidence="").first()
    if found is None:
        raise Http404(_("There is no such document."))
    handle = open_stored_or_404(found.evidence)
    return file_attachment(handle, filename=found.evidence_name, content_type=found.evidence_type)


@requires("levy.read")
@require_safe
def credit_list(request):
    page = Paginator(selectors.credits(), PAGE_SIZE).get_page(request.GET.get("page"))
    return _page(request, "levy/staff/credits.html", {"page": page, "query": ""})


def _credit_or_404(pk: int) -> Credit:
    found = (
        selectors.credits().filter(pk=pk).first()
        or Credit.objects.filter(pk=pk).select_related("holder").first()
    )
    if found is None:
        raise Http404(_("There is no such credit."))
    return found


def _refund_lines():
    return StatementLine.objects.filter(amount__lt=0, status=StatementLine.Status.UNMATCHED).order_by(
        "-booked_on", "id"
    )


def _render_credit(request, credit, *, apply=None, refund=None, status=200):
    open_rows = selectors.obligations(holder=credit.holder).filter(
        outstanding__gt=0, year__gte=credit.source_year
    )
    return _page(
        request,
        "levy/staff/credit.html",
        {
            "credit": credit,
            "applications": credit.applications.select_related("obligation"),
            "apply": apply or forms.ApplyCreditForm(prefix="apply", obligations=open_rows),
            "refund": refund or forms.RefundForm(prefix="refund", lines=_refund_lines()),
            "refundable": credit.kind == Credit.Kind.OVERPAYMENT and credit.cancelled_at is None,
            "can_settle": can(request.user, "levy.settle").allowed,
            "can_reconcile": can(request.user, "finance.reconcile").allowed,
        },
        status=status,
    )


@requires("levy.read")
@require_safe
def credit(request, pk: int):
    return _render_credit(request, _credit_or_404(pk))


@requires("levy.settle")
@require_POST
def credit_apply(request, pk: int):
    found = _credit_or_404(pk)
    form = forms.ApplyCreditForm(
        request.POST, prefix="apply", obligations=selectors.obligations(holder=found.holder)
    )
    if form.is_valid():
        try:
            credits.apply_credit(
                found,
                form.cleaned_data["obligation"],
                by=request.user,
                amount=form.cleaned_data["amount"] or None,
            )
        except DomainError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("The credit is applied."))
            return see_other("levy:credit", found.pk)
    return _render_credit(request, found, apply=form, status=422)


@requires("finance.reconcile")
@require_POST
def credit_refund(request, pk: int):
    """The refund of an overpayment is the Fund's outgoing bank payment: matching that line to the
    credit (through the reconciliation, like any match) records it and posts Dr 3393 / Cr bank."""
    found = _credit_or_404(pk)
    form = forms.RefundForm(request.POST, prefix="refund", lines=_refund_lines())
    if form.is_valid():
        line = form.cleaned_data["line"]
        part = Part(
            account="overpayments",
            amount=abs(line.amount),
            party=found.holder,
            target=found,
            memo=_("Levy overpayment refunded"),
        )
        try:
            reconciliation.match(line, [part], by=request.user, matcher="levy.refund")
        except DomainError as error:
            form.add_error("line", str(error))
        else:
            messages.success(request, _("The refund is recorded."))
            return see_other("levy:credit", found.pk)
    return _render_credit(request, found, refund=form, status=422)
