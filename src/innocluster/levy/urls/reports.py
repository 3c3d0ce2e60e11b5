"""The levy's staff reports, under ``/staff/levy/reports/``: each page also answers
``?format=pdf`` and ``?format=xlsx``; a subsoil user's account statement and its notices."""

from django.urls import path

from innocluster.levy.views import reports as views
from innocluster.levy.views import statement

app_name = "levy_reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("collection/", views.collection, name="collection"),
    path("arrears/", views.arrears, name="arrears"),
    path("by-month/", views.monthly, name="monthly"),
    path("debtors/", views.debtors, name="debtors"),
    path("statements/<str:bin>/", statement.statement, name="statement"),
    path("notices/<str:reference>/<str:kind>.pdf", statement.notice, name="notice"),
]
