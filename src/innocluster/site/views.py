"""The homes per audience and the rules page."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_safe

from innocluster.core import selectors as platform
from innocluster.core.access.permissions import can
from innocluster.core.guards import requires
from innocluster.core.policy import compare as policy_compare
from innocluster.core.policy import values as policy
from innocluster.core.policy.display import label
from innocluster.core.policy.models import localized

from . import selectors
from .forms import CompareForm


def _regime(request, on=None) -> dict[str, str]:
    regime = platform.active_regime(on)
    if regime is None:
        return {"name": "", "basis": ""}
    language = request.LANGUAGE_CODE
    basis = localized(
        regime.legal_basis, {"ru": regime.legal_basis_ru, "kk": regime.legal_basis_kk}, language
    )
    return {"name": regime.localized_name(language), "basis": basis}


@requires("site.home")
@require_safe
def home(request):
    """One address, three homes. A visitor reads what the cluster is, who may join and how, and the
    register's figures; a participant's representative their applications and deadlines; a staff
    member their queues, overdue items first. Each card is declared by an app's manifest and still
    asks ``can`` for what it shows."""
    today = timezone.localdate()
    audience = selectors.audience_of(request.user)
    context = {
        "today": today,
        "audience": audience,
        "regime": _regime(request),
        "cards": selectors.home_cards(request.user, today, audience),
        "public_cards": selectors.home_cards(request.user, today, selectors.PUBLIC)
        if audience == selectors.PUBLIC
        else [],
        "me": selectors.account_of(request) if audience != selectors.PUBLIC else None,
    }
    return render(request, f"site/home_{audience}.html", context)


@requires("site.rules")
@require_safe
def rules(request):
    """The full table of rules in force today (or on ``?on=YYYY-MM-DD``, under the regime the
    timeline puts in force that day), each value linked to its history, and the working-day
    outlook that moves deadlines."""
    today = timezone.localdate()
    on = parse_date(request.GET.get("on") or "") if _is_date(request.GET.get("on")) else None
    on = on or today
    return render(
        request,
        "site/rules.html",
        {
            "today": today,
            "on": on,
            "regime": _regime(request, on),
            "rules": platform.rules_in_force(on, language=request.LANGUAGE_CODE),
            "timeline": platform.timeline(today, language=request.LANGUAGE_CODE),
            "may_compare": can(request.user, "site.rules.compare"),
            "irregular_days": platform.irregular_days_ahead(today, 120, request.LANGUAGE_CODE),
        },
    )


def _is_date(text: str | None) -> bool:
    try:
        return bool(text) and parse_date(text) is not None
    except ValueError:
        return False


@requires("site.rules")
@require_safe
def rule_history(request, key: str):
    """Every dated value of one rule in the regime in force, the current one marked."""
    history = platform.rule_history(key, on=timezone.localdate(), language=request.LANGUAGE_CODE)
    if not history:
        raise Http404("no such rule in this regime")
    return render(
        request,
        "site/rule.html",
        {"key": key, "label": label(key), "history": history, "regime": _regime(request)},
    )


@requires("site.rules.compare")
@require_safe
def compare(request):
    """What-if, side by side: the rules of two regimes on one date, which differ, and for one
    organisation, application or levy base the outcome under each (offered by the apps)."""
    offered = {
        name: entry for name, entry in policy_compare.what_ifs().items() if can(request.user, entry.action)
    }
    today = policy.today()
    initial = {"on": today, "differing_only": True, **_default_pair()}
    form = CompareForm(request.GET or None, what_ifs=offered, initial=initial)
    values, outcomes, chosen, columns = [], [], None, []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        regimes = [data["first"], data["second"]]
        names = dict(form.fields["first"].choices)
        columns = [names.get(code, code) for code in regimes]
        values = policy_compare.compare_values(regimes, data["on"], differing_only=data["differing_only"])
        if data["what_if"]:
            chosen = offered[data["what_if"]]
            try:
                outcomes = policy_compare.compare_outcomes(chosen, data["subject"], regimes, data["on"])
            except (LookupError, ValueError) as exc:
                form.add_error("subject", str(exc))
    return render(
        request,
        "site/compare.html",
        {
            "form": form,
            "values": values,
            "outcomes": outcomes,
            "chosen": chosen,
            "columns": columns,
            "regime": _regime(request),
        },
    )


def _default_pair() -> dict[str, str]:
    """The regime in force today and the one before it (or after it) on the timeline."""
    codes = [period.code for period in platform.timeline()]
    if len(codes) < 2:
        return {}
    return {"first": codes[-2], "second": codes[-1]}
