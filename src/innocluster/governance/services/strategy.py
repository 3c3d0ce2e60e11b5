"""The development strategy and its KPIs: creating a strategy, drafting a version (goals, KPIs,
targets per year), approving it on the Board of Trustees' decision, and entering by hand the
actual values of KPIs that no metric measures.

Every function checks who calls it (``governance.strategy.edit``: the corporate secretary and the
fund administrator), validates (``ValidationError`` naming the field; nothing changes on a
refusal), runs in one transaction and writes an audit event. Only a draft version takes goals,
KPIs and targets: an approved version is what the Board approved, and a change is a new version
(:func:`new_version`) approved in its turn."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.core.decisions.executors import carries_out
from innocluster.core.decisions.models import Decision, Outcome
from innocluster.core.decisions.models import Status as DecisionStatus
from innocluster.core.manifest import metrics as registered_metrics
from innocluster.governance.models import (
    Goal,
    Kpi,
    KpiManualValue,
    KpiTarget,
    KpiUnit,
    Strategy,
    StrategyVersion,
    VersionStatus,
)
from innocluster.governance.roles import BOARD_OF_TRUSTEES, GOVERNANCE_STRATEGY

EDIT = "governance.strategy.edit"
METRIC_CODE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_.]+$")


def refuse(field: str, message: str):
    raise ValidationError({field: [message]})


def _titles(title_en: str, title_kk: str, title_ru: str) -> dict[str, str]:
    titles = {"title_en": (title_en or "").strip(), "title_kk": (title_kk or "").strip()}
    titles["title_ru"] = (title_ru or "").strip()
    if not titles["title_en"]:
        refuse("title_en", _("Enter the title in English (the other languages may follow)."))
    return titles


def _decimal(value, field: str) -> Decimal:
    if isinstance(value, float | bool):
        refuse(field, _("Enter the value as a decimal number, e.g. 1250 or 0.85."))
    try:
        found = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        refuse(field, _("Enter the value as a decimal number, e.g. 1250 or 0.85."))
    if not found.is_finite():
        refuse(field, _("Enter the value as a decimal number, e.g. 1250 or 0.85."))
    if abs(found) >= Decimal(10) ** 16:
        refuse(field, _("The value is too large."))
    return found.quantize(Decimal("0.0001"))


def _locked_draft(version: StrategyVersion) -> StrategyVersion:
    locked = StrategyVersion.objects.select_for_update().select_related("strategy").get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        refuse(
            "version",
            _("Version %(number)s is %(status)s: only a draft changes. Start a new version instead.")
            % {"number": locked.number, "status": locked.get_status_display()},
        )
    return locked


def _year_in(strategy: Strategy, year, field: str = "year") -> int:
    if not isinstance(year, int) or not strategy.first_year <= year <= strategy.last_year:
        refuse(
            field,
            _("Choose a year of the strategy, from %(first)s to %(last)s.")
            % {"first": strategy.first_year, "last": strategy.last_year},
        )
    return year


@transaction.atomic
def create_strategy(
    *, title_en: str, title_kk: str = "", title_ru: str = "", first_year: int, last_year: int, by
) -> Strategy:
    """A strategy for ``first_year``–``last_year`` with its first version, an empty draft."""
    require(by, EDIT)
    titles = _titles(title_en, title_kk, title_ru)
    if not isinstance(first_year, int) or not 2000 <= first_year <= 2100:
        refuse("first_year", _("Enter the first year in four digits."))
    if not isinstance(last_year, int) or not 2000 <= last_year <= 2100:
        refuse("last_year", _("Enter the last year in four digits."))
    if last_year < first_year:
        refuse("last_year", _("The strategy cannot end before it starts."))
    strategy = Strategy.objects.create(first_year=first_year, last_year=last_year, **titles)
    version = StrategyVersion.objects.create(strategy=strategy, number=1)
    record_event(
        action="governance.strategy.created",
        actor=by,
        obj=strategy,
        changes={
            "title_en": [None, strategy.title_en],
            "years": [None, f"{first_year}–{last_year}"],
            "version": [None, version.number],
        },
    )
    return strategy


@transaction.atomic
def new_version(strategy: Strategy, *, by) -> StrategyVersion:
    """A new draft version copying the goals, KPIs, targets and values entered by hand of the
    latest version. Refused while a draft is open (edit or approve that one)."""
    require(by, EDIT)
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    versions = StrategyVersion.objects.filter(strategy=strategy)
    if versions.filter(status=VersionStatus.DRAFT).exists():
        refuse("strategy", _("A draft version is already open: change it or have it approved first."))
    latest = versions.order_by("-number").first()
    number = (latest.number if latest else 0) + 1
    version = StrategyVersion.objects.create(strategy=strategy, number=number)
    copied = 0
    if latest is not None:
        for goal in latest.goals.prefetch_related("kpis__targets", "kpis__manual_values").order_by(
            "position"
        ):
            new_goal = Goal.objects.create(
                version=version,
                position=goal.position,
                title_en=goal.title_en,
                title_kk=goal.title_kk,
                title_ru=goal.title_ru,
            )
            for kpi in goal.kpis.all():
                new_kpi = Kpi.objects.create(
                    goal=new_goal,
                    position=kpi.position,
                    title_en=kpi.title_en,
                    title_kk=kpi.title_kk,
                    title_ru=kpi.title_ru,
                    metric=kpi.metric,
                    unit=kpi.unit,
                    higher_is_better=kpi.higher_is_better,
                )
                copied += 1
                KpiTarget.objects.bulk_create(
                    KpiTarget(kpi=new_kpi, year=t.year, value=t.value) for t in kpi.targets.all()
                )
                # Values entered by hand are facts about a year, whichever version measures them.
                KpiManualValue.objects.bulk_create(
                    KpiManualValue(
                        kpi=new_kpi,
                        year=v.year,
                        value=v.value,
                        entered_by_id=v.entered_by_id,
                        entered_at=v.entered_at,
                        source=v.source,
                    )
                    for v in kpi.manual_values.all()
                )
    record_event(
        action="governance.strategy.version_created",
        actor=by,
        obj=version,
        changes={
            "number": [None, number],
            "copied_from": [None, latest.number if latest else None],
            "kpis": [None, copied],
        },
    )
    return version


@transaction.atomic
def add_goal(version: StrategyVersion, *, title_en: str, title_kk: str = "", title_ru: str = "", by) -> Goal:
    """A goal at the end of a draft version's goals."""
    require(by, EDIT)
    version = _locked_draft(version)
    titles = _titles(title_en, title_kk, title_ru)
    position = (version.goals.aggregate(top=Max("position"))["top"] or 0) + 1
    goal = Goal.objects.create(version=version, position=position, **titles)
    record_event(
        action="governance.strategy.goal_added",
        actor=by,
        obj=goal,
        changes={
            "version": [None, str(version)],
            "position": [None, position],
            "title_en": [None, goal.title_en],
        },
    )
    return goal


@transaction.atomic
def add_kpi(
    goal: Goal,
    *,
    title_en: str,
    title_kk: str = "",
    title_ru: str = "",
    metric: str = "",
    unit: str = "",
    higher_is_better: bool = True,
    by,
) -> Kpi:
    """A KPI at the end of a goal's KPIs, measured by ``metric`` (a code an installed app
    declares; its unit is taken when ``unit`` is blank) or, with ``metric`` blank, by values
    entered by hand (``unit`` then required)."""
    require(by, EDIT)
    goal = Goal.objects.select_related("version").get(pk=goal.pk)
    _locked_draft(goal.version)
    titles = _titles(title_en, title_kk, title_ru)
    metric = (metric or "").strip()
    unit = (unit or "").strip()
    if metric:
        known = registered_metrics()
        if not METRIC_CODE.match(metric) or metric not in known:
            refuse(
                "metric",
                _("No installed module offers the metric “%(code)s”. Choose one of: %(codes)s.")
                % {"code": metric[:100], "codes": ", ".join(sorted(known)) or "—"},
            )
        unit = unit or known[metric].unit
        if unit != known[metric].unit:
            refuse(
                "unit",
                _("The metric “%(code)s” is measured in %(unit)s: the KPI takes the same unit.")
                % {"code": metric, "unit": known[metric].unit},
            )
    if unit not in KpiUnit.values:
        refuse("unit", _("Choose the unit: a number, a share (per cent) or tenge."))
    position = (goal.kpis.aggregate(top=Max("position"))["top"] or 0) + 1
    kpi = Kpi.objects.create(
        goal=goal,
        position=position,
        metric=metric,
        unit=unit,
        higher_is_better=bool(higher_is_better),
        **titles,
    )
    record_event(
        action="governance.strategy.kpi_added",
        actor=by,
        obj=kpi,
        changes={
            "goal": [None, goal.position],
            "position": [None, position],
            "title_en": [None, kpi.title_en],
            "metric": [None, metric or None],
            "unit": [None, unit],
            "higher_is_better": [None, kpi.higher_is_better],
        },
    )
    return kpi


@transaction.atomic
def set_target(kpi: Kpi, *, year: int, value, by) -> KpiTarget:
    """The KPI's target for ``year`` (a year of the strategy) in a draft version; replaces an
    earlier target of that year."""
    require(by, EDIT)
    kpi = Kpi.objects.select_related("goal__version__strategy").get(pk=kpi.pk)
    version = _locked_draft(kpi.goal.version)
    year = _year_in(version.strategy, year)
    value = _decimal(value, "value")
    if kpi.unit == KpiUnit.RATIO and not 0 <= value <= 1:
        refuse("value", _("A share is written as a fraction from 0 to 1, e.g. 0.85 for 85%."))
    before = KpiTarget.objects.filter(kpi=kpi, year=year).values_list("value", flat=True).first()
    target, _created = KpiTarget.objects.update_or_create(kpi=kpi, year=year, defaults={"value": value})
    record_event(
        action="governance.strategy.target_set",
        actor=by,
        obj=kpi,
        changes={f"target {year}": [before, value]},
    )
    return target


def check_board_decision(decision) -> None:
    """The decision approving a version: a record of the Board of Trustees that approved, in force."""
    if not isinstance(decision, Decision) or decision.pk is None:
        refuse("decision", _("Refer to the decision of the Board of Trustees that approved the version."))
    if decision.body != BOARD_OF_TRUSTEES:
        refuse(
            "decision",
            _("The strategy is approved by the Board of Trustees; this is a decision of %(body)s.")
            % {"body": decision.get_body_display()},
        )
    if decision.outcome != Outcome.APPROVED:
        refuse(
            "decision",
            _("The Board's decision No. %(number)s did not approve (outcome: %(outcome)s).")
            % {"number": decision.number, "outcome": decision.get_outcome_display()},
        )
    if decision.status == DecisionStatus.REVOKED:
        refuse("decision", _("The decision No. %(number)s was revoked.") % {"number": decision.number})


@transaction.atomic
def approve_version(version: StrategyVersion, *, decision, by) -> StrategyVersion:
    """Approve a draft on the Board of Trustees' ``decision`` (body ``board_of_trustees``, outcome
    approved): it becomes the version in force from the decision's date, and the version approved
    before it is superseded. Refused for a version with no KPI. Called by an editor of the
    strategy, or by whoever carries out the Board's resolution (``core.decisions.executors``:
    the person closing the round, who may hold no right to edit the strategy)."""
    if not carries_out(by, GOVERNANCE_STRATEGY):
        require(by, EDIT)
    check_board_decision(decision)
    version = _locked_draft(version)
    if not Kpi.objects.filter(goal__version=version).exists():
        refuse("version", _("Add at least one goal with a KPI before the version is approved."))
    previous = (
        StrategyVersion.objects.select_for_update()
        .filter(strategy=version.strategy, status=VersionStatus.APPROVED)
        .first()
    )
    if previous is not None:
        if decision.decided_on < previous.approved_on:
            refuse(
                "decision",
                _("The decision is dated before the approval of version %(number)s (%(date)s).")
                % {"number": previous.number, "date": previous.approved_on.isoformat()},
            )
        previous.status = VersionStatus.SUPERSEDED
        previous.superseded_on = decision.decided_on
        previous.save(update_fields=["status", "superseded_on"])
        record_event(
            action="governance.strategy.version_superseded",
            actor=by,
            obj=previous,
            changes={
                "status": [VersionStatus.APPROVED, VersionStatus.SUPERSEDED],
                "by_version": [None, version.number],
            },
        )
    version.status = VersionStatus.APPROVED
    version.decision = decision
    version.approved_on = decision.decided_on
    version.save(update_fields=["status", "decision", "approved_on"])
    record_event(
        action="governance.strategy.version_approved",
        actor=by,
        obj=version,
        changes={
            "status": [VersionStatus.DRAFT, VersionStatus.APPROVED],
            "decision": [None, str(decision)],
            "approved_on": [None, version.approved_on.isoformat()],
        },
    )
    return version


@transaction.atomic
def record_manual_value(kpi: Kpi, *, year: int, value, source: str, by) -> KpiManualValue:
    """The actual value of a KPI measured by hand for ``year``, with where it comes from. Refused
    for a KPI read from a metric and on a superseded version (enter it on the version in force)."""
    require(by, EDIT)
    kpi = Kpi.objects.select_related("goal__version__strategy").get(pk=kpi.pk)
    version = kpi.goal.version
    if kpi.metric:
        refuse(
            "kpi",
            _("This KPI is read from the metric “%(code)s”: it takes no value by hand.")
            % {"code": kpi.metric},
        )
    if version.status == VersionStatus.SUPERSEDED:
        refuse("kpi", _("This version is superseded: enter the value on the version in force."))
    year = _year_in(version.strategy, year)
    value = _decimal(value, "value")
    if kpi.unit == KpiUnit.RATIO and not 0 <= value <= 1:
        refuse("value", _("A share is written as a fraction from 0 to 1, e.g. 0.85 for 85%."))
    source = (source or "").strip()
    if not source:
        refuse("source", _("Say where the figure comes from (a report, a letter, a count)."))
    before = (
        kpi.manual_values.filter(year=year)
        .order_by("-entered_at", "-id")
        .values_list("value", flat=True)
        .first()
    )
    entry = KpiManualValue.objects.create(kpi=kpi, year=year, value=value, entered_by=by, source=source)
    record_event(
        action="governance.strategy.value_entered",
        actor=by,
        obj=kpi,
        changes={f"value {year}": [before, value], "source": [None, source]},
    )
    return entry
