"""Pre-selection by the subsoil users who finance a call."""

app_name = "grants_preselection"
urlpatterns: list = []
