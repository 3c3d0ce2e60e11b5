"""Domain errors reach people as plain messages, never as a 500 page."""

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import DomainError, RecordsBusy, is_lock_failure


class DomainErrorMiddleware:
    """A :class:`DomainError` escaping a view becomes, for a page, the message shown at the top of
    the page the person came from (nothing was written: services run in transactions); for the
    API, a 409 with ``detail`` and ``code``. A lock failure of the database (deadlock, lock
    timeout) is answered the same way, as :class:`RecordsBusy`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_lock_failure(exception):
            exception = RecordsBusy()
        if not isinstance(exception, DomainError):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(exception), "code": exception.code}, status=409)
        messages.error(request, str(exception))
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = request.path if request.method == "GET" else "/"
        return HttpResponseRedirect(back, status=303)


class PrivateNoStoreMiddleware:
    """Pages shown to a signed-in person (their data, documents, the audit log) must not be kept by
    browsers or proxies: ``Cache-Control: private, no-store`` unless the view chose otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response
