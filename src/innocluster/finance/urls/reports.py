"""The Fund's financial reports (trial balance, ledgers, statements, budget execution)."""

app_name = "finance_reports"
urlpatterns: list = []
