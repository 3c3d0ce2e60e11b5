"""Two-factor rules: who must use it, whether a user is enrolled, whether this session used it."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator

from innocluster.core.access.roles import two_factor_roles
from innocluster.core.access.selectors import roles_of


def requires_two_factor(user) -> bool:
    """Staff, commission, experts, trustees, committee members and auditors must use 2FA."""
    return bool(roles_of(user) & two_factor_roles())


def is_enrolled(user) -> bool:
    cached = user.__dict__.get("_innocluster_totp")
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user.__dict__["_innocluster_totp"] = cached
    return cached


def session_used_two_factor(request) -> bool:
    """True when this session's sign-in (or a later re-authentication) included a second factor."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def two_factor_satisfied(request) -> bool:
    user = request.user
    if not user.is_authenticated or not requires_two_factor(user):
        return True
    return is_enrolled(user) and session_used_two_factor(request)
