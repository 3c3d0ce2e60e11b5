"""OpenAPI pieces: the bearer-token security scheme and an AutoSchema that states each endpoint's
access rule and marks the public ones as callable without credentials.

Imported by ``ApiConfig.ready()`` so drf-spectacular finds the extension.
"""

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from innocluster.core.access.permissions import can


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "innocluster.api.authentication.ExpiringTokenAuthentication"
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
