"""The overview of a year, subsoil users, contracts (and their import), declarations on a company's
behalf and their documents."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.errors import DomainError
from innocluster.core.http import file_attachment, open_stored_or_404, see_other
from innocluster.core.policy import values as policy
from innocluster.levy import forms
from innocluster.levy.errors import ImportRefused
from innocluster.levy.models import Declaration, DeclarationDocument
from innocluster.levy.selectors import contracts as contract_selectors
from innocluster.levy.selectors import obligations as selectors
from innocluster.levy.services import contracts
from innocluster.levy.views.common import (
    declaration_form,
    status_counts,
    year_totals,
)
from innocluster.levy.views.staff.common import (
    GET_OR_POST,
    PAGE_SIZE,
    _contract_or_404,
    _holders,
    _next_approver,
    _page,
    _query_without,
    _with_status,
    _year,
)
from innocluster.parties.models import Organisation


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
