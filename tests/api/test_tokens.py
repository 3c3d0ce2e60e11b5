"""API tokens: issued only from a session (with the second factor where the role needs it),
expiring, revocable, never stored in clear, and audited."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from innocluster.api import services
from innocluster.api.models import APIToken, hash_secret
from innocluster.core.access.services import grant_role
from innocluster.core.audit.models import AuditEvent

from .helpers import API_URLCONF, login_with_2fa, user_with_role

pytestmark = [pytest.mark.urls(API_URLCONF), pytest.mark.django_db]

TOKENS = "/api/v1/auth/tokens/"
ME = "/api/v1/me/"


@pytest.fixture
def participant(db):
    return user_with_role("participant", "participant_rep")


@pytest.fixture
def registrar(db):
    return user_with_role("registrar", "registrar")


def create_token(client, name="script", **extra):
    return client.post(TOKENS, {"name": name, **extra}, content_type="application/json")


def bearer(secret, keyword="Bearer"):
    return Client(headers={"Authorization": f"{keyword} {secret}"})


def test_me_needs_credentials():
    response = Client().get(ME)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_participant_creates_a_token_from_a_session_and_uses_it(client, participant, settings):
    client.force_login(participant)
    response = create_token(client, "reporting script")
    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    secret = body["secret"]
    assert body["prefix"] == secret[:8] and body["name"] == "reporting script"

    token = APIToken.objects.get(user=participant)
    assert token.key_hash == hash_secret(secret) and secret not in token.key_hash
    assert not token.two_factor
    expected = timezone.now() + timedelta(days=settings.INNOCLUSTER_API_TOKEN_DAYS)
    assert abs(token.expires_at - expected) < timedelta(minutes=1)

    event = AuditEvent.objects.get(action="api.token.issued")
    assert event.actor == participant
    assert secret not in str(event.changes) and secret not in event.object_repr

    for keyword in ("Bearer", "Token"):
        me = bearer(secret, keyword).get(ME)
        assert me.status_code == 200, me.content
        assert me.json() == {
            "username": "participant",
            "roles": ["participant_rep"],
            "two_factor": False,
            "two_factor_required": False,
            "authentication": "token",
        }
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(client, participant):
    client.force_login(participant)
    secret = create_token(client).json()["secret"]
    caller = bearer(secret)
    caller.get(ME)
    first = APIToken.objects.get().last_used_at
    caller.get(ME)
    assert APIToken.objects.get().last_used_at == first
    APIToken.objects.update(last_used_at=first - timedelta(minutes=2))
    caller.get(ME)
    assert APIToken.objects.get().last_used_at > first


def test_listing_shows_own_tokens_without_secrets(client, participant):
    other = user_with_role("other", "subsoil_rep")
    client.force_login(participant)
    secret = create_token(client, "mine").json()["secret"]
    other_client = Client()
    other_client.force_login(other)
    create_token(other_client, "theirs")

    listing = client.get(TOKENS).json()
    assert listing["count"] == 1
    row = listing["results"][0]
    assert row["name"] == "mine" and row["active"] is True
    assert "secret" not in row and secret not in str(listing)
    # the same list through the token itself
    assert bearer(secret).get(TOKENS).json()["count"] == 1


def test_staff_without_two_factor_session_cannot_create_a_token(client, registrar):
    client.force_login(registrar)
    response = create_token(client)
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"].lower()
    assert not APIToken.objects.exists()


def test_service_refuses_staff_without_two_factor_too(registrar, rf):
    """The service itself refuses, not only the middleware in front of the API."""
    request = rf.post(TOKENS)
    request.user = registrar
    request.session = SessionStore()
    request.session["_auth_user_id"] = str(registrar.pk)
    with pytest.raises(PermissionDenied, match="two-factor"):
        services.issue_token(request=request, name="x")
    assert not APIToken.objects.exists()


def test_staff_with_two_factor_session_creates_a_token(client, registrar):
    login_with_2fa(client, registrar)
    assert client.get(ME).json()["two_factor"] is True
    response = create_token(client, "staff script", days=7)
    assert response.status_code == 201, response.content
    token = APIToken.objects.get(user=registrar)
    assert token.two_factor
    assert abs(token.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    me = bearer(response.json()["secret"]).get(ME).json()
    assert me["two_factor"] is True and me["roles"] == ["registrar"]


def test_token_of_a_participant_stops_when_the_role_needs_two_factor(client, participant):
    client.force_login(participant)
    secret = create_token(client).json()["secret"]
    grant_role(user=participant, role="expert", reason="became an expert")
    response = bearer(secret).get(ME)
    assert response.status_code == 401
    assert "two-factor" in response.json()["detail"]


def test_lifetime_is_bounded(client, participant):
    client.force_login(participant)
    assert create_token(client, days=366).status_code == 400
    assert create_token(client, days=0).status_code == 400
    blank = create_token(client, name="   ")  # well formed, refused by the rule: 422
    assert blank.status_code == 422 and "name" in blank.json()["errors"]
    assert create_token(client, days=365).status_code == 201


def test_expired_token_is_refused(client, participant):
    client.force_login(participant)
    secret = create_token(client).json()["secret"]
    APIToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = bearer(secret).get(ME)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_unknown_and_malformed_tokens_are_refused(db):
    assert bearer("no-such-secret").get(ME).status_code == 401
    assert Client(headers={"Authorization": "Bearer"}).get(ME).status_code == 401
    assert Client(headers={"Authorization": "Bearer a b"}).get(ME).status_code == 401


def test_revoked_token_is_refused(client, participant):
    client.force_login(participant)
    body = create_token(client).json()
    response = client.delete(f"{TOKENS}{body['prefix']}/")
    assert response.status_code == 204
    token = APIToken.objects.get()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api.token.revoked", object_id=str(token.pk)).exists()
    refused = bearer(body["secret"]).get(ME)
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    # revoking twice: no longer an active token of yours
    assert client.delete(f"{TOKENS}{body['prefix']}/").status_code == 404


def test_a_token_cannot_create_another_token(client, participant):
    client.force_login(participant)
    secret = create_token(client).json()["secret"]
    response = bearer(secret).post(TOKENS, {"name": "child"}, content_type="application/json")
    assert response.status_code == 403
    assert "session" in response.json()["detail"]
    assert APIToken.objects.count() == 1


def test_another_users_token_cannot_be_revoked(client, participant):
    owner = user_with_role("owner", "subsoil_rep")
    owner_client = Client()
    owner_client.force_login(owner)
    prefix = create_token(owner_client).json()["prefix"]
    client.force_login(participant)
    assert client.delete(f"{TOKENS}{prefix}/").status_code == 404
    assert APIToken.objects.get(prefix=prefix).revoked_at is None


def test_object_rule_refuses_another_users_token(participant):
    from innocluster.core.access.permissions import can

    owner = user_with_role("owner", "subsoil_rep")
    token = APIToken(user=owner, prefix="abcdefgh")
    assert can(owner, "api.tokens.revoke", token).allowed
    assert not can(participant, "api.tokens.revoke", token).allowed
