"""Staff application list and detail, intake check (the Fund's first stage)."""

from django.urls import path

from innocluster.grants import views_applications as views

app_name = "grants_applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("<int:pk>/", views.application_page, name="detail"),
    path("<int:pk>/files/<int:file_pk>/", views.file_download, name="file"),
    path("<int:pk>/intake/accept/", views.intake_accept, name="accept"),
    path("<int:pk>/intake/return/", views.intake_return, name="return"),
    path("<int:pk>/intake/refuse/", views.intake_refuse, name="refuse"),
]
