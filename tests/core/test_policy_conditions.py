"""Conditions as data (``core.policy.conditions``): rows over declared attributes, checked before
they are stored and evaluated per operator with words built from the attribute's label."""

import operator as op
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from innocluster.core.manifest import attributes as collected
from innocluster.core.policy import conditions, services
from innocluster.core.policy.attributes import KINDS, Attribute
from innocluster.core.policy.display import percent

DECLARED = {
    "share": Attribute(
        "share", "organisation", "decimal", "ownership share", lambda o: o["share"], show=percent
    ),
    "count": Attribute("count", "organisation", "decimal", "head count", lambda o: o["count"]),
    "flagged": Attribute("flagged", "organisation", "boolean", "flagged", lambda o: o["flagged"]),
    "code": Attribute("code", "application", "text", "kind of application", lambda a: a["code"]),
    "codes": Attribute("codes", "application", "list", "activity codes", lambda a: a["codes"]),
}


def row(**fields):
    base = {
        "attribute": "share",
        "operator": "lt",
        "value": "0.50",
        "reference": "Act X, art. 3",
        "source": "law",
    }
    return base | fields


def refusal(raw) -> str:
    with pytest.raises(ValidationError) as exc:
        conditions.clean(raw, DECLARED)
    return " ".join(exc.value.messages)


# --- what clean refuses -------------------------------------------------------------------------


def test_a_valid_list_is_stored_in_a_canonical_form():
    stored = conditions.clean(
        [
            row(value="0.5"),
            {
                "attribute": "flagged",
                "operator": "eq",
                "value": False,
                "reference": " site ",
                "source": "src",
            },
            {
                "attribute": "codes",
                "operator": "in",
                "value": ["62", 63],
                "reference": "ours",
                "source": "design",
            },
        ],
        DECLARED,
    )
    assert stored[0] == {
        "attribute": "share",
        "operator": "lt",
        "value": "0.5",
        "reference": "Act X, art. 3",
        "reference_ru": "",
        "reference_kk": "",
        "source": "law",
    }
    assert stored[1]["reference"] == "site" and stored[1]["value"] is False
    assert stored[2]["value"] == ["62", "63"]
    assert conditions.clean([], DECLARED) == []  # an explicit "no conditions"


def test_an_unknown_attribute_is_refused_naming_it_and_the_row():
    message = refusal([row(), row(attribute="shrae")])
    assert "Condition 2" in message and "shrae" in message and "share" in message


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"operator": "below"}, "unknown operator “below”"),
        ({"attribute": "flagged", "operator": "lt", "value": True}, "lt does not apply to flagged"),
        ({"attribute": "codes", "operator": "eq", "value": ["62"]}, "eq does not apply to codes"),
        ({"value": 0.5}, "decimal number written as text"),
        ({"value": True}, "decimal number written as text"),
        ({"value": "half"}, "decimal number written as text"),
        ({"value": "NaN"}, "decimal number written as text"),
        ({"attribute": "flagged", "operator": "eq", "value": "no"}, "true or false"),
        ({"attribute": "code", "operator": "eq", "value": ["a"]}, "takes a code"),
        ({"attribute": "code", "operator": "in", "value": "a"}, "non-empty list of codes"),
        ({"attribute": "codes", "operator": "in", "value": []}, "non-empty list of codes"),
        ({"reference": "  "}, "no reference"),
        ({"source": "rumour"}, "source is one of law, src, design"),
        ({"reference": "Act X, paragraph 3"}, "names no article"),
        ({"colour": "red"}, "unknown field colour"),
    ],
)
def test_a_row_that_cannot_be_evaluated_is_refused(fields, words):
    message = refusal([row(**fields)])
    assert "Condition 1" in message and words in message


def test_a_missing_value_or_reference_is_refused():
    without_value = row()
    del without_value["value"]
    assert "no value" in refusal([without_value])
    without_reference = row()
    del without_reference["reference"]
    assert "no reference" in refusal([without_reference])
    assert "list of rows" in refusal({"attribute": "share"})
    assert "row with attribute" in refusal(["share < 0.5"])


@pytest.mark.parametrize("reference", ["Law 1, art. 3", "Закон № 1, ст. 3", "№ 1 Заң, 3-бап"])
def test_a_law_row_names_its_article_in_any_language(reference):
    assert conditions.clean([row(reference="Law 1", reference_ru=reference)], DECLARED)
    assert conditions.clean([row(reference=reference)], DECLARED)


def test_every_operator_is_known_to_some_kind():
    assert set(conditions.OPERATORS) == {o for ops in KINDS.values() for o in ops}


def test_clean_value_checks_against_the_attributes_the_installed_apps_declare(db):
    known = collected()
    assert {"state_share", "subsoil_user", "has_branches", "category"} <= set(known)
    assert services.clean_value("conditions", None) is None  # an explicit null
    stored = services.clean_value(
        "conditions",
        [
            {
                "attribute": "state_share",
                "operator": "lt",
                "value": "0.5",
                "reference": "site",
                "source": "src",
            }
        ],
    )
    assert stored[0]["value"] == "0.5"
    with pytest.raises(ValidationError) as exc:
        services.clean_value(
            "conditions",
            [{"attribute": "no_such", "operator": "eq", "value": True, "reference": "x", "source": "src"}],
        )
    assert "no_such" in " ".join(exc.value.messages)


# --- evaluation per operator ----------------------------------------------------------------------

COMPARE = {"lt": op.lt, "le": op.le, "gt": op.gt, "ge": op.ge, "eq": op.eq, "ne": op.ne}
decimals = st.decimals(min_value=-1000, max_value=1000, allow_nan=False, places=4)


@given(operator=st.sampled_from(sorted(COMPARE)), actual=decimals, expected=decimals)
def test_decimal_comparisons_hold_as_arithmetic_says(operator, actual, expected):
    rows = conditions.clean(
        [
            {
                "attribute": "count",
                "operator": operator,
                "value": str(expected),
                "reference": "r",
                "source": "design",
            }
        ],
        DECLARED,
    )
    (outcome,) = conditions.evaluate(rows, {"count": actual}, DECLARED)
    assert outcome.passed is COMPARE[operator](actual, expected)
    assert outcome.attribute == "count" and outcome.reference == "r" and outcome.source == "design"


@given(operator=st.sampled_from(sorted(COMPARE)), value=decimals)
def test_a_boundary_value_meets_the_inclusive_operators_only(operator, value):
    assert conditions.holds("decimal", operator, value, value) is (operator in {"le", "ge", "eq"})


@given(actual=st.booleans(), expected=st.booleans(), operator=st.sampled_from(["eq", "ne"]))
def test_yes_no_attributes(actual, expected, operator):
    assert conditions.holds("boolean", operator, actual, expected) is COMPARE[operator](actual, expected)


codes = st.sampled_from(["62", "63", "58", "72"])


@given(actual=codes, expected=st.lists(codes, min_size=1, unique=True))
def test_a_code_in_or_not_in_a_list(actual, expected):
    assert conditions.holds("text", "in", actual, expected) is (actual in expected)
    assert conditions.holds("text", "not_in", actual, expected) is (actual not in expected)
    assert conditions.holds("text", "eq", actual, expected[0]) is (actual == expected[0])
    assert conditions.holds("text", "ne", actual, expected[0]) is (actual != expected[0])


@given(actual=st.lists(codes, unique=True), expected=st.lists(codes, min_size=1, unique=True))
def test_a_list_of_codes_all_among_or_none_among(actual, expected):
    assert conditions.holds("list", "in", actual, expected) is set(actual).issubset(expected)
    assert conditions.holds("list", "not_in", actual, expected) is set(actual).isdisjoint(expected)


@pytest.mark.parametrize("operator", sorted(COMPARE))
def test_an_unknown_value_meets_no_condition(operator):
    assert conditions.holds("decimal", operator, None, Decimal(1)) is False
    assert conditions.holds("boolean", "eq", None, False) is False
    assert conditions.holds("list", "not_in", None, ["62"]) is False


def test_messages_read_the_label_the_operator_and_both_values():
    rows = conditions.clean(
        [
            row(),
            {"attribute": "flagged", "operator": "eq", "value": False, "reference": "r", "source": "src"},
            {"attribute": "flagged", "operator": "ne", "value": False, "reference": "r", "source": "src"},
            {"attribute": "count", "operator": "ge", "value": "3", "reference": "r", "source": "src"},
        ],
        DECLARED,
    )
    share, not_flagged, flagged, count = conditions.evaluate(
        rows, {"share": Decimal("0.5"), "flagged": True, "count": None}, DECLARED
    )
    assert share.rule == "Ownership share must be below 50%"
    assert share.message == "Ownership share must be below 50% (here: 50%)." and not share.passed
    assert not_flagged.message == "Flagged: not admitted (here: yes)." and not not_flagged.passed
    assert flagged.rule == "Flagged: required" and flagged.passed
    assert count.message == "Head count must be at least 3 (here: not known)." and not count.passed


def test_a_row_over_an_attribute_without_a_value_is_an_error_not_a_pass():
    with pytest.raises(conditions.ConditionError, match="share"):
        conditions.evaluate(conditions.clean([row()], DECLARED), {}, DECLARED)
    with pytest.raises(conditions.ConditionError, match="gone"):
        conditions.evaluate([row(attribute="gone")], {"gone": 1}, DECLARED)


def test_the_reference_follows_the_readers_language():
    (stored,) = conditions.clean([row(reference="Act, art. 3", reference_ru="Акт, ст. 3")], DECLARED)
    assert conditions.localized_reference(stored, "ru") == "Акт, ст. 3"
    assert conditions.localized_reference(stored, "kk") == "Act, art. 3"  # not written: the original


# --- the rules page ---------------------------------------------------------------------------------


def test_the_rules_page_lists_each_condition_with_its_reference(client, policy_loaded, settings):
    page = client.get("/rules/").content.decode()  # Astana Hub is in force today
    assert "8 conditions" in page
    assert "State and quasi-state ownership share must be below 50%" in page
    assert "Has branches: not admitted" in page
    assert "has no branches at the moment of registration" in page
    history = client.get("/rules/registry.eligibility.conditions/").content.decode()
    assert "Keeps separate tax accounting: not admitted" in history


def test_the_rules_page_says_when_a_regime_has_no_conditions(client, policy_loaded):
    page = client.get("/rules/?on=2024-06-01").content.decode()  # the 2014 law was in force
    assert "no conditions" in page and "Law 207-V (2014 text), art. 1" in page


def test_an_administrator_types_conditions_as_yaml(db):
    from innocluster.core.policy.forms import parse_value_text

    assert parse_value_text("conditions", "[{attribute: share, operator: lt}]") == [
        {"attribute": "share", "operator": "lt"}
    ]
    assert parse_value_text("conditions", "[unclosed") == "[unclosed"  # refused later: not a list
