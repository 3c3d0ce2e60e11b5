"""The employer's pages, under ``/portal/workforce/``."""

from django.urls import path

from innocluster.workforce.views import portal as views

app_name = "workforce_portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("specialists/new/", views.specialist_new, name="specialist_new"),
    path("specialists/<int:pk>/", views.specialist_edit, name="specialist"),
    path("specialists/<int:specialist_pk>/request/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/details/", views.request_edit, name="details"),
    path("requests/<int:pk>/documents/", views.request_documents, name="documents"),
    path("requests/<int:pk>/submit/", views.request_submit, name="submit"),
    path("documents/<int:pk>/", views.document, name="document"),
]
