"""An application is acted on by the people who act for its member, not by whoever once started it,
and a member has one application in progress at a time."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.core.workflow import TransitionDenied
from innocluster.parties.services import register as party_services
from innocluster.parties.services.representatives import add_representative, deactivate_representative
from innocluster.registry.models import Application, ParticipantCategory
from innocluster.registry.selectors.applications import current_comments
from innocluster.registry.services import applications, moderation
from innocluster.registry.services import register as services
from tests.factories.accounts import user_with_role
from tests.factories.parties import charter, confirm_pending, make_representative
from tests.factories.registry import draft_application, organisation_fields, valid_iin

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(people):
    application = draft_application(people["applicant"])
    head2 = user_with_role("participant_rep", "head2", enrolled=False)
    contact = user_with_role("participant_rep", "contact", enrolled=False)
    add_representative(application.organisation, user=head2, role="head", by=people["applicant"])
    add_representative(application.organisation, user=contact, role="contact", by=people["applicant"])
    assert confirm_pending and make_representative  # (imported for the tests below)
    return application, head2, contact


def test_a_removed_representative_loses_the_application_and_the_head_keeps_it(client, people, team):
    application, head2, _contact = team
    representation = application.organisation.representatives.get(user=people["applicant"])
    deactivate_representative(representation, by=head2, reason="Left the company")
    client.force_login(people["applicant"])
    assert client.get(f"/portal/applications/{application.pk}/").status_code == 404
    with pytest.raises(TransitionDenied):
        applications.submit(application, by=people["applicant"], on=date(2026, 4, 1))
    client.force_login(head2)
    assert client.get(f"/portal/applications/{application.pk}/").status_code in (200, 302)  # resumes the form
    assert client.get(f"/portal/applications/{application.pk}/step/project/").status_code == 200
    applications.submit(application, by=head2, on=date(2026, 4, 1))
    assert Application.objects.get(pk=application.pk).status == "moderation"


def test_a_contact_person_neither_sees_nor_changes_someone_elses_application(client, people, team):
    application, _head2, contact = team
    client.force_login(contact)
    assert client.get(f"/portal/applications/{application.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        applications.save_project(application, by=contact, project_summary="x" * 60)


def test_a_second_application_for_the_same_organisation_is_refused(people, team):
    application, head2, _contact = team
    applications.submit(application, by=people["applicant"], on=date(2026, 4, 1))
    second = applications.start_application(by=head2, category=application.category)
    fields = organisation_fields(bin=application.organisation.bin, state_share="0.9")
    with pytest.raises(ValidationError) as exc:
        applications.save_organisation(second, by=head2, authority_document=charter(), **fields)
    assert f"No. {application.pk}" in str(exc.value.error_dict["bin"])
    application.organisation.refresh_from_db()
    assert application.organisation.state_share == 0  # the data the commission sees is untouched
    assert Application.objects.get(pk=second.pk).organisation_id is None


def test_a_registered_person_cannot_apply_again(people):
    category = ParticipantCategory.objects.get(code="individual")
    iin = valid_iin()
    person = party_services.create_individual(iin=iin, last_name="Ахметова", first_name="Әлия")
    services.register_participant(category=category, registered_on=date(2025, 1, 10), individual=person)
    application = Application.objects.create(applicant=people["applicant"], category=category, step=1)
    with pytest.raises(ValidationError) as exc:
        applications.save_individual(
            application, by=people["applicant"], iin=iin, last_name="Ахметова", first_name="Әлия"
        )
    assert "iin" in exc.value.error_dict


def test_the_answers_to_comments_are_in_the_audit_event_of_the_resubmission(people):
    application = draft_application(people["applicant"])
    applications.submit(application, by=people["applicant"], on=date(2026, 3, 19))
    moderation.return_for_revision(application, by=people["registrar"], items=[("Charter", "Unsigned copy.")])
    [comment] = current_comments(application)
    applications.submit(
        application,
        by=people["applicant"],
        on=date(2026, 4, 6),
        responses={comment.pk: "Signed copy attached."},
    )
    event = AuditEvent.objects.get(action="registry.application.resubmit")
    assert event.changes["answer to “Charter”"] == [None, "Signed copy attached."]
