"""Reads of bank statements and the reconciliation queue."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from innocluster.finance import matchers
from innocluster.finance.models import BankAccount, Match, MatchPart, StatementImport, StatementLine


@dataclass(frozen=True)
class QueueFilter:
    status: str = StatementLine.Status.UNMATCHED
    account: int | None = None
    direction: str = ""  # "in", "out" or "" for both
    since: dt.date | None = None
    until: dt.date | None = None
    q: str = ""


def bank_accounts() -> QuerySet[BankAccount]:
    return BankAccount.objects.select_related("ledger_account").order_by("iban")


def queue(filters: QueueFilter) -> QuerySet[StatementLine]:
    """Statement lines for the officer's queue, oldest first, everything a row shows joined in."""
    lines = StatementLine.objects.select_related("bank_account")
    if filters.status:
        lines = lines.filter(status=filters.status)
    if filters.account:
        lines = lines.filter(bank_account_id=filters.account)
    if filters.direction == "in":
        lines = lines.filter(amount__gt=0)
    elif filters.direction == "out":
        lines = lines.filter(amount__lt=0)
    if filters.since:
        lines = lines.filter(booked_on__gte=filters.since)
    if filters.until:
        lines = lines.filter(booked_on__lte=filters.until)
    if filters.q:
        text = filters.q.strip()
        lines = lines.filter(
            Q(counterparty_name__icontains=text)
            | Q(purpose__icontains=text)
            | Q(counterparty_id=text)
            | Q(bank_reference=text)
        )
    return lines.order_by("booked_on", "id")


def status_counts() -> dict[str, int]:
    found = dict(StatementLine.objects.order_by().values_list("status").annotate(n=Count("id")))
    return {status: found.get(status, 0) for status in StatementLine.Status.values}


def line_detail(pk: int) -> StatementLine | None:
    """One line with its statement, account and every match (undone ones too), their parts and
    entries: the whole story of how the line was accounted for; ``candidates``: what the matchers
    offer for it while it waits (see ``finance.matchers.Candidate``)."""
    parts = MatchPart.objects.select_related("account", "party")
    matches = Match.objects.select_related("entry", "by", "undone_by").prefetch_related(
        Prefetch("parts", parts)
    )
    line = (
        StatementLine.objects.select_related("statement__imported", "bank_account__ledger_account")
        .prefetch_related(Prefetch("matches", matches.order_by("id")))
        .filter(pk=pk)
        .first()
    )
    if line is not None:
        # What the matchers offer for a line still waiting (e.g. two levy obligations that fit).
        line.candidates = matchers.candidates(line) if line.status == StatementLine.Status.UNMATCHED else []
    return line


def lines_by_ids(ids) -> list[StatementLine]:
    return list(
        StatementLine.objects.select_related("bank_account").filter(pk__in=ids).order_by("booked_on", "id")
    )


def recent_imports(limit: int = 20) -> list[StatementImport]:
    return list(StatementImport.objects.select_related("by").order_by("-id")[:limit])


def lines_paying(target_type: str, target_id) -> list[tuple[dt.date, Decimal]]:
    """(booking date, amount) of the matched parts, not undone, that a module's record (a levy
    credit refunded, say) was paid by or to: how a refusal names the bank lines to undo first."""
    return list(
        MatchPart.objects.filter(
            target_type=target_type, target_id=str(target_id), match__undone_at__isnull=True
        )
        .order_by("match__line__booked_on", "id")
        .values_list("match__line__booked_on", "amount")
    )
