"""Foreign specialists: the employer enters who it attracts (validated, audited with the personal
data masked). Only the employer's side enters and changes them (``workforce.file``): a
representative of a participant in good standing, or the HR officer for the Fund."""

from typing import Any

from django.db import transaction

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import diff, record_event
from innocluster.parties.models import Organisation
from innocluster.workforce.models import Specialist
from innocluster.workforce.services.common import audited, require_eligible

FIELDS = (
    "surname_latin",
    "given_names_latin",
    "full_name_cyrillic",
    "citizenship",
    "date_of_birth",
    "passport_number",
    "passport_expiry",
    "education",
    "qualification",
    "experience_years",
)


def _normalised(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"not specialist fields: {sorted(unknown)}")
    clean = dict(fields)
    for name in ("surname_latin", "given_names_latin", "full_name_cyrillic", "qualification"):
        if isinstance(clean.get(name), str):
            clean[name] = " ".join(clean[name].split())
    if isinstance(clean.get("citizenship"), str):
        clean["citizenship"] = clean["citizenship"].strip().upper()
    if isinstance(clean.get("passport_number"), str):
        clean["passport_number"] = "".join(clean["passport_number"].split()).upper()
    return clean


@transaction.atomic
def register_specialist(*, by, employer: Organisation, **fields: Any) -> Specialist:
    """A new specialist of ``employer``. Refused for a user who does not act for the employer
    (``PermissionDenied``), for an employer not in good standing (``EmployerNotEligible``), and
    field by field (``ValidationError``)."""
    specialist = Specialist(employer=employer, created_by=by, **_normalised(fields))
    require(by, "workforce.file", specialist)
    require_eligible(employer)
    specialist.full_clean()
    specialist.save()
    record_event(
        action="workforce.specialist.registered",
        actor=by,
        obj=specialist,
        changes={name: [None, audited(name, getattr(specialist, name))] for name in FIELDS},
    )
    return specialist


@transaction.atomic
def update_specialist(specialist: Specialist, *, by, **fields: Any) -> Specialist:
    """Correct or renew a specialist's details (a new passport, more experience); audited."""
    locked = Specialist.objects.select_for_update().get(pk=specialist.pk)
    require(by, "workforce.file", locked)
    fields = _normalised(fields)
    before = {name: getattr(locked, name) for name in fields}
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    changed = diff(
        {name: audited(name, value) for name, value in before.items()},
        {name: audited(name, getattr(locked, name)) for name in fields},
    )
    raw_changed = [name for name in fields if before[name] != getattr(locked, name)]
    if not raw_changed:
        return locked
    locked.save(update_fields=[*raw_changed, "updated_at"])
    record_event(
        action="workforce.specialist.changed",
        actor=by,
        obj=locked,
        changes=changed or {name: ["•", "•"] for name in raw_changed},
    )
    for name in raw_changed:
        setattr(specialist, name, getattr(locked, name))
    return locked
