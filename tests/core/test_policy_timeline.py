"""The regimes as a timeline: every rule is read under the regime in force on the event's date."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.core.policy import services, values
from innocluster.core.policy.models import ParameterValue, Regime, RegimePeriod
from innocluster.core.policy.values import NoValueInForce, value

pytestmark = pytest.mark.django_db


def _switch_day() -> date:
    return RegimePeriod.objects.get(regime__code="astana-hub-2025").starts_on


def test_the_shipped_timeline_runs_pit_2014_then_astana_hub(policy_loaded):
    periods = list(RegimePeriod.objects.values_list("regime__code", flat=True))
    assert periods == ["pit-2014", "astana-hub-2025"]
    switch = _switch_day()
    assert values.regime_on(switch - timedelta(days=1)) == "pit-2014"
    assert values.regime_on(switch) == "astana-hub-2025"
    assert values.regime_on(date(2020, 1, 1)) == "pit-2014"
    first = RegimePeriod.objects.get(regime__code="pit-2014").starts_on
    with pytest.raises(values.NoRegimeInForce, match=(first - timedelta(days=1)).isoformat()):
        values.regime_on(first - timedelta(days=1))
    assert all(p.reference and p.reference_ru and p.reference_kk for p in RegimePeriod.objects.all())


def test_a_key_is_read_under_the_regime_of_its_date(policy_loaded):
    switch = _switch_day()
    # the state-share rule exists only in the amended law: absent the day before the switch
    with pytest.raises(NoValueInForce) as exc:
        value("registry.participant_categories", on=date(2013, 1, 1), regime="pit-2014")
    assert exc.value.regime == "pit-2014"
    before = value("registry.participant_categories", on=switch - timedelta(days=1))
    after = value("registry.participant_categories", on=switch)
    assert "individual" in before and "individual" not in after


def test_loading_again_never_touches_the_timeline(policy_loaded):
    again = services.load_defaults()
    assert again.periods_added == 0 and RegimePeriod.objects.count() == 2


def test_scheduling_a_future_regime_moves_only_the_future(policy_loaded, settings):
    regime = services.add_regime(code="next-law", name_en="Next", name_ru="Следующий", name_kk="Келесі")
    services.add_value(
        regime=regime,
        key="levy.rate",
        valid_from=date(2000, 1, 1),
        kind="decimal",
        value="0.02",
        reference="A future law, art. 1",
    )
    today = values.today()
    starts = today + timedelta(days=30)
    earlier = value("levy.rate", on=today)
    period = services.schedule_regime(
        code="next-law", starts_on=starts, reference="Next law, art. 10", reason="adopted by Parliament"
    )
    assert values.regime_on(starts) == "next-law"
    assert value("levy.rate", on=starts) == Decimal("0.02")
    assert value("levy.rate", on=today) == earlier  # today and the past keep their regime
    event = AuditEvent.objects.get(action="policy.regime.scheduled", object_id=str(period.pk))
    assert event.reason == "adopted by Parliament"
    services.cancel_scheduled_regime(period=period, reason="postponed")
    assert values.regime_on(starts) != "next-law"
    assert AuditEvent.objects.filter(action="policy.regime.cancelled").count() == 1


@pytest.mark.parametrize(
    ("offset", "reference", "reason", "field"),
    [
        (0, "Next law, art. 10", "why", "starts_on"),  # today has begun
        (-400, "Next law, art. 10", "why", "starts_on"),
        (10, "  ", "why", "reference"),
        (10, "Next law, art. 10", " ", "reason"),
    ],
)
def test_scheduling_refuses_the_past_and_missing_reasons(policy_loaded, offset, reference, reason, field):
    count = RegimePeriod.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.schedule_regime(
            code="astana-hub-2025",
            starts_on=values.today() + timedelta(days=offset),
            reference=reference,
            reason=reason,
        )
    assert field in exc.value.error_dict
    assert RegimePeriod.objects.count() == count


def test_a_period_that_has_begun_cannot_be_cancelled(policy_loaded):
    period = RegimePeriod.objects.get(regime__code="astana-hub-2025")
    with pytest.raises(ValidationError):
        services.cancel_scheduled_regime(period=period, reason="changed our mind")
    assert RegimePeriod.objects.filter(pk=period.pk).exists()


def test_the_admin_schedules_with_a_reason_and_refuses_the_past(policy_loaded, admin_client):
    astana = Regime.objects.get(code="astana-hub-2025")
    url = "/admin/policy/regimeperiod/add/"
    form = {"regime": astana.pk, "reference": "Law X, art. 2", "reference_ru": "", "reference_kk": ""}
    past = admin_client.post(url, form | {"starts_on": "2020-01-01", "source": "law", "reason": "x"})
    assert past.status_code == 200 and "Only a future date" in past.content.decode()
    future = (values.today() + timedelta(days=60)).isoformat()
    ok = admin_client.post(url, form | {"starts_on": future, "source": "law", "reason": "Law X adopted"})
    assert ok.status_code == 302
    assert values.regime_on(date.fromisoformat(future)) == "astana-hub-2025"
    assert RegimePeriod.objects.count() == 3


def test_an_empty_timeline_says_so(db):
    with pytest.raises(values.NoRegimeInForce):
        values.regime_on(date(2026, 1, 1))
    assert not ParameterValue.objects.exists()


COVERING_CASES = """
cases:
  - name: moderation deadline under the old law, regime named
    regime: pit-2014
    date: 2024-03-19
    formula: calendar.working_day_deadline
    inputs: {event_date: 2024-03-19, days_key: registry.moderation_days}
    expected: 2024-03-29
  - name: a failing case covers nothing
    regime: astana-hub-2025
    date: 2026-03-19
    formula: calendar.working_day_deadline
    inputs: {event_date: 2026-03-19, days_key: registry.moderation_days}
    expected: 2000-01-01
"""


def test_coverage_lists_every_regime_key_no_passing_case_reads(policy_loaded, tmp_path, capsys):
    from django.core.management import call_command

    case_file = tmp_path / "some.yaml"
    case_file.write_text(COVERING_CASES)
    with pytest.raises(SystemExit) as exc:
        call_command("policy", "test", "--coverage", str(case_file))
    assert exc.value.code == 1
    out = capsys.readouterr().out
    uncovered = {line.removeprefix("NO CASE ") for line in out.splitlines() if line.startswith("NO CASE ")}
    assert "pit-2014:registry.moderation_days" not in uncovered  # read by the passing case
    assert "astana-hub-2025:registry.moderation_days" in uncovered  # only a failing case read it
    assert "pit-2014:levy.rate" in uncovered
    known = set(ParameterValue.objects.values_list("regime__code", "key").distinct())
    assert len(uncovered) == len(known) - 1


def test_a_case_without_a_regime_reads_the_timeline(policy_loaded):
    from innocluster.core.policy import lawcases

    switch = _switch_day()
    case = {
        "name": "the day before the switch",
        "date": switch - timedelta(days=1),
        "formula": "calendar.working_day_deadline",
        "inputs": {"event_date": switch - timedelta(days=1), "days_key": "registry.moderation_days"},
        "expected": None,
    }
    result = lawcases.run_case("inline", case)
    assert result.reads == {("pit-2014", "registry.moderation_days")}
    result = lawcases.run_case("inline", case | {"date": switch})
    assert result.reads == {("astana-hub-2025", "registry.moderation_days")}
