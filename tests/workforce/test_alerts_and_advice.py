"""Expiry reminders to the employer and the HR officers, and the advice on what the simplified
procedure spares the employer."""

import datetime as dt
from decimal import Decimal

import pytest

from innocluster.core.manifest import reminder_sources
from innocluster.workforce.selectors.advice import advice
from innocluster.workforce.selectors.alerts import expiring
from tests.factories.workforce import active_request, draft_request

pytestmark = pytest.mark.django_db


def test_expiries_within_the_alert_days_go_to_the_employer_and_the_hr_officer(people, employer):
    rep, hr = people["rep"], people["hr"]
    request = active_request(employer, rep, hr, visa_valid_until=dt.date(2027, 6, 30))
    # 30 calendar days (design): the visa ends on 30 June 2027, the contract on 31 May 2028.
    assert expiring(dt.date(2027, 5, 30)) == []
    assert [(e.what, e.on) for e in expiring(dt.date(2027, 5, 31))] == [
        ("visa_valid_until", dt.date(2027, 6, 30))
    ]
    # An expired visa of a specialist still active keeps being reported, with the contract's end.
    due = expiring(dt.date(2028, 5, 1))
    assert [(e.what, e.on) for e in due] == [
        ("contract_end", dt.date(2028, 5, 31)),
        ("visa_valid_until", dt.date(2027, 6, 30)),
    ]

    source = reminder_sources()["workforce.expiries"]
    reminders = list(source(dt.date(2028, 5, 1)))
    assert {r.recipient.pk for r in reminders} == {rep.pk, hr.pk}
    assert all(r.obj.pk == request.pk and r.key == "reminder.deadline" for r in reminders)
    assert len({r.dedupe_key for r in reminders}) == 4  # two expiries, two people
    assert request.specialist.surname_latin in str(reminders[0].context["what"])


def test_a_draft_is_not_reminded_of(people, employer):
    draft_request(employer, people["rep"], contract_end=dt.date(2026, 6, 20))
    assert expiring(dt.date(2026, 6, 1)) == []
    assert list(reminder_sources()["workforce.expiries"](dt.date(2026, 6, 1))) == []


@pytest.mark.parametrize(
    "category, share", [("manager", "0.70"), ("specialist", "0.90"), ("qualified_worker", "0.90")]
)
def test_the_advice_lists_both_procedures_with_references(people, employer, category, share):
    request = draft_request(employer, people["rep"], category=category)
    found = advice(request)
    simplified = {item.key: item for item in found.simplified}
    assert simplified["workforce.decision_days"].value == 5
    assert simplified["workforce.documents.required"].value[0] == "Copy of the passport"
    assert any(item.value == dt.date(2031, 5, 31) for item in found.simplified)  # from 1 June 2026
    normal = {item.key: item for item in found.normal}
    assert normal["workforce.advice.quota_required"].value is True
    assert normal["workforce.advice.work_permit_required"].value is True
    shares = [item for item in found.normal if item.key.startswith("workforce.advice.kz_share")]
    assert [item.value for item in shares] == [Decimal(share)]
    assert all(
        item.reference and item.source in {"law", "src", "design"} for item in found.simplified + found.normal
    )
