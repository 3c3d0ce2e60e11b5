"""Eligibility comes from the regime's dated policy data: changing the data changes the outcome."""

from datetime import date
from decimal import Decimal

import pytest

from innocluster.core.policy import services as policy_services
from innocluster.core.policy.models import Regime
from innocluster.parties.models import Organisation
from innocluster.registry.eligibility import evaluate
from innocluster.registry.models import ParticipantCategory
from innocluster.registry.services.register import load_reference_data

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 1)


@pytest.fixture
def company(policy_loaded):
    load_reference_data()
    return ParticipantCategory.objects.get(code="company")


def applicant(**fields):
    return Organisation(state_share=Decimal(fields.pop("state_share", "0")), **fields)


def test_astana_hub_rules_each_with_its_reference(company):
    result = evaluate(
        category=company, organisation=applicant(state_share="0.5"), on=ON, regime="astana-hub-2025"
    )
    assert not result.eligible
    failing = result.failures
    assert [c.key for c in failing] == ["registry.eligibility.max_state_share"]
    assert "50%" in failing[0].message and "50%" in failing[0].reference
    ok = evaluate(
        category=company, organisation=applicant(state_share="0.4999"), on=ON, regime="astana-hub-2025"
    )
    assert ok.eligible


def test_the_timeline_decides_the_regime_by_the_date(company):
    """No regime named: a 2024 application is judged under pit-2014, a 2026 one under Astana Hub."""
    subsoil = applicant(subsoil_user=True)
    assert evaluate(category=company, organisation=subsoil, on=date(2024, 5, 1)).eligible
    result = evaluate(category=company, organisation=subsoil, on=ON)
    assert not result.eligible
    assert any("subsoil user: yes" in c.message.lower() for c in result.failures)


def test_a_new_dated_value_changes_the_outcome_from_its_date(company):
    regime = Regime.objects.get(code="astana-hub-2025")
    policy_services.add_value(
        regime=regime,
        key="registry.eligibility.max_state_share",
        valid_from=date(2027, 1, 1),
        kind="decimal",
        value="0.25",
        reference="Hypothetical amendment lowering the state share",
    )
    org = applicant(state_share="0.30")
    assert evaluate(
        category=company, organisation=org, on=date(2026, 12, 31), regime="astana-hub-2025"
    ).eligible
    assert not evaluate(
        category=company, organisation=org, on=date(2027, 1, 1), regime="astana-hub-2025"
    ).eligible


def test_individuals_are_admitted_only_where_the_regime_lists_them(company):
    individual = ParticipantCategory.objects.get(code="individual")
    assert evaluate(category=individual, organisation=None, on=ON, regime="pit-2014").eligible
    assert not evaluate(category=individual, organisation=None, on=ON, regime="astana-hub-2025").eligible
