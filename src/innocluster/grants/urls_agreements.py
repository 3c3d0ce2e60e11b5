"""The financing agreement's PDF, for the grantee and the staff."""

app_name = "grants_agreements"
urlpatterns: list = []
