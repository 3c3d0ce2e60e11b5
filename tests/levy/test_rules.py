"""The levy's arithmetic and its law cases: what ``innocluster policy test`` runs."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from innocluster.core.policy import lawcases
from innocluster.levy import rules

D = Decimal
CASES = Path(rules.__file__).parent / "lawcases"


def test_every_levy_law_case_passes(policy_loaded):
    results = lawcases.run([CASES])
    assert len(results) >= 15
    failed = [(r.name, r.expected, r.actual) for r in results if not r.passed]
    assert not failed, failed


def test_policy_test_runs_the_levy_cases(policy_loaded, capsys):
    call_command("policy", "test", str(CASES))
    out = capsys.readouterr().out
    assert "a joint contract split in three" in out and "law cases passed" in out


def test_half_a_tiyn_rounds_up_once():
    assert rules.obligation_amount(D("50.50"), D("0.01")) == D("0.51")
    assert rules.obligation_amount(D("50.49"), D("0.01")) == D("0.50")
    assert rules.obligation_amount(D("123.45"), None) == D("0.00")


def test_the_rate_in_force_on_1_january():
    history = [(dt.date(2014, 6, 10), "0.01"), (dt.date(2027, 7, 1), "0.015")]
    assert rules.rate_in_force(history, rules.rate_day(2027)) == D("0.01")
    assert rules.rate_in_force(history, rules.rate_day(2028)) == D("0.015")
    with pytest.raises(LookupError):
        rules.rate_in_force(history, rules.rate_day(2014))


def test_a_split_refuses_shares_that_are_not_whole():
    with pytest.raises(ValueError):
        rules.split_by_shares(D("10.00"), [D("0.5"), D("0.4")])
    with pytest.raises(ValueError):
        rules.split_by_shares(D("10.005"), [D("1")])


shares = st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=7)


@given(total_tiyn=st.integers(min_value=0, max_value=10**15), weights=shares)
def test_a_split_always_sums_to_the_whole_and_each_part_is_within_a_tiyn(total_tiyn, weights):
    total = D(total_tiyn).scaleb(-2)
    # Shares with six decimals summing exactly to 1: the last one takes what is left.
    whole = sum(weights)
    parts = [(D(w) / D(whole)).quantize(D("0.000001"), rounding="ROUND_DOWN") for w in weights[:-1]]
    parts.append(D(1) - sum(parts, D(0)))
    if parts[-1] <= 0:
        return
    split = rules.split_by_shares(total, parts)
    assert sum(split, D(0)) == total
    assert all(abs(p - total * s) < D("0.01") for p, s in zip(split, parts, strict=True))
    assert all(p >= 0 and p == p.quantize(D("0.01")) for p in split)


def test_carry_forward_uses_credits_oldest_first_and_never_an_expired_one():
    credits = [
        {"year": 2024, "amount": D("5.00"), "until": dt.date(2025, 12, 31)},
        {"year": 2025, "amount": D("4.00"), "until": dt.date(2026, 12, 31)},
        {"year": 2026, "amount": D("9.00"), "until": dt.date(2027, 12, 31)},
    ]
    remaining, used = rules.apply_carry_forward(2026, D("10.00"), credits)
    assert remaining == D("6.00") and used == [D("0"), D("4.00"), D("0")]


def test_a_null_carry_forward_term_means_no_last_day():
    assert rules.carry_forward_until(2025, None) is None
    assert rules.carry_forward_until(2025, 0) == dt.date(2025, 12, 31)
    assert rules.carry_forward_until(2025, 2) == dt.date(2027, 12, 31)


def test_a_credit_without_a_last_day_settles_any_later_obligation_but_never_an_earlier_one():
    credits = [{"year": 2020, "amount": D("5.00"), "until": None}]
    assert rules.apply_carry_forward(2035, D("3.00"), credits) == (D("0.00"), [D("3.00")])
    assert rules.apply_carry_forward(2020, D("3.00"), credits) == (D("3.00"), [D("0")])
    capped = [{"year": 2020, "amount": D("5.00"), "until": dt.date(2021, 12, 31)}]
    assert rules.apply_carry_forward(2035, D("3.00"), capped) == (D("3.00"), [D("0")])
