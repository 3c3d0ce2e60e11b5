"""The participant portal, included by the root URLconf at ``portal/``."""

from django.urls import path

from innocluster.registry.views.portal import applications as views_portal
from innocluster.registry.views.portal import organisations as views_organisations

app_name = "portal"

urlpatterns = [
    path("", views_portal.home, name="home"),
    path("apply/", views_portal.apply, name="apply"),
    path("applications/<int:pk>/", views_portal.application, name="application"),
    path("applications/<int:pk>/step/<str:step>/", views_portal.step, name="step"),
    path("applications/<int:pk>/agreement.pdf", views_portal.agreement, name="agreement"),
    path("applications/<int:pk>/sign/", views_portal.sign, name="sign"),
    path("applications/<int:pk>/certificate.pdf", views_portal.certificate, name="certificate"),
    path("documents/<int:pk>/", views_portal.document, name="document"),
    path(
        "organisations/<int:pk>/representatives/",
        views_organisations.representatives_page,
        name="representatives",
    ),
    path(
        "organisations/<int:pk>/representatives/add/",
        views_organisations.representative_add,
        name="representative_add",
    ),
    path(
        "organisations/<int:pk>/representatives/<int:representative_pk>/deactivate/",
        views_organisations.representative_deactivate,
        name="representative_deactivate",
    ),
    path("organisations/<int:pk>/report/", views_organisations.report, name="report"),
    path("organisations/<int:pk>/leave/", views_organisations.leave, name="leave"),
]
