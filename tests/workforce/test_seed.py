"""The demo's foreign specialists: every state the later pages need, made through the commands,
and a second run adds nothing."""

import datetime as dt
from unittest import mock

import pytest

from innocluster.core.audit.chain import seal_pending, verify
from innocluster.workforce.models import EngagementRequest, Letter
from innocluster.workforce.selectors.requests import is_breached

TODAY = dt.date(2026, 5, 4)


@pytest.fixture
def demo(db, settings, tmp_path):
    from innocluster.seed.applications import seed_applications_demo
    from innocluster.seed.foundation import seed_foundation
    from innocluster.seed.registry import seed_registry_demo
    from innocluster.seed.workforce import seed_workforce_demo

    settings.MEDIA_ROOT = str(tmp_path / "media")
    with mock.patch("innocluster.core.policy.values.today", return_value=TODAY):
        seed_foundation()
        seed_registry_demo(30)
        seed_applications_demo(today=TODAY)
        yield seed_workforce_demo(today=TODAY), seed_workforce_demo


def test_the_demo_has_requests_in_several_states_for_the_fund_and_two_participants(demo, settings):
    result, _again = demo
    S = EngagementRequest.Status
    assert result.specialists == 6
    assert result.by_status == {S.ACTIVE: 2, S.SUBMITTED: 1, S.RETURNED: 1, S.REFUSED: 1, S.CHECKED: 1}
    employers = set(EngagementRequest.objects.values_list("employer__bin", flat=True))
    assert len(employers) == 3 and settings.INNOCLUSTER_FUND_BIN in employers
    overdue = EngagementRequest.objects.get(status=S.SUBMITTED)
    assert is_breached(overdue, today=TODAY)
    assert EngagementRequest.objects.get(status=S.RETURNED).revision_items.count() == 2
    assert Letter.objects.count() == 4
    seal_pending()
    assert verify().ok


def test_the_demo_seeds_once(demo):
    _result, again = demo
    before = EngagementRequest.objects.count()
    with mock.patch("innocluster.core.policy.values.today", return_value=TODAY):
        assert again(today=TODAY).skipped
    assert EngagementRequest.objects.count() == before
