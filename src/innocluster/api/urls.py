"""API v1 routes, included by the root URLconf at ``api/v1/``: the API's own, then every installed
app's routes from its manifest (``Manifest.api``), so no domain module is named here.

Every route is built by :func:`~innocluster.apikit.permissions.api_view_for`, which refuses a view
class without a declared access action and marks the view function for ``AccessMiddleware``.
"""

from django.urls import path
from django.utils.module_loading import import_string

from innocluster.apikit.permissions import api_view_for
from innocluster.core.manifest import api_routes

from . import views

app_name = "api"

urlpatterns = [
    path("", api_view_for(views.RootView), name="root"),
    path("me/", api_view_for(views.MeView), name="me"),
    path("auth/tokens/", api_view_for(views.TokenListCreateView), name="tokens"),
    path("auth/tokens/<str:prefix>/", api_view_for(views.TokenDetailView), name="token-detail"),
    path("policy/rules/", api_view_for(views.RulesView), name="rules"),
    path("policy/values/<str:key>/", api_view_for(views.PolicyValueView), name="policy-value"),
    *(path(r.route, api_view_for(import_string(r.view)), name=r.name) for r in api_routes()),
    path("schema/", api_view_for(views.SchemaView), name="schema"),
    path("docs/", api_view_for(views.DocsView), name="docs"),
]
