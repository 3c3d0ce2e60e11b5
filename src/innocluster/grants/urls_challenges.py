"""Open-innovation challenges: posting, answering, shortlisting."""

app_name = "grants_challenges"
urlpatterns: list = []
