"""Monthly periods: open → closed → reopened (by a fund administrator, with a reason)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innocluster.core.audit.services import record_event
from innocluster.core.errors import lock_failures_as_domain_errors
from innocluster.core.policy.values import today as policy_today
from innocluster.finance.errors import LedgerError
from innocluster.finance.models import JournalEntry, Period, StatementLine
from innocluster.finance.services import journal


def _month_end(period: Period) -> dt.date:
    if period.month == 12:
        return dt.date(period.year, 12, 31)
    return dt.date(period.year, period.month + 1, 1) - dt.timedelta(days=1)


def unreconciled_lines(period: Period):
    """Bank lines booked in the period that are neither matched nor sent to suspense."""
    return StatementLine.objects.filter(
        status=StatementLine.Status.UNMATCHED,
        booked_on__gte=dt.date(period.year, period.month, 1),
        booked_on__lte=_month_end(period),
    ).select_related("bank_account")


@lock_failures_as_domain_errors()
def close(year: int, month: int, *, by) -> Period:
    """Close a month: refused while a bank line of it waits for reconciliation (named) or a manual
    entry dated in it awaits approval."""
    today = policy_today()
    if dt.date(year, month, 1) > today.replace(day=1) or (year, month) == (today.year, today.month):
        raise LedgerError(
            _("The period %(period)s has not ended yet: a month is closed after its last day."),
            params={"period": f"{year}-{month:02d}"},
            code="period_not_ended",
        )
    with transaction.atomic():
        period, _created = Period.objects.get_or_create(year=year, month=month)
        period = Period.objects.select_for_update().get(pk=period.pk)
        if not period.is_open:
            raise LedgerError(_("The period %(period)s is already closed."), params={"period": period})
        waiting = list(unreconciled_lines(period).order_by("booked_on", "id")[:6])
        if waiting:
            shown = "; ".join(
                f"{line.booked_on:%d.%m.%Y} {line.bank_account.iban} {line.amount} {line.counterparty_name}".strip()
                for line in waiting[:5]
            )
            count = unreconciled_lines(period).count()
            raise LedgerError(
                _(
                    "The period %(period)s cannot be closed: %(count)s bank lines are not reconciled (%(lines)s)."
                ),
                params={"period": period, "count": count, "lines": shown + ("; …" if count > 5 else "")},
                code="unreconciled_lines",
            )
        pending = list(
            JournalEntry.objects.filter(period=period, status=JournalEntry.Status.PENDING).order_by("id")[:5]
        )
        if pending:
            raise LedgerError(
                _("The period %(period)s cannot be closed: entries await approval (%(entries)s)."),
                params={"period": period, "entries": ", ".join(e.number for e in pending)},
                code="pending_entries",
            )
        period.status = Period.Status.CLOSED
        period.closed_at = timezone.now()
        period.closed_by = by if getattr(by, "is_authenticated", False) else None
        period.save(update_fields=["status", "closed_at", "closed_by"])
        record_event(action="finance.period.closed", actor=by, obj=period)
        journal.period_closing()  # this process stops taking it for open, now and after commit
        return period


@lock_failures_as_domain_errors()
def reopen(year: int, month: int, *, by, reason: str) -> Period:
    if not reason.strip():
        raise LedgerError(_("Say why the period is reopened."))
    with transaction.atomic():
        period = Period.objects.select_for_update().filter(year=year, month=month).first()
        if period is None or period.is_open:
            raise LedgerError(
                _("The period %(period)s is not closed."), params={"period": f"{year}-{month:02d}"}
            )
        period.status = Period.Status.OPEN
        period.save(update_fields=["status"])
        record_event(action="finance.period.reopened", actor=by, obj=period, reason=reason)
        return period
