"""The programme manager's side of pre-selection: the call's financing subsoil users, closing pre-selection."""

from django.urls import path

from innocluster.grants import views_preselection as views

app_name = "grants_preselection_staff"
urlpatterns = [
    path("", views.staff_index, name="index"),
    path("calls/<int:pk>/", views.staff_call, name="call"),
    path("calls/<int:pk>/financers/", views.financer_add, name="financer_add"),
    path("calls/<int:pk>/financers/<int:item>/remove/", views.financer_remove, name="financer_remove"),
    path("calls/<int:pk>/close/", views.close, name="close"),
]
