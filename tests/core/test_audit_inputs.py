"""Inputs that databases store differently must not break the seal."""

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
