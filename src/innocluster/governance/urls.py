"""The bodies' pages, under ``/staff/governance/``."""

from django.urls import path

from innocluster.governance import views, views_minutes

app_name = "governance"
urlpatterns = [
    path("", views.body_list, name="bodies"),
    path("bodies/<int:pk>/", views.body_detail, name="body"),
    path("meetings/<int:pk>/minutes/", views_minutes.minutes_page, name="minutes"),
    path("meetings/<int:pk>/minutes.pdf", views_minutes.minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/minutes/comment/", views_minutes.minutes_comment, name="minutes_comment"),
    path("meetings/<int:pk>/minutes/<slug:action>/", views_minutes.minutes_action, name="minutes_action"),
    path("resolutions/<int:pk>/extract.pdf", views_minutes.resolution_extract, name="resolution_extract"),
]
