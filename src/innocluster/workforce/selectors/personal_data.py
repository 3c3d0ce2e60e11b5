"""A specialist's personal data as the reader may see it. The passport number and the date of
birth are shown in full only to the HR officer and the employer's representatives
(``workforce.personal_data``), and every such read is recorded (``workforce.personal_data.read``,
naming the fields shown and where, never their values); auditors and executives, who read the
requests, see them masked. Who may not see the specialist at all gets nothing (``None``): the
caller answers 404."""

from dataclasses import dataclass
from typing import Any

from django.utils import formats

from innocluster.core.access.permissions import can
from innocluster.core.audit.services import record_event
from innocluster.workforce.models import Specialist
from innocluster.workforce.selectors.requests import specialist_for

FIELDS = ("passport_number", "date_of_birth")
MASK = "•"


def mask_passport(number: str) -> str:
    """``N12345678`` → ``N••••••78``: the first and the last two characters stay."""
    number = number or ""
    if len(number) <= 3:
        return MASK * len(number)
    return number[0] + MASK * (len(number) - 3) + number[-2:]


def mask_birth_date(value) -> str:
    """Only the year stays: ``••.••.1985``."""
    return f"{MASK * 2}.{MASK * 2}.{value.year}" if value else ""


@dataclass(frozen=True)
class PersonalData:
    passport_number: str
    date_of_birth: str
    masked: bool


def personal_data(
    user, specialist: Specialist, *, where: dict[str, Any] | None = None, ip: str | None = None
) -> PersonalData | None:
    """The passport number and date of birth of ``specialist`` for ``user``: in full (an audited
    read) or masked; ``None`` when ``user`` may not see the specialist at all."""
    if specialist_for(user, specialist.pk) is None:
        return None
    if not can(user, "workforce.personal_data", specialist).allowed:
        return PersonalData(
            mask_passport(specialist.passport_number), mask_birth_date(specialist.date_of_birth), True
        )
    record_event(
        action="workforce.personal_data.read",
        actor=user,
        obj=specialist,
        changes={"fields": list(FIELDS), **(where or {})},
        ip=ip,
    )
    return PersonalData(
        specialist.passport_number, formats.date_format(specialist.date_of_birth, "DATE_FORMAT"), False
    )
