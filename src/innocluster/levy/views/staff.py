"""The levy back office under ``/staff/levy/``: the overview of a year, subsoil users, contracts
(and their import), declarations on a company's behalf, the assessment (dry run, then apply), the
National Bank's rates, direct R&D spending (four eyes above the threshold: the service decides,
the page says who approves next), credits applied and refunded. Finance officers act; the chief
accountant approves; auditors and executives read (``levy.read``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.errors import DomainError
from innocluster.core.http import file_attachment, open_stored_or_404, see_other
from innocluster.core.policy import values as policy
from innocluster.finance.matchers import Part
from innocluster.finance.models import StatementLine
from innocluster.finance.services import reconciliation
from innocluster.levy import forms
from innocluster.levy.errors import ImportRefused
from innocluster.levy.models import Contract, Credit, Declaration, DeclarationDocument, Obligation, Settlement
from innocluster.levy.selectors import contracts as contract_selectors
from innocluster.levy.selectors import obligations as selectors
from innocluster.levy.services import assessment, contracts, rates, settlements
from innocluster.levy.views.common import (
    declaration_form,
    refusal_to_form,
    status_counts,
    status_of,
    year_totals,
)
from innocluster.parties.models import Organisation

PAGE_SIZE = 50
GET_OR_POST = ["GET", "HEAD", "POST"]


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in ("page", *names):
        query.pop(name, None)
    return query.urlencode()


def _page(request, template: str, context: dict, status: int = 200):
    """Render a staff page; the levy's sub-navigation shows the assessment to those who may run it."""
    context.setdefault("can_assess", can(request.user, "levy.assess").allowed)
    return render(request, template, context, status=status)


def _year(request) -> int:
    form = forms.YearForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
        return form.cleaned_data["year"]
    return policy.today().year


def _with_status(rows, today):
    rows = list(rows)
    for row in rows:
        row.status = status_of(row, today)
    return rows


# --- overview ------------------------------------------------------------------------------------


@requires("levy.read")
@require_safe
def home(request):
    """Due, collected and outstanding for a year, the counts by status, and the R&D spending that
    waits for an approval (oldest first) — a fixed number of queries."""
    today = policy.today()
    year = _year(request)
    rows = selectors.obligations(year=year)
    pending = list(selectors.pending_rnd().select_related("approved_by", "created_by")[:50])
    for settlement in pending:
        settlement.next_approver = _next_approver(settlement)
    return _page(
        request,
        "levy/staff/home.html",
        {
            "year": year,
            "years": range(today.year + 1, 2013, -1),
            "totals": year_totals(rows),
            "counts": status_counts(rows, today),
            "pending": pending,
            "can_assess": can(request.user, "levy.assess").allowed,
        },
    )


def _next_approver(settlement: Settlement) -> str:
    threshold = settlements.rnd_threshold(policy.today())
    if settlement.approved_by_id is None:
        return _("a finance officer")
    if threshold is not None and settlement.amount > threshold:
        return _("a chief accountant other than %(name)s") % {"name": settlement.approved_by.get_username()}
    return _("nobody (approved)")


# --- subsoil users -------------------------------------------------------------------------------


@requires("levy.read")
@require_safe
def subsoil_users(request):
    form = forms.SubsoilUserFilterForm(request.GET or None)
    rows = Organisation.objects.filter(subsoil_user=True).annotate(contracts=Count("subsoil_contracts"))
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"].strip()
        rows = rows.filter(Q(bin__startswith=q) | Q(name_ru__icontains=q) | Q(name_kk__icontains=q))
    page = Paginator(rows.order_by("name_ru", "bin"), PAGE_SIZE).get_page(request.GET.get("page"))
    return _page(
        request,
        "levy/staff/subsoil_users.html",
        {"form": form, "page": page, "query": _query_without(request)},
    )


@requires("levy.read")
@require_safe
def subsoil_user(request, pk: int):
    organisation = Organisation.objects.filter(pk=pk, subsoil_user=True).first()
    if organisation is None:
        raise Http404(_("There is no such subsoil user."))
    today = policy.today()
    return _page(
        request,
        "levy/staff/subsoil_user.html",
        {
            "organisation": organisation,
            "contracts": contract_selectors.contracts_of(organisation),
            "obligations": _with_status(
                selectors.obligations(holder=organisation).order_by("-year", "reference"), today
            ),
            "credits": selectors.credits(holder=organisation),
        },
    )


# --- contracts -----------------------------------------------------------------------------------


@requires("levy.read")
@require_safe
def contract_list(request):
    form = forms.ContractFilterForm(request.GET or None)
    rows = contract_selectors.contracts()
    filters = form.filters()
    if filters.get("q"):
        rows = rows.filter(number__icontains=filters["q"].strip())
    if filters.get("mineral"):
        rows = rows.filter(mineral__icontains=filters["mineral"].strip())
    if filters.get("region"):
        rows = rows.filter(region=filters["region"])
    if filters.get("stage"):
        rows = rows.filter(stage=filters["stage"])
    if filters.get("basis"):
        rows = rows.filter(basis=filters["basis"])
    page = Paginator(rows.order_by("number"), PAGE_SIZE).get_page(request.GET.get("page"))
    return _page(
        request,
        "levy/staff/contracts.html",
        {
            "form": form,
            "page": page,
            "query": _query_without(request),
            "can_manage": can(request.user, "levy.contracts.manage").allowed,
        },
    )


def _contract_or_404(pk: int) -> Contract:
    contract = contract_selectors.contracts().filter(pk=pk).first()
    if contract is None:
        raise Http404(_("There is no such contract."))
    return contract


@requires("levy.read")
@require_safe
def contract(request, pk: int):
    found = _contract_or_404(pk)
    today = policy.today()
    return _page(
        request,
        "levy/staff/contract.html",
        {
            "contract": found,
            "declarations": contract_selectors.declarations_of(found),
            "obligations": _with_status(
                selectors.obligations(contract=found).order_by("-year", "reference"), today
            ),
            "can_declare": can(request.user, "levy.declare").allowed,
        },
    )


@requires("levy.contracts.manage")
@require_http_methods(GET_OR_POST)
def contract_import(request):
    """Upload a contracts file: ``check`` runs it as a dry run (line-numbered errors, or what would
    be added and changed); ``apply`` imports it. Nothing is written while a line is wrong."""
    form = forms.ContractsFileForm(request.POST or None, request.FILES or None)
    summary, errors, status = None, [], 200
    if request.method == "POST":
        dry_run = request.POST.get("action") != "apply"
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                summary = contracts.import_contracts(
                    uploaded.file, file_name=uploaded.name, by=request.user, dry_run=dry_run
                )
            except ImportRefused as error:
                errors, status = error.errors, 422
            except DomainError as error:
                form.add_error("file", str(error))
                status = 422
        else:
            status = 422
    return _page(
        request,
        "levy/staff/contract_import.html",
        {"form": form, "summary": summary, "errors": errors},
        status=status,
    )


# --- declarations --------------------------------------------------------------------------------


def _holders(contract: Contract):
    return Organisation.objects.filter(subsoil_contracts__contract=contract).order_by(
        "-subsoil_contracts__share", "bin"
    )


@requires("levy.declare")
@require_http_methods(GET_OR_POST)
def declare(request, pk: int):
    """A finance officer declares the base for a holder of the contract."""
    found = _contract_or_404(pk)
    form, filed = declaration_form(request, contract=found, holders=_holders(found))
    if filed:
        messages.success(request, _("The declaration is filed."))
        return see_other("levy:contract", found.pk)
    status = 422 if form.is_bound else 200
    return _page(
        request, "levy/declare.html", {"contract": found, "form": form, "amend": None}, status=status
    )


@requires("levy.declare")
@require_http_methods(GET_OR_POST)
def amend(request, pk: int):
    previous = Declaration.objects.filter(pk=pk).select_related("contract", "on_behalf_of").first()
    if previous is None:
        raise Http404(_("There is no such declaration."))
    form, filed = declaration_form(
        request, contract=previous.contract, holders=_holders(previous.contract), previous=previous
    )
    if filed:
        messages.success(request, _("The declaration is amended; an assessed year was recomputed."))
        return see_other("levy:contract", previous.contract_id)
    status = 422 if form.is_bound else 200
    return _page(
        request,
        "levy/declare.html",
        {"contract": previous.contract, "form": form, "amend": previous},
        status=status,
    )


@requires("levy.read")
@require_safe
def document(request, pk: int):
    found = DeclarationDocument.objects.filter(pk=pk).first()
    if found is None:
        raise Http404(_("There is no such document."))
    handle = open_stored_or_404(found.file)
    return file_attachment(handle, filename=found.original_name, content_type=found.content_type)


# --- the assessment ------------------------------------------------------------------------------


@requires("levy.assess")
@require_http_methods(GET_OR_POST)
def assess(request):
    """The same service as ``innocluster levy assess``: ``check`` is its dry run (the table of
    obligations that would be created or adjusted, nothing written); ``apply`` runs it."""
    form = forms.AssessmentForm(request.POST or None, initial={"year": policy.today().year})
    result, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            dry_run = request.POST.get("action") != "apply"
            try:
                result = assessment.assess(form.cleaned_data["year"], by=request.user, dry_run=dry_run)
            except DomainError as error:
                refusal_to_form(form, error)
                status = 422
            else:
                if not dry_run:
                    messages.success(
                        request,
                        _(
                            "Assessed %(year)s: %(created)s created, %(adjusted)s adjusted, %(unchanged)s unchanged."
                        )
                        % {
                            "year": result.year,
                            "created": result.count("created"),
                            "adjusted": result.count("adjusted"),
                            "unchanged": result.count("unchanged"),
                        },
                    )
        else:
            status = 422
    counts = {k: result.count(k) for k in ("created", "adjusted", "unchanged")} if result else {}
    return _page(
        request, "levy/staff/assess.html", {"form": form, "result": result, "counts": counts}, status=status
    )


# --- rates ---------------------------------------------------------------------------------------


@requires("levy.read")
@require_http_methods(GET_OR_POST)
def rate_list(request):
    """The stored rates (newest first); an officer adds one or uploads the Bank's file."""
    may_manage = can(request.user, "levy.rates.manage").allowed
    if request.method == "POST" and not may_manage:
        raise PermissionDenied(_("Only a finance officer adds exchange rates."))
    add = forms.RateForm(request.POST if request.POST.get("action") == "add" else None, prefix="add")
    upload = forms.RatesFileForm(
        request.POST if request.POST.get("action") == "upload" else None,
        request.FILES if request.POST.get("action") == "upload" else None,
        prefix="upload",
    )
    errors, summary, status = [], None, 200
    if request.method == "POST":
        status = 422
        if add.is_bound and add.is_valid():
            try:
                rates.add_rate(by=request.user, **add.cleaned_data)
            except DomainError as error:
                add.add_error("rate", str(error))
            else:
                messages.success(request, _("The rate is stored."))
                return see_other("levy:rates")
        elif upload.is_bound and upload.is_valid():
            uploaded = upload.cleaned_data["file"]
            try:
                summary = rates.import_rates(uploaded.file, file_name=uploaded.name, by=request.user)
                status = 200
            except ImportRefused as error:
                errors = error.errors
            except DomainError as error:
                upload.add_error("file", str(error))
    page = Paginator(contract_selectors.rates().order_by("-date", "currency"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return _page(
        request,
        "levy/staff/rates.html",
        {
            "page": page,
            "add": add,
            "upload": upload,
            "errors": errors,
            "summary": summary,
            "can_manage": may_manage,
        },
        status=status,
    )


# --- obligations, R&D spending and credits -------------------------------------------------------


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
            "threshold": settlements.rnd_threshold(today),
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
            settlements.record_rnd(
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
            done = settlements.approve_rnd(settlement, by=request.user)
            if done.status == Settlement.Status.APPROVED:
                messages.success(request, _("Approved and applied to the obligation."))
            else:
                messages.success(
                    request, _("Approved; above the threshold a chief accountant approves as well.")
                )
        else:
            form = forms.ReasonForm(request.POST, prefix="reject")
            reason = form.data.get("reject-reason", "")
            settlements.reject_rnd(settlement, reason=reason, by=request.user)
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
            settlements.apply_credit(
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
