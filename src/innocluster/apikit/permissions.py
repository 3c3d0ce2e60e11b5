"""Who may call which API endpoint: the DRF permission that asks
:func:`~innocluster.core.access.permissions.can`, and the routing helper every endpoint goes through.

Two layers, both deny by default:

* Django's ``AccessMiddleware`` refuses any routed view function without a declared action. It runs
  before DRF authenticates a bearer token, so it sees a token caller as anonymous and cannot decide
  for the API. Every API view function therefore carries :data:`GATEWAY` (declared for anyone) and
  is built by :func:`api_view_for`, which refuses a view class that has no declared
  ``access_action`` or is not an :class:`~innocluster.apikit.views.Endpoint`.
* :class:`CanPermission` runs after DRF has authenticated the caller (session or token) and asks
  ``can(user, view.access_action)``; object checks ask ``can(user, view.object_access_action or
  view.access_action, obj)``, and a refused object is not found (404): its existence is private.
"""

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from innocluster.core.access.permissions import anyone, can, declare, declared
from innocluster.core.access.views import requires

GATEWAY = "api.endpoint"

declare(GATEWAY, anyone)


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
    """``view_class.as_view()`` marked for ``AccessMiddleware``; refuses an undeclared view class
    and one that does not build on :class:`~innocluster.apikit.views.Endpoint` (which brings the
    error format, pagination, conditional GET and ``CanPermission``)."""
    from .views import Endpoint  # views imports this module

    action = getattr(view_class, "access_action", None)
    if not isinstance(action, str) or not declared(action):
        raise ImproperlyConfigured(f"{view_class.__name__} has no declared access_action ({action!r})")
    if not issubclass(view_class, Endpoint):
        raise ImproperlyConfigured(f"{view_class.__name__} must build on apikit.views.Endpoint")
    if not any(issubclass(p, CanPermission) for p in view_class.permission_classes):
        raise ImproperlyConfigured(f"{view_class.__name__} must use CanPermission")
    return requires(GATEWAY)(view_class.as_view(**initkwargs))
