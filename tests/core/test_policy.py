from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from innocluster.core.audit.models import AuditEvent
from innocluster.core.policy import NoValueInForce, services, value
from innocluster.core.policy import values as rules
from innocluster.core.policy.models import ParameterValue, Regime

# Every key of DOMAIN.md's table must ship in defaults.yaml.
DOMAIN_KEYS = {
    "levy.rate",
    "levy.due_date",
    "levy.penalty_rate_per_day",
    "levy.carry_forward_years",
    "levy.rate_extraction_costs",
    "levy.extraction_costs_from_production_year",
    "levy.declaration_deadline",
    "levy.declaration_reminder_days",
    "levy.rnd_approval_threshold",
    "registry.moderation_days",
    "registry.commission_days",
    "registry.total_days",
    "registry.eligibility.conditions",
    "registry.compliance.min_priority_income_share",
    "registry.participant_categories",
    "registry.documents.required",
    "registry.documents.max_megabytes",
    "registry.documents.allowed_types",
    "registry.suspension.response_days",
    "registry.compliance.report_due",
    "finance.manual_entry_approval_threshold",
    "finance.reconciliation_overdue_days",
    "grants.intake.days",
    "grants.review.days",
    "grants.review.min_reviews",
    "grants.review.disagreement_threshold",
    "grants.amendment.reallocation_tolerance",
    "grants.report.progress_months",
    "grants.report.due_days",
    "grants.report.reminder_days",
    "workforce.visa_max_years",
    "workforce.decision_days",
    "workforce.advice.kz_share_managers",
    "workforce.advice.kz_share_specialists",
    "workforce.documents.required",
    "workforce.alert_days",
    "workforce.advice.quota_required",
    "workforce.advice.work_permit_required",
    "governance.default.quorum",
    "governance.default.majority",
    "governance.default.abstentions",
    "governance.default.casting_vote",
    "governance.authority",
}


def test_defaults_cover_every_domain_key_with_a_reference(policy_loaded):
    assert set(ParameterValue.objects.values_list("key", flat=True)) == DOMAIN_KEYS
    assert not ParameterValue.objects.filter(reference="").exists()
    assert set(Regime.objects.values_list("code", flat=True)) == {"pit-2014", "astana-hub-2025"}


def test_loading_twice_inserts_nothing_and_never_overwrites(policy_loaded):
    assert policy_loaded.values_added == ParameterValue.objects.count() > 0
    ParameterValue.objects.filter(key="levy.rate").update(value="0.02")  # an administrator's later change
    events = AuditEvent.objects.count()
    again = services.load_defaults()
    assert (again.regimes_added, again.values_added) == (0, 0)
    assert again.values_present == policy_loaded.values_added
    assert AuditEvent.objects.count() == events
    assert value("levy.rate", on=date(2026, 1, 1), regime="pit-2014") == Decimal("0.02")


def test_values_are_typed_and_never_float(policy_loaded):
    rate = value("levy.rate", on=date(2026, 1, 1), regime="pit-2014")
    assert isinstance(rate, Decimal) and rate == Decimal("0.01")
    assert value("registry.moderation_days", on=date(2026, 1, 1), regime="pit-2014") == 5
    assert value("levy.due_date", on=date(2026, 1, 1), regime="pit-2014") == "07-01"
    assert value("registry.documents.allowed_types", on=date(2026, 1, 1), regime="astana-hub-2025") == [
        "pdf",
        "png",
        "jpeg",
        "docx",
        "xlsx",
    ]
    conditions = value("registry.eligibility.conditions", on=date(2026, 1, 1), regime="astana-hub-2025")
    assert conditions[0] == {
        "attribute": "state_share",
        "operator": "lt",
        "value": "0.50",  # a decimal kept as text, never a float
        "reference": conditions[0]["reference"],
        "reference_ru": conditions[0]["reference_ru"],
        "reference_kk": conditions[0]["reference_kk"],
        "source": "src",
    }
    assert value("registry.eligibility.conditions", on=date(2026, 1, 1), regime="pit-2014") == []
    # An explicit "none" is a value, not a missing one.
    assert value("levy.penalty_rate_per_day", on=date(2026, 1, 1), regime="pit-2014") is None


def test_value_changes_across_its_start_date(policy_loaded):
    key = "registry.compliance.min_priority_income_share"
    assert value(key, on=date(2028, 12, 31), regime="astana-hub-2025") == Decimal("0.90")
    assert value(key, on=date(2029, 1, 1), regime="astana-hub-2025") is None
    found = rules.lookup(key, on=date(2027, 6, 1), regime="astana-hub-2025")
    assert found.valid_from == date(2026, 1, 1)
    assert found.valid_until == date(2029, 1, 1)
    assert "art. 17" in found.reference


def test_a_new_dated_value_takes_over_on_its_date_only(policy_loaded, django_user_model):
    admin = django_user_model.objects.create_user("policy-admin")
    regime = Regime.objects.get(code="pit-2014")
    services.add_value(
        regime=regime,
        key="levy.rate",
        valid_from=date(2027, 1, 1),
        kind="decimal",
        value="0.015",
        reference="Hypothetical amendment, art. 5",
        by=admin,
    )
    assert value("levy.rate", on=date(2026, 12, 31), regime="pit-2014") == Decimal("0.01")
    assert value("levy.rate", on=date(2027, 1, 1), regime="pit-2014") == Decimal("0.015")
    event = AuditEvent.objects.get(action="policy.value.added", actor=admin)
    assert event.changes["value"] == [None, "0.015"]


def test_no_value_in_force_before_any_value(policy_loaded):
    with pytest.raises(NoValueInForce) as exc:
        value("levy.rate", on=date(2013, 12, 31), regime="pit-2014")
    assert (exc.value.key, exc.value.regime, exc.value.on) == ("levy.rate", "pit-2014", date(2013, 12, 31))
    assert "levy.rate" in str(exc.value) and "2013-12-31" in str(exc.value)
    with pytest.raises(NoValueInForce):  # the key does not exist in this regime at all
        value("registry.no_such_rule", on=date(2026, 6, 1), regime="pit-2014")
    # a regime without the income test says so with an explicit null: None, not an error
    assert (
        value("registry.compliance.min_priority_income_share", on=date(2026, 6, 1), regime="pit-2014") is None
    )
    with pytest.raises(rules.UnknownRegime):
        value("levy.rate", on=date(2026, 1, 1), regime="no-such-regime")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"value": 0.02}, "value"),  # a float would lose precision
        ({"value": "abc"}, "value"),
        ({"key": "Levy Rate"}, "key"),
        ({"reference": " "}, "reference"),
        ({"valid_from": date(2014, 6, 23)}, "valid_from"),  # that start date already has a value
        ({"kind": "working_days", "value": 3}, "kind"),  # levy.rate is a decimal elsewhere
        ({"kind": "nonsense"}, "kind"),
    ],
)
def test_bad_values_are_refused_naming_the_field_and_nothing_is_stored(policy_loaded, kwargs, field):
    base = {
        "regime": Regime.objects.get(code="pit-2014"),
        "key": "levy.rate",
        "valid_from": date(2030, 1, 1),
        "kind": "decimal",
        "value": "0.02",
        "reference": "art. 1",
    }
    before = (ParameterValue.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        services.add_value(**(base | kwargs))
    assert field in exc.value.error_dict
    assert (ParameterValue.objects.count(), AuditEvent.objects.count()) == before


def test_month_day_and_days_validation():
    assert services.clean_value("month_day", "02-29") == "02-29"
    with pytest.raises(ValidationError):
        services.clean_value("month_day", "02-30")
    with pytest.raises(ValidationError):
        services.clean_value("working_days", "-1")
    with pytest.raises(ValidationError):
        services.clean_value("boolean", "maybe")


def test_policy_show_prints_value_start_and_reference(policy_loaded, capsys):
    call_command("policy", "show", "levy.rate", "--on", "2026-01-01", "--regime", "pit-2014")
    out = capsys.readouterr().out
    assert "levy.rate = 0.01" in out
    assert "in force from 2014-06-23" in out
    assert "reference (src): Draft law on the innovation cluster" in out


def test_policy_show_json(policy_loaded, capsys):
    import json

    call_command("policy", "show", "registry.moderation_days", "--regime", "astana-hub-2025", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["value"] == 5 and data["kind"] == "working_days" and data["regime"] == "astana-hub-2025"


def test_policy_show_without_a_value_in_force_is_a_domain_error(policy_loaded):
    with pytest.raises(CommandError, match=r"no value of 'levy\.rate' in force"):
        call_command("policy", "show", "levy.rate", "--on", "2010-01-01", "--regime", "pit-2014")


def test_shipped_law_cases_pass(policy_loaded, capsys):
    from innocluster.registry.services.register import load_reference_data

    load_reference_data()  # the registry's cases name participant categories
    call_command("policy", "test", "--coverage")  # exits 1 on a failure or a key no case reads
    out = capsys.readouterr().out
    assert "FAIL" not in out and "NO CASE" not in out
    assert "law cases passed" in out and "every key of every regime is read" in out


FAILING_CASE = """
cases:
  - name: a deliberately wrong expectation
    regime: pit-2014
    date: 2026-03-19
    formula: calendar.working_day_deadline
    inputs: {event_date: 2026-03-19, days_key: registry.moderation_days}
    expected: 2026-03-26
  - name: a right one
    regime: pit-2014
    date: 2026-03-19
    formula: calendar.working_day_deadline
    inputs: {event_date: 2026-03-19, days_key: registry.moderation_days}
    expected: 2026-03-31
"""


def test_policy_test_exits_1_on_a_failing_case(policy_loaded, tmp_path, capsys):
    case_file = tmp_path / "wrong.yaml"
    case_file.write_text(FAILING_CASE)
    with pytest.raises(SystemExit) as exc:
        call_command("policy", "test", str(case_file))
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert "FAIL a deliberately wrong expectation" in out
    assert "ok   a right one" in out
    assert "1 of 2 law cases failed" in out


def test_policy_test_reports_a_malformed_case_file(policy_loaded, tmp_path):
    case_file = tmp_path / "bad.yaml"
    case_file.write_text("cases:\n  - name: no formula\n    inputs: {}\n    expected: 1\n")
    with pytest.raises(CommandError, match="has no 'formula'"):
        call_command("policy", "test", str(case_file))
    with pytest.raises(CommandError, match="no such file"):
        call_command("policy", "test", str(tmp_path / "missing.yaml"))


def test_a_decree_override_changes_a_law_case_outcome(policy_loaded):
    from innocluster.core import services as core_services
    from innocluster.core.policy.formulas import get

    deadline = get("calendar.working_day_deadline")
    before = deadline(event_date=date(2026, 3, 19), days_key="registry.moderation_days", regime="pit-2014")
    assert before == date(2026, 3, 31)
    core_services.set_decree_override(
        day=date(2026, 3, 30), is_working=False, decree="Test decree moving a day off"
    )
    after = deadline(event_date=date(2026, 3, 19), days_key="registry.moderation_days", regime="pit-2014")
    assert after == date(2026, 4, 1)


def test_policy_admin_adds_a_value_through_the_service(policy_loaded, admin_client):
    regime = Regime.objects.get(code="pit-2014")
    response = admin_client.post(
        "/admin/policy/parametervalue/add/",
        {
            "regime": regime.pk,
            "key": "levy.rate",
            "valid_from": "2031-01-01",
            "kind": "decimal",
            "value_text": "0.02",
            "reference": "Hypothetical amendment",
            "source": "law",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content
    assert value("levy.rate", on=date(2031, 1, 1), regime="pit-2014") == Decimal("0.02")
    assert AuditEvent.objects.filter(action="policy.value.added", actor__username="admin").exists()


def test_policy_admin_shows_a_bad_value_as_a_field_error(policy_loaded, admin_client):
    regime = Regime.objects.get(code="pit-2014")
    count = ParameterValue.objects.count()
    response = admin_client.post(
        "/admin/policy/parametervalue/add/",
        {
            "regime": regime.pk,
            "key": "levy.rate",
            "valid_from": "2014-06-23",
            "kind": "decimal",
            "value_text": "0.02",
            "reference": "x",
            "source": "law",
        },
    )
    assert response.status_code == 200
    assert "add a later date instead" in response.content.decode()
    assert ParameterValue.objects.count() == count


@pytest.mark.parametrize(
    ("kind", "raw"),
    [("decimal", "1.5"), ("decimal", "-0.01"), ("fraction", "3/2"), ("fraction", "0"), ("fraction", 0.5)],
)
def test_fractions_out_of_range_are_refused(kind, raw):
    with pytest.raises(ValidationError):
        services.clean_value(kind, raw)


def test_lookup_refuses_a_datetime(policy_loaded):
    from datetime import datetime

    with pytest.raises(TypeError, match="pass a date"):
        value("levy.rate", on=datetime(2026, 1, 1, 12, 0))


def test_category_item_lists_read_grouped_by_whom_they_apply_to():
    from datetime import date

    from innocluster.core.policy.display import render_value
    from innocluster.core.policy.values import InForce

    value = ["*:business_plan", "*:charter", "venture_fund:fund_rules", "individual:identity_document"]
    found = InForce(
        "registry.documents.required", "astana-hub-2025", value, "list", date(2025, 9, 27), None, "", ""
    )
    assert render_value(found) == (
        "every legal entity: business plan, charter; venture funds: fund rules; individuals: identity document"
    )


def test_an_amount_is_tenge_and_tiyn_never_a_float_or_a_negative(policy_loaded):
    from django.core.exceptions import ValidationError

    assert services.clean_value("amount", "5000000") == "5000000.00"
    for wrong in (5000000.0, "-1.00", "1.005", "NaN", "lots", True):
        with pytest.raises(ValidationError):
            services.clean_value("amount", wrong)
    assert value("finance.manual_entry_approval_threshold", on=date(2026, 1, 1)) == Decimal("5000000.00")


def test_a_lookup_is_one_query_and_memoised_reads_each_rule_once(policy_loaded, django_assert_num_queries):
    """The regime in force is found in the value's own query; inside ``memoised`` a rule read again
    on the same date costs nothing, while another date or key is read afresh."""
    on = date(2026, 3, 1)
    with django_assert_num_queries(1):
        rate = value("levy.rate", on=on)
    with rules.memoised():
        with django_assert_num_queries(1):
            for _ in range(5):
                assert value("levy.rate", on=on) == rate
            assert rules.regime_on(on) == rules.lookup("levy.rate", on=on).regime  # came with the value
        with django_assert_num_queries(1):
            value("levy.rate", on=date(2026, 3, 2))
    with django_assert_num_queries(1):  # outside the block: read again
        value("levy.rate", on=on)


def test_memoised_reads_do_not_outlive_their_block(policy_loaded):
    """A value changed after a memoised block is seen by the next read."""
    on = date(2026, 3, 1)
    with rules.memoised():
        before = value("levy.rate", on=on)
    found = rules.lookup("levy.rate", on=on)
    ParameterValue.objects.filter(
        regime__code=found.regime, key="levy.rate", valid_from=found.valid_from
    ).update(value="0.02")
    assert value("levy.rate", on=on) != before
