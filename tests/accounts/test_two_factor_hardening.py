"""A session that has not used its second factor reaches nothing but the step that asks for it."""

import pytest
from allauth.mfa.models import Authenticator

from innocluster.core.accounts.services import totp_secret
from innocluster.core.audit.models import AuditEvent
from tests.factories.accounts import TEST_TOTP_SECRET, login_with_2fa, reauthenticate, user_with_role

pytestmark = pytest.mark.django_db

CONFIRM = "/accounts/2fa/reauthenticate/"


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/2fa/recovery-codes/",
        "/accounts/2fa/totp/deactivate/",
        "/accounts/reauthenticate/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/my-data/",
        "/accounts/2fa/",
    ],
)
def test_password_only_session_of_enrolled_staff_reaches_only_the_code_prompt(client, path):
    user = user_with_role("finance_officer", "fin")
    client.force_login(user)
    reauthenticate(client, user)  # even a fresh password check is not a second factor
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 302, (path, response.status_code)
        assert response["Location"].startswith(CONFIRM)


def test_the_code_prompt_itself_stays_reachable(client):
    client.force_login(user_with_role("finance_officer", "fin"))
    assert client.get(CONFIRM).status_code == 200


def test_staff_not_enrolled_reach_only_enrolment(client):
    user = user_with_role("registrar", "reg", enrolled=False)
    client.force_login(user)
    assert client.get("/accounts/email/")["Location"].startswith("/accounts/2fa/totp/activate/")
    assert client.get("/accounts/2fa/recovery-codes/")["Location"].startswith("/accounts/2fa/totp/activate/")
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code in (200, 302)
    if response.status_code == 302:  # allauth asks for the password before adding a factor
        assert response["Location"].startswith("/accounts/reauthenticate/")


def test_staff_cannot_switch_their_second_factor_off(client):
    user = user_with_role("registrar", "reg")
    login_with_2fa(client, user)
    reauthenticate(client, user)
    client.post("/accounts/2fa/totp/deactivate/")
    assert Authenticator.objects.filter(user=user, type="totp").exists()


def test_second_factor_secrets_are_encrypted_at_rest():
    user = user_with_role("registrar", "reg")
    stored = Authenticator.objects.get(user=user, type="totp").data["secret"]
    assert stored != TEST_TOTP_SECRET and TEST_TOTP_SECRET not in stored
    assert totp_secret(user) == TEST_TOTP_SECRET


def test_a_token_stops_when_its_owners_second_factor_is_removed(client):
    user = user_with_role("finance_officer", "fin")
    login_with_2fa(client, user)
    created = client.post("/api/v1/auth/tokens/", {"name": "script"}, content_type="application/json")
    secret = created.json()["secret"]
    api = client.__class__()
    assert api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    Authenticator.objects.filter(user=user).delete()
    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401 and "second factor was removed" in response.json()["detail"]


def test_private_pages_are_not_cached(client):
    login_with_2fa(client, user_with_role("auditor", "aud"))
    assert client.get("/staff/audit/")["Cache-Control"] == "private, no-store"


def test_audit_search_refuses_dates_out_of_range(client):
    login_with_2fa(client, user_with_role("auditor", "aud"))
    response = client.get("/staff/audit/", {"date_to": "9999-12-31", "date_from": "0001-01-01"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"date_to", "date_from"}


def test_password_change_is_audited(client):
    user = user_with_role("participant_rep", "acme", enrolled=False)
    client.force_login(user)
    reauthenticate(client, user)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "pw-Test-2026",
            "password1": "Another-Steppe-2027",
            "password2": "Another-Steppe-2027",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    assert AuditEvent.objects.filter(action="account.password.changed", actor=user).exists()
