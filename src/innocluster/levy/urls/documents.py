"""A company's levy documents in its portal, under ``/portal/levy/documents/``: the account
statement of each subsoil user the representative acts for, and the notices of its obligations."""

from django.urls import path

from innocluster.levy.views import statement as views

app_name = "levy_documents"
urlpatterns = [
    path("", views.portal_index, name="index"),
    path("<str:bin>/statement/", views.portal_statement, name="statement"),
    path("notices/<str:reference>/<str:kind>.pdf", views.portal_notice, name="notice"),
]
