"""The decision record's staff pages, mounted at ``/staff/decisions/``."""

from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="list"),
    path("new/", views.decision_create, name="create"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/transition/<str:name>/", views.decision_transition, name="transition"),
    path("<int:pk>/documents/", views.document_attach, name="attach_document"),
    path("documents/<int:pk>/download/", views.document_download, name="download_document"),
]
