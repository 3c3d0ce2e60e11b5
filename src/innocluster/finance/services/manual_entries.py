"""A finance officer's manual journal entry: posted at once below the four-eyes threshold (policy
``finance.manual_entry_approval_threshold``), otherwise left awaiting a chief accountant's
:func:`approve` (someone other than who prepared it) or :func:`reject`."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from innocluster.core.audit.services import record_event
from innocluster.core.errors import lock_failures_as_domain_errors
from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula
from innocluster.finance.errors import LedgerError
from innocluster.finance.models import JournalEntry
from innocluster.finance.services.journal import ZERO, Leg, _finalise, _write


def approval_threshold(on: dt.date, regime: str | None = None) -> Decimal | None:
    """Manual entries of this total or more wait for a chief accountant (None: every one posts)."""
    return policy.value("finance.manual_entry_approval_threshold", on=on, regime=regime)


def needs_approval(total: Decimal, on: dt.date, regime: str | None = None) -> bool:
    """Four eyes: a manual entry of the threshold or more, dated ``on``, waits for approval."""
    threshold = approval_threshold(on, regime=regime)
    return threshold is not None and total >= threshold


@formula("finance.manual_entry_needs_approval")
def needs_approval_formula(*, total: str, on: dt.date, regime: str | None = None) -> bool:
    """Law cases: does a manual entry of ``total`` dated ``on`` wait for a chief accountant?"""
    return needs_approval(Decimal(str(total)), on, regime=regime)


@lock_failures_as_domain_errors()
def propose_manual(
    *, date: dt.date, description: str, legs: Sequence[Leg], reference: str = "", by
) -> JournalEntry:
    """A finance officer's own entry: posted at once below the threshold, otherwise left awaiting
    a chief accountant's approval (four eyes)."""
    with transaction.atomic():
        entry, lines = _write(
            date=date,
            description=description,
            legs=legs,
            reference=reference,
            source=None,
            by=by,
            kind=JournalEntry.Kind.MANUAL,
            status=JournalEntry.Status.DRAFT,
        )
        total = sum((line.debit for line in lines), ZERO)
        threshold = approval_threshold(date)
        if needs_approval(total, date):
            JournalEntry.objects.filter(pk=entry.pk).update(status=JournalEntry.Status.PENDING)
            entry.status = JournalEntry.Status.PENDING
            record_event(
                action="finance.entry.proposed",
                actor=by,
                obj=entry,
                changes={"total": total, "threshold": threshold},
            )
            return entry
        return _finalise(entry, lines, by, "finance.entry.posted", check_period=False)


@lock_failures_as_domain_errors()
def approve(entry: JournalEntry, *, by) -> JournalEntry:
    """A chief accountant posts a manual entry someone else prepared."""
    with transaction.atomic():
        entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status != JournalEntry.Status.PENDING:
            raise LedgerError(_("%(entry)s is not awaiting approval."), params={"entry": entry})
        if entry.prepared_by_id is not None and entry.prepared_by_id == getattr(by, "pk", None):
            raise LedgerError(_("An entry is approved by someone other than the person who prepared it."))
        entry.approved_by = by
        lines = list(entry.lines.select_related("account"))
        return _finalise(entry, lines, by, "finance.entry.approved")


@lock_failures_as_domain_errors()
def reject(entry: JournalEntry, *, by, reason: str) -> JournalEntry:
    if not reason.strip():
        raise LedgerError(_("Say why the entry is rejected."))
    with transaction.atomic():
        entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status != JournalEntry.Status.PENDING:
            raise LedgerError(_("%(entry)s is not awaiting approval."), params={"entry": entry})
        JournalEntry.objects.filter(pk=entry.pk).update(status=JournalEntry.Status.REJECTED, approved_by=by)
        entry.status = JournalEntry.Status.REJECTED
        record_event(action="finance.entry.rejected", actor=by, obj=entry, reason=reason)
        return entry
