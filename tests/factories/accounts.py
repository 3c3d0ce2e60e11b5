"""People for tests: users holding a role, signed in the way the real pages sign them in."""

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
    record_authentication,
)
from allauth.account.internal.userkit import user_id_to_str
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from innocluster.core.access.services import grant_role
from innocluster.core.accounts.services import enrol_totp

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def user_with_role(role: str, username: str | None = None, *, superuser: bool = False, enrolled: bool = True):
    User = get_user_model()
    username = username or role
    make = User.objects.create_superuser if superuser else User.objects.create_user
    user = make(username, f"{username}@example.com", "pw-Test-2026")
    grant_role(user=user, role=role, reason="test")
    if enrolled:
        enrol_totp(user, TEST_TOTP_SECRET)
    return User.objects.get(pk=user.pk)


def login_with_2fa(client, user) -> None:
    """force_login plus the records allauth writes when the password and then a TOTP code were
    accepted (so the 2FA middleware and token issuing see a real two-factor session)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, "password", username=user.get_username())
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()


def reauthenticate(client, user) -> None:
    """The record allauth writes when a person re-enters their password for a sensitive action."""
    session = client.session
    records = list(session.get(AUTHENTICATION_METHODS_SESSION_KEY, []))
    records.append({"method": "password", "at": time.time(), "reauthenticated": True})
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()
