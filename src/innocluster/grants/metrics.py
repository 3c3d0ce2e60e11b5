"""Project financing's figures for the governance KPIs (declared in the manifest): each takes the
day ``on`` and counts the calendar year up to it where it is a sum."""

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from innocluster.grants.models import Award, Tranche
from innocluster.grants.selectors import reports as selectors

ZERO = Decimal("0.00")


def awarded_amount(on: dt.date) -> Decimal:
    """The amount of the awards decided from 1 January to ``on`` (not terminated ones excluded:
    a decided award counts)."""
    return (
        Award.objects.filter(
            decision__decided_on__gte=dt.date(on.year, 1, 1), decision__decided_on__lte=on
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )


def awards_active(on: dt.date) -> int:
    """Awards in progress (decided by ``on``)."""
    return Award.objects.filter(status=Award.Status.ACTIVE, decision__decided_on__lte=on).count()


def reports_late(on: dt.date) -> int:
    """Reports of awards in progress past their due day and neither submitted nor accepted."""
    return selectors.late_count(on)


def paid_amount(on: dt.date) -> Decimal:
    """The tranches paid from 1 January to ``on``."""
    return (
        Tranche.objects.filter(
            status=Tranche.Status.PAID, paid_on__gte=dt.date(on.year, 1, 1), paid_on__lte=on
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
