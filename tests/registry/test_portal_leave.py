"""A representative takes the organisation out of the cluster from the portal."""

from datetime import date

import pytest

from innocluster.parties.services import register as party_services
from innocluster.parties.services.representatives import add_representative
from innocluster.registry.models import Participant, ParticipantCategory, StatusChange
from innocluster.registry.services import register as services
from tests.factories.accounts import user_with_role
from tests.factories.registry import organisation_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(policy_loaded):
    rep = user_with_role("participant_rep", "head", enrolled=False)
    organisation = party_services.create_organisation(**organisation_fields())
    add_representative(organisation, user=rep, role="head", by=None)
    participant = services.register_participant(
        category=ParticipantCategory.objects.get(code="company"),
        registered_on=date(2025, 2, 3),
        organisation=organisation,
    )
    return rep, organisation, participant


def test_leaving_needs_a_reason_and_a_confirmation_then_is_recorded(client, member):
    rep, organisation, participant = member
    client.force_login(rep)
    url = f"/portal/organisations/{organisation.pk}/leave/"
    page = client.get(url)
    assert page.status_code == 200 and participant.number in page.content.decode()
    refused = client.post(url, {"reason": "", "confirm": ""})
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"reason", "confirm"}
    assert Participant.objects.get(pk=participant.pk).status == "registered"
    done = client.post(url, {"reason": "The company is closing its R&D division.", "confirm": "on"})
    assert done.status_code == 303 and done["Location"] == "/portal/"
    participant.refresh_from_db()
    assert participant.status == "exited"
    last = StatusChange.objects.filter(participant=participant).last()
    assert last.reason == "The company is closing its R&D division." and last.recorded_by == rep
    # Gone: the page is not offered again.
    assert client.get(url).status_code == 404


def test_someone_who_does_not_act_for_the_organisation_gets_404(client, member):
    _rep, organisation, participant = member
    stranger = user_with_role("participant_rep", "stranger", enrolled=False)
    client.force_login(stranger)
    url = f"/portal/organisations/{organisation.pk}/leave/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "x", "confirm": "on"}).status_code == 404
    assert Participant.objects.get(pk=participant.pk).status == "registered"
