"""Staff pages of parties, mounted at ``staff/parties/`` by the manifest: the claims queue, a
claim's document and decision, an organisation's representatives, revoking a representative."""

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
