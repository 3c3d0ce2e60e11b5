"""The bodies' pages, under ``/staff/governance/``."""

from django.urls import path

from innocluster.governance import views

app_name = "governance"
urlpatterns = [
    path("", views.body_list, name="bodies"),
    path("bodies/<int:pk>/", views.body_detail, name="body"),
]
