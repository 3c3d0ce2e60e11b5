"""How an audit event's changes read on a page: one rendering for every history table."""

import json
from functools import lru_cache

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

register = template.Library()


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


@register.filter
def change_rows(changes) -> list[tuple[str, str, str]]:
    """``{field: [before, after]}`` as (field, before, after) text; a value that is not a pair is
    shown as the new value."""
    rows = []
    for field, pair in (changes or {}).items():
        if isinstance(pair, list) and len(pair) == 2:
            rows.append((field, _text(pair[0]), _text(pair[1])))
        else:
            rows.append((field, "—", _text(pair)))
    return rows


@lru_cache(maxsize=512)
def _verbose_name(object_type: str, field: str):
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None
    for name in (field, field.removesuffix("_id")):
        try:
            found = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return getattr(found, "verbose_name", None)  # a reverse relation has none: the code
    return None


@register.filter
def field_label(field: str, object_type: str = "") -> str:
    """A changed field as people read it: the model's own (translated) name of the field when the
    event names its model (``object_type``, ``app.model``), else the code as it was recorded."""
    name = _verbose_name(object_type, field) if object_type else None
    return capfirst(name) if name else field
