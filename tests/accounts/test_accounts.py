import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from innocluster.core.access.selectors import roles_of
from innocluster.core.accounts.models import Consent
from innocluster.core.audit.models import AuditEvent
from tests.factories.accounts import login_with_2fa, reauthenticate, user_with_role

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "aigerim@acme.kz",
    "username": "aigerim",
    "password1": "Steppe-Eagle-2026",
    "password2": "Steppe-Eagle-2026",
    "role": "participant_rep",
    "consent": "on",
}


def test_signup_records_role_consent_and_sends_a_verification_email(client):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(username="aigerim")
    assert roles_of(user) == {"participant_rep"}
    consent = Consent.objects.get(user=user)
    assert consent.purpose == "personal_data_processing" and "personal data" in consent.text
    assert AuditEvent.objects.filter(action="account.signed_up", object_id=str(user.pk)).exists()
    assert len(mail.outbox) == 1 and "aigerim@acme.kz" in mail.outbox[0].to
    assert not EmailAddress.objects.get(user=user).verified


def test_signup_without_consent_creates_nothing(client):
    response = client.post("/accounts/signup/", SIGNUP | {"consent": ""})
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert not get_user_model().objects.filter(username="aigerim").exists()


def test_a_staff_role_cannot_be_chosen_at_signup(client):
    response = client.post("/accounts/signup/", SIGNUP | {"role": "registrar"})
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not get_user_model().objects.filter(username="aigerim").exists()


def test_staff_without_2fa_are_sent_to_enrolment_and_the_api_refuses_them(client):
    user = user_with_role("registrar", "reg", enrolled=False)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/totp/activate/")
    response = client.get("/admin/")
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert "Two-factor authentication is required" in response.json()["detail"]


def test_enrolled_staff_whose_session_skipped_the_code_must_confirm_it(client):
    user = user_with_role("auditor", "aud")
    client.force_login(user)  # a session without the TOTP step
    response = client.get("/staff/audit/")
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    login_with_2fa(client, user)
    assert client.get("/staff/audit/").status_code == 200


def test_participants_do_not_need_2fa(client):
    user = user_with_role("participant_rep", "acme", enrolled=False)
    client.force_login(user)
    assert client.get("/").status_code == 200


def test_a_person_downloads_their_personal_data_and_the_read_is_logged(client):
    user = user_with_role("participant_rep", "acme", enrolled=False)
    client.force_login(user)
    response = client.get("/accounts/my-data/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/reauthenticate/")
    assert not AuditEvent.objects.filter(action="account.personal_data.exported").exists()
    reauthenticate(client, user)
    response = client.get("/accounts/my-data/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["username"] == "acme"
    assert data["roles"][0]["role"] == "participant_rep"
    assert AuditEvent.objects.filter(action="account.personal_data.exported", actor=user).exists()


def test_personal_data_needs_a_signed_in_user(client):
    response = client.get("/accounts/my-data/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_failed_logins_are_throttled_through_the_shared_cache(client, settings):
    assert settings.CACHES["default"]["BACKEND"].endswith(("DatabaseCache", "RedisCache"))
    user_with_role("participant_rep", "acme", enrolled=False)
    statuses = []
    for _ in range(7):
        response = client.post("/accounts/login/", {"login": "acme", "password": "wrong-password"})
        statuses.append(response.status_code)
    assert statuses[-1] == 429 or "Too many failed login attempts" in response.content.decode()
