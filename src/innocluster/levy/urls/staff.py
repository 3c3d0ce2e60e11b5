"""The levy back office, under ``/staff/levy/``."""

from django.urls import path

from innocluster.levy.views import staff as views

app_name = "levy"
urlpatterns = [
    path("", views.home, name="home"),
    path("subsoil-users/", views.subsoil_users, name="subsoil_users"),
    path("subsoil-users/<int:pk>/", views.subsoil_user, name="subsoil_user"),
    path("contracts/", views.contract_list, name="contracts"),
    path("contracts/import/", views.contract_import, name="contract_import"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
    path("contracts/<int:pk>/declare/", views.declare, name="declare"),
    path("declarations/<int:pk>/amend/", views.amend, name="amend"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("assessment/", views.assess, name="assess"),
    path("rates/", views.rate_list, name="rates"),
    path("obligations/<int:pk>/", views.obligation, name="obligation"),
    path("obligations/<int:pk>/rnd/", views.rnd_record, name="rnd_record"),
    path("rnd/<int:pk>/evidence/", views.rnd_evidence, name="rnd_evidence"),
    path("rnd/<int:pk>/<str:action>/", views.rnd_action, name="rnd_action"),
    path("credits/", views.credit_list, name="credits"),
    path("credits/<int:pk>/", views.credit, name="credit"),
    path("credits/<int:pk>/apply/", views.credit_apply, name="credit_apply"),
    path("credits/<int:pk>/refund/", views.credit_refund, name="credit_refund"),
]
