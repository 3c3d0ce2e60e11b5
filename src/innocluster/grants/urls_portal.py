"""The participant's project applications."""

app_name = "grants_portal"
urlpatterns: list = []
