"""The bodies' and meetings' pages, the authority matrix, the resolutions, the strategy and the dashboards, under ``/staff/governance/``."""

from django.urls import path

from innocluster.governance import views, views_execution, views_minutes, views_strategy
from innocluster.governance import views_meetings as meetings
from innocluster.governance import views_strategy_edit as strategy_edit
from innocluster.governance import views_votes as votes

app_name = "governance"
urlpatterns = [
    path("", views.body_list, name="bodies"),
    path("bodies/<int:pk>/", views.body_detail, name="body"),
    path("my/", votes.my, name="my"),
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/plan/", meetings.meeting_plan, name="meeting_plan"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/convene/", meetings.meeting_convene, name="meeting_convene"),
    path("meetings/<int:pk>/close/", meetings.meeting_close, name="meeting_close"),
    path("meetings/<int:pk>/items/", meetings.item_add, name="item_add"),
    path("meetings/<int:pk>/attendance/", meetings.attendance, name="attendance"),
    path("items/<int:pk>/withdraw/", meetings.item_withdraw, name="item_withdraw"),
    path("items/<int:pk>/conflicts/", meetings.conflict, name="conflict"),
    path("items/<int:pk>/papers/", meetings.paper_add, name="paper_add"),
    path("items/<int:pk>/rounds/", meetings.round_open, name="round_open"),
    path("papers/<int:pk>/", meetings.paper, name="paper"),
    path("rounds/<int:pk>/ballots/", meetings.round_record, name="round_record"),
    path("rounds/<int:pk>/close/", meetings.round_close, name="round_close"),
    path("rounds/<int:pk>/vote/", votes.vote, name="vote"),
    path("resolutions/<int:pk>/publish/", meetings.resolution_publish, name="resolution_publish"),
    path("meetings/<int:pk>/minutes/", views_minutes.minutes_page, name="minutes"),
    path("meetings/<int:pk>/minutes.pdf", views_minutes.minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/minutes/comment/", views_minutes.minutes_comment, name="minutes_comment"),
    path("meetings/<int:pk>/minutes/<slug:action>/", views_minutes.minutes_action, name="minutes_action"),
    path("resolutions/<int:pk>/extract.pdf", views_minutes.resolution_extract, name="resolution_extract"),
    path("strategy/", views_strategy.strategy, name="strategy"),
    path("strategy/new/", strategy_edit.strategy_create, name="strategy_create"),
    path("strategy/<int:pk>/versions/", strategy_edit.version_start, name="strategy_version_start"),
    path("strategy/versions/<int:pk>/", strategy_edit.version_page, name="strategy_version"),
    path("strategy/versions/<int:pk>/goals/", strategy_edit.goal_add, name="strategy_goal_add"),
    path("strategy/versions/<int:pk>/kpis/", strategy_edit.kpi_add, name="strategy_kpi_add"),
    path("strategy/versions/<int:pk>/targets/", strategy_edit.target_set, name="strategy_target_set"),
    path("strategy/versions/<int:pk>/values/", strategy_edit.value_add, name="strategy_value_add"),
    path("kpi/", views_strategy.kpi_dashboard, name="kpi"),
    path("control/", views_strategy.control, name="control"),
    path("authority/", views_execution.authority_matrix, name="authority"),
    path("resolutions/<int:pk>/", views_execution.resolution_detail, name="resolution"),
    path("resolutions/<int:pk>/retry/", views_execution.resolution_retry, name="resolution_retry"),
]
