"""What the levy's pages and API share: the organisations a representative acts for and the rows
they may see (another company's contract, declaration or obligation is simply not there: a 404),
obligation status counts, and a service refusal shown beside the field it names."""

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import translation

from innocluster.core.errors import DomainError
from innocluster.levy.models import Contract, Credit, Declaration, DeclarationDocument, Obligation
from innocluster.levy.selectors import contracts as contract_selectors
from innocluster.levy.selectors import obligations as obligation_selectors
from innocluster.parties import selectors as parties


def companies_of(user) -> QuerySet:
    """The subsoil users ``user`` acts for with a confirmed claim."""
    return parties.organisations_of(user).filter(subsoil_user=True).order_by("name_ru")


def visible_contracts(user) -> QuerySet[Contract]:
    """Contracts one of the user's companies holds (all holders shown, as the contract is shared)."""
    ids = companies_of(user).values("pk")
    return contract_selectors.contracts().filter(holders__organisation__in=ids).distinct()


def visible_declarations(user) -> QuerySet[Declaration]:
    """Every version of the declarations of the contracts the user's companies hold."""
    ids = companies_of(user).values("pk")
    return (
        Declaration.objects.filter(contract__holders__organisation__in=ids)
        .distinct()
        .select_related("contract", "on_behalf_of", "declared_by")
        .prefetch_related("documents")
    )


def visible_obligations(user) -> QuerySet[Obligation]:
    """The user's companies' own obligations (a joint partner's part is the partner's), with
    ``settled`` and ``outstanding``."""
    return obligation_selectors.obligations().filter(holder__in=companies_of(user).values("pk"))


def visible_credits(user) -> QuerySet[Credit]:
    return obligation_selectors.credits().filter(holder__in=companies_of(user).values("pk"))


def visible_document(user, pk: int) -> DeclarationDocument | None:
    return (
        DeclarationDocument.objects.filter(pk=pk, declaration__in=visible_declarations(user).values("pk"))
        .select_related("declaration")
        .first()
    )


def year_totals(rows: QuerySet[Obligation]) -> dict[str, Decimal]:
    """Due, settled and outstanding of ``rows`` (read with balances), in one query. (The aliases
    differ from the annotations' names: ``selectors.obligations.totals`` aggregates
    ``settled=Sum("settled")``, which shadows the annotation and sums ``outstanding`` to zero.)"""
    sums = rows.aggregate(
        due_total=Sum("amount"), settled_total=Sum("settled"), outstanding_total=Sum("outstanding")
    )
    return {
        key: Decimal(sums[f"{key}_total"] or 0).quantize(Decimal("0.01"))
        for key in ("due", "settled", "outstanding")
    }


def status_counts(rows: QuerySet[Obligation], today) -> dict[str, int]:
    """Paid (nothing outstanding), part-paid (something settled, something left) and in arrears
    (due before today, something left), in one query."""
    return rows.aggregate(
        total=Count("id"),
        paid=Count("id", filter=Q(outstanding__lte=0)),
        part_paid=Count("id", filter=Q(settled__gt=0, outstanding__gt=0)),
        arrears=Count("id", filter=Q(due_date__lt=today, outstanding__gt=0)),
    )


def status_of(obligation, today) -> str:
    """``paid``, ``arrears``, ``part_paid`` or ``open`` for an obligation read with balances."""
    if obligation.outstanding <= 0:
        return "paid"
    if obligation.due_date < today:
        return "arrears"
    return "part_paid" if obligation.settled > 0 else "open"


def refusal_to_form(form, error: DomainError) -> None:
    """A service's refusal beside the field it names (``"amount: ..."``), else above the form."""
    with translation.override("en"):
        english = str(error)
    head, sep, _rest = english.partition(": ")
    text = str(error)
    if sep and head in form.fields and " " not in head:
        _local_head, local_sep, local_rest = text.partition(": ")
        form.add_error(head, local_rest if local_sep else text)
    else:
        form.add_error(None, text)


def declaration_form(request, *, contract: Contract, holders, previous: Declaration | None = None):
    """The declaration form of the staff and portal pages alike (a new one, or an amendment of
    ``previous``) and, on a valid POST, the service call: ``(form, filed)``. A refusal by the
    rules is shown beside its field."""
    from innocluster.core.policy import values as policy
    from innocluster.levy import forms
    from innocluster.levy.services import declarations

    if previous is None:
        initial = {"year": policy.today().year - 1, "currency": "KZT"}
    else:
        initial = {
            "amount": previous.original_amount,
            "currency": previous.currency,
            "rate_date": previous.rate_date,
            "on_behalf_of": previous.on_behalf_of_id,
        }
    form = forms.DeclarationForm(
        request.POST or None,
        request.FILES or None,
        holders=holders,
        amend=previous is not None,
        initial=initial,
    )
    if request.method != "POST" or not form.is_valid():
        return form, False
    data = form.cleaned_data
    common = {
        "by": request.user,
        "currency": data["currency"],
        "rate_date": data["rate_date"],
        "on_behalf_of": data["on_behalf_of"],
        "documents": data["documents"],
    }
    try:
        if previous is None:
            declarations.declare(contract, data["year"], data["amount"], **common)
        else:
            declarations.amend(previous, data["amount"], reason=data["reason"], **common)
    except DomainError as error:
        refusal_to_form(form, error)
        return form, False
    return form, True
