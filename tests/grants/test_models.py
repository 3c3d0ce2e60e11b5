"""The tables' own invariants (the constraints the commands rely on)."""

import pytest
from django.db import IntegrityError, transaction

from innocluster.grants.models import Project, ProjectApplication
from tests.factories.grants import application, publish_now
from tests.factories.registry import registered_participant
from tests.grants.conftest import ready_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(programme, people):
    return publish_now(ready_call(programme, people["pm"]), people["pm2"])


def test_one_application_per_project_per_call_unless_withdrawn(call, people):
    participant = registered_participant(people["rep"])
    first = application(call, participant.organisation, people["rep"], participant=participant)
    assert first.number == "C1-0001" and first.milestones.count() == 2 and first.files.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectApplication.objects.create(
            call=call, project=first.project, organisation=first.organisation, applicant=people["rep"]
        )
    ProjectApplication.objects.filter(pk=first.pk).update(status="withdrawn")
    again = ProjectApplication.objects.create(
        call=call, project=first.project, organisation=first.organisation, applicant=people["rep"]
    )
    assert again.status == "draft" and Project.objects.count() == 1


def test_amounts_cannot_be_negative(call, people):
    participant = registered_participant(people["rep"])
    found = application(call, participant.organisation, people["rep"], participant=participant)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectApplication.objects.filter(pk=found.pk).update(requested_amount=-1)
