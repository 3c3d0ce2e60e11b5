"""Awards, agreements, tranches, amendments, suspension, termination and clawback (staff)."""

from django.urls import path

from innocluster.grants import views_awards as views

app_name = "grants_awards"
urlpatterns = [
    path("", views.award_list, name="list"),
    path("applications/<int:pk>/", views.decision_page, name="application"),
    path("applications/<int:pk>/award/", views.award_make, name="award_make"),
    path("applications/<int:pk>/decline/", views.award_decline, name="decline"),
    path("<int:pk>/", views.award_page, name="award"),
    path("<int:pk>/tranches/<int:item>/pay/", views.tranche_pay, name="tranche_pay"),
    path("<int:pk>/amend/", views.amend, name="amend"),
    path("<int:pk>/versions/<int:item>/approve/", views.version_approve, name="version_approve"),
    path("<int:pk>/versions/<int:item>/refuse/", views.version_refuse, name="version_refuse"),
    path("<int:pk>/suspend/", views.award_suspend, name="suspend"),
    path("<int:pk>/resume/", views.award_resume, name="resume"),
    path("<int:pk>/terminate/", views.award_terminate, name="terminate"),
    path("<int:pk>/clawback/", views.award_clawback, name="clawback"),
]
