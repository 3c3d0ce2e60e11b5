"""The workforce reports, included at ``staff/workforce/reports/``: each page also answers
``?format=xlsx`` and ``?format=pdf``; the state bodies' report also ``?format=csv``."""

from django.urls import path

from innocluster.workforce.views import reports as views

app_name = "workforce_reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("foreigners/", views.state, name="state"),
    path("statistics/", views.statistics, name="statistics"),
]
