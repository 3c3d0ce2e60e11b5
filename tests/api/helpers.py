"""Test helpers for the API: users with roles, and a session signed in with a second factor."""

from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.contrib.auth import get_user_model

from innocluster.core.access.services import grant_role
from innocluster.core.accounts.services import enrol_totp
from tests.factories import accounts as factories

API_URLCONF = "innocluster.urls"


def user_with_role(username: str, *roles: str):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "a-long-password")
    for role in roles:
        grant_role(user=user, role=role, reason="API test")
    return user


def login_with_2fa(client, user) -> str:
    """Enrol ``user`` in TOTP and sign ``client`` in with a two-factor session; returns the secret."""
    secret = generate_totp_secret()
    enrol_totp(user, secret)
    factories.login_with_2fa(client, user)
    return secret
