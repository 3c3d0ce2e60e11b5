"""The public list of calls for applications, under ``/grants/``."""

from django.urls import path

from innocluster.grants import views, views_challenges

app_name = "grants_public"
urlpatterns = [
    path("calls/", views.public_calls, name="calls"),
    # --- open-innovation challenges (stage: pre-selection and challenges) ---
    path("challenges/", views_challenges.public_challenges, name="challenges"),
]

# --- funded projects (grantee reporting stage) ---
from innocluster.grants import views_funded  # noqa: E402

urlpatterns += [
    path("funded/", views_funded.funded, name="funded"),
]
