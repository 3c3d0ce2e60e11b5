"""How an audit event's changes read on a page: one rendering for every history table."""

import json

from django import template

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
