"""The Fund's CSV: two statements, comma decimals, NBSP thousands, an unknown column kept."""

from datetime import date
from decimal import Decimal

import pytest

from innocluster.finance.importers.base import StatementEnd, StatementFormatError, StatementStart

from .helpers import events_of, fixture_bytes, lines_of, read_fixture, shape

FILE = "fund_statements.csv"
HEADER = "account_iban;statement;booked_on;amount;currency;purpose;bank_reference;opening_balance;closing_balance\n"


@pytest.fixture(scope="module")
def events():
    return read_fixture(FILE)


def test_two_statements(events):
    assert shape(events) == "SLLLLE" + "SLE"
    assert events[0] == StatementStart(
        account_iban="KZ78601A861001234567",  # written with spaces in the file
        currency="KZT",
        number="2026-11-06",
        opening_date=None,
        opening_balance=Decimal("17244150.00"),
        closing_date=None,
        closing_balance=None,
        location="line 2",
    )
    assert events[5] == StatementEnd(None, Decimal("18740650.00"), "line 5")
    assert events[6].account_iban == "KZ18722S000012345678"
    assert events[6].opening_balance == Decimal("2346750.50")
    assert events[-1] == StatementEnd(None, Decimal("2596751.00"), "line 6")


def test_balances_add_up(events):
    total = events[0].opening_balance + sum(x.amount for x in lines_of(events[:6]))
    assert total == events[5].closing_balance


def test_line_values(events):
    first, charge, _, _, expert = lines_of(events)
    assert first.key == "csv:HB2611060001"
    assert first.amount == Decimal("1500000.00")
    assert first.counterparty_name == 'ТОО "Инновация Әлемі"'
    assert first.counterparty_id == "180540012343"
    assert first.counterparty_iban == "KZ18722S000012345678"
    assert first.counterparty_bic == "CASPKZKA"
    assert first.knp == "311"
    assert first.purpose == "Ерікті жарна, 2026 ж. қараша"
    assert first.raw["officer_note"] == "тексерілді"
    assert charge.amount == Decimal("-2500.00")
    assert charge.currency == "KZT"  # "kzt" in the file
    assert charge.booked_on == date(2026, 11, 6)  # 06.11.2026
    assert charge.value_on is None
    assert charge.purpose == "Комиссия банка; за ведение счета"  # quoted separator
    assert charge.knp == "840"
    assert expert.amount == Decimal("250000.50")
    assert expert.value_on == date(2026, 11, 5)
    assert expert.purpose == "Оплата услуг эксперта: ғылыми-техникалық сараптама, үш кезең, һ"


def test_keys(events):
    _, charge, fee1, fee2, _ = lines_of(events)
    assert charge.key.startswith("csv:sha256:") and charge.key.endswith(":1")
    assert fee1.key.rsplit(":", 1) == [fee2.key.rsplit(":", 1)[0], "1"]
    assert fee2.key.endswith(":2")
    keys = [x.key for x in lines_of(events)]
    assert keys == [x.key for x in lines_of(read_fixture(FILE))]
    assert len(set(keys)) == len(keys)


def test_hash_ignores_whitespace_in_purpose_and_account():
    a = HEADER + "KZ78601A861001234567;1;2026-11-06;-5,00;KZT;Комиссия  банка;;;\n"
    b = HEADER + "KZ78 601A 8610 0123 4567;1;06.11.2026;-5.00;KZT;Комиссия банка;;;\n"
    assert lines_of(events_of(a.encode(), "csv"))[0].key == lines_of(events_of(b.encode(), "csv"))[0].key


def test_columns_in_any_order_and_optional_ones_missing():
    data = "currency;amount;booked_on;statement;account_iban\nKZT;10;2026-11-06;s1;KZ78601A861001234567\n"
    events = events_of(data.encode(), "csv")
    assert shape(events) == "SLE"
    assert events[1].amount == Decimal("10.00")
    assert events[1].purpose == events[1].counterparty_id == ""


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("KZ78601A861001234567;1;2026-11-06;1,234.50;KZT;x;;;", "amount"),
        ("KZ78601A861001234567;1;2026-11-06;1.001;KZT;x;;;", "amount"),
        ("KZ78601A861001234567;1;2026-11-06;nan;KZT;x;;;", "amount"),
        ("KZ78601A861001234567;1;2026-13-06;1;KZT;x;;;", "booked_on"),
        ("KZ78601A861001234567;1;2026-11-06;1;тенге;x;;;", "currency"),
        (";1;2026-11-06;1;KZT;x;;;", "account_iban"),
        ("KZ78601A861001234567;1;2026-11-06;1;KZT;x;;abc;", "opening_balance"),
    ],
)
def test_bad_fields_name_line_and_field(row, field):
    data = HEADER + "KZ78601A861001234567;1;2026-11-06;1;KZT;ok;;;\n" + row + "\n"
    with pytest.raises(StatementFormatError) as caught:
        events_of(data.encode(), "csv")
    assert (caught.value.location, caught.value.field) == ("line 3", field)


def test_bad_counterparty_id_and_knp():
    header = "account_iban;statement;booked_on;amount;currency;counterparty_id;knp\n"
    with pytest.raises(StatementFormatError) as caught:
        events_of((header + "KZ1;1;2026-11-06;1;KZT;12345;311\n").encode(), "csv")
    assert caught.value.field == "counterparty_id"
    with pytest.raises(StatementFormatError) as caught:
        events_of((header + "KZ1;1;2026-11-06;1;KZT;;31\n").encode(), "csv")
    assert caught.value.field == "knp"


def test_balances_belong_on_first_and_last_rows():
    rows = "KZ1;1;2026-11-06;1;KZT;a;;5;\nKZ1;1;2026-11-06;1;KZT;b;;6;\n"
    with pytest.raises(StatementFormatError) as caught:
        events_of((HEADER + rows).encode(), "csv")
    assert (caught.value.location, caught.value.field) == ("line 3", "opening_balance")
    rows = "KZ1;1;2026-11-06;1;KZT;a;;;7\nKZ1;1;2026-11-06;1;KZT;b;;;8\n"
    with pytest.raises(StatementFormatError) as caught:
        events_of((HEADER + rows).encode(), "csv")
    assert caught.value.field == "closing_balance"


def test_currency_change_inside_a_statement():
    rows = "KZ1;1;2026-11-06;1;KZT;a;;;\nKZ1;1;2026-11-06;1;USD;b;;;\n"
    with pytest.raises(StatementFormatError) as caught:
        events_of((HEADER + rows).encode(), "csv")
    assert caught.value.field == "currency"


def test_multiline_quoted_purpose_keeps_line_numbers():
    rows = 'KZ1;1;2026-11-06;1;KZT;"две\nстроки";;;\nKZ1;1;2026-11-06;x;KZT;b;;;\n'
    events = []
    with pytest.raises(StatementFormatError) as caught:
        events.extend(events_of((HEADER + rows).encode(), "csv"))
    assert caught.value.location == "line 4"


@pytest.mark.parametrize(
    ("data", "location"),
    [
        (b"", "line 1"),
        (b"account_iban;amount\n", "line 1"),
        (b"account_iban;statement;booked_on;amount;currency;amount\n", "line 1"),
        (HEADER.encode(), "line 2"),
        ((HEADER + "KZ1;1;2026-11-06;1;KZT\n").encode(), "line 2"),
        ((HEADER + "KZ1;1;2026-11-06;1;KZT;\xff;;;\n").encode("latin-1"), "line 2"),
        ((HEADER + 'KZ1;1;2026-11-06;1;KZT;"unterminated;;;\n').encode(), "line 2"),
    ],
)
def test_garbled_files(data, location):
    with pytest.raises(StatementFormatError) as caught:
        events_of(data, "csv")
    assert caught.value.location == location


def test_truncated_file():
    data = fixture_bytes(FILE)
    cut = data[: data.index(b"KSP-5501")]
    with pytest.raises(StatementFormatError) as caught:
        events_of(cut, "csv")
    assert caught.value.location == "line 6"


def test_the_documented_example_reads():
    from pathlib import Path

    doc = Path(__file__).resolve().parents[3] / "docs" / "statements-csv.md"
    example = doc.read_text(encoding="utf-8").split("```\n")[1]
    events = events_of(example.encode(), "csv")
    assert shape(events) == "SLLE" + "SLE"
    assert (
        events[0].opening_balance + sum(x.amount for x in lines_of(events[:4])) == events[3].closing_balance
    )
    assert lines_of(events)[1].purpose == "Комиссия банка; за ведение счета"


def test_a_repeated_bank_reference_is_refused():
    rows = "KZ1;1;2026-11-06;1;KZT;a;R1;;\nKZ1;1;2026-11-06;2;KZT;b;R1;;\n"
    with pytest.raises(StatementFormatError) as caught:
        events_of((HEADER + rows).encode(), "csv")
    assert (caught.value.location, caught.value.field) == ("line 3", "bank_reference")
    # in another statement (an overlapping export) the same reference is the same movement
    rows = "KZ1;1;2026-11-06;1;KZT;a;R1;;\nKZ1;2;2026-11-06;1;KZT;a;R1;;\n"
    assert [x.key for x in lines_of(events_of((HEADER + rows).encode(), "csv"))] == ["csv:R1", "csv:R1"]
