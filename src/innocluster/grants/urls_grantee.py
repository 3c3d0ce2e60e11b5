"""The grantee's awards, tranches and reports."""

app_name = "grants_grantee"
urlpatterns: list = []
