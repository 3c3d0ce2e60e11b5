"""Public pages of the core: the home page."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from innocluster.core import selectors
from innocluster.core.access.views import requires
from innocluster.core.policy import registry
from innocluster.core.policy.models import localized


def _regime(request) -> dict[str, str]:
    regime = selectors.active_regime()
    if regime is None:
        return {"name": registry.active_regime_code(), "basis": ""}
    language = request.LANGUAGE_CODE
    basis = localized(
        regime.legal_basis, {"ru": regime.legal_basis_ru, "kk": regime.legal_basis_kk}, language
    )
    return {"name": regime.localized_name(language), "basis": basis}


@requires("core.home")
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
            "regime": _regime(request),
            "rules": selectors.rules_in_force(today, language=request.LANGUAGE_CODE),
            "irregular_days": selectors.irregular_days_ahead(today, 120, request.LANGUAGE_CODE),
            "audit": selectors.audit_status(),
            "me": selectors.dashboard_for(request) if request.user.is_authenticated else None,
            "cards": selectors.dashboard_cards(request.user, today) if request.user.is_authenticated else [],
        },
    )
