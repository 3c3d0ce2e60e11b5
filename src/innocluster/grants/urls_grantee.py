"""The grantee's awards, tranches and reports."""

from django.urls import path

from innocluster.grants import views_grantee as views

app_name = "grants_grantee"
urlpatterns = [
    path("", views.awards, name="awards"),
    path("<int:pk>/", views.award_page, name="award"),
    path("reports/<int:pk>/", views.report_page, name="report"),
    path("reports/<int:pk>/file/", views.report_file, name="report_file"),
]
