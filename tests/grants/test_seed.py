"""The demo's programmes and calls: made through the commands, and a second run adds nothing."""

import pytest

from innocluster.grants.models import Call, CallStatus, Programme
from innocluster.grants.selectors import public_calls


@pytest.fixture
def demo(db):
    from innocluster.registry.services.register import load_reference_data
    from innocluster.seed.foundation import seed_foundation
    from innocluster.seed.grants import seed_grants_demo

    seed_foundation()
    load_reference_data()
    return seed_grants_demo(), seed_grants_demo


def test_the_demo_has_two_programmes_and_calls_in_three_states(demo):
    result, again = demo
    assert result.programmes == 2
    assert result.by_status == {CallStatus.PUBLISHED: 1, CallStatus.SUBMITTED: 1, CallStatus.DRAFT: 1}
    assert set(Programme.objects.values_list("budget_line__code", flat=True)) == {"GRANTS", "ACCEL"}
    published = Call.objects.get(status=CallStatus.PUBLISHED)
    assert published.is_open() and published.approved_by.username == "fund-executive"
    assert [c.pk for c in public_calls()["open"]] == [published.pk]
    assert again().skipped
    assert Call.objects.count() == 3
