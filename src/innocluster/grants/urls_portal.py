"""The participant's project applications."""

from django.urls import path

from innocluster.grants import views_portal as views

app_name = "grants_portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("start/<int:call>/", views.start, name="start"),
    path("<int:pk>/", views.application_page, name="application"),
    path("<int:pk>/project/", views.project_step, name="project"),
    path("<int:pk>/plan/", views.plan_step, name="plan"),
    path("<int:pk>/budget/", views.budget_step, name="budget"),
    path("<int:pk>/team/", views.team_step, name="team"),
    path("<int:pk>/note/", views.note_step, name="note"),
    path("<int:pk>/documents/", views.documents_step, name="documents"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/files/<int:file>/", views.download, name="file"),
]
