"""The register's metrics (``registry.selectors.metrics`` through the manifest): participants in
the register on a day, in all and by category, follow the register's history; the share of
applications decided within the deadline follows the decisions."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from innocluster.core.manifest import metrics
from innocluster.core.policy import values as policy
from innocluster.registry.models import Participant
from innocluster.registry.services import applications, moderation
from innocluster.registry.services import commission as commission_services
from innocluster.registry.services import register as services
from tests.factories.registry import commission_decision, draft_application
from tests.registry.test_membership import make_participant

pytestmark = pytest.mark.django_db

PEOPLE = ("applicant", "other", "registrar", "commission")


def value(code: str, on: date):
    return metrics()[code].value(on)


def test_every_shipped_category_has_its_participants_metric(reference_data):
    codes = set(metrics())
    assert {
        "registry.participants",
        "registry.participants_company",
        "registry.participants_science_org",
    } <= codes
    assert metrics()["registry.participants_company"].unit == "count"
    assert "Company" in str(metrics()["registry.participants_company"].label)


def test_participants_in_the_register_follow_its_history(people):
    assert value("registry.participants", date(2026, 3, 2)) == 0
    first = make_participant(registered_on=date(2026, 3, 2), name="ТОО «Бірінші»")
    assert value("registry.participants", date(2026, 3, 1)) == 0
    assert value("registry.participants", date(2026, 3, 2)) == 1
    assert value("registry.participants_company", date(2026, 3, 2)) == 1
    assert value("registry.participants_science_org", date(2026, 3, 2)) == 0
    make_participant(registered_on=date(2026, 4, 1), name="ТОО «Екінші»")
    assert value("registry.participants", date(2026, 4, 1)) == 2
    services.change_status(
        first, status=Participant.Status.SUSPENDED, effective_on=date(2026, 5, 4), reason="test"
    )
    assert (
        value("registry.participants", date(2026, 5, 4)) == 2
    )  # a suspended participant stays in the register
    services.change_status(
        first, status=Participant.Status.EXCLUDED, effective_on=date(2026, 6, 1), reason="test"
    )
    assert value("registry.participants", date(2026, 5, 31)) == 2
    assert value("registry.participants", date(2026, 6, 1)) == 1
    assert value("registry.participants_company", date(2026, 6, 1)) == 1


def _decided(applicant, people, *, on: date, number: str):
    application = draft_application(applicant)
    applications.submit(application, by=applicant, on=on)
    moderation.accept(application, by=people["registrar"], on=on)
    commission_services.decide_batch(
        [application], **commission_decision(people["commission"], number=number)
    )
    return application


def test_the_share_decided_within_the_deadline_follows_the_decisions(people):
    today = policy.today()
    assert value("registry.applications_decided_on_time", today) is None  # nothing decided: no share
    assert value("registry.applications_decided", today) == 0
    _decided(people["applicant"], people, on=today, number="SC-1")  # decided the day it arrived
    assert value("registry.applications_decided_on_time", today) == Decimal("1.0000")
    assert value("registry.applications_decided", today) == 1
    late = _decided(people["other"], people, on=date(today.year, 1, 5), number="SC-2")  # months late
    assert late.status == "approved"
    assert value("registry.applications_decided_on_time", today) == Decimal("0.5000")
    assert value("registry.applications_decided", today) == 2
    # The day before the decisions were recorded (in the same year), none was decided yet.
    yesterday = today - timedelta(days=1)
    if yesterday.year == today.year:
        assert value("registry.applications_decided", yesterday) == 0
        assert value("registry.applications_decided_on_time", yesterday) is None


def test_overdue_applications_count_those_past_their_deadline(people):
    today = policy.today()
    application = draft_application(people["applicant"])
    applications.submit(application, by=people["applicant"], on=date(today.year, 1, 5))
    assert value("registry.applications_overdue", today) == 1
    assert value("registry.applications_overdue", date(today.year, 1, 5)) == 0
