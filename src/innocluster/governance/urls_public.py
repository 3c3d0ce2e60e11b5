"""The public page of the bodies' published resolutions, under ``/governance/``."""

from django.urls import path

from innocluster.governance import views_votes

app_name = "governance_public"
urlpatterns = [
    path("resolutions/", views_votes.public_resolutions, name="resolutions"),
]
