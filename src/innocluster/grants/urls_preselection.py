"""Pre-selection by the subsoil users who finance a call."""

from django.urls import path

from innocluster.grants import views_preselection as views

app_name = "grants_preselection"
urlpatterns = [
    path("", views.index, name="index"),
    path("calls/<int:pk>/", views.call_page, name="call"),
    path("applications/<int:pk>/", views.application_page, name="application"),
    path("applications/<int:pk>/mark/", views.application_mark, name="mark"),
]
