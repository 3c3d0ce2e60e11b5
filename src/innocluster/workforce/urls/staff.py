"""The HR officer's pages, under ``/staff/workforce/``."""

from django.urls import path

from innocluster.workforce.views import staff as views

app_name = "workforce"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/<str:action>/", views.request_action, name="request_action"),
    path("documents/<int:pk>/", views.document, name="document"),
]
