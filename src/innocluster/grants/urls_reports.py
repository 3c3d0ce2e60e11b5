"""Grantee reports: the programme manager's queue and review."""

from django.urls import path

from innocluster.grants import views_reports as views

app_name = "grants_reports"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.report_page, name="report"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/return/", views.send_back, name="return"),
    path("<int:pk>/file/", views.report_file, name="file"),
]
