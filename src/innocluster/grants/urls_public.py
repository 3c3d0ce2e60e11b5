"""The public list of calls for applications, under ``/grants/``."""

from django.urls import path

from innocluster.grants import views

app_name = "grants_public"
urlpatterns = [
    path("calls/", views.public_calls, name="calls"),
]

# --- funded projects (grantee reporting stage) ---
from innocluster.grants import views_funded  # noqa: E402

urlpatterns += [
    path("funded/", views_funded.funded, name="funded"),
]
