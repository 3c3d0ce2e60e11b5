"""The admin: bodies are shown, never edited; a membership is added through the appointment
service (audited), and a refused appointment comes back with the reason by field."""

import pytest
from django.urls import reverse

from innocluster.core.audit.models import AuditEvent
from innocluster.governance.models import Membership

pytestmark = pytest.mark.django_db


def _form(body, **changes):
    return {
        "body": body.pk,
        "full_name": "Әбдірахманова Мадина",
        "position": "chair",
        "organisation": "Министерство финансов РК",
        "term_start": "2025-11-01",
        "term_end": "",
        "user": "",
        **changes,
    }


def test_bodies_are_read_only_in_the_admin(admin_client, committee):
    assert admin_client.get(reverse("admin:governance_body_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:governance_body_add")).status_code == 403
    page = admin_client.post(reverse("admin:governance_body_change", args=[committee.pk]), {"quorum": "1/2"})
    committee.refresh_from_db()
    assert committee.quorum == "2/3" and page.status_code in {200, 403}


def test_a_membership_added_in_the_admin_goes_through_the_service(admin_client, admin_user, committee):
    added = admin_client.post(reverse("admin:governance_membership_add"), _form(committee))
    assert added.status_code == 302, added.content.decode()[:2000]
    member = Membership.objects.get()
    assert member.position == "chair" and member.body == committee
    event = AuditEvent.objects.get(action="governance.member.appointed")
    assert event.actor == admin_user and event.object_id == str(member.pk)

    refused = admin_client.post(
        reverse("admin:governance_membership_add"), _form(committee, full_name="Ким Олег")
    )
    assert refused.status_code == 200
    assert "already has a chair" in refused.content.decode()
    assert Membership.objects.count() == 1
