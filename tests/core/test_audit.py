"""The audit log: recording, sealing, and catching every kind of tampering an attacker without the key
can do with raw SQL."""

import contextlib
import hashlib
import itertools
import json
import logging
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from innocluster.core.audit.chain import (
    ChainTamperedError,
    export_checkpoints,
    seal_pending,
    verify,
    write_checkpoint,
)
from innocluster.core.audit.models import AuditEvent, ChainHead, Checkpoint
from innocluster.core.audit.services import SYSTEM_ACTOR, canonical_content, diff, mac, record_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _audit_settings(settings):
    settings.INNOCLUSTER_AUDIT_KEY = "test-audit-key"
    settings.INNOCLUSTER_AUDIT_CHECKPOINT_EVERY = 1000


def record(n: int, prefix: str = "test.event") -> list[AuditEvent]:
    return [record_event(action=f"{prefix}.{i}", reason=f"reason {i}") for i in range(n)]


def sealed_ids() -> list[int]:
    return list(AuditEvent.objects.filter(seq__isnull=False).order_by("seq").values_list("id", flat=True))


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def run_verify(*args: str) -> str:
    """Run `audit verify`, expect exit code 1, return stderr."""
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify", *args, stdout=StringIO(), stderr=err)
    assert exc.value.returncode == 1
    return err.getvalue()


# --- recording ----------------------------------------------------------------------------------


def test_record_event_stores_actor_object_changes_reason_and_ip():
    user = get_user_model().objects.create_user(username="aigerim", password="x")
    changes = diff(
        {"amount": Decimal("10.00"), "due": date(2026, 1, 5), "status": "draft"},
        {"amount": Decimal("12.50"), "due": date(2026, 1, 5), "status": "submitted", "note": "ok"},
    )
    event = record_event(
        action="declaration.submit",
        actor=user,
        obj=user,
        changes=changes,
        reason="quarterly filing",
        ip="2001:DB8:0:0::1",
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert changes == {
        "amount": ["10.00", "12.50"],
        "note": [None, "ok"],
        "status": ["draft", "submitted"],
    }
    assert (stored.actor, stored.actor_repr, stored.action) == (user, "aigerim", "declaration.submit")
    assert (stored.object_type, stored.object_id, stored.object_repr) == (
        "auth.user",
        str(user.pk),
        "aigerim",
    )
    assert stored.changes == changes
    assert stored.reason == "quarterly filing"
    assert stored.ip == "2001:db8::1"  # normalised before the MAC, so the MAC survives the round trip
    assert stored.row_mac == mac(b"row", canonical_content(stored))
    assert stored.seq is None  # sealed after commit, not inside the business transaction


def test_record_event_without_actor_is_the_system():
    event = record_event(action="tick", object_type="x", object_id=7, object_repr="seven")
    assert (event.actor_id, event.actor_repr, event.object_id) == (None, SYSTEM_ACTOR, "7")


def test_event_is_sealed_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = record_event(action="a")
    event.refresh_from_db()
    assert event.seq == 1


def test_events_in_released_sibling_savepoints_share_one_seal(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for i in range(3):
            with transaction.atomic():  # as each journal.post inside an import's transaction
                record_event(action=f"a.{i}")
    assert len(callbacks) == 1
    assert sealed_ids() == sorted(AuditEvent.objects.values_list("id", flat=True))


def test_a_rolled_back_savepoint_takes_its_seal_and_the_next_event_schedules_its_own(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with contextlib.suppress(RuntimeError), transaction.atomic():
            record_event(action="gone")
            raise RuntimeError
        event = record_event(action="kept")
    assert len(callbacks) == 1
    event.refresh_from_db()
    assert event.seq is not None


# --- sealing ------------------------------------------------------------------------------------


def test_sealing_assigns_contiguous_seq_in_id_order_and_links_each_event_to_the_previous():
    events = record(5)
    assert seal_pending() == 5
    assert seal_pending() == 0
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert [r.id for r in rows] == [e.id for e in events]
    assert all(b.prev_mac == a.mac for a, b in itertools.pairwise(rows))
    head = ChainHead.objects.get()
    assert (head.last_seq, head.last_event_id, head.last_mac) == (5, rows[-1].id, rows[-1].mac)


def test_checkpoints_every_n_events_and_on_demand(settings):
    settings.INNOCLUSTER_AUDIT_CHECKPOINT_EVERY = 3
    record(7)
    seal_pending()
    assert list(Checkpoint.objects.values_list("seq", flat=True)) == [3, 6]
    assert write_checkpoint().seq == 7
    assert write_checkpoint() is None  # already one at the head
    exported = export_checkpoints()
    assert [c["seq"] for c in exported] == [3, 6, 7]
    assert json.loads(json.dumps(exported)) == exported
    assert [c["seq"] for c in export_checkpoints(since=3)] == [6, 7]


def test_sealing_a_large_backlog_uses_batches(settings):
    settings.INNOCLUSTER_AUDIT_CHECKPOINT_EVERY = 1000
    AuditEvent.objects.bulk_create(AuditEvent(**_row(i)) for i in range(4500))
    for event in AuditEvent.objects.all():  # row MACs need the ids the database assigned
        event.row_mac = mac(b"row", canonical_content(event))
        event.save(update_fields=["row_mac"])
    assert seal_pending() == 4500
    assert Checkpoint.objects.count() == 4
    result = verify()
    assert (result.ok, result.checked, result.last_seq) == (True, 4500, 4500)


def _row(i: int) -> dict:
    from django.utils import timezone

    return {"occurred_at": timezone.now(), "actor_repr": "system", "action": f"bulk.{i}", "row_mac": "x"}


# --- verifying a clean chain --------------------------------------------------------------------


def test_verify_passes_on_a_clean_chain_and_counts_pending():
    record(4)
    seal_pending()
    record(2)
    result = verify()
    assert (result.ok, result.checked, result.pending, result.last_seq) == (True, 4, 2, 4)
    assert result.first_problem is None

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == "audit chain OK: 4 events sealed, 2 pending, last seq 4"
    out = StringIO()
    call_command("audit", "verify", "--json", stdout=out)
    assert json.loads(out.getvalue())["ok"] is True


def test_verify_passes_on_an_empty_log():
    assert verify().ok
    call_command("audit", "verify", stdout=StringIO())


def test_seal_and_checkpoint_commands(tmp_path):
    record(3)
    out = StringIO()
    call_command("audit", "seal", stdout=out)
    assert "sealed 3" in out.getvalue()
    export = tmp_path / "checkpoints.json"
    call_command("audit", "checkpoint", "--export", str(export), stdout=StringIO(), stderr=StringIO())
    assert [c["seq"] for c in json.loads(export.read_text())] == [3]
    call_command("audit", "verify", "--checkpoints", str(export), stdout=StringIO())


# --- tampering ----------------------------------------------------------------------------------


def test_edit_with_raw_sql_is_caught_and_names_the_row():
    events = record(5)
    seal_pending()
    victim = events[2]
    sql("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["nothing to see", victim.id])
    result = verify()
    assert not result.ok
    assert (result.first_problem.event_id, result.first_problem.seq, result.first_problem.kind) == (
        victim.id,
        3,
        "edited",
    )
    assert result.first_problem.message == (
        f"audit event id={victim.id} (seq 3): content does not match its seal — edited after it was written"
    )
    assert len(result.problems) == 1  # the next events still link to the stored MAC
    assert f"id={victim.id}" in run_verify()


def test_deleted_middle_row_is_caught():
    events = record(5)
    seal_pending()
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[2].id])
    result = verify()
    assert [(p.kind, p.event_id, p.seq) for p in result.problems] == [("deleted", events[3].id, 4)]
    assert "(seq 3) are missing — deleted" in result.first_problem.message
    assert f"id={events[3].id}" in run_verify()


def test_renumbering_after_a_delete_is_caught():
    events = record(4)
    seal_pending()
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    sql("UPDATE audit_auditevent SET seq = seq - 1 WHERE seq > 2")
    sql("UPDATE audit_chainhead SET last_seq = last_seq - 1")
    kinds = {(p.kind, p.event_id) for p in verify().problems}
    assert ("edited", events[2].id) in kinds
    assert ("broken-link", events[2].id) in kinds


def test_deleted_last_rows_are_caught_via_the_head():
    events = record(6)
    seal_pending()
    sql("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[4].id, events[5].id])
    result = verify()
    assert (result.first_problem.kind, result.first_problem.event_id, result.first_problem.seq) == (
        "deleted",
        events[5].id,
        6,
    )
    assert "newest events (seq 5–6) were deleted" in result.first_problem.message
    assert f"id={events[5].id}" in run_verify()


def _head_row() -> tuple:
    """The head exactly as stored: an attacker can save it and write it back later."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_seq, last_event_id, last_mac, head_mac, sealed_at FROM audit_chainhead")
        return cursor.fetchone()


def _restore_head(values: tuple) -> None:
    sql(
        "UPDATE audit_chainhead SET last_seq = %s, last_event_id = %s, last_mac = %s, head_mac = %s, "
        "sealed_at = %s",
        values,
    )


def test_deleted_last_rows_with_the_head_rolled_back_are_caught_via_a_checkpoint():
    events = record(4)
    seal_pending()
    earlier_head = _head_row()
    events += record(2)
    seal_pending()
    write_checkpoint()  # as `innocluster tick` does
    sql("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[4].id, events[5].id])
    _restore_head(earlier_head)
    result = verify()
    assert [(p.kind, p.event_id, p.seq) for p in result.problems] == [("deleted", events[5].id, 6)]
    assert "recorded in the checkpoint at seq 6, is missing" in result.first_problem.message
    assert f"id={events[5].id}" in run_verify()


def test_deleted_checkpoints_are_caught_by_an_exported_copy(tmp_path):
    events = record(4)
    seal_pending()
    earlier_head = _head_row()
    events += record(2)
    seal_pending()
    write_checkpoint()
    export = tmp_path / "anchor.json"
    export.write_text(json.dumps(export_checkpoints()))
    sql("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[4].id, events[5].id])
    sql("DELETE FROM audit_checkpoint")
    _restore_head(earlier_head)
    assert verify().ok  # nothing inside the database can tell any more...
    assert f"id={events[5].id}" in run_verify("--checkpoints", str(export))  # ...the exported anchor can


def _forge(template_id: int, *, sealed: bool) -> int:
    """Insert a row the way an attacker without the HMAC key would: a plain sha256 chain."""
    sql(
        "INSERT INTO audit_auditevent (occurred_at, actor_id, actor_repr, action, object_type, object_id,"
        " object_repr, changes, reason, ip, row_mac, seq, prev_mac, mac)"
        " SELECT occurred_at, actor_id, actor_repr, 'grant.award', object_type, object_id, object_repr,"
        " changes, 'approved', ip, '', NULL, '', '' FROM audit_auditevent WHERE id = %s",
        [template_id],
    )
    forged = AuditEvent.objects.order_by("-id").first()
    content = canonical_content(forged)
    row_mac = hashlib.sha256(content).hexdigest()
    if not sealed:
        sql("UPDATE audit_auditevent SET row_mac = %s WHERE id = %s", [row_mac, forged.id])
        return forged.id
    last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").first()
    seq, prev = last.seq + 1, last.mac
    chain = hashlib.sha256(str(seq).encode() + prev.encode() + content).hexdigest()
    sql(
        "UPDATE audit_auditevent SET row_mac = %s, seq = %s, prev_mac = %s, mac = %s WHERE id = %s",
        [row_mac, seq, prev, chain, forged.id],
    )
    return forged.id


def test_forged_unsealed_row_is_reported_and_never_sealed(caplog):
    events = record(3)
    seal_pending()
    forged_id = _forge(events[0].id, sealed=False)
    record(1)
    with caplog.at_level(logging.WARNING, logger="innocluster.core.audit.chain"):
        assert seal_pending() == 1  # the genuine event only
    assert f"id={forged_id}" in caplog.text
    assert AuditEvent.objects.get(pk=forged_id).seq is None
    result = verify()
    assert [(p.kind, p.event_id, p.seq) for p in result.problems] == [("forged", forged_id, None)]
    assert f"id={forged_id}" in run_verify()


def test_forged_sealed_looking_row_is_caught():
    events = record(3)
    seal_pending()
    forged_id = _forge(events[0].id, sealed=True)
    result = verify()
    assert (result.first_problem.kind, result.first_problem.event_id, result.first_problem.seq) == (
        "forged",
        forged_id,
        4,
    )
    assert f"id={forged_id}" in run_verify()


def test_tampered_head_is_caught_and_sealing_refuses_to_build_on_it():
    record(3)
    seal_pending()
    sql("UPDATE audit_chainhead SET last_seq = 2")
    assert {p.kind for p in verify().problems} >= {"head"}
    record(1)
    with pytest.raises(ChainTamperedError):
        seal_pending()
    with pytest.raises(CommandError):
        call_command("audit", "seal", stdout=StringIO())


def test_head_rolled_back_over_intact_rows_is_caught():
    events = record(4)
    seal_pending()
    earlier_head = _head_row()
    events += record(2)
    seal_pending()
    _restore_head(earlier_head)
    result = verify()
    assert [(p.kind, p.event_id, p.seq) for p in result.problems] == [("head", events[4].id, 5)]
    assert "beyond the chain head (seq 4)" in result.first_problem.message


def test_tampered_checkpoint_is_caught():
    events = record(3)
    seal_pending()
    write_checkpoint()
    sql("UPDATE audit_checkpoint SET event_id = %s", [events[1].id])
    assert {p.kind for p in verify().problems} == {"checkpoint"}
    run_verify()


def test_exported_checkpoints_detect_a_chain_rebuilt_with_another_key(settings):
    record(3)
    seal_pending()
    write_checkpoint()
    exported = export_checkpoints()
    assert verify(exported_checkpoints=exported).ok

    # Someone with server access replaces the key and rebuilds the whole log from scratch.
    settings.INNOCLUSTER_AUDIT_KEY = "another-key"
    for table in ("audit_auditevent", "audit_checkpoint", "audit_chainhead"):
        sql(f"DELETE FROM {table}")
    record(3, prefix="rewritten")
    seal_pending()
    write_checkpoint()
    assert verify().ok
    result = verify(exported_checkpoints=exported)
    assert not result.ok
    assert result.first_problem.kind == "export"
    assert "does not verify under the current audit key" in result.first_problem.message


def test_admin_is_read_only_even_for_a_superuser(admin_client):
    event = record(1)[0]
    seal_pending()
    write_checkpoint()
    assert admin_client.get("/admin/audit/auditevent/").status_code == 200
    assert admin_client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200  # view only
    assert admin_client.get("/admin/audit/auditevent/add/").status_code == 403
    assert admin_client.post(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    assert (
        admin_client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"reason": "x"}).status_code == 403
    )
    assert admin_client.get("/admin/audit/checkpoint/").status_code == 200
    assert admin_client.get("/admin/audit/checkpoint/add/").status_code == 403
    assert verify().ok


# --- id gaps ------------------------------------------------------------------------------------


def _advance_id_sequence(by: int) -> None:
    """SQLite's AUTOINCREMENT counter rolls back with the transaction; PostgreSQL's sequence does
    not. Make SQLite leave the gap PostgreSQL (and concurrent writers) would leave."""
    if connection.vendor == "sqlite":
        sql("UPDATE sqlite_sequence SET seq = seq + %s WHERE name = 'audit_auditevent'", [by])


@pytest.mark.django_db(transaction=True)
def test_ids_left_unused_by_rolled_back_transactions_are_tolerated():
    record(2)  # autocommit: each event is sealed by its on_commit hook
    with contextlib.suppress(RuntimeError), transaction.atomic():
        record(3, prefix="rolled-back")
        raise RuntimeError("the business action failed")
    _advance_id_sequence(3)
    record(2)
    ids = sealed_ids()
    assert len(ids) == 4
    assert any(b - a > 1 for a, b in itertools.pairwise(ids))
    assert not AuditEvent.objects.filter(action__startswith="rolled-back").exists()
    result = verify()
    assert (result.ok, result.checked, result.pending, result.last_seq) == (True, 4, 0, 4)


@hyp_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["record", "seal", "rollback", "checkpoint", "gap"]), max_size=25))
def test_any_sequence_of_record_seal_and_rollback_verifies(operations):
    for operation in operations:
        if operation == "record":
            record_event(action="prop.record")
        elif operation == "seal":
            seal_pending()
        elif operation == "checkpoint":
            write_checkpoint()
        elif operation == "gap":
            _advance_id_sequence(2)
        else:
            with contextlib.suppress(RuntimeError), transaction.atomic():
                record_event(action="prop.rolled-back")
                raise RuntimeError
    result = verify()
    assert result.ok, result.problems
    assert result.pending == AuditEvent.objects.filter(seq__isnull=True).count()
    seal_pending()
    result = verify()
    assert (result.ok, result.pending, result.checked) == (True, 0, AuditEvent.objects.count())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_sealers_keep_the_chain_intact():
    """Many transactions commit in an order unrelated to their ids while their on_commit hooks seal
    concurrently; some roll back. The head lock must still produce one gap-free, valid chain."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    import random
    import threading
    import time

    from django.db import connections

    errors: list[BaseException] = []

    def worker(n: int) -> None:
        rng = random.Random(n)
        try:
            for i in range(15):
                with contextlib.suppress(RuntimeError), transaction.atomic():
                    record_event(action=f"race.{n}.{i}")
                    time.sleep(rng.random() / 200)
                    if rng.random() < 0.2:
                        raise RuntimeError
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    seal_pending()
    result = verify()
    assert result.ok, result.problems
    assert (result.checked, result.pending) == (AuditEvent.objects.count(), 0)
