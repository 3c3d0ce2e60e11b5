"""Settling obligations from the bank: a payment recorded when a bank line is matched to an
obligation (:func:`record_payments`, a chunk at a time), an overpayment credit for what a line paid
beyond what was owed, a refund of a credit matched to an outgoing line, and the undoing of a match.
Direct R&D spending is :mod:`rnd`; what happens to credits afterwards is :mod:`credits`."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core import db
from innocluster.core.audit import services as audit
from innocluster.core.audit.services import record_event
from innocluster.levy.errors import LevyError
from innocluster.levy.models import Credit, Obligation, Settlement
from innocluster.levy.selectors import obligations as selectors
from innocluster.levy.services.common import user_or_none
from innocluster.levy.services.credits import take_back_released
from innocluster.levy.services.posting import carry_forward_until

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# Settlements per INSERT of :func:`record_payments`: well inside SQLite's parameter limit.
_ROWS = 1000


# --- payments (from the bank match) -------------------------------------------------------------


def _settled(ids) -> dict[int, Decimal]:
    """What approved settlements have applied to each of these obligations (one grouped query;
    ``selectors.settled_amount`` for many; the caller has locked the rows)."""
    rows = (
        Settlement.objects.filter(obligation_id__in=ids, status=Settlement.Status.APPROVED)
        .order_by()
        .values_list("obligation_id")
        .annotate(t=Sum("applied"))
    )
    return {pk: Decimal(total or ZERO).quantize(CENT) for pk, total in rows}


@dataclass(frozen=True)
class Payment:
    """What a matched bank line paid: ``amount`` of obligation ``obligation`` (an id or the row),
    through ``match`` (its line and entry)."""

    obligation: Obligation | int
    amount: Decimal
    match: Any


def record_payment(obligation: Obligation | int, amount: Decimal, *, match, by=None) -> Settlement:
    """A matched bank line paid ``amount`` of ``obligation`` (or its id; its entry is the
    match's). A match that puts more on the receivable than is outstanding is refused: the rest
    goes to overpayments owed (which the levy matcher does by itself)."""
    return record_payments([Payment(obligation, amount, match)], by=by)[0]


def record_payments(payments: Sequence[Payment], *, by=None) -> list[Settlement]:
    """:func:`record_payment` for many payments at once (a batch of matches), in their order: the
    obligations locked in one query (in id order), each payment checked against what is
    outstanding after the ones before it (the same refusal, and all refused if one is), the
    settlements written in one INSERT per thousand and their audit events together."""
    payments = list(payments)
    if not payments:
        return []
    ids = sorted({p.obligation if isinstance(p.obligation, int) else p.obligation.pk for p in payments})
    # Only what the check and the record need: no model rows to build for a batch of hundreds.
    locked = {
        pk: (reference, amount, released)
        for pk, reference, amount, released in Obligation.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "reference", "amount", "released")
    }
    if len(locked) != len(ids):
        raise Obligation.DoesNotExist("Obligation matching query does not exist.")
    settled = _settled(ids)
    owed = {pk: amount - settled.get(pk, ZERO) + released for pk, (_ref, amount, released) in locked.items()}
    now = timezone.now()
    user = user_or_none(by)
    settlements, events = [], []
    for payment in payments:
        pk = payment.obligation if isinstance(payment.obligation, int) else payment.obligation.pk
        reference = locked[pk][0]
        amount, match = payment.amount, payment.match
        if amount > owed[pk]:
            raise LevyError(
                _(
                    "%(reference)s has %(owed)s outstanding; the line puts %(amount)s on it: "
                    "match the rest to overpayments owed."
                ),
                params={"reference": reference, "owed": max(owed[pk], ZERO), "amount": amount},
                code="more_than_outstanding",
            )
        owed[pk] -= amount
        settlements.append(
            Settlement(
                obligation_id=pk,
                kind=Settlement.Kind.PAYMENT,
                status=Settlement.Status.APPROVED,
                amount=amount,
                applied=amount,
                statement_line_id=match.line_id,
                match=match,
                entry_id=match.entry_id,
                description=(match.line.purpose or "")[:500],
                created_by=user,
                approved_by=user,
                approved_at=now,
            )
        )
        events.append(
            audit.event(
                action="levy.payment.recorded",
                actor=by,
                object_type=Obligation._meta.label_lower,
                object_id=str(pk),
                object_repr=reference,  # str(obligation)
                changes={"amount": amount, "line": match.line_id, "entry": match.entry_id},
            )
        )
    for start in range(0, len(settlements), _ROWS):
        db.insert(settlements[start : start + _ROWS])
    audit.record_events(events)
    return settlements


def record_overpayment(obligation: Obligation | None, holder, amount: Decimal, *, match, by=None) -> Credit:
    """The part of a matched receipt above what was owed: money the Fund owes the payer."""
    year = obligation.year if obligation is not None else match.line.booked_on.year
    credit = Credit.objects.create(
        holder=holder,
        kind=Credit.Kind.OVERPAYMENT,
        source_year=year,
        source=obligation,
        amount=amount,
        expires_on=carry_forward_until(year),
        statement_line_id=match.line_id,
        match=match,
        entry_id=match.entry_id,
    )
    record_event(
        action="levy.credit.created",
        actor=by,
        obj=credit,
        changes={
            "kind": credit.kind,
            "amount": amount,
            "expires_on": credit.expires_on,
            "line": match.line_id,
        },
    )
    return credit


def record_refund(credit: Credit, amount: Decimal, *, match, by=None) -> Credit:
    """An outgoing bank line matched to an overpayment credit: the Fund paid it back."""
    credit = Credit.objects.select_for_update().get(pk=credit.pk)
    if credit.kind != Credit.Kind.OVERPAYMENT or credit.cancelled_at is not None:
        raise LevyError(_("Only an overpayment still owed can be refunded."), code="not_refundable")
    if amount > credit.remaining:
        raise LevyError(
            _("The refund of %(amount)s is more than the %(left)s still owed."),
            params={"amount": amount, "left": credit.remaining},
            code="refund_too_large",
        )
    Credit.objects.filter(pk=credit.pk).update(refunded=credit.refunded + amount)
    credit.refunded += amount
    record_event(
        action="levy.credit.refunded", actor=by, obj=credit, changes={"amount": amount, "line": match.line_id}
    )
    return credit


def undo_match(match, *, by=None) -> None:
    """A bank match was undone: the payments it recorded are cancelled, the overpayment it created
    goes (refused if the credit was already used), a refund it recorded is owed again."""
    for settlement in Settlement.objects.select_for_update().filter(
        match=match, status=Settlement.Status.APPROVED
    ):
        Settlement.objects.filter(pk=settlement.pk).update(
            status=Settlement.Status.CANCELLED, reason=_("match undone")
        )
        record_event(
            action="levy.payment.cancelled",
            actor=by,
            obj=settlement.obligation,
            changes={"amount": settlement.amount},
        )
    for credit in Credit.objects.select_for_update().filter(match=match, cancelled_at__isnull=True):
        if credit.used or credit.refunded or credit.expired:
            raise LevyError(
                _(
                    "The overpayment from this line was already applied, refunded or expired: undo that first."
                ),
                code="credit_in_use",
            )
        Credit.objects.filter(pk=credit.pk).update(cancelled_at=timezone.now())
        record_event(action="levy.credit.cancelled", actor=by, obj=credit, changes={"amount": credit.amount})
    for part in match.parts.all():
        credit = selectors.credit_for_part(part.target_type, part.target_id)
        if credit is not None and match.line.amount < 0:
            Credit.objects.filter(pk=credit.pk).update(refunded=credit.refunded - part.amount)
            record_event(
                action="levy.credit.refund_undone", actor=by, obj=credit, changes={"amount": part.amount}
            )
    take_back_released(match, by=by)
