"""Switching the timeline at a date: what happened before it keeps the rules it was judged under.

A new regime (a copy of the amended law with a 2-day completeness check) is scheduled to start in
30 days. An application submitted in 2024 (the 2014 law) and one submitted today keep their
deadlines and checks; one submitted after the switch gets the new rule; a compliance report for
2025 is judged as before.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from innocluster.core.calendar import add_working_days
from innocluster.core.policy import services as policy_services
from innocluster.core.policy import values as policy
from innocluster.core.policy.models import ParameterValue
from innocluster.registry import eligibility
from innocluster.registry.models import ParticipantCategory
from innocluster.registry.services import applications, compliance
from tests.factories.registry import draft_application

pytestmark = pytest.mark.django_db
PEOPLE = ("applicant", "other", "colleague", "registrar")


def _next_law(starts_on: date) -> None:
    regime = policy_services.add_regime(
        code="next-law", name_en="Next law", name_ru="Следующий", name_kk="Келесі"
    )
    for row in ParameterValue.objects.filter(regime__code="astana-hub-2025").order_by("key", "valid_from"):
        if row.key == "registry.moderation_days":
            continue
        policy_services.add_value(
            regime=regime, key=row.key, valid_from=row.valid_from, kind=row.kind, value=row.value,
            reference=row.reference, source=row.source,
        )  # fmt: skip
    policy_services.add_value(
        regime=regime, key="registry.moderation_days", valid_from=date(2025, 1, 1), kind="working_days",
        value=2, reference="Next law, art. 5 (a test regime)", source="law",
    )  # fmt: skip
    policy_services.schedule_regime(
        code="next-law", starts_on=starts_on, reference="Next law, art. 30", reason="adopted"
    )


def _submit(applicant, on: date):
    application = draft_application(applicant)
    applications.submit(application, by=applicant, on=on)
    application.refresh_from_db()
    return application


def test_an_earlier_application_deadline_and_report_are_unchanged_by_a_switch(people):
    today = policy.today()
    old = _submit(people["applicant"], date(2024, 5, 2))
    current = _submit(people["other"], today)
    before = {
        "old": (old.moderation_due, old.total_due),
        "current": (current.moderation_due, current.total_due),
        "old_days": policy.value("registry.moderation_days", on=old.submitted_on),
        "report_2025": compliance.evaluate(
            {"revenue": Decimal("100.00"), "priority_revenue": Decimal("80.00")}, year=2025
        ),
        "individual_2024": eligibility.evaluate(
            category=ParticipantCategory.objects.get(code="individual"),
            organisation=None,
            on=date(2024, 5, 2),
        ).eligible,
    }
    switch = today + timedelta(days=30)
    _next_law(switch)

    assert policy.regime_on(old.submitted_on) == "pit-2014"
    assert policy.regime_on(today) == "astana-hub-2025"
    assert policy.regime_on(switch) == "next-law"
    # nothing dated before the switch reads differently
    assert policy.value("registry.moderation_days", on=old.submitted_on) == before["old_days"] == 5
    assert policy.value("registry.moderation_days", on=today) == 5
    report = compliance.evaluate(
        {"revenue": Decimal("100.00"), "priority_revenue": Decimal("80.00")}, year=2025
    )
    assert report == before["report_2025"]
    assert (
        eligibility.evaluate(
            category=ParticipantCategory.objects.get(code="individual"),
            organisation=None,
            on=date(2024, 5, 2),
        ).eligible
        == before["individual_2024"]
        is True
    )  # individuals were admitted under the 2014 law
    for application in (old, current):
        application.refresh_from_db()
    assert (old.moderation_due, old.total_due) == before["old"]
    assert (current.moderation_due, current.total_due) == before["current"]
    assert old.moderation_due == add_working_days(date(2024, 5, 2), 5)
    # an application submitted after the switch gets the new rule
    later = _submit(people["colleague"], switch + timedelta(days=1))
    assert later.moderation_due == add_working_days(switch + timedelta(days=1), 2)


def test_a_missing_rule_is_named_on_the_staff_page_never_read_as_no_problems(people, client):
    from tests.factories.accounts import login_with_2fa

    application = _submit(people["applicant"], policy.today())
    ParameterValue.objects.filter(
        regime__code="astana-hub-2025", key="registry.eligibility.conditions"
    ).delete()
    login_with_2fa(client, people["registrar"])
    page = client.get(f"/staff/registry/applications/{application.pk}/").content.decode()
    assert "The rules cannot be checked" in page and "registry.eligibility.conditions" in page
