"""Declarations of the base: filed for a contract and base year by a representative of one of its
holders (a confirmed claim of authority) or by a finance officer on the company's behalf. Amounts in
another currency are converted at the National Bank's rate of the date the declarant states (half-up
to the tiyn, once). An amendment is a new version (the old one stays, no longer current) and, when
the year was already assessed, recomputes the obligations with adjusting entries."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from innocluster.core import files
from innocluster.core.access.selectors import roles_of
from innocluster.core.audit.services import record_event
from innocluster.core.errors import lock_failures_as_domain_errors
from innocluster.core.files import fingerprint, stored
from innocluster.core.money import TIYN, to_tiyn
from innocluster.core.policy import values as policy
from innocluster.core.uploads import CONTENT_TYPES, SNIFF_SIZE, detect_type
from innocluster.levy.errors import LevyError
from innocluster.levy.models import Contract, Declaration, DeclarationDocument
from innocluster.levy.roles import FINANCE_OFFICER
from innocluster.levy.selectors import contracts as selectors
from innocluster.levy.services.common import acting, user_or_none
from innocluster.levy.services.rates import rate_on
from innocluster.parties import selectors as parties

ACCEPTED = ("pdf", "png", "jpeg", "xlsx", "docx")
MAX_BYTES = 20 * 1024 * 1024
EARLIEST_YEAR = 2013  # the base year of the first obligation (2014 law)


def _amount(value, field: str = "amount") -> Decimal:
    if isinstance(value, (float, bool)):
        raise LevyError(
            _("%(field)s: write amounts as decimals, never floating-point numbers."), params={"field": field}
        )
    try:
        amount = Decimal(str(value).strip().replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise LevyError(
            _("%(field)s: %(value)s is not an amount."), params={"field": field, "value": value}
        ) from None
    if not amount.is_finite() or amount != amount.quantize(TIYN):
        raise LevyError(
            _("%(field)s: %(value)s is not an amount with at most two decimal places."),
            params={"field": field, "value": value},
        )
    if amount < 0:
        raise LevyError(_("%(field)s: the base is never negative."), params={"field": field}, code="negative")
    return amount


def _check_year(year: int, today: dt.date) -> None:
    if not isinstance(year, int) or isinstance(year, bool):
        raise LevyError(_("year: %(value)s is not a year."), params={"value": year})
    if year > today.year:
        raise LevyError(
            _("year: %(year)s is in the future; a base is declared for a year that has begun or ended."),
            params={"year": year},
            code="future_year",
        )
    if year < EARLIEST_YEAR:
        raise LevyError(
            _("year: no obligation is based on %(year)s (the first base year is %(first)s)."),
            params={"year": year, "first": EARLIEST_YEAR},
        )


def _declarant(contract: Contract, by, on_behalf_of):
    """The holder the declaration is filed for, checked against who files it."""
    holders = selectors.holders_of(contract)
    if not holders:
        raise LevyError(_("Contract %(number)s has no holder."), params={"number": contract.number})
    holder_ids = {h.organisation_id for h in holders}
    user = user_or_none(by)
    officer = user is None or FINANCE_OFFICER in roles_of(user)
    if on_behalf_of is not None and on_behalf_of.pk not in holder_ids:
        raise LevyError(
            _("on_behalf_of: %(name)s does not hold contract %(number)s."),
            params={"name": on_behalf_of.name, "number": contract.number},
            code="not_a_holder",
        )
    if officer:
        return on_behalf_of or holders[0].organisation
    candidates = [on_behalf_of] if on_behalf_of is not None else [h.organisation for h in holders]
    for organisation in candidates:
        if parties.represents(user, organisation.pk):
            return organisation
    raise LevyError(
        _(
            "You do not represent a holder of contract %(number)s: a declaration is filed by a "
            "confirmed representative of a holder or by a finance officer."
        ),
        params={"number": contract.number},
        code="not_a_representative",
    )


def _convert(amount: Decimal, currency: str, rate_date: dt.date | None, today: dt.date):
    code = (currency or "KZT").strip().upper()
    if code == "KZT":
        if rate_date is not None:
            raise LevyError(_("rate_date: an amount in tenge needs no exchange rate date."))
        return amount, code, None, None
    if rate_date is None:
        raise LevyError(
            _("rate_date: an amount in %(currency)s needs the date of the National Bank rate to convert it."),
            params={"currency": code},
            code="rate_date_missing",
        )
    if rate_date > today:
        raise LevyError(_("rate_date: %(date)s is in the future."), params={"date": rate_date.isoformat()})
    rate = rate_on(code, rate_date).rate
    return to_tiyn(amount * rate), code, rate_date, rate


def _check_document(uploaded) -> tuple:
    if not hasattr(uploaded, "chunks"):
        uploaded = File(uploaded)
    name = files.original_name(uploaded)
    found = fingerprint(uploaded, head_size=SNIFF_SIZE)
    if found.size == 0:
        raise LevyError(_("documents: the file %(name)s is empty."), params={"name": name})
    if found.size > MAX_BYTES:
        raise LevyError(
            _("documents: the file %(name)s is larger than %(limit)s MB."), params={"name": name, "limit": 20}
        )
    code, description = detect_type(found.head, uploaded)
    if code not in ACCEPTED:
        raise LevyError(
            _("documents: the file %(name)s is %(actual)s; the accepted types are %(accepted)s."),
            params={"name": name, "actual": description, "accepted": ", ".join(c.upper() for c in ACCEPTED)},
            code="document_type",
        )
    return uploaded, name, found, CONTENT_TYPES[code]


def _write(
    contract: Contract,
    year: int,
    version: int,
    *,
    base: Decimal,
    original: Decimal,
    currency: str,
    rate_date,
    rate,
    holder,
    by,
    reason: str,
    documents: Sequence,
) -> Declaration:
    checked = [_check_document(d) for d in documents]
    try:
        with transaction.atomic():
            declaration = Declaration.objects.create(
                contract=contract,
                year=year,
                version=version,
                current=True,
                base_amount=base,
                currency=currency,
                original_amount=original,
                rate_date=rate_date,
                rate_used=rate,
                on_behalf_of=holder,
                declared_by=user_or_none(by),
                reason=reason[:500],
            )
    except IntegrityError:
        raise LevyError(
            _("Contract %(number)s already has a current declaration for %(year)s: amend it instead."),
            params={"number": contract.number, "year": year},
            code="already_declared",
        ) from None
    written = []
    try:
        for uploaded, name, found, content_type in checked:
            document = DeclarationDocument(
                declaration=declaration,
                original_name=name,
                content_type=content_type,
                size=found.size,
                sha256=found.sha256,
                uploaded_by=user_or_none(by),
            )
            with stored(document.file, name, uploaded):
                document.save(force_insert=True)
            written.append(document)
    except BaseException:
        for document in written:
            document.file.delete(save=False)
        raise
    record_event(
        action="levy.declaration.filed" if version == 1 else "levy.declaration.amended",
        actor=by,
        obj=declaration,
        reason=reason,
        changes={
            "contract": contract.number,
            "year": year,
            "version": version,
            "base_amount": [None, base],
            "currency": currency,
            "original_amount": original,
            "rate_date": rate_date,
            "rate": rate,
            "on_behalf_of": holder.bin,
            "documents": [[d.original_name, d.sha256] for d in written],
        },
    )
    return declaration


@lock_failures_as_domain_errors()
def declare(
    contract: Contract,
    year: int,
    amount,
    *,
    by=None,
    currency: str = "KZT",
    rate_date: dt.date | None = None,
    on_behalf_of=None,
    documents: Sequence = (),
) -> Declaration:
    """File the base of ``contract`` for base year ``year`` (the obligation of ``year + 1``)."""
    acting(by, "levy.declare")
    today = policy.today()
    _check_year(year, today)
    original = _amount(amount)
    holder = _declarant(contract, by, on_behalf_of)
    base, code, rate_date, rate = _convert(original, currency, rate_date, today)
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).first()
        if selectors.current_declaration(contract, year) is not None:
            raise LevyError(
                _("Contract %(number)s already has a current declaration for %(year)s: amend it instead."),
                params={"number": contract.number, "year": year},
                code="already_declared",
            )
        return _write(
            contract,
            year,
            1,
            base=base,
            original=original,
            currency=code,
            rate_date=rate_date,
            rate=rate,
            holder=holder,
            by=by,
            reason="",
            documents=documents,
        )


@lock_failures_as_domain_errors()
def amend(
    declaration: Declaration,
    amount,
    *,
    reason: str,
    by=None,
    currency: str = "KZT",
    rate_date: dt.date | None = None,
    on_behalf_of=None,
    documents: Sequence = (),
) -> Declaration:
    """A new version of a current declaration; the old one stays. If the obligation year was
    assessed, its obligations are recomputed at once (adjusting entries for the differences)."""
    from innocluster.levy.services.assessment import assess_contract

    acting(by, "levy.declare")
    if not (reason or "").strip():
        raise LevyError(_("reason: say why the declaration is amended."), code="reason")
    today = policy.today()
    original = _amount(amount)
    contract = declaration.contract
    holder = _declarant(contract, by, on_behalf_of or declaration.on_behalf_of)
    base, code, rate_date, rate = _convert(original, currency, rate_date, today)
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).first()
        previous = Declaration.objects.select_for_update().get(pk=declaration.pk)
        if not previous.current:
            raise LevyError(
                _("Version %(version)s is no longer current: amend the current version."),
                params={"version": previous.version},
                code="not_current",
            )
        Declaration.objects.filter(pk=previous.pk).update(current=False)
        new = _write(
            contract,
            previous.year,
            previous.version + 1,
            base=base,
            original=original,
            currency=code,
            rate_date=rate_date,
            rate=rate,
            holder=holder,
            by=by,
            reason=reason,
            documents=documents,
        )
        if contract.obligations.filter(year=previous.year + 1).exists():
            assess_contract(contract, previous.year + 1, by=by)
        return new
