"""The letters the Fund issues on approving a request: a confirmation for the employer and a
visa-support letter for the migration service. Numbers run per year and kind under a row lock
(``WF-C-2026-00001``, ``WF-V-2026-00001``); the verification code, random, is what the letter's
QR code will point to. The PDFs (Kazakh and Russian) come with the pages."""

import datetime as dt
import secrets

from django.utils import timezone

from innocluster.core.audit.services import signed_in_user
from innocluster.core.policy.values import ALMATY
from innocluster.workforce.models import EngagementRequest, Letter, LetterCounter

PREFIXES = {Letter.Kind.CONFIRMATION: "WF-C", Letter.Kind.VISA_SUPPORT: "WF-V"}


def next_number(kind: str, year: int) -> str:
    """The next number of ``kind`` in ``year`` (call inside a transaction)."""
    counter, _created = LetterCounter.objects.select_for_update().get_or_create(year=year, kind=kind)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{PREFIXES[kind]}-{year}-{counter.last:05d}"


def issue_letters(request: EngagementRequest, *, by, at: dt.datetime) -> list[Letter]:
    """Both letters of an approved request (inside the approval's transaction)."""
    year = timezone.localdate(at, timezone=ALMATY).year
    return [
        Letter.objects.create(
            request=request,
            kind=kind,
            number=next_number(kind, year),
            verification_code=secrets.token_hex(16),
            issued_at=at,
            issued_by=signed_in_user(by) or by,
        )
        for kind in (Letter.Kind.CONFIRMATION, Letter.Kind.VISA_SUPPORT)
    ]
