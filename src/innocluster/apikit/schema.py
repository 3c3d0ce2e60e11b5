"""OpenAPI that tells the truth about every endpoint, without each view repeating it.

:class:`ApiAutoSchema` (the ``DEFAULT_SCHEMA_CLASS`` and :class:`~.views.Endpoint`'s schema):

* states each endpoint's access rule in its description and marks public ones callable without
  credentials;
* documents the standard answers of every operation with the one ``Error`` component: 401 and 403
  everywhere (a bad token is refused on public endpoints too; a staff session without its second
  factor is refused everywhere), 400 where there are query parameters or a body, 415 where there
  is a body, 404 where the path names an object, 304 on GETs (``If-None-Match``); any other 4xx a
  view declares (409, 422, ...) gets the ``Error`` body too, with the view's description;
* tags an operation with its domain when the view gives none (``api_tags`` or the module's app);
* documents string query parameters with ``minLength: 1`` (see :mod:`.filtering`);
* states what DRF's ``CharField`` refuses in a request: NUL characters, and, unless blank is
  allowed, a value that is only whitespace (DRF trims it to blank): a ``pattern`` built from exactly
  the characters Python's ``str.strip()`` removes, so the schema and the server agree both ways.

A view declares only what is its own: ``extend_schema(responses={200: ..., 409: error("...")})``.
"""

import sys

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from innocluster.core.access.permissions import can


class ErrorSerializer(serializers.Serializer):
    """The API's one error body (see ``innocluster.apikit.errors``)."""

    detail = serializers.CharField(help_text="What went wrong, in the caller's language.")
    code = serializers.CharField(
        help_text="Machine-readable: invalid, unprocessable, not_authenticated, authentication_failed, "
        "permission_denied, not_found, method_not_allowed, illegal_transition, ..."
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="400 and 422: the messages by field (nested fields as `a.b`, list items as "
        "`items.0.text`; `non_field_errors` for the request as a whole).",
    )

    class Meta:
        ref_name = "Error"


def error(description: str) -> OpenApiResponse:
    """An error answer a view declares beyond the standard ones, e.g. ``409: error("...")``."""
    return OpenApiResponse(ErrorSerializer, description=description)


STANDARD = {
    "400": "The request does not match this schema (a wrong type or value, a query parameter given "
    "empty or twice); `errors` names each field.",
    "401": "No credentials where this endpoint needs them, or an invalid, expired or revoked token.",
    "403": "The access rule refuses the caller (or the role needs a two-factor session first).",
    "404": "No such object, or it is not yours (its existence is private); also a malformed address.",
    "415": "The body is not JSON.",
}
NOT_MODIFIED = "Not modified: the ETag in `If-None-Match` still matches (no body)."


def _char_class(characters) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in characters)


# The characters str.strip() removes (str.isspace), and NUL, which DRF's CharField refuses.
WHITESPACE = _char_class(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
NO_NUL = "^[^\\u0000]*$"
NOT_BLANK = f"^[^\\u0000]*[^\\u0000{WHITESPACE}][^\\u0000]*$"


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "innocluster.apikit.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An API token created at POST /api/v1/auth/tokens/ from a signed-in browser session "
                "(with the second factor where the role requires it). Send `Authorization: Bearer "
                "<secret>`; `Token <secret>` is accepted too. Tokens expire."
            ),
        }


class ApiAutoSchema(AutoSchema):
    def _access_action(self) -> str | None:
        return getattr(self.view, "access_action", None)

    def get_auth(self):
        auths = super().get_auth()
        action = self._access_action()
        if action and can(AnonymousUser(), action).allowed and {} not in auths:
            auths.append({})  # public: no credentials needed
        return auths

    def get_description(self):
        description = super().get_description() or ""
        action = self._access_action()
        if not action:
            return description
        rule = f"Access rule: `{action}`."
        object_action = getattr(self.view, "object_access_action", None)
        if object_action:
            rule += f" Object rule: `{object_action}`."
        return f"{description}\n\n{rule}" if description else rule

    def get_tags(self) -> list[str]:
        tags = getattr(self.view, "api_tags", None)
        return list(tags) if tags else super().get_tags()

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        plain_text = (
            type(field) is serializers.CharField  # not its kin with a format or pattern of their own
            and isinstance(schema, dict)
            and schema.get("type") == "string"
            and not ({"pattern", "format", "enum"} & schema.keys())
        )
        if direction == "request" and plain_text and not field.read_only:
            blank_refused = not field.allow_blank
            schema["pattern"] = NOT_BLANK if blank_refused and field.trim_whitespace else NO_NUL
        return schema

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if parameter.get("in") == "query" and schema.get("type") == "string" and "enum" not in schema:
                schema.setdefault("minLength", 1)
        ref = {"$ref": self.resolve_serializer(ErrorSerializer, "response").ref["$ref"]}
        content = {"application/json": {"schema": ref}}
        responses = operation.setdefault("responses", {})
        wanted = ["401", "403"]
        if any(p.get("in") == "query" for p in parameters) or "requestBody" in operation:
            wanted.append("400")
        if "requestBody" in operation:
            wanted.append("415")
        if any(p.get("in") == "path" for p in parameters):
            wanted.append("404")
        for code in wanted:
            responses.setdefault(code, {"description": STANDARD[code]})
        for code, response in responses.items():
            if code.startswith(("4", "5")):
                response["content"] = content
                response["description"] = response.get("description") or STANDARD.get(code, "")
        if self.method == "GET":
            responses.setdefault("304", {"description": NOT_MODIFIED})
        operation["responses"] = dict(sorted(responses.items()))
        return operation
