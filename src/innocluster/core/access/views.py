"""How views declare their rule, and the middleware that refuses undeclared ones."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from innocluster.core.guards import ATTRIBUTE, requires  # noqa: F401  (views import it from here)

from .permissions import can, declared

# Views we do not write ourselves, declared by URL namespace or URL name.
THIRD_PARTY = {
    ("namespace", "admin"): "admin.site",
    ("url_name", "set_language"): "core.set_language",
}


def action_for(request, view_func) -> str | None:
    action = getattr(view_func, ATTRIBUTE, None)
    if action:
        return action
    if getattr(view_func, "__module__", "").startswith("allauth."):
        return "accounts.allauth"
    match = request.resolver_match
    if match is None:
        return None
    for namespace in match.namespaces:
        if ("namespace", namespace) in THIRD_PARTY:
            return THIRD_PARTY[("namespace", namespace)]
    return THIRD_PARTY.get(("url_name", match.url_name))


class AccessMiddleware:
    """Deny by default: a view with no declared rule answers 403, whoever asks.

    Admin views are declared here as ``admin.site`` but checked by the admin itself (through
    :func:`can`, see ``InnoclusterAdminSite``) so that its login redirect keeps working.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if settings.DEBUG and request.path.startswith(settings.STATIC_URL):
            return None
        action = action_for(request, view_func)
        if action is None or not declared(action):
            raise PermissionDenied("no access rule declared for this page")
        if action == "admin.site":
            return None
        decision = can(request.user, action)
        if decision.allowed:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(decision.reason)
