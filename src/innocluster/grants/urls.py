"""The staff pages of programmes and calls, under ``/staff/grants/``."""

from django.urls import path

from innocluster.grants import views

app_name = "grants"
urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_page, name="programme"),
    path("programmes/<int:pk>/calls/new/", views.call_create, name="call_create"),
    path("calls/<int:pk>/", views.call_page, name="call"),
    path("calls/<int:pk>/edit/", views.call_update, name="call_update"),
    path("calls/<int:pk>/documents/", views.document_add, name="document_add"),
    path("calls/<int:pk>/documents/<int:item>/remove/", views.document_remove, name="document_remove"),
    path("calls/<int:pk>/criteria/", views.criterion_add, name="criterion_add"),
    path("calls/<int:pk>/criteria/<int:item>/remove/", views.criterion_remove, name="criterion_remove"),
    path("calls/<int:pk>/submit/", views.call_submit, name="call_submit"),
    path("calls/<int:pk>/approve/", views.call_approve, name="call_approve"),
    path("calls/<int:pk>/return/", views.call_return, name="call_return"),
    path("calls/<int:pk>/withdraw/", views.call_withdraw, name="call_withdraw"),
]
