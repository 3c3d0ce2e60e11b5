"""Awards, agreements, tranches, amendments, suspension, termination and clawback (staff)."""

app_name = "grants_awards"
urlpatterns: list = []
