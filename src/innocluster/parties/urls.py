"""Staff pages of parties, included by the root URLconf at ``staff/parties/``."""

from django.urls import path

from innocluster.parties import views

app_name = "parties_staff"

urlpatterns = [
    path("", views.claim_queue, name="claims"),
    path("claims/<int:pk>/document/", views.claim_document, name="claim_document"),
    path("claims/<int:pk>/<str:action>/", views.claim_decide, name="claim_decide"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("representatives/<int:pk>/revoke/", views.revoke, name="revoke"),
]


portal = (
    [path("", views.my_claims, name="claims")],
    "parties_portal",
)
