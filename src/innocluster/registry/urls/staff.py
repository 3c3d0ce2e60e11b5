"""Staff pages of the register, included by the root URLconf at ``staff/registry/``."""

from django.urls import path

from innocluster.registry.views.staff import applications as views_staff
from innocluster.registry.views.staff import participants as views_participants

app_name = "registry_staff"

urlpatterns = [
    path("", views_staff.queue, name="queue"),
    path("applications/<int:pk>/", views_staff.application, name="application"),
    path("applications/<int:pk>/agreement.pdf", views_staff.agreement, name="agreement"),
    path("applications/<int:pk>/<str:action>/", views_staff.application_action, name="application_action"),
    path("commission/batch/", views_staff.batch, name="batch"),
    path("documents/<int:pk>/", views_staff.document, name="document"),
    path("participants/<str:number>/", views_participants.participant, name="participant"),
    path("participants/<str:number>/certificate.pdf", views_participants.certificate, name="certificate"),
    path(
        "participants/<str:number>/<str:action>/",
        views_participants.participant_action,
        name="participant_action",
    ),
    path("compliance/", views_participants.compliance, name="compliance"),
]
