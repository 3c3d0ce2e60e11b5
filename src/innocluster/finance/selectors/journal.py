"""Reads of journal entries and periods for the staff pages."""

import datetime as dt

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import ExtractMonth, ExtractYear

from innocluster.finance.models import BankAccount, JournalEntry, JournalLine, Period, StatementLine


def entry_detail(pk: int) -> JournalEntry | None:
    lines = JournalLine.objects.select_related("account", "party", "budget__line", "commitment")
    return (
        JournalEntry.objects.select_related("period", "prepared_by", "approved_by", "reversal_of")
        .prefetch_related(Prefetch("lines", lines.order_by("id")))
        .filter(pk=pk)
        .first()
    )


def reversed_by(entry: JournalEntry) -> JournalEntry | None:
    return JournalEntry.objects.filter(reversal_of=entry).first()


def pending_entries() -> list[JournalEntry]:
    lines = JournalLine.objects.select_related("account", "party")
    return list(
        JournalEntry.objects.filter(status=JournalEntry.Status.PENDING)
        .select_related("prepared_by")
        .prefetch_related(Prefetch("lines", lines.order_by("id")))
        .order_by("date", "id")
    )


def pending_count() -> int:
    """How many manual entries await the chief accountant (one count query)."""
    return JournalEntry.objects.filter(status=JournalEntry.Status.PENDING).count()


def recent_entries(limit: int = 30) -> list[JournalEntry]:
    return list(JournalEntry.objects.select_related("prepared_by").order_by("-id")[:limit])


def periods_with_figures(today: dt.date, months: int = 18) -> list[dict]:
    """The last ``months`` months (and any other period with entries), each with its status, how
    many entries it holds and how many bank lines booked in it wait for reconciliation."""
    first = dt.date(today.year - (months // 12) - 1, 1, 1)
    rows = {
        (p.year, p.month): p
        for p in Period.objects.filter(Q(year__gte=first.year)).annotate(
            entry_count=Count("entries", filter=Q(entries__status=JournalEntry.Status.POSTED))
        )
    }
    waiting = {
        (year, month): n
        for year, month, n in StatementLine.objects.filter(
            status=StatementLine.Status.UNMATCHED, booked_on__gte=first
        )
        .order_by()
        .values_list(ExtractYear("booked_on"), ExtractMonth("booked_on"))
        .annotate(n=Count("id"))
    }
    keys = set(rows) | set(waiting)
    year, month = today.year, today.month
    for _ in range(months):
        keys.add((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    result = []
    for key in sorted(keys, reverse=True):
        period = rows.get(key)
        result.append(
            {
                "year": key[0],
                "month": key[1],
                "label": f"{key[0]}-{key[1]:02d}",
                "period": period,
                "status": period.status if period else Period.Status.OPEN,
                "entries": getattr(period, "entry_count", 0) if period else 0,
                "unreconciled": waiting.get(key, 0),
            }
        )
    return result


def bank_balances() -> list[tuple[BankAccount, object]]:
    """Each bank account with its ledger balance (posted lines), in one grouped query."""
    from innocluster.finance.selectors.ledger import totals_by_account

    totals = totals_by_account()
    return [
        (
            account,
            totals.get(account.ledger_account_id, (0, 0))[0]
            - totals.get(account.ledger_account_id, (0, 0))[1],
        )
        for account in BankAccount.objects.select_related("ledger_account").order_by("iban")
    ]
