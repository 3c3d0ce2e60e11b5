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
