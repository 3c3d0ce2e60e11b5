"""Eligibility comes from the regime's dated policy data: changing the data changes the outcome."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from innocluster.core.policy import NoValueInForce
from innocluster.core.policy import services as policy_services
from innocluster.core.policy.models import ParameterValue, Regime
from innocluster.parties.models import Organisation
from innocluster.registry.eligibility import CONDITIONS_KEY, eligible_formula, evaluate
from innocluster.registry.models import ParticipantCategory
from innocluster.registry.services.register import load_reference_data

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 1)
HUB = "astana-hub-2025"


@pytest.fixture
def company(policy_loaded):
    load_reference_data()
    return ParticipantCategory.objects.get(code="company")


def applicant(**fields):
    return Organisation(state_share=Decimal(fields.pop("state_share", "0")), **fields)


def test_astana_hub_rules_each_with_its_reference(company):
    result = evaluate(category=company, organisation=applicant(state_share="0.5"), on=ON, regime=HUB)
    assert not result.eligible
    failing = result.failures
    assert [(c.key, c.attribute) for c in failing] == [(CONDITIONS_KEY, "state_share")]
    assert "below 50%" in failing[0].message and "here: 50%" in failing[0].message
    assert "50%" in failing[0].reference
    ok = evaluate(category=company, organisation=applicant(state_share="0.4999"), on=ON, regime=HUB)
    assert ok.eligible
    # every condition of the regime is a check of its own, each with its own reference
    attributes = [c.attribute for c in ok.checks if c.key == CONDITIONS_KEY]
    assert attributes == [
        "state_share",
        "subsoil_user",
        "sez_participant",
        "excisable_goods",
        "general_tax_regime",
        "investment_priority_project",
        "has_branches",
        "separate_tax_accounting",
    ]
    assert len({c.reference for c in ok.checks}) == len(ok.checks)


@pytest.mark.parametrize(
    ("flag", "words"),
    [
        ("investment_priority_project", "investment priority (strategic) project"),
        ("has_branches", "branches"),
        ("separate_tax_accounting", "separate tax accounting"),
    ],
)
def test_the_criteria_the_sources_add(company, flag, words):
    result = evaluate(category=company, organisation=applicant(**{flag: True}), on=ON, regime=HUB)
    assert [c.attribute for c in result.failures] == [flag]
    failure = result.failures[0]
    assert "not admitted" in failure.message and "(here: yes)" in failure.message
    assert words in failure.reference
    # the 2014 regime names none of them
    assert evaluate(
        category=company, organisation=applicant(**{flag: True}), on=ON, regime="pit-2014"
    ).eligible


def test_pit_2014_has_an_explicit_empty_list_with_its_reference(company):
    found = ParameterValue.objects.get(regime__code="pit-2014", key=CONDITIONS_KEY)
    assert found.value == [] and found.source == "law" and "art. 1" in found.reference
    result = evaluate(category=company, organisation=applicant(subsoil_user=True), on=ON, regime="pit-2014")
    assert [c.key for c in result.checks] == ["registry.participant_categories"]


def test_the_timeline_decides_the_regime_by_the_date(company):
    """No regime named: a 2024 application is judged under pit-2014, a 2026 one under Astana Hub."""
    subsoil = applicant(subsoil_user=True)
    assert evaluate(category=company, organisation=subsoil, on=date(2024, 5, 1)).eligible
    result = evaluate(category=company, organisation=subsoil, on=ON)
    assert not result.eligible
    assert any("subsoil user: not admitted (here: yes)" in c.message.lower() for c in result.failures)


def test_a_new_dated_value_changes_the_outcome_from_its_date(company):
    regime = Regime.objects.get(code=HUB)
    policy_services.add_value(
        regime=regime,
        key=CONDITIONS_KEY,
        valid_from=date(2027, 1, 1),
        kind="conditions",
        value=[
            {
                "attribute": "state_share",
                "operator": "lt",
                "value": "0.25",
                "source": "design",
                "reference": "Hypothetical amendment lowering the state share",
            }
        ],
        reference="Hypothetical amendment",
    )
    org = applicant(state_share="0.30", subsoil_user=True)
    assert not evaluate(category=company, organisation=org, on=date(2026, 12, 31), regime=HUB).eligible
    later = evaluate(category=company, organisation=org, on=date(2027, 1, 1), regime=HUB)
    # from 2027 only the new row applies: the subsoil test is gone, the share test is stricter
    assert [c.attribute for c in later.failures] == ["state_share"]
    assert evaluate(
        category=company,
        organisation=applicant(state_share="0.2", subsoil_user=True),
        on=date(2027, 1, 1),
        regime=HUB,
    ).eligible


def test_a_regime_adds_a_criterion_over_an_application_attribute_without_code(company):
    regime = Regime.objects.get(code=HUB)
    policy_services.add_value(
        regime=regime,
        key=CONDITIONS_KEY,
        valid_from=date(2027, 1, 1),
        kind="conditions",
        value=[
            {
                "attribute": "category",
                "operator": "not_in",
                "value": ["company"],
                "source": "design",
                "reference": "Hypothetical: companies apply through another route",
            }
        ],
        reference="Hypothetical amendment",
    )
    result = evaluate(category=company, organisation=applicant(), on=date(2027, 1, 1), regime=HUB)
    assert [c.attribute for c in result.failures] == ["category"]
    assert "none of: companies" in result.failures[0].message


def test_no_value_in_force_raises_naming_key_regime_and_date(company):
    ParameterValue.objects.filter(regime__code=HUB, key=CONDITIONS_KEY).delete()
    with pytest.raises(NoValueInForce) as exc:
        evaluate(category=company, organisation=applicant(), on=ON, regime=HUB)
    assert (exc.value.key, exc.value.regime, exc.value.on) == (CONDITIONS_KEY, HUB, ON)
    # the day before the regime's values start, likewise: absence never relaxes eligibility
    with pytest.raises(NoValueInForce):
        evaluate(category=company, organisation=applicant(), on=date(2025, 10, 9), regime=HUB)


def test_an_explicit_null_means_no_conditions(company):
    policy_services.add_value(
        regime=Regime.objects.get(code=HUB),
        key=CONDITIONS_KEY,
        valid_from=date(2030, 1, 1),
        kind="conditions",
        value=None,
        reference="Hypothetical repeal of the conditions",
    )
    assert evaluate(
        category=company, organisation=applicant(subsoil_user=True), on=date(2030, 1, 1), regime=HUB
    ).eligible


def test_individuals_are_admitted_only_where_the_regime_lists_them(company):
    individual = ParticipantCategory.objects.get(code="individual")
    assert evaluate(category=individual, organisation=None, on=ON, regime="pit-2014").eligible
    result = evaluate(category=individual, organisation=None, on=ON, regime=HUB)
    assert not result.eligible
    # conditions about organisations do not concern a natural person
    assert [c.key for c in result.checks] == ["registry.participant_categories"]


def test_the_law_case_formula_refuses_an_unknown_flag(company):
    with pytest.raises(ValueError, match="no_such_flag"):
        eligible_formula(category="company", flags=["no_such_flag"], on=ON, regime=HUB)
    assert eligible_formula(category="company", flags=["resident"], on=ON, regime=HUB) is True
    assert eligible_formula(category="company", flags=["has_branches"], on=ON, regime=HUB) is False


def test_loading_a_policy_file_with_an_unknown_attribute_fails_naming_it(company, tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(
        """
values:
  - key: registry.eligibility.conditions
    regime: astana-hub-2025
    valid_from: 2031-01-01
    kind: conditions
    reference: "Hypothetical"
    value:
      - {attribute: state_share, operator: lt, value: "0.5", source: design, reference: "ok"}
      - {attribute: has_branchez, operator: eq, value: false, source: design, reference: "typo"}
""",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as exc:
        policy_services.load_defaults(path)
    message = " ".join(exc.value.messages)
    assert "registry.eligibility.conditions" in message
    assert "Condition 2" in message and "has_branchez" in message
    assert not ParameterValue.objects.filter(valid_from=date(2031, 1, 1)).exists()


def test_every_shipped_condition_names_its_source_in_three_languages(company):
    rows = [
        (value.regime.code, row)
        for value in ParameterValue.objects.filter(key=CONDITIONS_KEY).select_related("regime")
        for row in value.value or []
    ]
    assert len(rows) == 8  # all in astana-hub-2025; pit-2014 is an explicit empty list
    for regime, row in rows:
        assert regime == HUB
        assert row["reference"] and row["reference_ru"] and row["reference_kk"], row
        assert row["source"] in {"law", "src", "design"}
