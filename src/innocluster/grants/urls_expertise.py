"""The expert commission: assignments, conflict declarations, scores, opinions, aggregation."""

app_name = "grants_expertise"
urlpatterns: list = []
