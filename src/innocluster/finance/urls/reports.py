"""The Fund's financial reports (trial balance, ledgers, statements, budget execution)."""

from django.urls import path
from django.views.generic import RedirectView

app_name = "finance_reports"
urlpatterns: list = [
    # Replaced by the reports' index when the reports land.
    path("", RedirectView.as_view(pattern_name="finance:home", permanent=False), name="index"),
]
