"""Finance's figures for the dashboards and the strategy's KPIs (the manifest's ``Metric``
values), each for the year of the day asked, from 1 January to that day:

* **funds committed**: what commitments made in the year reserved, less what was released from
  them by the day (a commitment is made when its ``reserve`` event is recorded, Almaty day);
* **funds paid**: what was disbursed against commitments (the net of the posted journal lines
  charged to a commitment, by the entries' dates: a reversal reduces it);
* **budget execution**: what the year's budgets have spent by the day (the net of their posted
  lines) as a share of the year's budgets as they now stand (None without a budget).
"""

import datetime as dt
from decimal import Decimal

from django.db.models import F

from innocluster.core.calendar import ALMATY
from innocluster.core.money import MoneySum
from innocluster.finance.models import Budget, CommitmentEvent, JournalLine
from innocluster.finance.selectors.ledger import POSTED, tiyn


def _year_window(on: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(dt.date(on.year, 1, 1), dt.time(), tzinfo=ALMATY)
    return start, dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), tzinfo=ALMATY)


def funds_committed(on: dt.date) -> Decimal:
    """Funds reserved by the commitments made in ``on``'s year to ``on``, less their releases."""
    start, end = _year_window(on)
    made = CommitmentEvent.objects.filter(
        kind=CommitmentEvent.Kind.RESERVE, at__gte=start, at__lt=end
    ).values("commitment_id")
    reserved = CommitmentEvent.objects.filter(
        kind=CommitmentEvent.Kind.RESERVE, at__gte=start, at__lt=end
    ).aggregate(total=MoneySum("amount"))["total"]
    released = CommitmentEvent.objects.filter(
        kind=CommitmentEvent.Kind.RELEASE, commitment_id__in=made, at__lt=end
    ).aggregate(total=MoneySum("amount"))["total"]
    return tiyn(reserved) - tiyn(released)


def _net_debit(lines) -> Decimal:
    return tiyn(lines.aggregate(total=MoneySum(F("debit") - F("credit")))["total"])


def funds_paid(on: dt.date) -> Decimal:
    """Disbursements against commitments dated in ``on``'s year to ``on`` (net of reversals)."""
    return _net_debit(
        JournalLine.objects.filter(
            POSTED, commitment__isnull=False, date__gte=dt.date(on.year, 1, 1), date__lte=on
        )
    )


def budget_execution(on: dt.date) -> Decimal | None:
    """What ``on``'s year's budgets have spent by ``on`` as a share of their amount."""
    amount = tiyn(Budget.objects.filter(year=on.year).aggregate(total=MoneySum("amount"))["total"])
    if amount <= 0:
        return None
    spent = _net_debit(JournalLine.objects.filter(POSTED, budget__year=on.year, date__lte=on))
    return (spent / amount).quantize(Decimal("0.0001"))
