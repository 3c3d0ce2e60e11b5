"""Sealing the audit log into a hash chain, checkpointing it, and verifying it.

Why a separate sealer: :func:`~.services.record_event` runs inside every business transaction, and
giving each event its chain position there would need one global lock held for the whole of every
transaction. Instead each row carries a ``row_mac`` when written, and the sealer chains committed
rows afterwards under one short lock on :class:`~.models.ChainHead`. Ids may therefore have gaps
(rolled-back transactions) and need not match the chain order; ``seq`` never has gaps.

Everything is keyed with ``settings.INNOCLUSTER_AUDIT_KEY``, which lives outside the database: a
person who can write to the database but does not hold the key can delete or alter rows, but cannot
produce MACs that verify. Deleting the newest rows (and rolling the head back to an earlier, validly
sealed state) is caught by checkpoints — and, if those are deleted too, by exported checkpoints.
"""

import hmac
import logging
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEvent, ChainHead, Checkpoint
from .services import CONTENT_FIELDS, canonical_content, mac

logger = logging.getLogger(__name__)

# The "previous MAC" of the first event, so that every event has a predecessor to chain to.
GENESIS = "innocluster-audit-genesis"
BATCH_SIZE = 2000
MAX_PROBLEMS = 1000


class ChainTamperedError(Exception):
    """The chain's head cannot be trusted, so sealing more events onto it would launder the damage."""


def _ts(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds") if value else ""


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a or "", b or "")


def row_mac_of(content: bytes) -> str:
    return mac(b"row", content)


def chain_mac_of(seq: int, prev_mac: str, content: bytes) -> str:
    return mac(b"chain", str(seq), prev_mac or GENESIS, content)


def head_mac_of(head: ChainHead) -> str:
    return mac(b"head", str(head.last_seq), str(head.last_event_id), head.last_mac, _ts(head.sealed_at))


def checkpoint_mac_of(seq: int, event_id: int, event_mac: str, created_at: str) -> str:
    return mac(b"checkpoint", str(seq), str(event_id), event_mac, created_at)


def _new_checkpoint(seq: int, event_id: int, event_mac: str, now: datetime) -> Checkpoint:
    return Checkpoint(
        created_at=now,
        seq=seq,
        event_id=event_id,
        mac=event_mac,
        checkpoint_mac=checkpoint_mac_of(seq, event_id, event_mac, _ts(now)),
    )


def _lock_head() -> ChainHead:
    """Lock the single head row; every sealer and checkpoint writer serialises here."""
    head, created = ChainHead.objects.select_for_update().get_or_create(id=1)
    if created:
        if AuditEvent.objects.filter(seq__isnull=False).exists():
            raise ChainTamperedError(
                "the audit chain head is missing although sealed events exist; run `innocluster audit verify`"
            )
        head.head_mac = head_mac_of(head)
        head.save(update_fields=["head_mac"])
    elif not _same(head.head_mac, head_mac_of(head)):
        raise ChainTamperedError(
            "the audit chain head does not match its seal (altered outside the application); "
            "run `innocluster audit verify`"
        )
    return head


def seal_pending() -> int:
    """Chain every unsealed event, in id order; return how many were sealed.

    Works in batches, each in its own short transaction, so a large backlog does not hold the head
    lock for long. A row whose ``row_mac`` does not verify was not written by the application; it is
    left unsealed (``audit verify`` reports it) rather than being legitimised by the chain.
    """
    every = max(int(settings.INNOCLUSTER_AUDIT_CHECKPOINT_EVERY), 1)
    total, after_id = 0, 0
    while True:
        with transaction.atomic():
            head = _lock_head()
            batch = list(
                AuditEvent.objects.filter(seq__isnull=True, id__gt=after_id).order_by("id")[:BATCH_SIZE]
            )
            if not batch:
                return total
            after_id = batch[-1].id
            seq, prev = head.last_seq, head.last_mac if head.last_seq else GENESIS
            sealed: list[AuditEvent] = []
            checkpoints: list[Checkpoint] = []
            now = timezone.now()
            for event in batch:
                content = canonical_content(event)
                if not _same(event.row_mac, row_mac_of(content)):
                    logger.warning(
                        "audit event id=%s has an invalid row seal (written outside the application); "
                        "not sealing it",
                        event.id,
                    )
                    continue
                seq += 1
                event.seq, event.prev_mac = seq, prev
                event.mac = prev = chain_mac_of(seq, prev, content)
                sealed.append(event)
                if seq % every == 0:
                    checkpoints.append(_new_checkpoint(seq, event.id, event.mac, now))
            if sealed:
                _write_seals(sealed)
                last = sealed[-1]
                head.last_seq, head.last_event_id, head.last_mac, head.sealed_at = seq, last.id, last.mac, now
                head.head_mac = head_mac_of(head)
                head.save()
                Checkpoint.objects.bulk_create(checkpoints)
                total += len(sealed)


def _write_seals(events: list[AuditEvent]) -> None:
    """One prepared UPDATE run for every row: ``bulk_update`` builds a CASE expression per row in
    Python and is ten times slower for the 10k-row backlogs a seed or an import leaves."""
    meta = AuditEvent._meta
    table = connection.ops.quote_name(meta.db_table)
    seq, prev_mac, mac_, pk = (
        connection.ops.quote_name(meta.get_field(f).column) for f in ("seq", "prev_mac", "mac", "id")
    )
    statement = f"UPDATE {table} SET {seq} = %s, {prev_mac} = %s, {mac_} = %s WHERE {pk} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(statement, [(e.seq, e.prev_mac, e.mac, e.id) for e in events])


def write_checkpoint() -> Checkpoint | None:
    """Checkpoint the current head (``innocluster tick`` calls this), unless one is already there."""
    with transaction.atomic():
        head = _lock_head()
        if not head.last_seq or Checkpoint.objects.filter(seq=head.last_seq).exists():
            return None
        checkpoint = _new_checkpoint(head.last_seq, head.last_event_id, head.last_mac, timezone.now())
        checkpoint.save()
        return checkpoint


def _checkpoint_dict(checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "seq": checkpoint.seq,
        "event_id": checkpoint.event_id,
        "mac": checkpoint.mac,
        "created_at": _ts(checkpoint.created_at),
        "checkpoint_mac": checkpoint.checkpoint_mac,
    }


def export_checkpoints(since: int | datetime | None = None) -> list[dict[str, Any]]:
    """Checkpoints as JSON-able dicts, to be kept outside the database (mail, WORM storage, paper).

    ``since`` is a seq (exclusive) or a time (inclusive). Verifying against the export later detects
    a chain that was truncated, or rebuilt from scratch, together with its checkpoints."""
    checkpoints = Checkpoint.objects.order_by("seq", "id")
    if isinstance(since, datetime):
        checkpoints = checkpoints.filter(created_at__gte=since)
    elif since is not None:
        checkpoints = checkpoints.filter(seq__gt=since)
    return [_checkpoint_dict(c) for c in checkpoints]


# --- verification -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    event_id: int | None
    seq: int | None
    kind: str  # edited | forged | deleted | broken-link | head | checkpoint | export
    message: str


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    pending: int
    last_seq: int
    problems: list[Problem] = field(default_factory=list)
    omitted: int = 0  # problems beyond MAX_PROBLEMS, counted but not listed

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def summary(self) -> str:
        if self.ok:
            return (
                f"audit chain OK: {self.checked} events sealed, {self.pending} pending, "
                f"last seq {self.last_seq}"
            )
        count = len(self.problems) + self.omitted
        return f"audit chain BROKEN: {count} problem(s); first: {self.first_problem.message}"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["first_problem"] = asdict(self.first_problem) if self.first_problem else None
        return data


def _label(event_id: int | None, seq: int | None) -> str:
    where = f"seq {seq}" if seq is not None else "unsealed"
    return f"audit event id={event_id} ({where})"


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.omitted = 0
        self._seen: set[tuple[str, int | None, int | None]] = set()

    def add(self, kind: str, event_id: int | None, seq: int | None, message: str) -> None:
        # A deleted row is often seen from several places (head, checkpoint, export): report it once.
        key = (kind, event_id, seq)
        if key in self._seen:
            return
        self._seen.add(key)
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(event_id, seq, kind, message))
        else:
            self.omitted += 1


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _read_head() -> ChainHead | None:
    return ChainHead.objects.filter(id=1).first()


def verify(*, exported_checkpoints: Iterable[Mapping[str, Any]] | None = None) -> VerifyResult:
    """Recompute the chain and report every place where it was altered.

    Streams the events in seq order. Concurrent sealing is tolerated without locking anything: the
    head is read before the stream (so it cannot be ahead of what the stream sees, unless rows were
    deleted) and again after it (so it cannot be behind, unless the head was rolled back).
    """
    found = _Collector()
    exported = list(exported_checkpoints or [])
    head_before = _read_head()
    checkpoints = list(Checkpoint.objects.order_by("seq", "id"))
    # Rows that the head and the checkpoints point at, collected while streaming.
    wanted: set[int] = {c.seq for c in checkpoints}
    wanted.update(seq for c in exported if (seq := _as_int(c.get("seq"))) is not None)
    if head_before is not None:
        wanted.add(head_before.last_seq)
    at_seq: dict[int, tuple[int, str]] = {}

    checked, expected_seq, expected_prev, prev_id = 0, 1, GENESIS, None
    last_seq, last_id = 0, None
    head_seq = head_before.last_seq if head_before is not None else 0
    fields = (*CONTENT_FIELDS, "row_mac", "seq", "prev_mac", "mac")
    rows = AuditEvent.objects.filter(seq__isnull=False).order_by("seq").values(*fields)
    for row in rows.iterator(chunk_size=BATCH_SIZE):
        checked += 1
        event_id, seq = row["id"], row["seq"]
        label = _label(event_id, seq)
        content = canonical_content(row)
        row_ok = _same(row["row_mac"], row_mac_of(content))
        chain_ok = _same(row["mac"], chain_mac_of(seq, row["prev_mac"], content))
        if not row_ok and seq > head_seq:
            found.add(
                "forged",
                event_id,
                seq,
                f"{label}: its seal is not valid and it lies beyond the chain head (seq {head_seq}) — "
                "inserted outside the application",
            )
        elif not row_ok and not chain_ok:
            found.add(
                "edited",
                event_id,
                seq,
                f"{label}: content does not match its seal — edited after it was written",
            )
        elif not row_ok:
            found.add("edited", event_id, seq, f"{label}: its row seal was altered after it was written")
        elif not chain_ok:
            found.add(
                "edited",
                event_id,
                seq,
                f"{label}: its position in the chain (seq, prev_mac or mac) was altered after sealing",
            )
        if seq > expected_seq:
            missing = f"seq {expected_seq}" if seq == expected_seq + 1 else f"seq {expected_seq}–{seq - 1}"
            found.add(
                "deleted",
                event_id,
                seq,
                f"{label}: the sealed events before it ({missing}) are missing — deleted",
            )
        elif not _same(row["prev_mac"], expected_prev):
            after = f"audit event id={prev_id} (seq {seq - 1})" if prev_id else "the chain's start"
            found.add(
                "broken-link",
                event_id,
                seq,
                f"{label}: does not link to {after} — an event was removed or replaced",
            )
        if seq in wanted:
            at_seq[seq] = (event_id, row["mac"])
        # Resynchronise on the stored values so that one damaged row is reported once, not forever.
        expected_seq, expected_prev, prev_id = seq + 1, row["mac"], event_id
        last_seq, last_id = seq, event_id

    _check_head(found, head_before, _read_head(), last_seq, last_id, at_seq)
    _check_checkpoints(found, checkpoints, exported, at_seq, last_seq)

    pending = 0
    unsealed = AuditEvent.objects.filter(seq__isnull=True).order_by("id").values(*CONTENT_FIELDS, "row_mac")
    for row in unsealed.iterator(chunk_size=BATCH_SIZE):
        if _same(row["row_mac"], row_mac_of(canonical_content(row))):
            pending += 1
        else:
            found.add(
                "forged",
                row["id"],
                None,
                f"{_label(row['id'], None)}: its row seal is not valid — inserted or edited outside "
                "the application; it will not be sealed",
            )
    return VerifyResult(
        ok=not found.problems,
        checked=checked,
        pending=pending,
        last_seq=last_seq,
        problems=found.problems,
        omitted=found.omitted,
    )


def _check_head(
    found: _Collector,
    before: ChainHead | None,
    after: ChainHead | None,
    last_seq: int,
    last_id: int | None,
    at_seq: dict[int, tuple[int, str]],
) -> None:
    if before is None or after is None:
        if last_seq:
            found.add(
                "head", None, None, "the audit chain head is missing although sealed events exist — deleted"
            )
        return
    for head in (before, after):  # the same head twice is reported once
        if not _same(head.head_mac, head_mac_of(head)):
            found.add(
                "head",
                head.last_event_id,
                head.last_seq,
                f"the audit chain head (seq {head.last_seq}) does not match its seal — altered outside "
                "the application",
            )
    if before.last_seq > last_seq:
        gone = f"seq {last_seq + 1}" + (f"–{before.last_seq}" if before.last_seq > last_seq + 1 else "")
        found.add(
            "deleted",
            before.last_event_id,
            before.last_seq,
            f"{_label(before.last_event_id, before.last_seq)}, recorded as the chain's last, is missing: "
            f"the chain ends at seq {last_seq} (event id={last_id}) — the newest events ({gone}) were deleted",
        )
    elif before.last_seq and at_seq.get(before.last_seq) != (before.last_event_id, before.last_mac):
        event_id, _ = at_seq.get(before.last_seq, (None, ""))
        found.add(
            "head",
            event_id,
            before.last_seq,
            f"{_label(event_id, before.last_seq)} is not the event the chain head records there "
            f"(id={before.last_event_id}) — the chain was rewritten",
        )
    beyond = AuditEvent.objects.filter(seq__gt=after.last_seq, seq__lte=last_seq).order_by("seq")
    if last_seq > after.last_seq and (first := beyond.values_list("id", "seq").first()):
        event_id, seq = first
        found.add(
            "head",
            event_id,
            seq,
            f"{_label(event_id, seq)}: sealed events up to seq {last_seq} lie beyond the chain head "
            f"(seq {after.last_seq}) — the head was rolled back or events were inserted",
        )


def _check_against_chain(
    found: _Collector, source: str, seq: int, event_id: int, event_mac: str, at_seq, last_seq: int
) -> None:
    actual = at_seq.get(seq)
    if actual is None:
        tail = (
            f" — the chain ends at seq {last_seq}, the newest events were deleted" if seq > last_seq else ""
        )
        found.add(
            "deleted",
            event_id,
            seq,
            f"{_label(event_id, seq)}, recorded in {source}, is missing — deleted{tail}",
        )
    elif actual != (event_id, event_mac):
        found.add(
            "checkpoint",
            actual[0],
            seq,
            f"{_label(actual[0], seq)} differs from {source} (which records event id={event_id}) — the chain "
            "was rewritten",
        )


def _check_checkpoints(
    found: _Collector,
    checkpoints: list[Checkpoint],
    exported: list[Mapping[str, Any]],
    at_seq: dict[int, tuple[int, str]],
    last_seq: int,
) -> None:
    for cp in checkpoints:
        source = f"the checkpoint at seq {cp.seq}"
        if not _same(cp.checkpoint_mac, checkpoint_mac_of(cp.seq, cp.event_id, cp.mac, _ts(cp.created_at))):
            found.add(
                "checkpoint",
                cp.event_id,
                cp.seq,
                f"{source} does not match its seal — altered outside the application",
            )
        _check_against_chain(found, source, cp.seq, cp.event_id, cp.mac, at_seq, last_seq)

    stored = {(c.seq, c.event_id, c.mac, c.checkpoint_mac) for c in checkpoints}
    for number, item in enumerate(exported, start=1):
        try:
            seq, event_id = int(item["seq"]), int(item["event_id"])
            event_mac, created_at, cp_mac = (
                str(item["mac"]),
                str(item["created_at"]),
                str(item["checkpoint_mac"]),
            )
        except (KeyError, TypeError, ValueError):
            found.add("export", None, None, f"exported checkpoint #{number} is malformed")
            continue
        source = f"the exported checkpoint at seq {seq}"
        if not _same(cp_mac, checkpoint_mac_of(seq, event_id, event_mac, created_at)):
            found.add(
                "export",
                event_id,
                seq,
                f"{source} does not verify under the current audit key — the key was changed (the chain "
                "rebuilt) or the export was altered",
            )
        elif (seq, event_id, event_mac, cp_mac) not in stored:
            found.add("checkpoint", event_id, seq, f"{source} is missing from the database — deleted")
        _check_against_chain(found, source, seq, event_id, event_mac, at_seq, last_seq)
