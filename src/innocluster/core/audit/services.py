"""Writing audit events. Every state change in a service calls :func:`record_event` inside its
transaction; the event is sealed into the chain after commit (and by ``innocluster tick``)."""

import hashlib
import hmac
import ipaddress
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from innocluster.core import db

from .models import AuditEvent

SYSTEM_ACTOR = "system"


def _json_default(value: Any) -> str:
    if isinstance(value, (Decimal, date, datetime)):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    return str(value)


def _no_floats(value: Any) -> Any:
    """Floats become strings: PostgreSQL's jsonb re-renders them (1e16 -> 10000000000000000), which
    would change the sealed bytes. Money and rates are Decimals anyway."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {str(k): _no_floats(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_no_floats(v) for v in value]
    return value


class _NotPlain(Exception):
    pass


def _plain(value: Any) -> Any:
    """:func:`normalise` for the values services record (str, int, None, bool, Decimal, dates,
    floats, lists and dicts with text keys) in one walk; anything else raises :class:`_NotPlain`
    and takes the JSON round trip, which defines the result."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        if not all(type(key) is str for key in value):
            raise _NotPlain
        return {key: _plain(value[key]) for key in sorted(value)}
    if kind is list or kind is tuple:
        return [_plain(item) for item in value]
    if kind is Decimal:
        return str(value)
    if kind is date or kind is datetime:
        return value.isoformat()
    if kind is float:
        return repr(value)
    raise _NotPlain


def normalise(value: Any) -> Any:
    """Turn a value into plain JSON (Decimals, dates and floats as strings) so the MAC is reproducible."""
    try:
        return _plain(value)
    except _NotPlain:
        return _no_floats(json.loads(json.dumps(value, default=_json_default, sort_keys=True)))


def clean_ip(ip: str | None) -> str | None:
    """A valid address in its normal form, or None: a malformed one must not abort the business
    transaction on PostgreSQL (inet) while passing on SQLite."""
    try:
        return str(ipaddress.ip_address((ip or "").strip())) if ip else None
    except ValueError:
        return None


CONTENT_FIELDS = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_repr",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "reason",
    "ip",
)


def canonical_content(event: AuditEvent | Mapping[str, Any], *, normalised: bool = False) -> bytes:
    """The bytes a row MAC covers: every business field, in a fixed order.

    Accepts a model or a ``.values(*CONTENT_FIELDS)`` mapping, so ``audit verify`` can stream plain
    rows instead of building a model instance per event. ``normalised``: the changes are plain
    JSON already (:func:`record_event` has just normalised them), so the round trip is skipped."""
    row = event if isinstance(event, Mapping) else {f: getattr(event, f) for f in CONTENT_FIELDS}
    occurred = row["occurred_at"]
    if isinstance(occurred, datetime):
        occurred = occurred.astimezone(UTC).isoformat(timespec="microseconds")
    payload = [
        row["id"],
        occurred,
        row["actor_id"],
        row["actor_repr"],
        row["action"],
        row["object_type"],
        row["object_id"],
        row["object_repr"],
        row["changes"] if normalised else normalise(row["changes"]),
        row["reason"],
        row["ip"] or "",
    ]
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def mac(*parts: bytes | str) -> str:
    key = settings.INNOCLUSTER_AUDIT_KEY.encode()
    digest = hmac.new(key, digestmod=hashlib.sha256)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the fields whose value changed."""
    keys = sorted(set(before) | set(after))
    return {
        k: normalise([before.get(k), after.get(k)])
        for k in keys
        if normalise(before.get(k)) != normalise(after.get(k))
    }


def signed_in_user(actor):
    """The user to store as the author of a row: ``None`` for the system or an anonymous caller."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def event(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    ip: str | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """An event not yet written, for :func:`record_events` (the arguments of :func:`record_event`)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    user = signed_in_user(actor)
    actor_repr = (user.get_username() if user else str(actor)) if actor is not None else SYSTEM_ACTOR
    return db.build(
        AuditEvent,
        occurred_at=timezone.now(),
        actor=user,
        actor_repr=actor_repr[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:300],
        changes=normalise(changes or {}),
        reason=reason,
        # Stored the way the database returns it (IPv6 compressed), so the MAC stays reproducible.
        ip=clean_ip(ip),
        row_mac="pending",
    )


# Events per INSERT: 14 columns each, well inside SQLite's 32,766 parameters.
_BATCH = 1000


def record_events(events: Sequence[AuditEvent]) -> list[AuditEvent]:
    """Append many events built by :func:`event` (a batch posting): a few statements for all of
    them instead of two each. Same rules as :func:`record_event`."""
    events = list(events)
    # No savepoint of its own: inside the service's transaction the events live and die with it
    # (a savepoint cost two statements per event); outside one this is the transaction.
    with transaction.atomic(savepoint=False):
        for start in range(0, len(events), _BATCH):
            db.insert(events[start : start + _BATCH])
        # The MAC covers the primary key, so it is computed once the row has one.
        for item in events:
            item.row_mac = mac(b"row", canonical_content(item, normalised=True))
        if len(events) == 1:
            db.update(AuditEvent, events[0].pk, row_mac=events[0].row_mac)
        else:
            db.update_many(AuditEvent, ("row_mac",), [(item.row_mac, item.pk) for item in events])
    if events:
        # robust: the business transaction has committed; a failed seal must not turn it into an
        # error. The events stay pending and the next seal (or `innocluster tick`) picks them up.
        _schedule_seal()
    return events


def record_event(**kwargs) -> AuditEvent:
    """Append one business event (``action``, ``actor``, ``obj`` or ``object_type``/``object_id``/
    ``object_repr``, ``changes``, ``reason``, ``ip``). Call it inside the service's transaction:
    if the transaction rolls back, the event disappears with it (leaving an id gap that ``audit
    verify`` tolerates)."""
    return record_events([event(**kwargs)])[0]


def _schedule_seal() -> None:
    """One seal after commit per transaction, however many events it writes.

    Any seal callback still pending covers this event: a savepoint rolled back takes its callbacks
    away (so one registered in a sibling that was rolled back is gone, and this event registers its
    own), and the savepoints it was registered in that are still open are all enclosing this event
    too (savepoints nest), so whatever would discard the callback discards this event as well. One
    registered in a sibling savepoint that was released belongs to the enclosing scope now: it
    stays valid. (Requiring its savepoints to be open, as this did, registered one seal per event
    for events written in sibling savepoints — each ``journal.post`` of an import or a batch — so
    the scan grew with the transaction and the seal ran once per event after commit.)"""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        func is _seal_after_commit for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_seal_after_commit, robust=True)


def _seal_after_commit() -> None:
    from .chain import seal_pending

    seal_pending()
