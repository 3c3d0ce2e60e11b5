"""What each audience's home is made of: whose home it is, and the cards the apps' manifests
declare for that audience. The site reads no app's tables itself."""

from dataclasses import dataclass
from datetime import date

from innocluster.core import manifest
from innocluster.core.access.permissions import can
from innocluster.core.access.roles import role_label, signup_roles
from innocluster.core.access.selectors import roles_of
from innocluster.core.manifest import Card

PUBLIC, PORTAL, STAFF = "public", "portal", "staff"


def audience_of(user) -> str:
    """``public`` for a visitor; ``staff`` for anyone holding a role beyond those a newcomer picks at
    sign-up (the Fund's staff, its bodies' members, commission members, experts, the auditor);
    ``portal`` for the representatives of organisations (participants, applicants, subsoil users)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return PUBLIC
    outside = {role.key for role in signup_roles()}
    return STAFF if roles_of(user) - outside else PORTAL


def home_cards(user, today: date, audience: str) -> list[Card]:
    """The audience's cards; on a staff home what is overdue or waiting comes first."""
    found = manifest.cards(user, today, audience, can)
    if audience == STAFF:
        found.sort(key=lambda card: not card.warn)  # stable: the apps' order within each group
    return found


@dataclass
class Account:
    roles: list[str]
    two_factor_required: bool
    two_factor_used: bool
    unread: int | None


def account_of(request) -> Account:
    """A signed-in person's roles, sign-in security and unread messages."""
    from innocluster.core.access.roles import role_keys
    from innocluster.core.accounts.mfa import requires_two_factor, session_used_two_factor
    from innocluster.core.notifications.selectors import unread_count

    user = request.user
    held = roles_of(user)
    return Account(
        roles=[role_label(key) for key in role_keys() if key in held],
        two_factor_required=requires_two_factor(user),
        two_factor_used=session_used_two_factor(request),
        unread=unread_count(user),
    )
