"""A subsoil user's account statement for a period: what the ledger holds for it on levy
receivable (the opening balance, each charge and settlement with the running balance, the closing
balance), beside its obligations and the credits it carries forward.

The movements are the posted lines of the party's sub-ledger on levy receivable (1281), so the
statement agrees with the ledger by construction (``finance.selectors.ledger.party_balances``);
the levy's own records only say what each line was: an assessment or adjustment
(``ObligationPosting``), a payment, direct R&D spending or a credit applied (``Settlement``), or
a settlement above a lowered obligation moved out to a credit (or taken back from it when the
payment was undone). A fixed number of queries."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F

from innocluster.finance.models import JournalEntry, JournalLine
from innocluster.finance.selectors.accounts import account
from innocluster.finance.selectors.ledger import balance_of
from innocluster.levy.models import Credit, ObligationPosting, Settlement
from innocluster.levy.selectors.obligations import obligations

ZERO = Decimal("0.00")
RECEIVABLE = "levy_receivable"

# What a movement was (the view names them in the reader's language).
ASSESSED = "assessed"
ADJUSTED = "adjusted"
PAYMENT = "payment"
RND = "rnd"
CREDIT_APPLIED = "credit_applied"
RELEASED = "released"
RELEASE_UNDONE = "release_undone"
OTHER = "other"


@dataclass(frozen=True)
class Movement:
    date: dt.date
    kind: str
    reference: str
    description: str
    charged: Decimal  # debit: raises what is owed
    settled: Decimal  # credit: lowers it
    balance: Decimal  # owed after this line
    entry_id: int


@dataclass
class Statement:
    holder: object
    start: dt.date
    end: dt.date
    opening: Decimal
    movements: list[Movement]
    obligations: list
    credits: list

    @property
    def charged(self) -> Decimal:
        return sum((m.charged for m in self.movements), ZERO)

    @property
    def settled(self) -> Decimal:
        return sum((m.settled for m in self.movements), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.charged - self.settled

    def settled_by(self, kind: str) -> Decimal:
        return sum((m.settled for m in self.movements if m.kind == kind), ZERO)

    @property
    def credits_left(self) -> Decimal:
        """What the credits still carry forward (usable against later obligations or refundable)."""
        return sum((c.left for c in self.credits if c.cancelled_at is None), ZERO)


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(ZERO)


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def statement(holder, start: dt.date, end: dt.date) -> Statement:
    """``holder``'s statement from ``start`` to ``end`` (both inclusive)."""
    receivable = account(RECEIVABLE)
    opening = balance_of(receivable, at=start - dt.timedelta(days=1), party=holder)
    lines = list(
        JournalLine.objects.filter(
            entry__status=JournalEntry.Status.POSTED,
            account=receivable,
            party=holder,
            date__gte=start,
            date__lte=end,
        )
        .order_by("date", "id")
        .values_list(
            "date", "id", "debit", "credit", "memo", "entry_id", "entry__description", "entry__source_type"
        )
    )
    entries = {line[5] for line in lines}
    postings = dict(ObligationPosting.objects.filter(entry_id__in=entries).values_list("entry_id", "kind"))
    settlements = dict(
        Settlement.objects.filter(entry_id__in=entries).order_by().values_list("entry_id", "kind")
    )
    movements = []
    balance = opening
    for day, _pk, debit, credit, memo, entry_id, description, source_type in lines:
        debit, credit = _money(debit), _money(credit)
        balance += debit - credit
        if entry_id in postings:
            kind = ASSESSED if postings[entry_id] == ObligationPosting.Kind.ASSESSMENT else ADJUSTED
        elif entry_id in settlements:
            kind = {
                Settlement.Kind.PAYMENT: PAYMENT,
                Settlement.Kind.RND: RND,
                Settlement.Kind.CREDIT: CREDIT_APPLIED,
            }.get(settlements[entry_id], OTHER)
        elif debit > 0:
            kind = RELEASED
        elif source_type == "levy.credit":  # a payment undone: its credit taken back
            kind = RELEASE_UNDONE
        else:
            kind = OTHER
        movements.append(Movement(_day(day), kind, memo, description, debit, credit, balance, entry_id))
    owed = [
        o
        for o in obligations(holder=holder).filter(year__lte=end.year)
        if o.year >= start.year or o.outstanding > 0
    ]
    credits = list(
        Credit.objects.filter(holder=holder, created_at__date__lte=end)
        .select_related("source")
        .annotate(left=F("amount") - F("used") - F("refunded") - F("expired"))
        .order_by(F("expires_on").asc(nulls_last=True), "id")
    )
    return Statement(holder, start, end, opening, movements, owed, credits)
