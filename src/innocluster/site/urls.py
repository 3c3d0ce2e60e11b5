from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("rules/", views.rules, name="rules"),
    path("rules/compare/", views.compare, name="rules_compare"),
    path("rules/<str:key>/", views.rule_history, name="rule"),
]
