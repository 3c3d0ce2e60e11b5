"""What is about to expire for an active specialist: the contract's end, the visa and the passport
within ``workforce.alert_days`` calendar days (or already past, while still active)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from innocluster.core.policy import values as policy
from innocluster.workforce.models import EngagementRequest

WHAT = ("contract_end", "visa_valid_until", "passport_expiry")


@dataclass(frozen=True)
class Expiry:
    request: EngagementRequest
    what: str  # one of WHAT
    on: dt.date


def expiring(today: dt.date | None = None) -> list[Expiry]:
    today = today or policy.today()
    days = policy.value("workforce.alert_days", on=today)  # a missing row raises NoValueInForce
    if days is None:  # an explicit null: the regime warns of nothing
        return []
    horizon = today + dt.timedelta(days=int(days))
    rows = (
        EngagementRequest.objects.filter(status=EngagementRequest.Status.ACTIVE)
        .filter(
            Q(contract_end__lte=horizon)
            | Q(visa_valid_until__lte=horizon)
            | Q(specialist__passport_expiry__lte=horizon)
        )
        .select_related("specialist", "employer")
        .order_by("id")
    )
    found = []
    for request in rows:
        dates = {
            "contract_end": request.contract_end,
            "visa_valid_until": request.visa_valid_until,
            "passport_expiry": request.specialist.passport_expiry,
        }
        found.extend(
            Expiry(request, what, on) for what, on in dates.items() if on is not None and on <= horizon
        )
    return found
