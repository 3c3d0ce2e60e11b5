"""Test helpers for the API: users with roles, and a session signed in with a second factor."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from innocluster.core.access.services import grant_role

API_URLCONF = "tests.api.urls"  # drop the markers once src/innocluster/urls.py includes the API


def user_with_role(username: str, *roles: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "a-long-password")
    for role in roles:
        grant_role(user=user, role=role, reason="API test")
    return user


def login_with_2fa(client, user) -> str:
    """Sign ``client`` in as ``user`` the way allauth leaves a session after password + TOTP:
    an activated TOTP authenticator and the session's authentication records (password, then mfa).
    Returns the TOTP secret."""
    secret = generate_totp_secret()
    authenticator = TOTP.activate(user, secret).instance
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, "password", username=user.get_username())
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()
    return secret
