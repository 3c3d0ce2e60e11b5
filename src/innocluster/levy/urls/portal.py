"""A subsoil user's representative's levy pages, under ``/portal/levy/``."""

from django.urls import path

from innocluster.levy.views import portal as views

app_name = "levy_portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
    path("contracts/<int:pk>/declare/", views.declare, name="declare"),
    path("declarations/<int:pk>/amend/", views.amend, name="amend"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("obligations/<int:pk>/", views.obligation, name="obligation"),
]
