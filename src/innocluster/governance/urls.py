"""The bodies' pages, the strategy and the dashboards, under ``/staff/governance/``."""

from django.urls import path

from innocluster.governance import views, views_strategy

app_name = "governance"
urlpatterns = [
    path("", views.body_list, name="bodies"),
    path("bodies/<int:pk>/", views.body_detail, name="body"),
    path("strategy/", views_strategy.strategy, name="strategy"),
    path("kpi/", views_strategy.kpi_dashboard, name="kpi"),
    path("control/", views_strategy.control, name="control"),
]
