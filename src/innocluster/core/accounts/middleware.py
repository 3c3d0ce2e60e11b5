"""Staff and body members' accounts cannot use the system without a second factor.

A user whose role requires 2FA is sent, from every page (the admin included), to enrol a TOTP
authenticator if they have none, or to confirm a code if this session has not used one; the API
answers 403 instead of redirecting. Only the pages needed for that step stay open: in particular a
session that has not used its second factor cannot reach recovery codes, deactivate the factor,
change the e-mail or password, or download personal data.
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .mfa import is_enrolled, requires_two_factor, session_used_two_factor

ALWAYS_OPEN = ("/i18n/", "/static/", "/favicon", "/accounts/logout/", "/accounts/login/")
ENROL_URL = "/accounts/2fa/totp/activate/"
CONFIRM_URL = "/accounts/2fa/reauthenticate/"
# Not enrolled yet: enrolment asks for the password again first; e-mail confirmation links work.
OPEN_WHILE_ENROLLING = (ENROL_URL, "/accounts/reauthenticate/", "/accounts/confirm-email/")
# Enrolled, but this session has not used the factor: only confirming a code.
OPEN_WHILE_CONFIRMING = (CONFIRM_URL, "/accounts/2fa/authenticate/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        path = request.path
        if not user.is_authenticated or path.startswith(ALWAYS_OPEN) or not requires_two_factor(user):
            return self.get_response(request)
        enrolled = is_enrolled(user)
        if enrolled and session_used_two_factor(request):
            return self.get_response(request)
        if path.startswith(OPEN_WHILE_CONFIRMING if enrolled else OPEN_WHILE_ENROLLING):
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": _(
                        "Two-factor authentication is required for your role. Sign in with it first."
                    ),
                    "code": "two_factor_required",
                },
                status=403,
            )
        target = CONFIRM_URL if enrolled else ENROL_URL
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
