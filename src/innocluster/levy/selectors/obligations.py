"""Obligations with what is settled and outstanding, credits, and the bank-line questions the
matcher asks (a reference in the purpose; the payer's open obligations)."""

import datetime as dt
import re
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Round

from innocluster.core.money import MoneySum
from innocluster.levy.models import Credit, Obligation, Settlement

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=18, decimal_places=2)
# LEVY-2026-000123, also "levy 2026 000123" or "Levy/2026/000123": the six digits together, any of
# space, dash, underscore, slash, dot or "№" between the parts.
REFERENCE_RE = re.compile(r"(?<![A-Z0-9])LEVY[\s\-–—_/.№#:]*(\d{4})[\s\-–—_/.]*(\d{6})(?!\d)", re.IGNORECASE)


def reference(year: int, sequence: int) -> str:
    return f"LEVY-{year}-{sequence:06d}"


def references_in(text: str) -> list[str]:
    """Every obligation reference written in ``text``, normalised, in order, without repeats."""
    found: list[str] = []
    for match in REFERENCE_RE.finditer(text or ""):
        ref = reference(int(match.group(1)), int(match.group(2)))
        if ref not in found:
            found.append(ref)
    return found


def _settled() -> Subquery:
    return Coalesce(
        Subquery(
            Settlement.objects.filter(obligation=OuterRef("pk"), status=Settlement.Status.APPROVED)
            .order_by()
            .values("obligation")
            .annotate(t=MoneySum("applied"))
            .values("t")[:1],
            output_field=MONEY,
        ),
        Value(ZERO, output_field=MONEY),
    )


def with_balances(rows: QuerySet[Obligation]) -> QuerySet[Obligation]:
    """Each obligation with ``settled`` (approved settlements applied to it) and ``outstanding``
    (amount − settled + what was moved out to credits). Rounded to the tiyn in SQL: SQLite does the
    arithmetic in binary floats (9,918,684.78 came back as 9,918,684.77999999, which no payment
    equals)."""
    return rows.annotate(settled=_settled()).annotate(
        outstanding=Round(F("amount") - F("settled") + F("released"), 2, output_field=MONEY)
    )


def obligations(*, year: int | None = None, holder=None, contract=None) -> QuerySet[Obligation]:
    rows = Obligation.objects.select_related("contract", "holder")
    if year is not None:
        rows = rows.filter(year=year)
    if holder is not None:
        rows = rows.filter(holder=holder)
    if contract is not None:
        rows = rows.filter(contract=contract)
    return with_balances(rows).order_by("year", "reference")


def by_reference(ref: str) -> Obligation | None:
    return (
        with_balances(Obligation.objects.select_related("contract", "holder")).filter(reference=ref).first()
    )


def outstanding(obligation: Obligation) -> Decimal:
    row = (
        with_balances(Obligation.objects.filter(pk=obligation.pk))
        .values_list("outstanding", flat=True)
        .first()
    )
    return Decimal(row if row is not None else ZERO).quantize(Decimal("0.01"))


def open_obligations(*, holder_bin: str | None = None, holder=None) -> QuerySet[Obligation]:
    """Obligations with something outstanding, oldest first."""
    rows = Obligation.objects.select_related("contract", "holder")
    if holder_bin is not None:
        rows = rows.filter(holder__bin=holder_bin)
    if holder is not None:
        rows = rows.filter(holder=holder)
    return with_balances(rows).filter(outstanding__gt=0).order_by("year", "due_date", "reference")


def by_references(refs) -> dict[str, Obligation]:
    """The obligations of these references (with balances), by reference: one query."""
    if not refs:
        return {}
    rows = with_balances(Obligation.objects.select_related("contract", "holder")).filter(reference__in=refs)
    return {o.reference: o for o in rows}


def open_obligations_of_bins(bins) -> dict[str, list[Obligation]]:
    """The open obligations of the holders with these BINs, oldest first, by BIN: one query."""
    if not bins:
        return {}
    found: dict[str, list[Obligation]] = {}
    for o in open_obligations().filter(holder__bin__in=bins):
        found.setdefault(o.holder.bin, []).append(o)
    return found


def settled_amount(obligation_id: int) -> Decimal:
    """What approved settlements have applied to one obligation (the command locks the row first)."""
    total = Settlement.objects.filter(
        obligation_id=obligation_id, status=Settlement.Status.APPROVED
    ).aggregate(t=MoneySum("applied"))["t"]
    return Decimal(total or ZERO).quantize(Decimal("0.01"))


def candidates_for(line) -> list[Obligation]:
    """The obligations a bank receipt may pay: those its purpose names by reference (whatever
    their balance), else the payer's (by BIN) with something outstanding. The levy matcher
    proposes only when exactly one fits; the manual queue shows them all."""
    if line.amount <= 0:
        return []
    refs = references_in(line.purpose)
    if refs:
        rows = with_balances(Obligation.objects.select_related("contract", "holder")).filter(
            reference__in=refs
        )
        return sorted(rows, key=lambda o: refs.index(o.reference))
    if not line.counterparty_id:
        return []
    return list(open_obligations(holder_bin=line.counterparty_id))


def arrears(on: dt.date) -> QuerySet[Obligation]:
    """Obligations due before ``on`` and not settled."""
    return obligations().filter(due_date__lt=on, outstanding__gt=0)


def totals(year: int) -> dict[str, Decimal]:
    """Due, settled and outstanding for obligation year ``year`` (two grouped queries: a sum over
    the per-obligation subquery of :func:`with_balances` came back as zero)."""
    cent = Decimal("0.01")
    sums = Obligation.objects.filter(year=year).aggregate(
        due=MoneySum("amount"), released=MoneySum("released")
    )
    settled = Settlement.objects.filter(obligation__year=year, status=Settlement.Status.APPROVED).aggregate(
        t=MoneySum("applied")
    )["t"]
    due = Decimal(sums["due"] or ZERO).quantize(cent)
    settled = Decimal(settled or ZERO).quantize(cent)
    released = Decimal(sums["released"] or ZERO).quantize(cent)
    return {"due": due, "settled": settled, "outstanding": due - settled + released}


def settlements(obligation: Obligation) -> QuerySet[Settlement]:
    return Settlement.objects.filter(obligation=obligation).order_by("id")


def pending_rnd() -> QuerySet[Settlement]:
    """Direct R&D spending waiting for an approval (first or second)."""
    return (
        Settlement.objects.filter(kind=Settlement.Kind.RND, status=Settlement.Status.PENDING)
        .select_related("obligation__holder", "obligation__contract")
        .order_by("created_at")
    )


def credits(*, holder=None, usable_on: dt.date | None = None) -> QuerySet[Credit]:
    """Credits with something left (``usable_on``: only those not expired by that day)."""
    rows = (
        Credit.objects.select_related("holder")
        .annotate(left=F("amount") - F("used") - F("refunded") - F("expired"))
        .filter(left__gt=0, cancelled_at__isnull=True)
    )
    if holder is not None:
        rows = rows.filter(holder=holder)
    if usable_on is not None:
        rows = rows.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=usable_on))
    return rows.order_by(F("expires_on").asc(nulls_last=True), "id")


def expired_credits(on: dt.date) -> QuerySet[Credit]:
    """Credits past their last day (one without a last day, no cap, never expires)."""
    return credits().filter(expires_on__lt=on)


def obligation_for_part(target_type: str, target_id: str) -> Obligation | None:
    if target_type != "levy.obligation" or not str(target_id).isdigit():
        return None
    return Obligation.objects.filter(pk=int(target_id)).select_related("holder").first()


def credit_for_part(target_type: str, target_id: str) -> Credit | None:
    if target_type != "levy.credit" or not str(target_id).isdigit():
        return None
    return Credit.objects.filter(pk=int(target_id)).first()
