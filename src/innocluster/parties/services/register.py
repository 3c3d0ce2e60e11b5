"""Reference data (KATO regions, OKED activities) and the parties themselves: organisations and
individuals, created and changed with their identifiers checked and every change audited."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innocluster.core.audit.services import diff, record_event
from innocluster.parties.models import Activity, Individual, Organisation, Region

DATA = Path(__file__).resolve().parents[1] / "data"
REFERENCE = {
    "regions.yaml": (Region, "kato"),
    "activities.yaml": (Activity, "oked"),
}


def load_rows(folder: Path, reference: Mapping[str, tuple]) -> dict[str, int]:
    """Insert the rows of each YAML file that are missing by their key; existing rows are never
    changed. Returns how many rows each file added. (Domains load their own reference data with it.)"""
    added: dict[str, int] = {}
    for filename, (model, key) in reference.items():
        with open(folder / filename, encoding="utf-8") as fh:
            rows = yaml.safe_load(fh) or []
        have = set(model.objects.values_list(key, flat=True))
        new = [model(**row) for row in rows if str(row[key]) not in have]
        for obj in new:
            obj.full_clean()
        model.objects.bulk_create(new)
        if new:
            record_event(
                action=f"{model._meta.app_label}.reference.loaded",
                object_type=model._meta.label_lower,
                object_repr=filename,
                changes={"rows": [None, len(new)]},
            )
        added[filename] = len(new)
    return added


@transaction.atomic
def load_reference_data(folder: Path = DATA) -> dict[str, int]:
    """Insert the shipped regions (KATO) and activities (OKED) that are missing."""
    return load_rows(folder, REFERENCE)


def clean(instance) -> None:
    """``full_clean`` with the errors by field (what forms and the API show)."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


@transaction.atomic
def create_organisation(*, by=None, **fields: Any) -> Organisation:
    """An organisation with a checked BIN (its checksum, entity type and month) and names."""
    organisation = Organisation(**fields)
    clean(organisation)
    organisation.save()
    record_event(
        action="parties.organisation.created",
        actor=by,
        obj=organisation,
        changes={"bin": [None, organisation.bin], "name_ru": [None, organisation.name_ru]},
    )
    return organisation


@transaction.atomic
def create_individual(*, by=None, **fields: Any) -> Individual:
    individual = Individual(**fields)
    clean(individual)
    individual.save()
    # The IIN is personal data: the audit log names the record, not the number.
    record_event(action="parties.individual.created", actor=by, obj=individual)
    return individual


def _assign(instance, fields: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Set the fields, validate the row again and return what changed (``{field: [before, after]}``),
    so the same data saved twice writes and audits nothing."""
    before = {name: getattr(instance, name) for name in fields}
    for name, value in fields.items():
        setattr(instance, name, value)
    clean(instance)
    return diff(before, {name: getattr(instance, name) for name in fields})


@transaction.atomic
def update_organisation(organisation: Organisation, *, by, fields: Mapping[str, Any]) -> dict:
    """Change an organisation's details (never its BIN); returns what changed."""
    if "bin" in fields and fields["bin"] != organisation.bin:
        raise ValidationError({"bin": _("The BIN of an organisation cannot be changed.")})
    changes = _assign(organisation, fields)
    if changes:
        organisation.save(update_fields=[n for n in fields if n != "bin"])
        record_event(action="parties.organisation.changed", actor=by, obj=organisation, changes=changes)
    return changes


@transaction.atomic
def update_individual(individual: Individual, *, by, fields: Mapping[str, Any]) -> dict:
    """Change a person's names (never the IIN: a different IIN is a different person)."""
    changes = _assign(individual, fields)
    if changes:
        individual.save()
        # Names only: the IIN is personal data and stays out of the audit log.
        record_event(
            action="parties.individual.changed",
            actor=by,
            obj=individual,
            changes={k: v for k, v in changes.items() if k != "iin"},
        )
    return changes
