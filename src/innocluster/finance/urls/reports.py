"""The Fund's financial reports (trial balance, ledgers, statements, budget execution)."""

from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_safe

from innocluster.core.access.views import requires

app_name = "finance_reports"


@requires("finance.read")
@require_safe
def index(request):
    """Until the reports land: the finance overview."""
    return redirect("finance:home")


urlpatterns: list = [path("", index, name="index")]
