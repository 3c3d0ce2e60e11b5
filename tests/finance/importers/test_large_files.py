"""Large generated statements parse completely, with balances that add up, in constant memory."""

import tracemalloc
from decimal import Decimal

import pytest

from innocluster.finance.importers import samples
from innocluster.finance.importers.base import FORMATS, StatementEnd, StatementLine, StatementStart, parse


def read(path, fmt="auto"):
    """Counts and checks as it goes, keeping nothing of the events."""
    lines = statements = 0
    keys_digest = 0
    balance = None
    with open(path, "rb") as stream:
        for event in parse(stream, fmt, str(path)):
            if isinstance(event, StatementStart):
                statements += 1
                balance = event.opening_balance
            elif isinstance(event, StatementLine):
                lines += 1
                balance += event.amount
                keys_digest ^= hash(event.key)
                assert event.key
            else:
                assert isinstance(event, StatementEnd)
                assert balance == event.closing_balance
    return lines, statements, keys_digest


@pytest.mark.parametrize("fmt", FORMATS)
def test_generated_files_are_valid(tmp_path, fmt):
    path = tmp_path / f"sample.{fmt}"
    samples.write_file(path, fmt, 1_200)
    lines, statements, _ = read(path)
    assert lines == 1_200
    assert statements == (3 if fmt == "mt940" else 1)  # MT940: statements of 500 lines


def test_generator_is_deterministic(tmp_path):
    for fmt in FORMATS:
        samples.write_file(tmp_path / "a", fmt, 50)
        samples.write_file(tmp_path / "b", fmt, 50)
        assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()


def test_movements_carry_kazakh_text_and_both_directions():
    movements = [samples.movement(i) for i in range(6)]
    assert {m["amount"] > 0 for m in movements} == {True, False}
    assert all(m["amount"] == m["amount"].quantize(Decimal("0.01")) for m in movements)
    assert any("ғылыми" in m["purpose"] for m in movements)


def traced_peak(path, fmt):
    tracemalloc.start()
    try:
        counts = read(path, fmt)
        return counts, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["csv", "camt053"])
def test_twenty_thousand_lines_in_constant_memory(tmp_path, fmt):
    small, large = tmp_path / f"small.{fmt}", tmp_path / f"large.{fmt}"
    samples.write_file(small, fmt, 2_000)
    samples.write_file(large, fmt, 20_000)
    assert large.stat().st_size > 4_000_000
    (_, _, _), small_peak = traced_peak(small, fmt)
    (lines, statements, _), peak = traced_peak(large, fmt)
    assert (lines, statements) == (20_000, 1)
    # The events are dropped as they come; what stays is one 8-byte digest per key (to number
    # identical lines and refuse a repeated reference, some 100 bytes a line with Python's set)
    # and the parsers' buffers, where holding a line's event or text would take kilobytes a line.
    assert peak < 20_000_000, f"peak {peak / 1e6:.1f} MB"
    per_line = (peak - small_peak) / 18_000
    assert per_line < 250, f"{small_peak / 1e6:.2f} MB, then {peak / 1e6:.2f} MB: {per_line:.0f} bytes a line"
