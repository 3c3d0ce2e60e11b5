"""Contracts, holders, declarations and rates as the other layers read them."""

import datetime as dt

from django.db.models import QuerySet

from innocluster.levy.models import Contract, ContractHolder, Declaration, ExchangeRate


def contracts() -> QuerySet[Contract]:
    return Contract.objects.select_related("region").prefetch_related("holders__organisation")


def contract_by_number(number: str) -> Contract | None:
    return contracts().filter(number=number).first()


def holders_of(contract: Contract) -> list[ContractHolder]:
    """The holders in a fixed order (largest share first, then BIN): the order in which a split's
    remainder is assigned and references are numbered."""
    return list(
        ContractHolder.objects.filter(contract=contract)
        .select_related("organisation")
        .order_by("-share", "organisation__bin")
    )


def holders_by_contract(contract_ids) -> dict[int, list[ContractHolder]]:
    """:func:`holders_of` for many contracts at once (one query), by contract id."""
    found: dict[int, list[ContractHolder]] = {}
    rows = (
        ContractHolder.objects.filter(contract_id__in=contract_ids)
        .select_related("organisation")
        .order_by("contract_id", "-share", "organisation__bin")
    )
    for holder in rows:
        found.setdefault(holder.contract_id, []).append(holder)
    return found


def contracts_of(organisation) -> QuerySet[Contract]:
    return contracts().filter(holders__organisation=organisation).distinct()


def current_declaration(contract: Contract, year: int) -> Declaration | None:
    """The current declaration of ``contract`` for base year ``year``."""
    return Declaration.objects.filter(contract=contract, year=year, current=True).first()


def declarations_of(contract: Contract, year: int | None = None) -> QuerySet[Declaration]:
    """Every version (current and earlier), newest first."""
    rows = Declaration.objects.filter(contract=contract).select_related("on_behalf_of", "declared_by")
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("-year", "-version").prefetch_related("documents")


def current_declarations(year: int) -> QuerySet[Declaration]:
    """The current declarations of base year ``year`` (what assessing year ``year + 1`` reads)."""
    return (
        Declaration.objects.filter(year=year, current=True)
        .select_related("contract")
        .order_by("contract__number")
    )


def undeclared_holders(year: int) -> QuerySet[ContractHolder]:
    """Holders of contracts with no current declaration for base year ``year`` (reminders)."""
    declared = Declaration.objects.filter(year=year, current=True).values("contract_id")
    return (
        ContractHolder.objects.exclude(contract_id__in=declared)
        .filter(contract__date__year__lte=year)
        .select_related("contract", "organisation")
        .order_by("contract__number", "organisation__bin")
    )


def rate_on(currency: str, day: dt.date) -> ExchangeRate | None:
    """The stored National Bank rate of ``currency`` on ``day`` exactly (no nearest-day guess)."""
    return ExchangeRate.objects.filter(currency=currency.upper(), date=day).first()


def rates(currency: str | None = None) -> QuerySet[ExchangeRate]:
    rows = ExchangeRate.objects.all()
    return rows.filter(currency=currency.upper()) if currency else rows
