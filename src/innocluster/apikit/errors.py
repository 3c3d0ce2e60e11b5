"""One error body for the whole API, whatever failed and wherever:

    {"detail": "What went wrong, in the caller's language.",
     "code": "machine-readable, e.g. not_found, invalid, illegal_transition",
     "errors": {"field": ["message", ...], "nested.field": [...]}}   # 400 and 422 only

Status codes mean one thing each:

* 400 ``invalid``: the request does not match the schema (a wrong type, a missing field, a value out
  of bounds, a query parameter given empty or twice); ``errors`` names each field.
* 401 no credentials where needed, or a bad, expired or revoked token; 403 the access rule refuses;
  404 no such object (or another's: its existence is private), or no such address;
  405 method not allowed; 406 not acceptable; 415 not JSON.
* 409 the object's state does not allow this now (a :class:`~innocluster.core.errors.DomainError`);
* 412 ``If-Match`` no longer matches;
* 422 ``unprocessable``: the request is well formed but a business rule refuses it (a service's
  ``ValidationError``: an incomplete application, an unknown category); ``errors`` by field.

:func:`exception_handler` is DRF's ``EXCEPTION_HANDLER``; :class:`JsonErrorsMiddleware` makes every
other error under ``/api/`` (an unknown or malformed address, Django's own 403/404/500 pages) the
same JSON body instead of an HTML page.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from innocluster.core.errors import DomainError

API_PREFIX = "/api/"
NON_FIELD = "non_field_errors"
# Headers an error answer keeps when it is rewritten as JSON.
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After", "Vary", "ETag")


class Unprocessable(exceptions.APIException):
    """422: well formed, refused by a business rule. ``detail`` may be a dict of errors by field."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = gettext_lazy("The request is well formed, but the rules refuse it: see errors.")
    default_code = "unprocessable"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("Not possible in the object's present state.")
    default_code = "conflict"


def field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ``ValidationError`` as errors by field (``non_field_errors`` for the rest)."""
    if hasattr(error, "error_dict"):
        return {
            NON_FIELD if field == "__all__" else field: [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    return {NON_FIELD: [str(m) for m in error.messages]}


def unprocessable(error: DjangoValidationError) -> Unprocessable:
    """A service's ``ValidationError`` as the API's 422 with the errors by field."""
    return Unprocessable(field_errors(error))


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"a.b": [...], "items.0.text": [...]}``: one level, lists of
    strings, whatever the serializers' nesting."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = NON_FIELD if key == api_settings.NON_FIELD_ERRORS_KEY and not prefix else str(key)
            for field, messages in flatten(value, f"{prefix}{name}.").items():
                flat.setdefault(field, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            flat[prefix.rstrip(".") or NON_FIELD] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if item:
                    for field, messages in flatten(item, f"{prefix}{index}.").items():
                        flat.setdefault(field, []).extend(messages)
    else:
        flat[prefix.rstrip(".") or NON_FIELD] = [str(detail)]
    return flat


def _codes(detail) -> str:
    """The first code in a (nested) DRF detail."""
    if isinstance(detail, dict):
        for value in detail.values():
            return _codes(value)
    if isinstance(detail, list) and detail:
        return _codes(detail[0])
    return getattr(detail, "code", None) or "invalid"


def body(detail: str, code: str, errors: dict | None = None) -> dict:
    answer = {"detail": str(detail), "code": code}
    if errors is not None:
        answer["errors"] = errors
    return answer


def _as_api_exception(exc):
    if isinstance(exc, Http404):
        return exceptions.NotFound(*(exc.args[:1] or ()))
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*(exc.args[:1] or ()))
    if isinstance(exc, DjangoValidationError):
        return unprocessable(exc)
    if isinstance(exc, DomainError):
        return Conflict(str(exc), code=exc.code)
    return exc


def exception_handler(exc, context):
    """DRF's exception handler with the one error body. Anything that is not an API error (a bug)
    is left to Django (a 500, which :class:`JsonErrorsMiddleware` turns into JSON)."""
    exc = _as_api_exception(exc)
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError | Unprocessable) and isinstance(exc.detail, dict | list):
        errors = flatten(exc.detail)
        default = (
            _("The request does not match the schema: see errors.")
            if isinstance(exc, exceptions.ValidationError)
            else str(Unprocessable.default_detail)
        )
        code = "invalid" if isinstance(exc, exceptions.ValidationError) else "unprocessable"
        data = body(default, code, errors)
    else:
        detail = exc.detail
        if isinstance(detail, list | dict):  # e.g. ValidationError("text") or a 422 with one message
            messages = flatten(detail)
            data = body(" ".join(m for ms in messages.values() for m in ms), _codes(detail), messages)
        else:
            data = body(str(detail), getattr(detail, "code", None) or exc.default_code)
    set_rollback()
    return Response(data, status=exc.status_code, headers=headers)


STATUS_TEXT = {
    400: ("bad_request", gettext_lazy("The request could not be understood.")),
    401: ("not_authenticated", gettext_lazy("Authentication credentials were not provided.")),
    403: ("permission_denied", gettext_lazy("You do not have permission to perform this action.")),
    404: ("not_found", gettext_lazy("Nothing here: no such address or object.")),
    405: ("method_not_allowed", gettext_lazy("This method is not allowed here.")),
    406: ("not_acceptable", gettext_lazy("The API answers in JSON only.")),
    412: ("precondition_failed", gettext_lazy("The object has changed since: read it again.")),
    415: ("unsupported_media_type", gettext_lazy("Send the request body as JSON.")),
}
SERVER_ERROR = ("server_error", gettext_lazy("Something went wrong on our side. It has been logged."))


def _is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == "application/json"


class JsonErrorsMiddleware:
    """Under ``/api/``, every error answer is the JSON error body: an unknown or malformed address
    (Django's HTML 404 page, even with DEBUG), a 403 from the access middleware, a 500, a bare 412
    from a conditional request. Answers that already are JSON pass unchanged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400 or _is_json(response):
            return response
        code, detail = STATUS_TEXT.get(response.status_code, SERVER_ERROR)
        if response.status_code < 500 and response.status_code not in STATUS_TEXT:
            code, detail = "error", response.reason_phrase
        answer = JsonResponse(body(detail, code), status=response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer


def json_error(status_code: int, detail: str, code: str) -> JsonResponse:
    """A JSON error answer for code outside DRF (middleware, plain views)."""
    return JsonResponse(body(detail, code), status=status_code)


__all__ = [
    "Conflict",
    "JsonErrorsMiddleware",
    "Unprocessable",
    "body",
    "exception_handler",
    "field_errors",
    "flatten",
    "json_error",
    "unprocessable",
]
