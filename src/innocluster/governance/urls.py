"""The bodies' pages, the authority matrix and the resolutions, under ``/staff/governance/``."""

from django.urls import path

from innocluster.governance import views, views_execution

app_name = "governance"
urlpatterns = [
    path("", views.body_list, name="bodies"),
    path("bodies/<int:pk>/", views.body_detail, name="body"),
    path("authority/", views_execution.authority_matrix, name="authority"),
    path("resolutions/<int:pk>/", views_execution.resolution_detail, name="resolution"),
    path("resolutions/<int:pk>/retry/", views_execution.resolution_retry, name="resolution_retry"),
]
