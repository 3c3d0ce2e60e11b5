"""Staff application list and detail, intake check (the Fund's first stage)."""

app_name = "grants_applications"
urlpatterns: list = []
