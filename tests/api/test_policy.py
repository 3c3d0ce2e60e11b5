"""Public policy endpoints: the rules in force and single values, Decimals as strings."""

import pytest
from django.test import Client

from .helpers import API_URLCONF

pytestmark = [pytest.mark.urls(API_URLCONF)]

RULES = "/api/v1/policy/rules/"
VALUES = "/api/v1/policy/values/"


def test_rules_are_public_with_decimals_as_strings(policy_loaded):
    response = Client().get(RULES, {"on": "2026-03-01", "regime": "pit-2014"})
    assert response.status_code == 200, response.content
    rows = {row["key"]: row for row in response.json()["results"]}
    rate = rows["levy.rate"]
    assert rate["value"] == "0.01" and isinstance(rate["value"], str)
    assert rate["kind"] == "decimal" and rate["display"] == "1%"
    assert rate["valid_from"] == "2014-06-23" and rate["valid_until"] is None
    assert rate["source"] == "src" and rate["reference"].startswith("Draft law")
    assert set(rate) >= {"key", "label", "value", "valid_from", "valid_until", "reference", "source"}
    assert rows["registry.total_days"]["value"] == 15


def test_rules_in_kazakh(policy_loaded):
    rows = Client().get(RULES, {"regime": "pit-2014", "lang": "kk"}).json()["results"]
    rate = next(row for row in rows if row["key"] == "levy.rate")
    assert rate["reference"].startswith("Инновациялық кластер туралы заң жобасы")


def test_rules_refuse_bad_queries(policy_loaded):
    unknown = Client().get(RULES, {"regime": "no-such-regime"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    assert Client().get(RULES, {"on": "yesterday"}).status_code == 400
    assert Client().get(RULES, {"lang": "de"}).status_code == 400


def test_value_lookup(policy_loaded):
    response = Client().get(f"{VALUES}levy.rate/", {"on": "2026-03-01", "regime": "pit-2014"})
    assert response.status_code == 200
    assert response.json() == {
        "key": "levy.rate",
        "regime": "pit-2014",
        "value": "0.01",
        "kind": "decimal",
        "valid_from": "2014-06-23",
        "valid_until": None,
        "reference": response.json()["reference"],
        "source": "src",
    }


def test_value_not_in_force_is_404_with_the_reason(policy_loaded):
    response = Client().get(f"{VALUES}levy.rate/", {"on": "2010-01-01", "regime": "pit-2014"})
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "levy.rate" in detail and "pit-2014" in detail and "2010-01-01" in detail
    assert Client().get(f"{VALUES}no.such.key/").status_code == 404


def test_value_in_unknown_regime_is_404(policy_loaded):
    response = Client().get(f"{VALUES}levy.rate/", {"regime": "no-such-regime"})
    assert response.status_code == 404
    assert "no-such-regime" in response.json()["detail"]
