"""The financing agreement's PDF, for the grantee and the staff."""

from django.urls import path

from innocluster.grants import views_awards as views

app_name = "grants_agreements"
urlpatterns = [
    path("<int:pk>/pdf/", views.agreement_pdf, name="pdf"),
]
