"""Staff and governance accounts cannot use the system without a second factor.

A user whose role requires 2FA is sent, from every page (the admin included), to enrol a TOTP
authenticator if they have none, or to confirm a code if this session has not used one; the API
answers 403 instead of redirecting. Only the pages needed to do that stay open.
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .mfa import is_enrolled, requires_two_factor, session_used_two_factor

OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/favicon")
ENROL_URL = "/accounts/2fa/totp/activate/"
CONFIRM_URL = "/accounts/2fa/reauthenticate/"


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        if not requires_two_factor(user):
            return self.get_response(request)
        enrolled = is_enrolled(user)
        if enrolled and session_used_two_factor(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Two-factor authentication is required for your role. Sign in with it first.")},
                status=403,
            )
        target = ENROL_URL if not enrolled else CONFIRM_URL
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
