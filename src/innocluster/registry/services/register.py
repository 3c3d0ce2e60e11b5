"""Writes of the register: reference data, organisations and individuals, register entries and
their status history. Every write is validated, in a transaction and audited."""

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innocluster.core.audit.services import record_event, signed_in_user
from innocluster.registry.models import (
    Activity,
    DocumentKind,
    Individual,
    Organisation,
    Participant,
    ParticipantCategory,
    Region,
    RegisterCounter,
    StatusChange,
    search_text_for,
)

DATA = Path(__file__).resolve().parents[1] / "data"
REFERENCE = {
    "regions.yaml": (Region, "kato"),
    "activities.yaml": (Activity, "oked"),
    "categories.yaml": (ParticipantCategory, "code"),
    "documents.yaml": (DocumentKind, "code"),
}


@transaction.atomic
def load_reference_data(folder: Path = DATA) -> dict[str, int]:
    """Insert the shipped regions (KATO), activities (OKED) and participant categories that are
    missing; existing rows are never changed. Returns how many rows each file added."""
    added: dict[str, int] = {}
    for filename, (model, key) in REFERENCE.items():
        with open(folder / filename, encoding="utf-8") as fh:
            rows = yaml.safe_load(fh) or []
        have = set(model.objects.values_list(key, flat=True))
        new = [model(**row) for row in rows if str(row[key]) not in have]
        for obj in new:
            obj.full_clean()
        model.objects.bulk_create(new)
        if new:
            record_event(
                action="registry.reference.loaded",
                object_type=model._meta.label_lower,
                object_repr=filename,
                changes={"rows": [None, len(new)]},
            )
        added[filename] = len(new)
    return added


def _clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


@transaction.atomic
def create_organisation(*, by=None, **fields: Any) -> Organisation:
    """An organisation with a checked BIN (its checksum, entity type and month) and names."""
    organisation = Organisation(**fields)
    _clean(organisation)
    organisation.save()
    record_event(
        action="registry.organisation.created",
        actor=by,
        obj=organisation,
        changes={"bin": [None, organisation.bin], "name_ru": [None, organisation.name_ru]},
    )
    return organisation


@transaction.atomic
def create_individual(*, by=None, **fields: Any) -> Individual:
    individual = Individual(**fields)
    _clean(individual)
    individual.save()
    # The IIN is personal data: the audit log names the record, not the number.
    record_event(action="registry.individual.created", actor=by, obj=individual)
    return individual


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
