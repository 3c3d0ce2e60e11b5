"""The finance staff's home card (declared in ``manifest.py``): bank lines waiting to be
reconciled, receipts in suspense, manual entries awaiting the chief accountant."""

from datetime import date

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innocluster.core.manifest import Card
from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula
from innocluster.finance.models import StatementLine
from innocluster.finance.selectors.journal import pending_count


def reconciliation_overdue(booked_on: date, today: date, regime: str | None = None) -> bool:
    """A line booked on ``booked_on`` and still unreconciled is overdue once more than
    ``finance.reconciliation_overdue_days`` calendar days have passed (None: never flagged)."""
    days = policy.value("finance.reconciliation_overdue_days", on=today, regime=regime)
    return days is not None and (today - booked_on).days > days


@formula("finance.reconciliation_overdue")
def reconciliation_overdue_formula(*, booked_on: date, on: date, regime: str | None = None) -> bool:
    """Law cases: is a bank line booked on ``booked_on`` overdue for reconciliation on ``on``?"""
    return reconciliation_overdue(booked_on, on, regime=regime)


def reconciliation_card(user, today: date) -> list[Card]:
    """Two queries whatever the volume. Flagged when a line has waited longer than the policy's
    ``finance.reconciliation_overdue_days`` (a month): its month cannot be closed until then."""
    lines = StatementLine.objects.aggregate(
        waiting=Count("id", filter=Q(status=StatementLine.Status.UNMATCHED)),
        suspense=Count("id", filter=Q(status=StatementLine.Status.SUSPENSE)),
        oldest=Min("booked_on", filter=Q(status=StatementLine.Status.UNMATCHED)),
    )
    pending = pending_count()
    text = ngettext(
        "%(n)d bank line waits to be reconciled.", "%(n)d bank lines wait to be reconciled.", lines["waiting"]
    ) % {"n": lines["waiting"]}
    text += " " + _("In unidentified receipts: %(n)d.") % {"n": lines["suspense"]}
    if pending:
        text += " " + ngettext(
            "%(n)d manual entry awaits approval.", "%(n)d manual entries await approval.", pending
        ) % {"n": pending}
    old = lines["oldest"] is not None and reconciliation_overdue(lines["oldest"], today)
    return [
        Card(
            title=_("The Fund's money"),
            text=text,
            url=reverse("finance:queue"),
            link=_("Open the reconciliation queue"),
            warn=old,
        )
    ]
