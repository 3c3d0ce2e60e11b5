"""Inputs that databases store differently must not break the seal."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from innocluster.core.audit.chain import seal_pending, verify
from innocluster.core.audit.models import AuditEvent
from innocluster.core.audit.services import record_event

pytestmark = pytest.mark.django_db


def test_floats_in_changes_are_sealed_as_text_and_verify_on_every_database():
    event = record_event(action="test.float", changes={"share": [1e16, 0.1]})
    seal_pending()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.changes == {"share": ["1e+16", "0.1"]}
    assert stored.seq is not None
    assert verify().ok


@pytest.mark.parametrize(
    ("given", "stored"), [("010.1.1.1", None), ("2001:DB8::1", "2001:db8::1"), ("", None)]
)
def test_ip_addresses_are_normalised_or_dropped(given, stored):
    event = record_event(action="test.ip", ip=given)
    assert AuditEvent.objects.get(pk=event.pk).ip == stored
    seal_pending()
    assert verify().ok


def test_a_transaction_writing_many_events_seals_once_after_commit(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        for i in range(50):
            record_event(action="test.bulk", object_repr=str(i))
    assert len(callbacks) == 1


def test_a_seal_registered_in_a_rolled_back_savepoint_is_registered_again(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        try:
            with transaction.atomic():
                record_event(action="test.rolled_back")
                raise RuntimeError
        except RuntimeError:
            pass
        kept = record_event(action="test.kept")
    assert len(callbacks) == 1
    assert AuditEvent.objects.get(pk=kept.pk).seq is not None


@pytest.mark.parametrize(
    "value",
    [
        {"b": [1, None, True, "ы"], "a": {"z": Decimal("1.50"), "y": date(2026, 3, 16)}},
        {"when": datetime(2026, 3, 16, 7, 30, tzinfo=UTC), "share": [1e16, 0.1, float("inf")]},
        [("tuple", 2), {"nested": [{"x": Decimal("-0.00")}]}],
        {2: "int keys", 1: "x"},  # keys that are not text: the JSON round trip decides
        {"lazy": SimpleNamespace(x=1)},  # an object JSON knows only by str()
        "plain",
    ],
)
def test_normalise_is_the_json_round_trip(value):
    """The one-walk path gives exactly what the JSON round trip gives (the MAC depends on it)."""
    from innocluster.core.audit.services import _json_default, _no_floats, normalise

    expected = _no_floats(json.loads(json.dumps(value, default=_json_default, sort_keys=True)))
    got = normalise(value)
    assert got == expected
    assert json.dumps(got) == json.dumps(expected)  # the same order of keys too
