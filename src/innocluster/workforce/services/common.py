"""Helpers the workforce services share: the moment of a step, the eligibility guard, and the
audit's view of personal data (a passport number is never written into the audit log)."""

import datetime as dt
from typing import Any

from django.utils import timezone

from innocluster.core.policy.values import ALMATY
from innocluster.parties.models import Organisation
from innocluster.workforce.errors import EmployerNotEligible
from innocluster.workforce.selectors.eligibility import employer_standing
from innocluster.workforce.selectors.personal_data import mask_birth_date, mask_passport

NOON = dt.time(12, 0)


def moment(on: dt.date | None) -> dt.datetime:
    """Now, or noon in Almaty on ``on`` (seeding and tests date a step in the past)."""
    return timezone.now() if on is None else dt.datetime.combine(on, NOON, tzinfo=ALMATY)


def almaty_day(at: dt.datetime) -> dt.date:
    return timezone.localdate(at, timezone=ALMATY)


def require_eligible(employer: Organisation, on: dt.date | None = None) -> None:
    standing = employer_standing(employer, on)
    if not standing.eligible:
        raise EmployerNotEligible(standing.reason)


def audited(field: str, value: Any) -> Any:
    """What the audit log keeps of a field's value: personal data masked."""
    if field == "passport_number":
        return mask_passport(value)
    if field == "date_of_birth":
        return mask_birth_date(value)
    return value
