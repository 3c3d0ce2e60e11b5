"""The strategy's pages under ``/staff/governance/``: the strategy with its versions, goals, KPIs
and targets (with the Board's decision that approved each version), the KPI dashboard of a year
(table, charts, ``?format=xlsx`` and ``pdf``) and the Managing Committee's control dashboard.

Every figure comes from a platform metric (``selectors.metric_catalogue``: the manifests of the
installed apps); a figure whose app is not installed is shown as "not available", never as 0.
Readers: ``governance.read`` (the Fund's staff, the auditor, the members of the bodies); the
strategy's editors (``governance.strategy.edit``) also find there the form creating a strategy and
the way to a version's editing page (``views_strategy_edit``)."""

import datetime as dt
from decimal import Decimal

from django.apps import apps
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from innocluster.core import charts, reports
from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.money import format_kzt
from innocluster.core.policy import values as policy
from innocluster.core.templatetags.money import format_percent
from innocluster.governance import selectors
from innocluster.governance.forms_strategy import StrategyForm
from innocluster.governance.kpis import MANUAL, Reason, Status
from innocluster.governance.models import KpiUnit, VersionStatus

ACTION = "governance.read"
# Drafting the strategy's versions (``views_strategy_edit``); its editors see the buttons here.
EDIT = "governance.strategy.edit"


def status_labels() -> dict[str, str]:
    return {
        Status.MET: pgettext("kpi status", "met"),
        Status.ON_TRACK: pgettext("kpi status", "on track"),
        Status.BEHIND: pgettext("kpi status", "behind"),
        Status.NOT_AVAILABLE: pgettext("kpi status", "not available"),
    }


def reason_labels() -> dict[str, str]:
    return {
        Reason.NONE: "",
        Reason.NO_METRIC: _("the module that measures it is not installed"),
        Reason.NO_FIGURE: _("no figure for this day"),
        Reason.NO_MANUAL_VALUE: _("no value entered for the year"),
        Reason.NOT_BEGUN: _("the year has not begun"),
        Reason.NO_TARGET: _("no target for the year"),
    }


def show(value, unit: str) -> str:
    """A figure as people read it: tenge, a percentage or a number; blank for none."""
    if value is None:
        return ""
    if unit == KpiUnit.KZT:
        return format_kzt(value)
    if unit == KpiUnit.RATIO:
        return format_percent(Decimal(value), 1)
    number = Decimal(value)
    places = 0 if number == number.to_integral_value() else 2
    return formats.number_format(number, places, use_l10n=True, force_grouping=True)


def _language() -> str:
    return (get_language() or "kk").split("-")[0]


def source_label(source: str) -> str:
    """Where a figure comes from: the module (its name) or "entered by hand"."""
    if source == MANUAL:
        return _("entered by hand")
    if not source:
        return ""
    try:
        return str(apps.get_app_config(source).verbose_name)
    except LookupError:
        return source


# --- the strategy ---------------------------------------------------------------------------


def kpi_rows(goals, years, language: str, catalogue: dict) -> list:
    """Name each goal and KPI of ``selectors.version_contents`` in ``language`` and show its
    targets for ``years`` as people read them (the strategy's page and a version's page)."""
    for goal in goals:
        goal.title_text = goal.title(language)
        for kpi in goal.kpi_list:
            kpi.title_text = kpi.title(language)
            metric = catalogue.get(kpi.metric) if kpi.metric else None
            kpi.metric_label = str(metric.label) if metric else ""
            kpi.source = source_label(metric.app if metric else ("" if kpi.metric else MANUAL))
            kpi.targets_shown = [show(kpi.target_by_year.get(y), kpi.unit) for y in years]
    return goals


def strategy_page(request, *, create_form=None, status: int = 200):
    """The strategy's page; for an editor (``governance.strategy.edit``) with the form creating a
    strategy (``create_form``: the one just refused) and the buttons starting a version."""
    language = _language()
    show_decisions = can(request.user, "decisions.view").allowed
    editor = can(request.user, EDIT).allowed
    catalogue = selectors.metric_catalogue()
    found = []
    for item in selectors.strategies():
        versions = []
        draft = None
        for version in item.versions.all():
            goals = kpi_rows(selectors.version_contents(version), item.years, language, catalogue)
            versions.append({"version": version, "goals": goals})
            if version.status == VersionStatus.DRAFT:
                draft = version
        found.append({"strategy": item, "title": item.title(language), "versions": versions, "draft": draft})
    context = {
        "strategies": found,
        "show_decisions": show_decisions,
        "statuses": VersionStatus,
        "today": policy.today(),
        "editor": editor,
    }
    if editor:
        year = policy.today().year
        context["create_form"] = create_form or StrategyForm(
            initial={"first_year": year, "last_year": year + 4}
        )
    return render(request, "governance/strategy.html", context, status=status)


@requires(ACTION)
@require_safe
def strategy(request):
    return strategy_page(request)


# --- the KPI dashboard ----------------------------------------------------------------------


def index_url() -> str:
    return reverse("governance:strategy")


def index_label() -> str:
    return _("Development strategy")


def _version_param(request, year: int):
    raw = request.GET.get("version", "").strip()
    if not raw:
        return selectors.version_for_year(year)
    version = selectors.version_by_pk(int(raw)) if raw.isdigit() else None
    if version is None:
        raise reports.BadParameter(_("There is no strategy version “%(value)s”.") % {"value": raw[:20]})
    return version


def _kpi_label(row) -> str:
    return f"{row.goal.position}.{row.kpi.position} {row.kpi.title(_language())}"


def kpi_charts(rows, year: int) -> list[tuple[str, str]]:
    """Actual against target per KPI, one horizontal bar chart per unit (tenge, numbers, shares):
    bars of different units on one axis would mislead. KPIs with neither figure are left out."""
    found = []
    titles = {
        KpiUnit.KZT: _("KPIs in tenge, %(year)s: actual and target"),
        KpiUnit.COUNT: _("KPIs in numbers, %(year)s: actual and target"),
        KpiUnit.RATIO: _("KPIs in per cent, %(year)s: actual and target"),
    }
    for unit in (KpiUnit.COUNT, KpiUnit.KZT, KpiUnit.RATIO):
        chosen = [r for r in rows if r.kpi.unit == unit and r.result.actual is not None]
        if not chosen:
            continue
        scale = Decimal(100) if unit == KpiUnit.RATIO else Decimal(1)
        title = titles[unit] % {"year": year}
        svg = charts.horizontal_bar(
            [_kpi_label(r)[:45] for r in chosen],
            {
                _("Actual"): [(r.result.actual or 0) * scale for r in chosen],
                _("Target"): [(r.result.target or 0) * scale for r in chosen],
            },
            title=title,
            money=unit == KpiUnit.KZT,
            language=_language(),
            width=7.0,
        )
        found.append((title, charts.data_uri(svg)))
    return found


@reports.report_view(ACTION, index_url=index_url, index_label=index_label)
def kpi_dashboard(request):
    year = reports.year_param(request)
    version = _version_param(request, year)
    today = policy.today()
    rows = selectors.kpi_report(version, year, today=today) if version is not None else []
    statuses, reasons = status_labels(), reason_labels()
    language = _language()
    for row in rows:
        row.title = row.kpi.title(language)
        row.goal_title = row.goal.title(language)
        row.status_label = statuses[row.result.status]
        row.reason_label = reasons[row.result.reason]
        row.target_shown = show(row.result.target, row.kpi.unit)
        row.actual_shown = show(row.result.actual, row.kpi.unit)
        row.source_label = source_label(row.result.source)
    counts = {status: sum(1 for r in rows if r.result.status == status) for status in Status}
    title = _("KPI dashboard")
    strategy_title = version.strategy.title(language) if version else ""

    def table():
        header = [
            _("Goal"),
            _("KPI"),
            _("Unit"),
            _("Higher is better"),
            _("Target"),
            _("Actual"),
            _("Status"),
            _("Source"),
            _("Read on"),
        ]
        out = [
            (
                f"{r.goal.position}. {r.goal_title}",
                f"{r.goal.position}.{r.kpi.position} {r.title}",
                r.kpi.get_unit_display(),
                _("yes") if r.kpi.higher_is_better else _("no"),
                r.result.target,
                r.result.actual,
                r.status_label + (f" ({r.reason_label})" if r.reason_label else ""),
                r.source_label,
                r.result.on,
            )
            for r in rows
        ]
        return header, out

    subtitle = (
        _("%(strategy)s, version %(number)s: targets and actual values of %(year)s")
        % {"strategy": strategy_title, "number": version.number, "year": year}
        if version
        else _("No approved strategy covers %(year)s.") % {"year": year}
    )
    return reports.respond(
        request,
        name="kpi",
        title=title,
        subtitle=subtitle,
        body="governance/_kpi.html",
        context={
            "rows": rows,
            "version": version,
            "year": year,
            "today": today,
            "counts": [(statuses[s], counts[s], s) for s in Status],
            "charts": kpi_charts(rows, year),
        },
        filename=f"kpi-{year}",
        table=table,
        form="year",
        form_values={"year": year},
        index_url=index_url(),
        index_label=index_label(),
        printed_note=_("Printed on %(date)s from the platform's figures.")
        % {"date": formats.date_format(today, "DATE_FORMAT")},
    )


# --- the control dashboard ------------------------------------------------------------------


def control_sections() -> list[tuple[str, str, tuple[str, ...]]]:
    """(key, heading, metric codes) of the control dashboard, in the order it reads."""
    return [
        (
            "deadlines",
            _("Overdue items and missed deadlines"),
            (
                "registry.applications_overdue",
                "registry.applications_decided_on_time",
                "workforce.sla_breaches",
                "workforce.sla_compliance",
                "workforce.pending",
            ),
        ),
        (
            "budget",
            _("Budget execution"),
            ("finance.budget_execution", "finance.committed", "finance.paid"),
        ),
        (
            "levy",
            _("Levy arrears"),
            ("levy.arrears", "levy.debtors", "levy.due", "levy.collected", "levy.collection_rate"),
        ),
    ]


def control_labels() -> dict[str, str]:
    """What a figure is called when its module is not installed (no manifest to name it)."""
    return {
        "registry.applications_overdue": _("Applications past their deadline"),
        "registry.applications_decided_on_time": _("Applications decided within the deadline this year"),
        "workforce.sla_breaches": _("Foreign specialist requests decided late or overdue"),
        "workforce.sla_compliance": _("Foreign specialist requests decided on time"),
        "workforce.pending": _("Foreign specialist requests awaiting a decision"),
        "finance.budget_execution": _("Budget execution this year"),
        "finance.committed": _("Funds committed this year"),
        "finance.paid": _("Funds paid against commitments this year"),
        "levy.arrears": _("Levy arrears"),
        "levy.debtors": _("Subsoil users in arrears"),
        "levy.due": _("Levy due this year"),
        "levy.collected": _("Levy collected this year"),
        "levy.collection_rate": _("Levy collection rate this year"),
    }


def _month_ends(on: dt.date, months: int = 12) -> tuple[dt.date, dt.date]:
    year, month = on.year, on.month - months + 1
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 1), on


def _control_charts(by_code: dict, on: dt.date) -> dict[str, str]:
    language = _language()
    found: dict[str, str] = {}
    late = [
        (by_code[c].label, by_code[c].value)
        for c in ("registry.applications_overdue", "workforce.sla_breaches")
        if by_code[c].available
    ]
    if late:
        title = _("Overdue and late, on %(date)s") % {"date": reports.day(on)}
        found["deadlines"] = charts.data_uri(
            charts.horizontal_bar(
                [label[:45] for label, _v in late],
                {_("Items"): [v or 0 for _l, v in late]},
                title=title,
                money=False,
                language=language,
                width=6.0,
            )
        )
    if by_code["finance.committed"].available:
        title = _("Funds committed and paid, %(year)s") % {"year": on.year}
        found["budget"] = charts.data_uri(
            charts.bar_chart(
                [_("Committed"), _("Paid")],
                {_("Amount"): [by_code["finance.committed"].value, by_code["finance.paid"].value]},
                title=title,
                language=language,
            )
        )
    if by_code["levy.arrears"].available:
        start, end = _month_ends(on)
        series = selectors.metric_series("levy.arrears", start, end)
        if series:
            title = _("Levy arrears at each month's end")
            found["levy"] = charts.data_uri(
                charts.bar_chart(
                    [formats.date_format(day, "M y") for day, _v in series],
                    {_("Arrears"): [v for _d, v in series]},
                    title=title,
                    language=language,
                    width=7.0,
                )
            )
    return found


@requires(ACTION)
@require_safe
def control(request):
    try:
        on = reports.date_param(request, "at", policy.today())
    except reports.BadParameter as error:
        return reports.bad_request(request, str(error), index_url=index_url(), index_label=index_label())
    labels = control_labels()
    sections = control_sections()
    codes = [code for _key, _title, group in sections for code in group]
    found = selectors.figures(codes, on, labels=labels)
    by_code = {f.code: f for f in found}
    for figure in found:
        figure.source = source_label(figure.app)
        figure.shown = show(figure.value, figure.unit) if figure.available else ""
        figure.empty = figure.available and figure.value is None
    chart_uris = _control_charts(by_code, on)
    rows = [
        {"key": key, "title": title, "figures": [by_code[c] for c in group], "chart": chart_uris.get(key, "")}
        for key, title, group in sections
    ]
    return render(
        request,
        "governance/control.html",
        {"sections": rows, "on": on, "today": policy.today(), "year": on.year},
    )
