"""The finance back office, under ``/staff/finance/``."""

from django.urls import include, path

app_name = "finance"
urlpatterns = [
    path("reports/", include("innocluster.finance.urls.reports")),
]
