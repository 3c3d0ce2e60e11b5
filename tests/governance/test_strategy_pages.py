"""Editing the development strategy in the browser: an editor creates a strategy, adds a goal, a
KPI read from a metric and one entered by hand, sets targets and records a value; refusals come
back on the page with status 400 and the field's message (a year outside the strategy, a change
to an approved version); a trustee and the auditor are refused the writes (403), a visitor is sent
to sign in."""

from decimal import Decimal

import pytest
from django.urls import reverse

from innocluster.core.audit.models import AuditEvent
from innocluster.governance.models import (
    Goal,
    Kpi,
    KpiManualValue,
    KpiTarget,
    Strategy,
    StrategyVersion,
    VersionStatus,
)
from innocluster.governance.services import strategy as s
from tests.factories.accounts import Person
from tests.governance.conftest import board_decision, drafted_strategy
from tests.workforce.test_views_flow import client_for

pytestmark = pytest.mark.django_db

PEOPLE = {
    "secretary": Person("corporate_secretary", "secretary"),
    "admin": Person("fund_admin", "fund-admin"),
    "trustee": Person("trustee", "trustee"),
    "auditor": Person("auditor", "auditor"),
}

TITLES = {
    "title_en": "Development strategy 2026–2030",
    "title_kk": "Даму стратегиясы",
    "title_ru": "Стратегия",
}


def _version_url(version, action: str = "") -> str:
    names = {
        "": "governance:strategy_version",
        "goals": "governance:strategy_goal_add",
        "kpis": "governance:strategy_kpi_add",
        "targets": "governance:strategy_target_set",
        "values": "governance:strategy_value_add",
    }
    return reverse(names[action], args=[version.pk])


def _post(browser, url, prefix: str, data: dict):
    return browser.post(url, {f"{prefix}-{key}": value for key, value in data.items()})


def test_an_editor_drafts_a_strategy_in_the_browser(people):
    browser = client_for(people["secretary"])
    index = browser.get(reverse("governance:strategy"))
    assert index.status_code == 200
    html = index.content.decode()
    assert "Create a strategy" in html and f'action="{reverse("governance:strategy_create")}"' in html

    created = browser.post(
        reverse("governance:strategy_create"), {**TITLES, "first_year": 2026, "last_year": 2030}
    )
    strategy = Strategy.objects.get()
    version = strategy.versions.get()
    assert created.status_code == 303 and created["Location"] == _version_url(version)
    assert (strategy.title_kk, strategy.years) == ("Даму стратегиясы", [2026, 2027, 2028, 2029, 2030])

    page = browser.get(_version_url(version))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Add a goal" in html and "Add a KPI" not in html  # no goal yet to add a KPI to
    assert f"{strategy.pk}/1" in html and "Development strategy" in html  # how the agenda names it
    assert "The Board of Trustees approves this version at a meeting" in html

    response = _post(
        browser, _version_url(version, "goals"), "goal", {"title_en": "Grow the cluster", "title_ru": "Рост"}
    )
    assert response.status_code == 303 and response["Location"] == _version_url(version)
    goal = Goal.objects.get(version=version)
    assert (goal.position, goal.title_ru) == (1, "Рост")

    page = browser.get(_version_url(version))
    assert page.context["kpi_form"] is not None
    metrics = dict(page.context["kpi_form"].fields["metric"].choices)
    assert "" in metrics and "registry.participants" in metrics
    response = _post(
        browser,
        _version_url(version, "kpis"),
        "kpi",
        {
            "goal": goal.pk,
            "title_en": "Participants",
            "metric": "registry.participants",
            "higher_is_better": "on",
        },
    )
    assert response.status_code == 303
    response = _post(
        browser,
        _version_url(version, "kpis"),
        "kpi",
        {"goal": goal.pk, "title_en": "Staff turnover", "metric": "", "unit": "ratio"},
    )
    assert response.status_code == 303
    measured, by_hand = Kpi.objects.filter(goal=goal).order_by("position")
    assert (measured.metric, measured.unit, measured.higher_is_better) == (
        "registry.participants",
        "count",
        True,
    )
    assert (by_hand.metric, by_hand.unit, by_hand.higher_is_better) == ("", "ratio", False)

    for year, value in ((2026, "120"), (2027, "150")):
        response = _post(
            browser,
            _version_url(version, "targets"),
            "target",
            {"kpi": measured.pk, "year": year, "value": value},
        )
        assert response.status_code == 303
    response = _post(
        browser, _version_url(version, "targets"), "target", {"kpi": by_hand.pk, "year": 2026, "value": "0,1"}
    )
    assert response.status_code == 303
    assert dict(measured.targets.values_list("year", "value")) == {2026: Decimal("120"), 2027: Decimal("150")}
    assert KpiTarget.objects.get(kpi=by_hand).value == Decimal("0.1")

    page = browser.get(_version_url(version))
    value_form = page.context["value_form"]
    assert list(value_form.rows) == [str(by_hand.pk)]  # only the KPI without a metric takes values
    response = _post(
        browser,
        _version_url(version, "values"),
        "value",
        {"kpi": by_hand.pk, "year": 2026, "value": "0.08", "source": "HR report for 2026"},
    )
    assert response.status_code == 303
    entry = KpiManualValue.objects.get()
    assert (entry.kpi, entry.year, entry.value, entry.entered_by) == (
        by_hand,
        2026,
        Decimal("0.08"),
        people["secretary"],
    )
    page = browser.get(_version_url(version))
    html = page.content.decode()
    assert "HR report for 2026" in html and "8.0%" in html and "Staff turnover" in html
    entries = page.context["goals"][0].kpi_list[1].entries
    assert [(r["year"], r["value"]) for r in entries] == [(2026, "8.0%")]
    actions = set(
        AuditEvent.objects.filter(action__startswith="governance.strategy.").values_list("action", flat=True)
    )
    assert {
        "governance.strategy.created",
        "governance.strategy.goal_added",
        "governance.strategy.kpi_added",
        "governance.strategy.target_set",
        "governance.strategy.value_entered",
    } <= actions


def test_a_year_outside_the_strategy_comes_back_beside_the_field(people):
    by = people["secretary"]
    _strategy, version, _goal, kpi = drafted_strategy(by)
    browser = client_for(by)
    before = dict(kpi.targets.values_list("year", "value"))
    response = _post(
        browser, _version_url(version, "targets"), "target", {"kpi": kpi.pk, "year": 2031, "value": "10"}
    )
    assert response.status_code == 400
    form = response.context["target_form"]
    assert form.errors["year"] == ["Choose a year of the strategy, from 2025 to 2029."]
    assert "Choose a year of the strategy, from 2025 to 2029." in response.content.decode()
    assert dict(kpi.targets.values_list("year", "value")) == before

    response = _post(
        browser, _version_url(version, "targets"), "target", {"kpi": kpi.pk, "year": 2026, "value": "many"}
    )
    assert response.status_code == 400
    assert "decimal number" in response.context["target_form"].errors["value"][0]


def test_a_kpi_by_hand_needs_a_unit_and_a_value_needs_its_source(people):
    by = people["secretary"]
    _strategy, version, goal, _kpi = drafted_strategy(by)
    browser = client_for(by)
    response = _post(
        browser, _version_url(version, "kpis"), "kpi", {"goal": goal.pk, "title_en": "Patents", "metric": ""}
    )
    assert response.status_code == 400
    assert "Choose the unit" in response.context["kpi_form"].errors["unit"][0]
    assert Kpi.objects.filter(goal=goal).count() == 1
    patents = s.add_kpi(goal, title_en="Patents", unit="count", by=by)
    response = _post(
        browser,
        _version_url(version, "values"),
        "value",
        {"kpi": patents.pk, "year": 2026, "value": "3", "source": ""},
    )
    assert response.status_code == 400 and "source" in response.context["value_form"].errors
    assert not KpiManualValue.objects.exists()


def test_an_approved_version_reads_only_and_refuses_changes(people):
    by = people["secretary"]
    strategy, version, _goal, kpi = drafted_strategy(by)
    s.approve_version(version, decision=board_decision(by), by=by)
    browser = client_for(by)

    page = browser.get(_version_url(version))
    assert page.status_code == 200
    html = page.content.decode()
    assert "This version is approved" in html
    assert (
        "goal_form" not in page.context
        and "kpi_form" not in page.context
        and "target_form" not in page.context
    )

    response = _post(browser, _version_url(version, "goals"), "goal", {"title_en": "Late goal"})
    assert response.status_code == 400
    message = "Version 1 is approved: only a draft changes. Start a new version instead."
    assert message in response.content.decode()
    assert "goal_form" not in response.context  # the page offers no form: the reason is above it
    assert [str(m) for m in response.context["messages"]] == [message]
    response = _post(
        browser, _version_url(version, "targets"), "target", {"kpi": kpi.pk, "year": 2026, "value": "1"}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert Goal.objects.filter(version=version).count() == 1
    assert KpiTarget.objects.get(kpi=kpi, year=2026).value == Decimal("150")

    # A new version is started from the strategy's page; a second one is refused while it is open.
    index = browser.get(reverse("governance:strategy")).content.decode()
    start = reverse("governance:strategy_version_start", args=[strategy.pk])
    assert "Start a new version" in index and start in index
    response = browser.post(start)
    draft = StrategyVersion.objects.get(strategy=strategy, status=VersionStatus.DRAFT)
    assert response.status_code == 303 and response["Location"] == _version_url(draft)
    index = browser.get(reverse("governance:strategy")).content.decode()
    assert "Edit the draft" in index and _version_url(draft) in index
    response = browser.post(start)
    assert response.status_code == 400
    assert "A draft version is already open" in response.content.decode()
    assert StrategyVersion.objects.filter(strategy=strategy).count() == 2


def test_a_refused_strategy_comes_back_with_the_form(people):
    browser = client_for(people["admin"])
    response = browser.post(
        reverse("governance:strategy_create"), {**TITLES, "first_year": 2030, "last_year": 2026}
    )
    assert response.status_code == 400
    assert response.context["create_form"].errors["last_year"] == [
        "The strategy cannot end before it starts."
    ]
    assert not Strategy.objects.exists()


def test_readers_without_the_right_are_refused_and_visitors_sent_to_sign_in(people, client):
    by = people["secretary"]
    strategy, version, goal, kpi = drafted_strategy(by)
    posts = [
        (reverse("governance:strategy_create"), {**TITLES, "first_year": 2026, "last_year": 2030}),
        (reverse("governance:strategy_version_start", args=[strategy.pk]), {}),
        (_version_url(version, "goals"), {"goal-title_en": "Intruder"}),
        (_version_url(version, "kpis"), {"kpi-goal": goal.pk, "kpi-title_en": "X", "kpi-unit": "count"}),
        (_version_url(version, "targets"), {"target-kpi": kpi.pk, "target-year": 2026, "target-value": "1"}),
        (_version_url(version, "values"), {"value-kpi": kpi.pk, "value-year": 2026, "value-value": "1"}),
    ]
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    for who in ("trustee", "auditor"):
        browser = client_for(people[who])
        assert browser.get(reverse("governance:strategy")).status_code == 200  # they read it
        html = browser.get(reverse("governance:strategy")).content.decode()
        assert "Create a strategy" not in html and "Edit the draft" not in html
        assert browser.get(_version_url(version)).status_code == 403
        for url, data in posts:
            assert browser.post(url, data).status_code == 403, (who, url)
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(_version_url(version)).status_code == 302
    assert Strategy.objects.count() == 1 and Goal.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="governance.strategy.", id__gt=last).exists()


def test_a_missing_version_or_strategy_is_404(people):
    browser = client_for(people["secretary"])
    assert browser.get(reverse("governance:strategy_version", args=[999])).status_code == 404
    assert browser.post(reverse("governance:strategy_version_start", args=[999])).status_code == 404
