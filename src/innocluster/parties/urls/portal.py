"""The portal's page of a person's claims of authority, mounted at ``portal/claims/``."""

from django.urls import path

from innocluster.parties import views

app_name = "parties_portal"

urlpatterns = [path("", views.my_claims, name="claims")]
