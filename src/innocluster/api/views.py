"""API v1 endpoints of the API app itself: thin, each an apikit ``Endpoint`` like any domain's, with
a declared ``access_action`` (see ``permissions``)."""

from django.templatetags.static import static
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from innocluster.apikit.filtering import query
from innocluster.apikit.schema import error
from innocluster.apikit.views import Endpoint
from innocluster.core.access.selectors import roles_of
from innocluster.core.accounts.mfa import requires_two_factor, session_used_two_factor
from innocluster.core.policy import values as rules_values

from . import selectors, serializers, services
from .models import APIToken


class RootView(Endpoint, APIView):
    """Where the API's endpoints are."""

    access_action = "api.root"

    @extend_schema(responses={200: serializers.RootSerializer}, tags=["api"])
    def get(self, request):
        def url(name, **kwargs):
            return reverse(f"api:{name}", kwargs=kwargs or None, request=request)

        return Response(
            {
                "me": url("me"),
                "tokens": url("tokens"),
                "rules": url("rules"),
                "values": url("policy-value", key="KEY").replace("KEY", "{key}"),
                "schema": url("schema"),
                "docs": url("docs"),
            }
        )


class MeView(Endpoint, APIView):
    """Who the caller is: username, roles and whether this request is two-factor authenticated."""

    access_action = "api.me"

    @extend_schema(responses={200: serializers.MeSerializer}, tags=["auth"])
    def get(self, request):
        user = request.user
        token = request.auth if isinstance(request.auth, APIToken) else None
        two_factor = token.two_factor if token else session_used_two_factor(request)
        data = {
            "username": user.get_username(),
            "roles": sorted(roles_of(user)),
            "two_factor": two_factor,
            "two_factor_required": requires_two_factor(user),
            "authentication": "token" if token else "session",
        }
        return Response(serializers.MeSerializer(data).data)


class TokenListCreateView(Endpoint, generics.ListAPIView):
    """Your API tokens (never their secrets); POST creates one from a signed-in browser session."""

    access_action = "api.tokens"
    serializer_class = serializers.TokenSerializer

    def get_queryset(self):
        return selectors.tokens_of(self.request.user)

    @extend_schema(responses={200: serializers.TokenSerializer(many=True)}, tags=["auth"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=serializers.TokenCreateSerializer,
        responses={
            201: serializers.IssuedTokenSerializer,
            422: error("The name is blank once trimmed, or the lifetime is out of bounds."),
        },
        tags=["auth"],
        description=(
            "Create an API token. Only from a signed-in browser session (an API token cannot create "
            "tokens); a role that requires two-factor authentication needs a session that used it. "
            "The secret is in this answer only.\n\nAccess rule: `api.tokens`."
        ),
    )
    def post(self, request, *args, **kwargs):
        form = serializers.TokenCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        # A service's ValidationError (a name blank once trimmed) answers 422 (apikit.errors).
        token, secret = services.issue_token(
            request=request, name=form.validated_data["name"], days=form.validated_data.get("days")
        )
        body = {"secret": secret, "prefix": token.prefix, "name": token.name, "expires_at": token.expires_at}
        return Response(
            serializers.IssuedTokenSerializer(body).data,
            status=status.HTTP_201_CREATED,
            headers={"Cache-Control": "no-store"},  # the secret must not linger in any cache
        )


class TokenDetailView(Endpoint, generics.GenericAPIView):
    """Revoke one of your tokens, named by its prefix. Another person's token answers 404."""

    access_action = "api.tokens"
    object_access_action = "api.tokens.revoke"
    serializer_class = serializers.TokenSerializer
    lookup_field = "prefix"

    def get_queryset(self):
        return selectors.revocable_tokens_of(self.request.user)

    @extend_schema(
        responses={
            204: OpenApiResponse(description="Revoked."),
            404: error("No such active token of yours."),
        },
        tags=["auth"],
    )
    def delete(self, request, *args, **kwargs):
        token = self.get_object()
        services.revoke_token(
            token, request.user, "revoked by its owner through the API", ip=request.META.get("REMOTE_ADDR")
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


POLICY_ERRORS = {
    400: error("A malformed date, regime code or language."),
    404: error("No regime of this code (or, for one value, no value of the key in force then)."),
}


def _policy_query(request, serializer_class):
    return query(request, serializer_class)


class RulesView(Endpoint, generics.ListAPIView):
    """The rules in force on a date in a regime: every policy key with its value and legal source."""

    access_action = "api.policy.rules"
    serializer_class = serializers.RuleSerializer

    def get_queryset(self):
        query = _policy_query(self.request, serializers.RulesQuerySerializer)
        language = query.get("lang") or translation.get_language() or "en"
        try:
            return selectors.rules_with_values(query.get("on"), query.get("regime"), language.split("-")[0])
        except rules_values.UnknownRegime as error:
            raise NotFound(str(error)) from None

    @extend_schema(
        parameters=[serializers.RulesQuerySerializer],
        responses={200: serializers.RuleSerializer(many=True), **POLICY_ERRORS},
        tags=["policy"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PolicyValueView(Endpoint, APIView):
    """One policy value in force on a date, with where it comes from."""

    access_action = "api.policy.value"

    @extend_schema(
        parameters=[
            OpenApiParameter("key", str, OpenApiParameter.PATH, description="Policy key, e.g. levy.rate."),
            serializers.PolicyQuerySerializer,
        ],
        responses={
            200: serializers.PolicyValueSerializer,
            **POLICY_ERRORS,
        },
        tags=["policy"],
    )
    def get(self, request, key):
        query = _policy_query(request, serializers.PolicyQuerySerializer)
        try:
            found = rules_values.lookup(key, on=query.get("on"), regime=query.get("regime"))
        except (
            rules_values.UnknownRegime,
            rules_values.NoRegimeInForce,
            rules_values.NoValueInForce,
        ) as error:
            raise NotFound(str(error)) from None
        return Response(serializers.PolicyValueSerializer(found.as_json()).data)


class SchemaView(Endpoint, SpectacularAPIView):
    """The OpenAPI 3 document (YAML, or JSON with ``?format=json`` / content negotiation)."""

    access_action = "api.schema"
    renderer_classes = SpectacularAPIView.renderer_classes
    strict_query = False  # ?format=json, ?lang=


def _sidecar(path: str) -> str:
    return static(f"drf_spectacular_sidecar/swagger-ui-dist/{path}")


class DocsView(Endpoint, SpectacularSwaggerSplitView):
    """Swagger UI from the bundled assets (drf-spectacular-sidecar), no CDN: works offline and under
    the site's Content-Security-Policy, because the init script is a separate same-origin request
    (``?script``) and our template has no inline style."""

    access_action = "api.docs"
    renderer_classes = SpectacularSwaggerSplitView.renderer_classes
    strict_query = False  # ?script
    url_name = "api:schema"
    template_name = "api/swagger_ui.html"
    title = "innocluster API"

    @staticmethod
    def _swagger_ui_resource(filename):
        return _sidecar(filename)

    @staticmethod
    def _swagger_ui_favicon():
        return _sidecar("favicon-32x32.png")
