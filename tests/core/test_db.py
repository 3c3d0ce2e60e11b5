"""``core.db``'s writes: the rows they leave are the rows the ORM would leave."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy

from innocluster.core import db
from innocluster.core.audit.models import AuditEvent
from innocluster.finance.models import JournalEntry, Period

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2026, 3, 16, 7, 30, 15, 123456, tzinfo=dt.UTC)


def audit_row(**kw):
    values = {
        "occurred_at": WHEN,
        "actor_repr": "system",
        "action": "test.db",
        "object_type": "x.y",
        "object_id": "7",
        "object_repr": "seven",
        "changes": {"amount": "1.50", "lines": [[1, None, "ы"]]},
        "reason": "",
        "ip": "2001:db8::1",
        "row_mac": "pending",
    }
    return AuditEvent(**(values | kw))


def stored(model, pk, fields):
    return model.objects.filter(pk=pk).values(*fields).get()


FIELDS = ("occurred_at", "actor_repr", "action", "object_id", "changes", "ip", "row_mac", "seq")


def test_insert_leaves_the_rows_bulk_create_would_and_sets_their_keys():
    ours = [audit_row(object_id=str(i)) for i in range(3)]
    theirs = [audit_row(object_id=str(i)) for i in range(3)]
    db.insert(ours)
    AuditEvent.objects.bulk_create(theirs)
    assert all(e.pk for e in ours) and len({e.pk for e in ours}) == 3
    assert not ours[0]._state.adding
    for a, b in zip(ours, theirs, strict=True):
        assert stored(AuditEvent, a.pk, FIELDS) == stored(AuditEvent, b.pk, FIELDS)
    assert [e.object_id for e in AuditEvent.objects.filter(pk__in=[e.pk for e in ours]).order_by("pk")] == [
        "0",
        "1",
        "2",
    ]


def test_insert_applies_auto_now_add_and_prepares_values_that_are_not_plain():
    period = Period.objects.create(year=2026, month=3)
    entry = JournalEntry(
        date=dt.date(2026, 3, 16),
        period=period,
        reference=gettext_lazy("Reversal of"),  # a lazy string is turned into text, not handed to the driver
        description="x",
        kind="system",
        status="draft",
    )
    db.insert([entry])
    row = JournalEntry.objects.get(pk=entry.pk)
    assert row.created_at is not None and row.created_at == entry.created_at
    assert row.reference == "Reversal of" and row.date == dt.date(2026, 3, 16)


def test_update_and_update_many_change_only_the_named_rows():
    events = [audit_row(object_id=str(i)) for i in range(4)]
    db.insert(events)
    assert db.update(AuditEvent, events[0].pk, row_mac="a" * 64, occurred_at=WHEN + dt.timedelta(days=1)) == 1
    db.update_many(AuditEvent, ("row_mac",), [("b" * 64, events[1].pk), ("c" * 64, events[2].pk)])
    rows = {e.pk: e for e in AuditEvent.objects.filter(pk__in=[e.pk for e in events])}
    assert [rows[e.pk].row_mac for e in events] == ["a" * 64, "b" * 64, "c" * 64, "pending"]
    assert rows[events[0].pk].occurred_at == WHEN + dt.timedelta(days=1)
    assert rows[events[3].pk].occurred_at == WHEN
    assert db.update(AuditEvent, 10**9, row_mac="x") == 0


def test_decimals_go_through_their_field():
    from innocluster.finance.models import Budget
    from tests.factories import finance

    budget = Budget(line=finance.budget_line(), year=2031, source="levy", amount=Decimal("1234567890123.45"))
    db.insert([budget])
    assert Budget.objects.get(pk=budget.pk).amount == Decimal("1234567890123.45")


def test_build_makes_the_instance_init_would():
    from django.db.models import signals

    from innocluster.finance.models import Account, JournalLine

    account = Account.objects.filter(postable=True).first()
    entry = JournalEntry(date=dt.date(2026, 3, 16), description="x")
    values = {"entry": entry, "date": dt.date(2026, 3, 16), "account": account, "debit": Decimal("2.50")}
    ours, theirs = db.build(JournalLine, **values), JournalLine(**values)
    attnames = [f.attname for f in JournalLine._meta.concrete_fields]
    assert [getattr(ours, a) for a in attnames] == [getattr(theirs, a) for a in attnames]
    assert ours.credit == 0 and ours.party_id is None and ours.memo == "" and ours.account_id == account.pk
    assert ours._state.adding and ours._state.db is None
    # Related objects given by name are cached: reading them asks the database nothing.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert ours.account is account and ours.entry is entry and ours.party is None
    assert len(queries) == 0
    # Callable defaults are called per instance.
    first, second = db.build(AuditEvent, action="a"), db.build(AuditEvent, action="b")
    assert first.changes == {} and first.changes is not second.changes
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        db.build(JournalLine, colour="red")
    # A model someone listens to on init is built by __init__, so the receiver still runs.
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    db._BUILDERS.pop(Period, None)
    signals.post_init.connect(receiver, sender=Period)
    try:
        period = db.build(Period, year=2026, month=4)
    finally:
        signals.post_init.disconnect(receiver, sender=Period)
        db._BUILDERS.pop(Period, None)
    assert seen == [period]


@pytest.mark.parametrize(
    "when",
    [
        WHEN,  # UTC: the shortcut
        WHEN.astimezone(dt.timezone(dt.timedelta(hours=5))),  # Asia/Almaty's offset: the backend's path
    ],
)
def test_datetimes_are_stored_as_the_orm_stores_them(when):
    ours, theirs = audit_row(occurred_at=when), audit_row(occurred_at=when)
    db.insert([ours])
    AuditEvent.objects.bulk_create([theirs])
    assert stored(AuditEvent, ours.pk, FIELDS) == stored(AuditEvent, theirs.pk, FIELDS)
    assert AuditEvent.objects.get(pk=ours.pk).occurred_at == WHEN
    from django.db import connection

    with connection.cursor() as cursor:  # the very text in the column, not only the value read back
        cursor.execute("SELECT occurred_at FROM audit_auditevent WHERE id IN (%s, %s)", [ours.pk, theirs.pk])
        texts = {row[0] for row in cursor.fetchall()}
    assert len(texts) == 1


def test_one_cursor_serves_every_statement_of_the_block_and_nests():
    from django.db import connection

    events = [audit_row(object_id=str(i)) for i in range(2)]
    with db.one_cursor():
        shared = connection._shared_cursor
        assert shared is not None
        db.insert(events[:1])
        with db.one_cursor():
            assert connection._shared_cursor is shared
            db.insert(events[1:])
        assert connection._shared_cursor is shared
        assert db.update(AuditEvent, events[0].pk, row_mac="d" * 64) == 1
    assert connection._shared_cursor is None
    assert events[0].pk and events[1].pk and events[0].pk != events[1].pk
    assert AuditEvent.objects.get(pk=events[0].pk).row_mac == "d" * 64
    assert AuditEvent.objects.get(pk=events[1].pk).object_id == "1"


def test_statements_are_seen_by_whoever_counts_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    events = [audit_row(object_id="seen")]
    with CaptureQueriesContext(connection) as queries:
        db.insert(events)
        db.update(AuditEvent, events[0].pk, row_mac="e" * 64)
        db.update_many(AuditEvent, ("row_mac",), [("f" * 64, events[0].pk)])
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 3
    assert sql[0].startswith('INSERT INTO "audit_auditevent"') and "UPDATE" in sql[1]
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        db.insert([audit_row(object_id="wrapped")])
    assert len(seen) == 1 and seen[0].startswith('INSERT INTO "audit_auditevent"')


def test_driver_errors_become_djangos_and_a_broken_transaction_is_refused():
    from django.db import IntegrityError, transaction
    from django.db.transaction import TransactionManagementError

    first = audit_row(object_id="1", seq=10**12)
    db.insert([first])
    # seq is unique: Django's error, not the driver's
    with pytest.raises(IntegrityError), transaction.atomic():
        db.insert([audit_row(object_id="2", seq=10**12)])
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):
            db.insert([audit_row(object_id="3", seq=10**12)])  # failed in a block without a savepoint ...
        with pytest.raises(TransactionManagementError):
            db.insert([audit_row(object_id="4")])  # ... so nothing more runs in this transaction
        transaction.set_rollback(True)
    assert not AuditEvent.objects.filter(object_id__in=["2", "3", "4"]).exists()
