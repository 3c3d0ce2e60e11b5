"""The expert commission: assignments, conflict declarations, scores, opinions, aggregation."""

from django.urls import path

from innocluster.grants import views_expertise as views

app_name = "grants_expertise"
urlpatterns = [
    path("", views.index, name="index"),
    path("load/", views.load, name="load"),
    path("calls/<int:pk>/", views.ranking, name="ranking"),
    path("calls/<int:pk>/assign/", views.assign_page, name="assign_page"),
    path("applications/<int:pk>/", views.application_page, name="application"),
    path("applications/<int:pk>/assign/", views.assign, name="assign"),
    path("applications/<int:pk>/request/", views.request_review, name="request_review"),
    path("applications/<int:pk>/opinion/", views.give_opinion, name="give_opinion"),
    path("assignments/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/", views.my_assignment, name="my_assignment"),
    path("mine/<int:pk>/declare/", views.declare, name="declare"),
    path("mine/<int:pk>/application/", views.my_application, name="my_application"),
    path("mine/<int:pk>/review/", views.review, name="review"),
    path("mine/<int:pk>/files/<int:item>/", views.my_file, name="my_file"),
]
