"""``Authorization: Bearer <secret>`` (or ``Token <secret>``) for the API.

The token table belongs to the API app (``INNOCLUSTER_API_TOKEN_MODEL``, default ``api.APIToken``),
which sits above apikit: it is found by name, not imported. A token model provides ``key_hash``
(:func:`hash_secret` of the secret), ``user``, ``two_factor``, ``expires_at``, ``revoked_at``,
``last_used_at`` and ``is_expired(now)``.

Why a token may stand in for two-factor authentication: a token is issued only from a signed-in
browser session, and for a user whose role requires a second factor only from a session that used
one (the API app's ``issue_token``). The token records that (``two_factor``); a
token issued without it is refused as soon as its owner holds a role that needs 2FA. Tokens always
expire, and their owners can revoke them.
"""

import hashlib
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from innocluster.core.accounts.mfa import is_enrolled, requires_two_factor

KEYWORDS = (b"bearer", b"token")
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    """The stored form of a secret. Secrets are 256 random bits, so a plain SHA-256 is enough (no
    salt or slow hash needed), and it lets authentication find the row with one indexed look-up."""
    return hashlib.sha256(secret.encode()).hexdigest()


def token_model():
    return apps.get_model(getattr(settings, "INNOCLUSTER_API_TOKEN_MODEL", "api.APIToken"))


class ExpiringTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None  # not ours: let another authenticator (or none) answer
        if len(parts) == 1:
            raise AuthenticationFailed(_("Invalid Authorization header: no token given after the keyword."))
        if len(parts) > 2:
            raise AuthenticationFailed(_("Invalid Authorization header: the token must not contain spaces."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeError:
            raise AuthenticationFailed(
                _("Invalid token: it contains characters a token never has.")
            ) from None
        return self.authenticate_secret(secret)

    def authenticate_secret(self, secret: str):
        token = token_model().objects.select_related("user").filter(key_hash=hash_secret(secret)).first()
        if token is None:
            raise AuthenticationFailed(_("Invalid token: no such API token."))
        now = timezone.now()
        if token.revoked_at is not None:
            raise AuthenticationFailed(_("This API token has been revoked. Create a new one."))
        if token.is_expired(now):
            raise AuthenticationFailed(
                _("This API token expired on %(when)s. Create a new one.")
                % {"when": timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M")}
            )
        user = token.user
        if not user.is_active:
            raise AuthenticationFailed(_("The account this token belongs to is disabled."))
        if not token.two_factor and requires_two_factor(user):
            raise AuthenticationFailed(
                _(
                    "This token was created without two-factor authentication, which your role now "
                    "requires. Sign in with your second factor and create a new token."
                )
            )
        if requires_two_factor(user) and not is_enrolled(user):
            # The second factor was removed (lost device): tokens issued under it stop working too.
            raise AuthenticationFailed(
                _("Your second factor was removed. Enrol it again and create a new token.")
            )
        self._touch(token, now)
        return user, token

    @staticmethod
    def _touch(token, now) -> None:
        """Record use at most once a minute: one conditional UPDATE, none for a burst of calls."""
        if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
            return
        type(token).objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now

    def authenticate_header(self, request):
        return self.keyword
