"""Who may call which API endpoint: the API's access actions and the DRF permission that asks
:func:`~innocluster.core.access.permissions.can`.

Two layers, both deny by default:

* Django's ``AccessMiddleware`` refuses any routed view function without a declared action. It runs
  before DRF authenticates a bearer token, so it sees a token caller as anonymous and cannot decide
  for the API. Every API view function therefore carries :data:`GATEWAY` (declared for anyone) and
  is built by :func:`api_view_for`, which refuses a view class that has no declared
  ``access_action`` or does not use :class:`CanPermission`.
* :class:`CanPermission` runs after DRF has authenticated the caller (session or token) and asks
  ``can(user, view.access_action)``; object checks ask ``can(user, view.object_access_action or
  view.access_action, obj)``. An undeclared or missing action is refused.

This module is imported by ``ApiConfig.ready()``, which declares the actions.
"""

import rules
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from innocluster.core.access.permissions import anyone, can, declare, declared, signed_in
from innocluster.core.access.views import requires

GATEWAY = "api.endpoint"


@rules.predicate
def owns_token(user, token=None) -> bool:
    """True for the token's owner; with no token (the view-level question) it does not object."""
    return token is None or token.user_id == user.pk


declare(GATEWAY, anyone)
declare("api.root", anyone)
declare("api.schema", anyone)
declare("api.docs", anyone)
declare("api.me", signed_in)
declare("api.tokens", signed_in)
declare("api.tokens.revoke", signed_in & owns_token)
declare("api.policy.rules", anyone)
declare("api.policy.value", anyone)


def _declared_action(view, attribute: str = "access_action") -> str | None:
    action = getattr(view, attribute, None)
    return action if isinstance(action, str) and declared(action) else None


class CanPermission(BasePermission):
    """DRF's side of ``can()``: the view's ``access_action`` (class attribute) decides."""

    message = _("No access rule is declared for this endpoint.")

    def has_permission(self, request, view) -> bool:
        action = _declared_action(view)
        if action is None:
            return False
        decision = can(request.user, action)
        if not decision.allowed:
            self.message = decision.reason
        return decision.allowed

    def has_object_permission(self, request, view, obj) -> bool:
        action = _declared_action(view, "object_access_action") or _declared_action(view)
        if action is None:
            return False
        if can(request.user, action, obj).allowed:
            return True
        # The caller may use the endpoint (has_permission passed) but not this object: it belongs to
        # someone else, and its existence is private.
        raise NotFound()


def api_view_for(view_class, **initkwargs):
    """``view_class.as_view()`` marked for ``AccessMiddleware``; refuses an undeclared view class."""
    action = getattr(view_class, "access_action", None)
    if not isinstance(action, str) or not declared(action):
        raise ImproperlyConfigured(f"{view_class.__name__} has no declared access_action ({action!r})")
    if not any(issubclass(p, CanPermission) for p in view_class.permission_classes):
        raise ImproperlyConfigured(f"{view_class.__name__} must use CanPermission")
    return requires(GATEWAY)(view_class.as_view(**initkwargs))
