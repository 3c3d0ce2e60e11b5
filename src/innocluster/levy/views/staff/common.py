"""What the levy's staff pages share: paging, the year asked for, the page frame, lookups."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import can
from innocluster.core.policy import values as policy
from innocluster.levy import forms
from innocluster.levy.models import Contract, Settlement
from innocluster.levy.selectors import contracts as contract_selectors
from innocluster.levy.services import rnd as rnd_spending
from innocluster.levy.views.common import (
    status_of,
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


def _next_approver(settlement: Settlement) -> str:
    threshold = rnd_spending.rnd_threshold(policy.today())
    if settlement.approved_by_id is None:
        return _("a finance officer")
    if threshold is not None and settlement.amount > threshold:
        return _("a chief accountant other than %(name)s") % {"name": settlement.approved_by.get_username()}
    return _("nobody (approved)")


# --- subsoil users -------------------------------------------------------------------------------


def _contract_or_404(pk: int) -> Contract:
    contract = contract_selectors.contracts().filter(pk=pk).first()
    if contract is None:
        raise Http404(_("There is no such contract."))
    return contract


def _holders(contract: Contract):
    return Organisation.objects.filter(subsoil_contracts__contract=contract).order_by(
        "-subsoil_contracts__share", "bin"
    )
