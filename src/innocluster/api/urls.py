"""API v1 routes, included by the root URLconf at ``api/v1/``.

Every route is built by :func:`~innocluster.apikit.permissions.api_view_for`, which refuses a view
class without a declared access action and marks the view function for ``AccessMiddleware``.
"""

from django.urls import path

from innocluster.apikit.permissions import api_view_for
from innocluster.registry.api import applications as api_applications
from innocluster.registry.api import register as registry_api

from . import views

app_name = "api"

urlpatterns = [
    path("", api_view_for(views.RootView), name="root"),
    path("me/", api_view_for(views.MeView), name="me"),
    path("auth/tokens/", api_view_for(views.TokenListCreateView), name="tokens"),
    path("auth/tokens/<str:prefix>/", api_view_for(views.TokenDetailView), name="token-detail"),
    path("policy/rules/", api_view_for(views.RulesView), name="rules"),
    path("policy/values/<str:key>/", api_view_for(views.PolicyValueView), name="policy-value"),
    path("participants/", api_view_for(registry_api.ParticipantListView), name="participants"),
    path(
        "participants/<str:number>/",
        api_view_for(registry_api.ParticipantDetailView),
        name="participant-detail",
    ),
    path("applications/", api_view_for(api_applications.ApplicationListView), name="applications"),
    path(
        "applications/<int:pk>/",
        api_view_for(api_applications.ApplicationDetailView),
        name="application-detail",
    ),
    path(
        "applications/<int:pk>/submit/",
        api_view_for(api_applications.ApplicationSubmitView),
        name="application-submit",
    ),
    path(
        "applications/<int:pk>/transitions/",
        api_view_for(api_applications.ApplicationTransitionView),
        name="application-transitions",
    ),
    path("schema/", api_view_for(views.SchemaView), name="schema"),
    path("docs/", api_view_for(views.DocsView), name="docs"),
]
