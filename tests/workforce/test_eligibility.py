"""Only the Fund and participants in good standing engage foreign specialists; a participant that
falls out of good standing keeps its active specialists, flagged for review."""

import datetime as dt

import pytest

from innocluster.core.decisions.services import record_decision
from innocluster.registry.models import Participant
from innocluster.registry.services.membership import exclude, suspend
from innocluster.workforce.errors import EmployerNotEligible
from innocluster.workforce.models import EngagementRequest
from innocluster.workforce.selectors.eligibility import employer_standing, flag_for_review, flagged_for_review
from innocluster.workforce.services import requests
from tests.factories.workforce import RequestFieldsFactory, active_request, draft_request, specialist

pytestmark = pytest.mark.django_db


def _participant(organisation):
    return Participant.objects.get(organisation=organisation)


def test_the_fund_and_a_registered_participant_are_eligible(people, employer, fund):
    assert employer_standing(fund).eligible and employer_standing(fund).fund
    standing = employer_standing(employer)
    assert standing.eligible and standing.status == "registered"


def test_an_organisation_outside_the_register_cannot_file(people):
    from innocluster.parties.services import register as party_services
    from tests.factories.parties import make_representative
    from tests.factories.registry import organisation_fields

    outsider = party_services.create_organisation(**organisation_fields())
    make_representative(outsider, people["rep"])
    assert not employer_standing(outsider).eligible
    with pytest.raises(EmployerNotEligible, match="not a participant"):
        specialist(outsider, people["rep"])


def test_a_suspended_participant_cannot_file_or_submit(people, employer):
    rep = people["rep"]
    request = draft_request(employer, rep)
    suspend(_participant(employer), by=people["registrar"], grounds="No annual report.")
    assert not employer_standing(employer).eligible
    with pytest.raises(EmployerNotEligible, match="suspended"):
        specialist(employer, rep)
    with pytest.raises(EmployerNotEligible):
        requests.start_request(by=rep, specialist=request.specialist, **RequestFieldsFactory())
    with pytest.raises(EmployerNotEligible):
        requests.submit(request, by=rep)
    request.refresh_from_db()
    assert request.status == EngagementRequest.Status.DRAFT


def test_an_excluded_participant_cannot_file_and_its_active_specialists_are_flagged(
    people, employer, other_employer
):
    rep, hr, registrar = people["rep"], people["hr"], people["registrar"]
    active = active_request(employer, rep, hr)
    pending = draft_request(employer, rep)
    others = active_request(other_employer, people["other"], hr)
    assert flag_for_review(employer) == [] and flagged_for_review() == []

    participant = _participant(employer)
    suspend(participant, by=registrar, grounds="No annual report.", on=dt.date(2026, 3, 2))
    assert [r.pk for r in flag_for_review(employer)] == [active.pk]
    decision = record_decision(
        body="managing_committee",
        number="7",
        decided_on=dt.date(2026, 5, 4),
        basis="Rules of the register, item 20",
        outcome="approved",
        by=registrar,
    )
    exclude(participant, by=registrar, grounds="No answer.", decision=decision, on=dt.date(2026, 5, 4))
    assert [r.pk for r in flagged_for_review()] == [active.pk]
    assert others.pk not in [r.pk for r in flagged_for_review()]
    with pytest.raises(EmployerNotEligible, match="excluded"):
        requests.submit(pending, by=rep)
    # The HR officer ends the engagement on that ground; the flag clears.
    requests.end(active, by=hr, end_reason="employer_excluded")
    assert flagged_for_review() == []


def test_a_request_checked_before_a_suspension_is_not_approved(people, employer):
    rep, hr = people["rep"], people["hr"]
    request = draft_request(employer, rep)
    requests.submit(request, by=rep)
    requests.check(request, by=hr)
    suspend(_participant(employer), by=people["registrar"], grounds="No annual report.")
    with pytest.raises(EmployerNotEligible):
        requests.approve(request, by=hr)
    request.refresh_from_db()
    assert request.status == EngagementRequest.Status.CHECKED and not request.letters.exists()
