"""Credits: what the Fund owes a holder back (an overpayment) or counts toward later years (R&D
spending above what was owed). They arise when an obligation is settled above its amount
(:func:`release_excess`); an officer applies one to a later obligation (:func:`apply_credit`);
what is left when ``levy.carry_forward_years`` have passed expires (:func:`expire_credits`); and
when a payment is undone after its obligation was lowered, the credit its excess became is taken
back (:func:`take_back_released`). Refunds and overpayment credits from bank lines are recorded by
:mod:`settlements` when a line is matched.

Entries (finance's journal):
- an overpayment credit applied: Dr overpayments owed (holder) / Cr levy receivable (holder);
- an R&D-excess credit applied: Dr 6282 / Cr levy receivable (holder);
- an obligation lowered below what was settled: Dr levy receivable (holder) / Cr overpayments
  (money) or Cr 6282 (R&D spending), the excess becoming a credit;
- an overpayment expired: Dr overpayments owed (holder) / Cr levy income (the Fund keeps it);
  an R&D-excess credit expires with no entry (no money was ever held);
- a credit taken back: Dr overpayments owed / Cr levy receivable (holder)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.audit.services import record_event
from innocluster.core.errors import lock_failures_as_domain_errors
from innocluster.core.policy import values as policy
from innocluster.finance.services.journal import Leg, post
from innocluster.levy import rules
from innocluster.levy.errors import LevyError
from innocluster.levy.models import Credit, Obligation, Settlement
from innocluster.levy.selectors import obligations as selectors
from innocluster.levy.services.common import acting, user_or_none
from innocluster.levy.services.declarations import _amount
from innocluster.levy.services.posting import MONEY_KINDS, carry_forward_until, levy_entry, lock_obligation

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def release_excess(obligation: Obligation, *, by=None, day: dt.date | None = None) -> Credit | None:
    """When an obligation is settled above its amount (it was lowered after payments, or a line
    paid more than was owed), the excess leaves the receivable and becomes a credit: money first
    (an overpayment owed), the rest R&D spending carried forward."""
    left = selectors.outstanding(obligation)
    if left >= 0:
        return None
    excess = -left
    money_settled = (
        Settlement.objects.filter(
            obligation=obligation,
            status=Settlement.Status.APPROVED,
            kind__in=MONEY_KINDS,
        ).aggregate(t=Sum("applied"))["t"]
        or ZERO
    )
    money_settled += (
        Settlement.objects.filter(
            obligation=obligation,
            status=Settlement.Status.APPROVED,
            kind=Settlement.Kind.CREDIT,
            credit__kind=Credit.Kind.OVERPAYMENT,
        ).aggregate(t=Sum("applied"))["t"]
        or ZERO
    )
    # Money already moved out by an earlier lowering is not moved out twice.
    money_released = (
        obligation.credits_arising.filter(
            kind=Credit.Kind.OVERPAYMENT, match__isnull=True, cancelled_at__isnull=True
        ).aggregate(t=Sum("amount"))["t"]
        or ZERO
    )
    money = min(excess, max(money_settled - money_released, ZERO))
    rnd = excess - money
    day = day or policy.today()
    holder = obligation.holder
    created = None
    for kind, amount, account in (
        (Credit.Kind.OVERPAYMENT, money, "overpayments"),
        (Credit.Kind.RND_EXCESS, rnd, "levy_rnd_settled"),
    ):
        if amount <= 0:
            continue
        entry = levy_entry(
            _("Levy settled above the amount owed"),
            obligation,
            [
                Leg(account="levy_receivable", debit=amount, party=holder, memo=obligation.reference),
                Leg(
                    account=account,
                    credit=amount,
                    party=holder if account == "overpayments" else None,
                    memo=obligation.reference,
                ),
            ],
            day,
            by,
        )
        created = Credit.objects.create(
            holder=holder,
            kind=kind,
            source_year=obligation.year,
            source=obligation,
            amount=amount,
            expires_on=carry_forward_until(obligation.year),
            entry=entry,
        )
        record_event(
            action="levy.credit.created",
            actor=by,
            obj=created,
            changes={"kind": kind, "amount": amount, "from": obligation.reference, "entry": entry.number},
        )
    Obligation.objects.filter(pk=obligation.pk).update(released=obligation.released + excess)
    obligation.released += excess
    return created


@lock_failures_as_domain_errors()
def apply_credit(credit: Credit, obligation: Obligation, *, by=None, amount=None) -> Settlement:
    """An officer applies a credit of the same holder to an obligation: an overpayment to one of
    the same or a later year, an R&D excess (carried forward) to a later year's; never after the
    credit expired. Applies at most what is outstanding."""
    acting(by, "levy.settle")
    with transaction.atomic():
        credit = Credit.objects.select_for_update().get(pk=credit.pk)
        obligation = lock_obligation(obligation)
        if credit.cancelled_at is not None:
            raise LevyError(_("This credit was cancelled."), code="credit_cancelled")
        if credit.holder_id != obligation.holder_id:
            raise LevyError(
                _("The credit belongs to %(credit_holder)s, the obligation to %(holder)s."),
                params={"credit_holder": credit.holder.name, "holder": obligation.holder.name},
                code="other_holder",
            )
        if obligation.year < credit.source_year or (
            credit.kind == Credit.Kind.RND_EXCESS and obligation.year == credit.source_year
        ):
            raise LevyError(
                _("A credit of %(year)s carries forward to later obligations only."),
                params={"year": credit.source_year},
                code="not_later",
            )
        if credit.expires_on is not None and credit.expires_on < rules.rate_day(obligation.year):
            raise LevyError(
                _("The credit could be used until %(date)s: it does not reach the %(year)s obligation."),
                params={"date": credit.expires_on.isoformat(), "year": obligation.year},
                code="credit_expired",
            )
        owed = selectors.outstanding(obligation)
        wanted = credit.remaining if amount is None else _amount(amount)
        value = min(wanted, credit.remaining, owed)
        if value <= 0:
            raise LevyError(
                _(
                    "Nothing to apply: the obligation %(reference)s has %(owed)s outstanding and the credit %(left)s left."
                ),
                params={"reference": obligation.reference, "owed": max(owed, ZERO), "left": credit.remaining},
                code="nothing_to_apply",
            )
        debit = "overpayments" if credit.kind == Credit.Kind.OVERPAYMENT else "levy_rnd_settled"
        entry = levy_entry(
            _("Credit applied to the levy"),
            obligation,
            [
                Leg(
                    account=debit,
                    debit=value,
                    party=obligation.holder if debit == "overpayments" else None,
                    memo=f"{credit.get_kind_display()} {credit.source_year}",
                ),
                Leg(
                    account="levy_receivable",
                    credit=value,
                    party=obligation.holder,
                    memo=obligation.reference,
                ),
            ],
            policy.today(),
            by,
            source=credit,
        )
        Credit.objects.filter(pk=credit.pk).update(used=credit.used + value)
        settlement = Settlement.objects.create(
            obligation=obligation,
            kind=Settlement.Kind.CREDIT,
            status=Settlement.Status.APPROVED,
            amount=value,
            applied=value,
            credit=credit,
            entry=entry,
            created_by=user_or_none(by),
            approved_by=user_or_none(by),
            approved_at=timezone.now(),
        )
        record_event(
            action="levy.credit.applied",
            actor=by,
            obj=obligation,
            changes={"credit": credit.pk, "amount": value, "entry": entry.number},
        )
        return settlement


@lock_failures_as_domain_errors()
def expire_credits(on: dt.date | None = None, *, by=None) -> list[Credit]:
    """Credits past their last usable day expire: what is left of an overpayment becomes levy
    income (Dr overpayments owed / Cr levy income); an R&D excess simply lapses."""
    acting(by, "levy.settle")
    on = on or policy.today()
    expired = []
    with transaction.atomic():
        for credit in selectors.expired_credits(on).select_for_update(of=("self",)):
            left = credit.remaining
            entry = None
            if credit.kind == Credit.Kind.OVERPAYMENT:
                what = _("Overpayment not claimed in time")
                entry = post(
                    date=on,
                    description=f"{what}: {credit.holder.bin} {credit.holder.name_ru}"[:500],
                    reference=f"levy-credit-{credit.pk}",
                    source=credit,
                    by=by,
                    legs=[
                        Leg(account="overpayments", debit=left, party=credit.holder),
                        Leg(account="levy_income", credit=left),
                    ],
                )
            Credit.objects.filter(pk=credit.pk).update(expired=credit.expired + left)
            record_event(
                action="levy.credit.expired",
                actor=by,
                obj=credit,
                changes={
                    "amount": left,
                    "expires_on": credit.expires_on,
                    "entry": entry.number if entry else "",
                },
            )
            expired.append(credit)
    return expired


# --- a payment undone after its obligation was lowered ---------------------------------------------


def take_back_released(match, *, by=None) -> list[Credit]:
    """After ``undo_match`` cancelled a match's payments: an obligation lowered below what was paid
    had moved the excess out to an overpayment credit (:func:`release_excess`). What of that credit
    the undone payment brought is taken back: the credit is reduced (cancelled when nothing is
    left of it), the obligation's ``released`` lowered, and an entry puts it back on the receivable
    (Dr overpayments owed / Cr levy receivable, both the holder's). What the undone payment
    brought: the excess that no longer exists, ``released − max(settled − amount, 0)``, at most the
    payment. A credit already applied, refunded or expired cannot give it back: refused, saying
    what to undo first (the caller's transaction rolls back the rest of the undo)."""
    undone: dict[int, Decimal] = {}
    for obligation_id, applied in Settlement.objects.filter(
        match=match, kind=Settlement.Kind.PAYMENT, status=Settlement.Status.CANCELLED
    ).values_list("obligation_id", "applied"):
        undone[obligation_id] = undone.get(obligation_id, ZERO) + applied
    taken: list[Credit] = []
    for obligation_id in sorted(undone):
        obligation = lock_obligation(obligation_id)
        if obligation.released <= 0:
            continue
        still_excess = max(selectors.settled_amount(obligation.pk) - obligation.amount, ZERO)
        want = min(undone[obligation_id], obligation.released - still_excess)
        credits = list(
            obligation.credits_arising.select_for_update()
            .filter(
                kind=Credit.Kind.OVERPAYMENT,
                match__isnull=True,
                entry__isnull=False,
                cancelled_at__isnull=True,
            )
            .order_by("-id")
        )
        want = min(want, sum((c.amount for c in credits), ZERO))
        if want <= 0:
            continue
        plan, left = [], want
        for credit in credits:
            part = min(left, credit.remaining)
            if part > 0:
                plan.append((credit, part))
                left -= part
        if left > 0:
            raise LevyError(
                _(
                    "%(reference)s was lowered after this payment and %(amount)s of what it paid "
                    "became a credit, which was since %(uses)s: undo that first, then undo this match."
                ),
                params={
                    "reference": obligation.reference,
                    "amount": want,
                    "uses": "; ".join(_credit_uses(c) for c in credits if c.remaining < c.amount),
                },
                code="released_credit_in_use",
            )
        for credit, part in plan:
            taken.append(_take_back(obligation, credit, part, match=match, by=by))
        Obligation.objects.filter(pk=obligation.pk).update(released=obligation.released - want)
    return taken


def _take_back(obligation: Obligation, credit: Credit, amount: Decimal, *, match, by) -> Credit:
    from innocluster.finance.services.journal import reversal_date

    entry = levy_entry(
        _("Payment undone: credit taken back"),
        obligation,
        [
            Leg(account="overpayments", debit=amount, party=obligation.holder, memo=obligation.reference),
            Leg(account="levy_receivable", credit=amount, party=obligation.holder, memo=obligation.reference),
        ],
        reversal_date(credit.entry),
        by,
        source=credit,
    )
    if amount == credit.amount:
        Credit.objects.filter(pk=credit.pk).update(cancelled_at=timezone.now())
    else:
        Credit.objects.filter(pk=credit.pk).update(amount=credit.amount - amount)
    record_event(
        action="levy.credit.taken_back",
        actor=by,
        obj=credit,
        changes={
            "amount": amount,
            "left": credit.amount - amount,
            "from": obligation.reference,
            "line": match.line_id,
            "entry": entry.number,
        },
    )
    return credit


def _credit_uses(credit: Credit) -> str:
    """What happened to a credit, for the refusal: where it was applied, which bank line refunded
    it, that it expired."""
    from innocluster.finance.selectors.banking import lines_paying

    uses = []
    applied_to = (
        Settlement.objects.filter(
            credit=credit, kind=Settlement.Kind.CREDIT, status=Settlement.Status.APPROVED
        )
        .order_by("id")
        .values_list("obligation__reference", flat=True)
    )
    if credit.used:
        uses.append(
            _("applied (%(amount)s) to %(references)s")
            % {"amount": credit.used, "references": ", ".join(dict.fromkeys(applied_to))}
        )
    if credit.refunded:
        lines = lines_paying("levy.credit", credit.pk)
        shown = ", ".join(f"{day:%d.%m.%Y} ({amount})" for day, amount in lines)
        uses.append(
            _("refunded (%(amount)s): unmatch the refund's bank line of %(lines)s")
            % {"amount": credit.refunded, "lines": shown}
        )
    if credit.expired:
        uses.append(_("expired (%(amount)s)") % {"amount": credit.expired})
    return "; ".join(uses)
