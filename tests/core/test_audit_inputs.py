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
