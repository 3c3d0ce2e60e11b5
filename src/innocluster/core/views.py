"""Public pages of the core: the home page."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from innocluster.core import selectors
from innocluster.core.policy import registry


def _regime_name(request) -> str:
    regime = selectors.active_regime()
    if regime is None:
        return registry.active_regime_code()
    return regime.localized_name(request.LANGUAGE_CODE)


@require_safe
def home(request):
    """Public: what the cluster is, the rules in force today with their sources, the working-day
    outlook and the state of the audit seal. Anyone may read it."""
    today = timezone.localdate()
    return render(
        request,
        "core/home.html",
        {
            "today": today,
            "regime_name": _regime_name(request),
            "rules": selectors.rules_in_force(today),
            "irregular_days": selectors.irregular_days_ahead(today, 120, request.LANGUAGE_CODE),
            "audit": selectors.audit_status(),
        },
    )
