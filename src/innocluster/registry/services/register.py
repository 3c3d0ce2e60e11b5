"""Writes of the register: its reference data (with the parties' KATO and OKED), register entries and
their status history. Every write is validated, in a transaction and audited. Organisations and
individuals are written by ``parties.services``."""

from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innocluster.core.audit.services import record_event, signed_in_user
from innocluster.parties.models import Individual, Organisation
from innocluster.parties.services import register as parties
from innocluster.registry.models import (
    DocumentKind,
    Participant,
    ParticipantCategory,
    RegisterCounter,
    StatusChange,
    search_text_for,
)

DATA = Path(__file__).resolve().parents[1] / "data"
REFERENCE = {
    "categories.yaml": (ParticipantCategory, "code"),
    "documents.yaml": (DocumentKind, "code"),
}


@transaction.atomic
def load_reference_data(folder: Path = DATA) -> dict[str, int]:
    """The parties' regions (KATO) and activities (OKED), then the register's participant
    categories and document kinds; rows already there are never changed. Returns how many rows
    each file added."""
    return parties.load_reference_data() | parties.load_rows(folder, REFERENCE)


def _history(
    participant: Participant, status: str, effective_on: date, reason: str, decision, by
) -> StatusChange:
    """The one place a status enters the register's history."""
    return StatusChange.objects.create(
        participant=participant,
        status=status,
        effective_on=effective_on,
        reason=reason,
        decision=decision,
        recorded_by=signed_in_user(by),
    )


def next_register_number(year: int) -> str:
    """``2026-00042``: per-year sequence taken under a row lock (call inside a transaction)."""
    counter, _created = RegisterCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}-{counter.last:05d}"


@transaction.atomic
def register_participant(
    *,
    category: ParticipantCategory,
    registered_on: date,
    organisation: Organisation | None = None,
    individual: Individual | None = None,
    by=None,
    decision=None,
    reason: str = "",
) -> Participant:
    """Enter an organisation or a person in the register (the last step of an application)."""
    if (organisation is None) == (individual is None):
        raise ValidationError(_("A participant is either an organisation or an individual."))
    expected = ParticipantCategory.Kind.ORGANISATION if organisation else ParticipantCategory.Kind.INDIVIDUAL
    if category.kind != expected:
        raise ValidationError({"category": _("This category is not for this kind of participant.")})
    member = organisation or individual
    if Participant.objects.filter(organisation=organisation, individual=individual).exists():
        raise ValidationError(_("%(name)s is already in the register.") % {"name": member.name})
    participant = Participant.objects.create(
        number=next_register_number(registered_on.year),
        organisation=organisation,
        individual=individual,
        category=category,
        registered_on=registered_on,
        status=Participant.Status.REGISTERED,
        status_since=registered_on,
        display_name=organisation.name_ru if organisation else individual.name,
        search_text=search_text_for(organisation, individual),
        region=organisation.region if organisation else None,
    )
    _history(participant, participant.status, registered_on, reason, decision, by)
    record_event(
        action="registry.participant.registered",
        actor=by,
        obj=participant,
        changes={"number": [None, participant.number], "category": [None, category.code]},
        reason=reason,
    )
    return participant


@transaction.atomic
def change_status(
    participant: Participant, *, status: str, effective_on: date, reason: str, by=None, decision=None
) -> Participant:
    """Suspend, reinstate, exclude or record a voluntary exit; grounds are always required."""
    if status not in Participant.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("State the grounds.")})
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if locked.status == status:
        raise ValidationError({"status": _("The participant already has this status.")})
    if effective_on < locked.status_since:
        # No back-dating past the current status: it would rewrite history (and, for a suspension,
        # let the answer period end before anyone was told).
        raise ValidationError(
            {
                "on": _("The change cannot take effect before %(date)s, when the current status began.")
                % {"date": locked.status_since.isoformat()}
            }
        )
    before = locked.status
    locked.status, locked.status_since = status, effective_on
    locked.save(update_fields=["status", "status_since"])
    _history(locked, status, effective_on, reason, decision, by)
    record_event(
        action="registry.participant.status_changed",
        actor=by,
        obj=locked,
        changes={"status": [before, status]},
        reason=reason,
    )
    participant.status, participant.status_since = locked.status, locked.status_since
    return locked
