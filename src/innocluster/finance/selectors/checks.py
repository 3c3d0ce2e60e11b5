"""``innocluster ledger check``: every invariant of the Fund's books, each a query that lists what
breaks it (so a breach is named, not just counted)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Abs, Coalesce

from innocluster.core.money import MoneySum
from innocluster.finance.models import (
    Budget,
    BudgetRevision,
    Commitment,
    JournalEntry,
    JournalLine,
    Match,
    MatchPart,
    Period,
    StatementLine,
)
from innocluster.finance.selectors.ledger import tiyn

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=18, decimal_places=2)
LIMIT = 20


@dataclass(frozen=True)
class Breach:
    code: str
    message: str


def _total(model, filters: dict, expression) -> Subquery:
    return Coalesce(
        Subquery(
            model.objects.filter(**filters)
            .order_by()
            .values(next(iter(filters)))
            .annotate(t=MoneySum(expression))
            .values("t")[:1],
            output_field=MONEY,
        ),
        Value(ZERO, output_field=MONEY),
    )


def unbalanced_entries() -> list[Breach]:
    rows = (
        JournalLine.objects.filter(entry__status=JournalEntry.Status.POSTED)
        .order_by()
        .values("entry_id")
        .annotate(d=MoneySum("debit"), c=MoneySum("credit"), n=Count("id"))
        .annotate(gap=Abs(F("d") - F("c")))
        .filter(Q(gap__gte=Decimal("0.005")) | Q(n__lt=2))[:LIMIT]
    )
    return [
        Breach(
            "unbalanced_entry", f"entry {r['entry_id']}: debits {r['d']} ≠ credits {r['c']} ({r['n']} lines)"
        )
        for r in rows
    ]


def posted_without_lines() -> list[Breach]:
    rows = JournalEntry.objects.filter(status=JournalEntry.Status.POSTED).filter(
        ~Exists(JournalLine.objects.filter(entry=OuterRef("pk")))
    )[:LIMIT]
    return [Breach("unbalanced_entry", f"entry {e.number}: posted with no lines") for e in rows]


def trial_balance_totals() -> list[Breach]:
    sums = JournalLine.objects.filter(entry__status=JournalEntry.Status.POSTED).aggregate(
        d=MoneySum("debit"), c=MoneySum("credit")
    )
    d, c = tiyn(sums["d"]), tiyn(sums["c"])
    return [] if d == c else [Breach("trial_balance", f"total debits {d} ≠ total credits {c}")]


def sub_ledgers() -> list[Breach]:
    """A sub-ledger equals its control account when every line of the account names its party."""
    rows = (
        JournalLine.objects.filter(
            entry__status=JournalEntry.Status.POSTED, account__requires_party=True, party__isnull=True
        )
        .select_related("account", "entry")
        .order_by("id")[:LIMIT]
    )
    return [
        Breach(
            "sub_ledger",
            f"account {line.account.code}: line {line.pk} of {line.entry.number} has no party, so the sub-ledger differs from the control account",
        )
        for line in rows
    ]


def closed_period_postings() -> list[Breach]:
    rows = (
        JournalEntry.objects.filter(status=JournalEntry.Status.POSTED, period__status=Period.Status.CLOSED)
        .filter(posted_at__gt=F("period__closed_at"))
        .select_related("period")
        .order_by("id")[:LIMIT]
    )
    return [
        Breach("closed_period", f"entry {e.number} was posted into {e.period} after it was closed")
        for e in rows
    ]


def budgets() -> list[Breach]:
    found: list[Breach] = []
    rows = Budget.objects.annotate(
        revised=_total(BudgetRevision, {"budget": OuterRef("pk")}, "change"),
        booked=_total(
            JournalLine,
            {"budget": OuterRef("pk"), "entry__status": JournalEntry.Status.POSTED},
            F("debit") - F("credit"),
        ),
        reserved=_total(
            Commitment,
            {"budget": OuterRef("pk")},
            F("amount") - F("released") - F("disbursed"),
        ),
    ).select_related("line")
    for b in rows.iterator():
        # SQLite adds decimals as floating point: compare to the tiyn (PostgreSQL is exact anyway).
        b.revised, b.booked, b.reserved = (tiyn(v) for v in (b.revised, b.booked, b.reserved))
        if b.available < 0:
            found.append(Breach("available", f"budget {b}: available {b.available} is below zero"))
        if b.amount != b.revised:
            found.append(
                Breach("budget_amount", f"budget {b}: amount {b.amount} ≠ sum of revisions {b.revised}")
            )
        if b.spent != b.booked:
            found.append(Breach("budget_spent", f"budget {b}: spent {b.spent} ≠ posted lines {b.booked}"))
        if b.committed != b.reserved:
            found.append(
                Breach(
                    "budget_committed",
                    f"budget {b}: committed {b.committed} ≠ outstanding commitments {b.reserved}",
                )
            )
    return found[:LIMIT]


def commitments() -> list[Breach]:
    rows = Commitment.objects.annotate(
        booked=_total(
            JournalLine,
            {"commitment": OuterRef("pk"), "entry__status": JournalEntry.Status.POSTED},
            F("debit") - F("credit"),
        )
    )
    return [
        Breach(
            "commitment", f"commitment {c.reference}: disbursed {c.disbursed} ≠ posted lines {tiyn(c.booked)}"
        )
        for c in rows.iterator()
        if tiyn(c.booked) != c.disbursed
    ][:LIMIT]


def reconciliation() -> list[Breach]:
    """A matched line has exactly one match in force whose parts add up to it; an unmatched none."""
    active = Match.objects.filter(line=OuterRef("pk"), undone_at__isnull=True)
    wrong_status = StatementLine.objects.filter(
        (Q(status=StatementLine.Status.UNMATCHED) & Exists(active))
        | (~Q(status=StatementLine.Status.UNMATCHED) & ~Exists(active))
    ).order_by("id")[:LIMIT]
    found = [
        Breach("reconciliation", f"statement line {line.pk}: status {line.status} disagrees with its matches")
        for line in wrong_status
    ]
    parts = (
        MatchPart.objects.filter(match__undone_at__isnull=True)
        .order_by()
        .values("match__line_id", "match__line__amount")
        .annotate(t=MoneySum("amount"))
    )
    for row in parts.iterator():
        if tiyn(row["t"]) != abs(row["match__line__amount"]):
            found.append(
                Breach(
                    "reconciliation",
                    f"statement line {row['match__line_id']}: parts {row['t']} ≠ amount {row['match__line__amount']}",
                )
            )
            if len(found) >= LIMIT:
                break
    return found


CHECKS = (
    unbalanced_entries,
    posted_without_lines,
    trial_balance_totals,
    sub_ledgers,
    closed_period_postings,
    budgets,
    commitments,
    reconciliation,
)


def check_ledger() -> list[Breach]:
    """Every breach of every invariant (empty: the books hold)."""
    return [breach for check in CHECKS for breach in check()]
