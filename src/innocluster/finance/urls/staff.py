"""The finance back office, under ``/staff/finance/``."""

from django.urls import path

from innocluster.finance.views import entries, reconciliation, statements

app_name = "finance"
urlpatterns = [
    path("", entries.home, name="home"),
    path("statements/", statements.upload, name="statements"),
    path("reconciliation/", reconciliation.queue, name="queue"),
    path("reconciliation/bulk/", reconciliation.bulk, name="bulk"),
    path("reconciliation/<int:pk>/", reconciliation.line, name="line"),
    path("reconciliation/<int:pk>/<str:action>/", reconciliation.line_action, name="line_action"),
    path("entries/", entries.entries, name="entries"),
    path("entries/new/", entries.new_entry, name="new_entry"),
    path("entries/<int:pk>/", entries.entry, name="entry"),
    path("entries/<int:pk>/<str:action>/", entries.entry_action, name="entry_action"),
    path("periods/", entries.period_list, name="periods"),
]
