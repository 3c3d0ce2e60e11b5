"""``can(user, action, obj) -> Decision``: the single question every view, API endpoint and service
asks. Actions are declared with a ``rules`` predicate; an undeclared action is refused (deny by
default), and the answer carries a reason the UI can show."""

from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from . import roles as _roles
from .roles import AUDIT_READERS, FUND_ADMIN
from .selectors import roles_of

_ACTIONS = rules.RuleSet()


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def has_role(*roles: str):
    """A predicate true for a user holding any of ``roles``."""
    wanted = frozenset(roles)

    @rules.predicate(name=f"has_role({', '.join(sorted(wanted))})")
    def predicate(user, obj=None) -> bool:
        return bool(roles_of(user) & wanted)

    return predicate


def in_role_group(group: str):
    """True for a holder of any role of ``group`` (``"staff"``, ``"bodies"``), counted from the
    manifests when asked, so roles of apps installed later are included."""

    @rules.predicate(name=f"in_role_group({group})")
    def predicate(user, obj=None) -> bool:
        return bool(roles_of(user) & _roles.in_group(group))

    return predicate


def granted(action: str):
    """True for a holder of a role whose app gives it the platform ``action`` (``RoleSpec.holds``)."""

    @rules.predicate(name=f"granted({action})")
    def predicate(user, obj=None) -> bool:
        return bool(roles_of(user) & _roles.holding(action))

    return predicate


anyone = rules.always_allow
signed_in = rules.is_authenticated


def declare(action: str, predicate) -> None:
    """Declare who may perform ``action``; apps call this at import time of their permissions."""
    if _ACTIONS.rule_exists(action):
        raise ValueError(f"access action {action!r} is declared twice")
    _ACTIONS.add_rule(action, predicate)


def declared(action: str) -> bool:
    return _ACTIONS.rule_exists(action)


def can(user, action: str, obj=None) -> Decision:
    if not _ACTIONS.rule_exists(action):
        return Decision(False, str(_("No access rule is declared for this action.")))
    if _ACTIONS.test_rule(action, user, obj):
        return Decision(True, "")
    if user is None or not getattr(user, "is_authenticated", False):
        return Decision(False, str(_("Please sign in.")))
    return Decision(False, str(_("Your role does not allow this action.")))


def require(user, action: str, obj=None) -> None:
    """:func:`can`, for services and views that stop on a refusal: ``PermissionDenied`` (403) with
    the reason. Who may *see* an object (404) stays the caller's question."""
    decision = can(user, action, obj)
    if not decision.allowed:
        raise PermissionDenied(decision.reason)


# --- the core's own actions -------------------------------------------------------------------
declare("core.set_language", anyone)
declare("admin.site", has_role(FUND_ADMIN))
declare("audit.view_log", has_role(*AUDIT_READERS))
