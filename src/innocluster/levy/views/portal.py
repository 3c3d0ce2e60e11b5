"""A subsoil user's representative's levy pages under ``/portal/levy/``: the contracts its companies
hold, declarations (file with documents, amend), its obligations with reference, due date and
balance, its credits. Only the companies it represents with a confirmed claim: another company's
contract, declaration, document or obligation is not found (404), never forbidden."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from innocluster.core.access.views import requires
from innocluster.core.http import file_attachment, open_stored_or_404, see_other
from innocluster.core.policy import values as policy
from innocluster.levy.selectors import obligations as selectors
from innocluster.levy.views.common import (
    companies_of,
    declaration_form,
    status_of,
    visible_contracts,
    visible_credits,
    visible_declarations,
    visible_document,
    visible_obligations,
)

GET_OR_POST = ["GET", "HEAD", "POST"]


def _with_status(rows):
    today = policy.today()
    rows = list(rows)
    for row in rows:
        row.status = status_of(row, today)
    return rows


@requires("levy.portal")
@require_safe
def home(request):
    return render(
        request,
        "levy/portal/home.html",
        {
            "companies": list(companies_of(request.user)),
            "contracts": visible_contracts(request.user).order_by("number"),
            "obligations": _with_status(visible_obligations(request.user).order_by("-year", "reference")),
            "credits": visible_credits(request.user),
        },
    )


def _contract_or_404(request, pk: int):
    found = visible_contracts(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("There is no such contract."))
    return found


def _holders_represented(request, contract):
    return companies_of(request.user).filter(subsoil_contracts__contract=contract)


@requires("levy.portal")
@require_safe
def contract(request, pk: int):
    found = _contract_or_404(request, pk)
    return render(
        request,
        "levy/portal/contract.html",
        {
            "contract": found,
            "declarations": visible_declarations(request.user)
            .filter(contract=found)
            .order_by("-year", "-version"),
            "obligations": _with_status(
                visible_obligations(request.user).filter(contract=found).order_by("-year")
            ),
        },
    )


@requires("levy.portal")
@require_http_methods(GET_OR_POST)
def declare(request, pk: int):
    """Declare the base of a contract for a base year, with its documents; the service checks
    the year (not in the future), the amount (not negative) and that the user represents a holder."""
    found = _contract_or_404(request, pk)
    form, filed = declaration_form(request, contract=found, holders=_holders_represented(request, found))
    if filed:
        messages.success(request, _("Your declaration is filed."))
        return see_other("levy_portal:contract", found.pk)
    status = 422 if form.is_bound else 200
    return render(
        request,
        "levy/declare.html",
        {"contract": found, "form": form, "amend": None, "portal": True},
        status=status,
    )


@requires("levy.portal")
@require_http_methods(GET_OR_POST)
def amend(request, pk: int):
    previous = visible_declarations(request.user).filter(pk=pk).first()
    if previous is None:
        raise Http404(_("There is no such declaration."))
    form, filed = declaration_form(
        request,
        contract=previous.contract,
        holders=_holders_represented(request, previous.contract),
        previous=previous,
    )
    if filed:
        messages.success(request, _("Your declaration is amended."))
        return see_other("levy_portal:contract", previous.contract_id)
    status = 422 if form.is_bound else 200
    return render(
        request,
        "levy/declare.html",
        {"contract": previous.contract, "form": form, "amend": previous, "portal": True},
        status=status,
    )


@requires("levy.portal")
@require_safe
def document(request, pk: int):
    found = visible_document(request.user, pk)
    if found is None:
        raise Http404(_("There is no such document."))
    handle = open_stored_or_404(found.file)
    return file_attachment(handle, filename=found.original_name, content_type=found.content_type)


@requires("levy.portal")
@require_safe
def obligation(request, pk: int):
    found = visible_obligations(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("There is no such obligation."))
    found.status = status_of(found, policy.today())
    return render(
        request,
        "levy/portal/obligation.html",
        {"obligation": found, "settlements": selectors.settlements(found).select_related("statement_line")},
    )
