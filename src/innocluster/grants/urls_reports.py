"""Grantee reports: the programme manager's queue and review."""

app_name = "grants_reports"
urlpatterns: list = []
