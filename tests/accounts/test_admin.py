import pytest
from allauth.mfa.models import Authenticator

from innocluster.core.audit.models import AuditEvent
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.django_db


def test_admin_never_shows_a_second_factor_secret(admin_client):
    other = user_with_role("registrar", "reg")
    totp = Authenticator.objects.get(user=other, type="totp")
    html = admin_client.get(f"/admin/mfa/authenticator/{totp.pk}/change/").content.decode()
    assert totp.data["secret"] not in html
    assert admin_client.get("/admin/mfa/authenticator/add/").status_code == 403


def test_removing_a_lost_authenticator_is_audited(admin_client):
    other = user_with_role("registrar", "reg")
    totp = Authenticator.objects.get(user=other, type="totp")
    response = admin_client.post(f"/admin/mfa/authenticator/{totp.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=totp.pk).exists()
    assert AuditEvent.objects.filter(action="account.mfa.removed_by_admin", object_id=str(other.pk)).exists()


def test_user_changes_in_admin_are_audited_and_users_are_never_deleted(admin_client, admin_user):
    other = user_with_role("registrar", "reg")
    response = admin_client.post(
        f"/admin/auth/user/{other.pk}/change/",
        {
            "username": "reg",
            "first_name": "Aigerim",
            "last_name": "",
            "email": other.email,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="account.changed_by_admin", object_id=str(other.pk))
    assert event.changes["first_name"] == [None, "Aigerim"] or event.changes["first_name"][1] == "Aigerim"
    assert event.actor == admin_user
    assert admin_client.get(f"/admin/auth/user/{other.pk}/delete/").status_code == 403
