"""Editing the development strategy in the browser, for ``governance.strategy.edit`` (the corporate
secretary, the fund administrator): creating a strategy and starting a new version (a draft copied
from the latest) on the strategy's page, and a version's page under
``/staff/governance/strategy/versions/<pk>/`` with its goals, KPIs and targets and the forms adding
a goal, a KPI, a target, and an actual value entered by hand.

Only a draft takes goals, KPIs and targets; a version in force still takes the values entered by
hand (the dashboard reads them there); a superseded one is history. The Board of Trustees
approves a draft at a meeting: an agenda item of type "Development strategy" linked to the version
(``governance.executors``), so no page here approves anything.

Every write is a service call (``services.strategy``); a refusal comes back on the page beside the
field it names, with status 400; a success sends the browser back to the page (303)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.decisions.executors import decision_type_label
from innocluster.core.http import apply_errors, see_other
from innocluster.governance import executors, selectors
from innocluster.governance.forms_strategy import GoalForm, KpiForm, ManualValueForm, StrategyForm, TargetForm
from innocluster.governance.models import Strategy, StrategyVersion, VersionStatus
from innocluster.governance.roles import GOVERNANCE_STRATEGY
from innocluster.governance.services import strategy as services
from innocluster.governance.views_strategy import EDIT, _language, kpi_rows, show, strategy_page


def _check(user, obj) -> None:
    decision = can(user, EDIT, obj)
    if not decision.allowed:
        raise PermissionDenied(decision.reason)


# --- the strategy's page: a new strategy, a new version ---------------------------------------


@requires(EDIT)
@require_POST
def strategy_create(request):
    form = StrategyForm(request.POST)
    if form.is_valid():
        try:
            strategy = services.create_strategy(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The strategy is created with an empty draft: add its goals and KPIs.")
            )
            return see_other("governance:strategy_version", strategy.versions.get().pk)
    return strategy_page(request, create_form=form, status=400)


@requires(EDIT)
@require_POST
def version_start(request, pk: int):
    strategy = Strategy.objects.filter(pk=pk).first()
    if strategy is None:
        raise Http404
    _check(request.user, strategy)
    try:
        version = services.new_version(strategy, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return strategy_page(request, status=400)
    messages.success(
        request,
        _("Version %(number)s is drafted from the latest version: change it, then have the Board approve it.")
        % {"number": version.number},
    )
    return see_other("governance:strategy_version", version.pk)


# --- one version ------------------------------------------------------------------------------


def _version(request, pk: int) -> StrategyVersion:
    version = selectors.version_by_pk(pk)
    if version is None:
        raise Http404
    _check(request.user, version)
    return version


def _kpi_label(goal, kpi, language: str) -> str:
    return f"{goal.position}.{kpi.position} {kpi.title(language)}"


def _metric_choices() -> list[tuple[str, str]]:
    catalogue = selectors.metric_catalogue()
    return [(code, f"{catalogue[code].label} ({code})") for code in sorted(catalogue)]


def _forms_shown(version: StrategyVersion, goals, kpis, manual) -> set[str]:
    """Which forms the version's page offers: a draft takes goals, KPIs (once it has a goal) and
    targets (once it has a KPI); a version not yet superseded takes values by hand."""
    shown = set()
    if version.status == VersionStatus.DRAFT:
        shown.add("goal")
        if goals:
            shown.add("kpi")
        if kpis:
            shown.add("target")
    if version.status != VersionStatus.SUPERSEDED and manual:
        shown.add("value")
    return shown


def _page(request, version: StrategyVersion, *, bound=None, status: int = 200):
    """The version's page; ``bound`` replaces one of its forms with the one just refused."""
    language = _language()
    strategy = version.strategy
    bound = bound or {}
    goals = kpi_rows(
        selectors.version_contents(version), strategy.years, language, selectors.metric_catalogue()
    )
    entries = selectors.manual_entries(version)
    kpis, manual, labels = [], [], {}
    for goal in goals:
        for kpi in goal.kpi_list:
            kpis.append(kpi)
            labels[kpi.pk] = _kpi_label(goal, kpi, language)
            if kpi.manual:
                manual.append(kpi)
                kpi.entries = [
                    {"year": year, "value": show(entry.value, kpi.unit), "entry": entry}
                    for year, entry in sorted(entries.get(kpi.pk, {}).items())
                ]
    shown = _forms_shown(version, goals, kpis, manual)
    years = strategy.years
    forms = {
        "goal": lambda: GoalForm(prefix="goal"),
        "kpi": lambda: KpiForm(
            prefix="kpi",
            rows=goals,
            labels={g.pk: f"{g.position}. {g.title_text}" for g in goals},
            metrics=_metric_choices(),
        ),
        "target": lambda: TargetForm(prefix="target", rows=kpis, labels=labels, years=years),
        "value": lambda: ManualValueForm(prefix="value", rows=manual, labels=labels, years=years),
    }
    context = {
        "version": version,
        "strategy": strategy,
        "title": strategy.title(language),
        "goals": goals,
        "statuses": VersionStatus,
        "reference": executors.reference(version),
        "decision_type": decision_type_label(GOVERNANCE_STRATEGY),
        "show_decisions": can(request.user, "decisions.view").allowed,
        "has_manual": bool(manual),
    }
    for key, make in forms.items():
        if key in shown:
            context[f"{key}_form"] = bound.get(key) or make()
        elif key in bound:
            # The page no longer offers this form (the version is not a draft): say why above it.
            for errors in bound[key].errors.values():
                for message in errors:
                    messages.error(request, message)
    return render(request, "governance/strategy_edit.html", context, status=status)


@requires(EDIT)
@require_safe
def version_page(request, pk: int):
    return _page(request, _version(request, pk))


def _act(request, version: StrategyVersion, key: str, form, call, done: str):
    """Run a service call from one of the version's forms: on success a message and back to the
    page; on a refusal the page again, the reasons beside the form's fields (status 400)."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return see_other("governance:strategy_version", version.pk)
    version = _version(request, version.pk)  # as stored now
    return _page(request, version, bound={key: form}, status=400)


def _rows(version: StrategyVersion):
    goals = selectors.version_contents(version)
    return goals, [kpi for goal in goals for kpi in goal.kpi_list]


@requires(EDIT)
@require_POST
def goal_add(request, pk: int):
    version = _version(request, pk)
    form = GoalForm(request.POST, prefix="goal")
    return _act(
        request,
        version,
        "goal",
        form,
        lambda data: services.add_goal(version, by=request.user, **data),
        _("The goal is added."),
    )


@requires(EDIT)
@require_POST
def kpi_add(request, pk: int):
    version = _version(request, pk)
    goals, _kpis = _rows(version)
    form = KpiForm(request.POST, prefix="kpi", rows=goals, metrics=_metric_choices())

    def call(data):
        goal = data.pop("goal")
        services.add_kpi(goal, by=request.user, **data)

    return _act(request, version, "kpi", form, call, _("The KPI is added."))


@requires(EDIT)
@require_POST
def target_set(request, pk: int):
    version = _version(request, pk)
    _goals, kpis = _rows(version)
    form = TargetForm(request.POST, prefix="target", rows=kpis, years=version.strategy.years)
    return _act(
        request,
        version,
        "target",
        form,
        lambda data: services.set_target(
            data["kpi"], year=data["year"], value=data["value"], by=request.user
        ),
        _("The target is set."),
    )


@requires(EDIT)
@require_POST
def value_add(request, pk: int):
    version = _version(request, pk)
    _goals, kpis = _rows(version)
    form = ManualValueForm(
        request.POST, prefix="value", rows=[k for k in kpis if k.manual], years=version.strategy.years
    )
    return _act(
        request,
        version,
        "value",
        form,
        lambda data: services.record_manual_value(
            data["kpi"], year=data["year"], value=data["value"], source=data["source"], by=request.user
        ),
        _("The value is recorded."),
    )
