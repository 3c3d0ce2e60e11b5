"""The programme manager's side of pre-selection: the call's financing subsoil users, closing pre-selection."""

app_name = "grants_preselection_staff"
urlpatterns: list = []
