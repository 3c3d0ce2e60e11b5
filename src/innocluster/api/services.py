"""Issuing and revoking API tokens: every write audited, the secret never stored nor logged."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import SessionAuthentication

from innocluster.core.accounts.mfa import is_enrolled, requires_two_factor, session_used_two_factor
from innocluster.core.audit.services import record_event
from innocluster.core.http import client_ip

from .models import PREFIX_LENGTH, APIToken, hash_secret

MAX_TOKEN_DAYS = 365


def default_token_days() -> int:
    return max(1, min(int(settings.INNOCLUSTER_API_TOKEN_DAYS), MAX_TOKEN_DAYS))


def is_session_login(request) -> bool:
    """True when the request is signed in through a browser session (Django's login), not a token.

    Works on a Django ``HttpRequest`` and on a DRF ``Request`` (which knows which authenticator
    succeeded)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if getattr(request, "auth", None) is not None:
        return False  # a DRF credential (our API token) authenticated this request
    if hasattr(request, "successful_authenticator") and not isinstance(
        request.successful_authenticator, SessionAuthentication
    ):
        return False
    session = getattr(request, "session", None)
    return session is not None and session.get(SESSION_KEY) == user._meta.pk.value_to_string(user)


@transaction.atomic
def issue_token(*, request, name: str, days: int | None = None) -> tuple[APIToken, str]:
    """Create a token for the signed-in user and return it with its secret (shown once, never stored).

    Refused unless the request comes from a real session sign-in (a token cannot mint tokens), and,
    for a role that requires two-factor authentication, unless that session used a second factor.
    Participants and subsoil users' representatives, who need no second factor, may create one from
    a normal session; their token stops working if they later get a role that requires 2FA.
    """
    user = request.user
    if not is_session_login(request):
        raise PermissionDenied(
            _("API tokens can only be created from a signed-in browser session, not with an API token.")
        )
    used_two_factor = session_used_two_factor(request)
    if requires_two_factor(user) and not (is_enrolled(user) and used_two_factor):
        raise PermissionDenied(
            _(
                "Your role requires two-factor authentication: sign in with your second factor, "
                "then create the token."
            )
        )
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the token after what will use it.")})
    days = default_token_days() if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {"days": _("A token lives between 1 and %(max)d days.") % {"max": MAX_TOKEN_DAYS}}
        )
    for _attempt in range(10):  # the prefix is unique for display and revocation; clashes are rare
        secret = secrets.token_urlsafe(32)
        prefix = secret[:PREFIX_LENGTH]
        if not APIToken.objects.filter(prefix=prefix).exists():
            break
    else:  # pragma: no cover - 48 random bits ten times in a row
        raise RuntimeError("could not draw a unique token prefix")
    now = timezone.now()
    token = APIToken.objects.create(
        user=user,
        name=name,
        key_hash=hash_secret(secret),
        prefix=prefix,
        two_factor=used_two_factor,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    record_event(
        action="api.token.issued",
        actor=user,
        obj=token,
        changes={
            "name": [None, name],
            "prefix": [None, prefix],
            "expires_at": [None, token.expires_at],
            "two_factor": [None, used_two_factor],
        },
        ip=client_ip(request),
    )
    return token, secret


@transaction.atomic
def revoke_token(token: APIToken, by, reason: str = "", *, ip: str | None = None) -> APIToken:
    """Revoke ``token`` now. Revoking is final; a revoked token is kept for the record."""
    locked = APIToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:  # revoked meanwhile (a second click, a race): nothing to do
        token.revoked_at = locked.revoked_at
        return locked
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    record_event(
        action="api.token.revoked",
        actor=by,
        obj=locked,
        changes={"revoked_at": [None, locked.revoked_at]},
        reason=reason,
        ip=ip,
    )
    token.revoked_at = locked.revoked_at
    return locked
