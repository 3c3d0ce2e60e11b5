"""Every workforce.* key has law cases in both regimes, and they pass."""

import yaml
from django.core.management import call_command

from innocluster.core.manifest import manifest_of
from innocluster.core.policy import lawcases
from innocluster.core.policy.models import ParameterValue


def _cases():
    folder = manifest_of("workforce").file("lawcases")
    return [
        case for path in sorted(folder.glob("*.yaml")) for case in yaml.safe_load(path.read_text())["cases"]
    ]


def test_the_workforce_law_cases_pass(policy_loaded):
    folder = manifest_of("workforce").file("lawcases")
    results = lawcases.run([folder])
    failed = [r.as_json() for r in results if not r.passed]
    assert results and not failed


def test_every_workforce_key_is_exercised_in_both_regimes_and_at_each_boundary(policy_loaded):
    formulas_of_key = {
        "workforce.visa_max_years": {"workforce.latest_contract_end", "workforce.term_allowed"},
        "workforce.decision_days": {"workforce.decision_deadline"},
        "workforce.documents.required": {"workforce.required_documents"},
        "workforce.alert_days": {"workforce.alert_from"},
        "workforce.advice.quota_required": {"workforce.normal_procedure_requires"},
        "workforce.advice.work_permit_required": {"workforce.normal_procedure_requires"},
        "workforce.advice.kz_share_managers": {"workforce.kz_share"},
        "workforce.advice.kz_share_specialists": {"workforce.kz_share"},
    }
    keys = set(ParameterValue.objects.filter(key__startswith="workforce.").values_list("key", flat=True))
    assert keys == set(formulas_of_key)
    cases = _cases()
    for key, formulas in formulas_of_key.items():
        for regime, first, before in (
            ("pit-2014", "2014-06-23", "2014-06-22"),
            ("astana-hub-2025", "2025-10-10", "2025-10-09"),
        ):
            mine = [c for c in cases if c["formula"] in formulas and c["regime"] == regime]
            if key.endswith("work_permit_required"):
                mine = [c for c in mine if c["inputs"].get("requirement") == "work_permit"]
            if key.endswith("quota_required"):
                mine = [c for c in mine if c["inputs"].get("requirement") == "quota"]
            if key.endswith("kz_share_specialists"):
                mine = [c for c in mine if c["inputs"].get("category") != "manager"]
            if key.endswith("kz_share_managers"):
                mine = [c for c in mine if c["inputs"].get("category") == "manager"]
            days = {str(c["date"]) for c in mine}
            assert mine, (key, regime)
            assert before in days and first in days, (key, regime, days)
            assert any(c.get("expected_error") == "NoValueInForce" and str(c["date"]) == before for c in mine)


def test_policy_test_command_reports_them(policy_loaded, capsys):
    from innocluster.registry.services.register import load_reference_data

    load_reference_data()
    call_command("policy", "test")
    out = capsys.readouterr().out
    assert "FAIL" not in out and "law cases passed" in out
