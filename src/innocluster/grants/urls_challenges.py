"""Open-innovation challenges: posting, editing a draft, answering, shortlisting."""

from django.urls import path

from innocluster.grants import views_challenges as views

app_name = "grants_challenges"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.challenge_page, name="challenge"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("answers/<int:pk>/shortlist/", views.shortlist, name="shortlist"),
    path("answers/<int:pk>/decline/", views.decline, name="decline"),
    path("answers/<int:pk>/convert/", views.convert, name="convert"),
    path("open/<int:pk>/", views.open_page, name="open"),
    path("open/<int:pk>/answer/", views.answer, name="answer"),
]
