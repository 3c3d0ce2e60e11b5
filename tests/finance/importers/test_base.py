"""The shared readers, the error's message, detection and dispatch."""

import io
from decimal import Decimal

import pytest

from innocluster.finance.importers.base import (
    StatementFormatError,
    detect,
    parse,
    parse_amount,
    parse_date,
)

from .helpers import FIXTURES, shape


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("-5,00", "-5.00"),
        ("+12", "12.00"),
        ("1\u00a0234\u00a0567,8", "1234567.80"),
        ("1\u202f000", "1000.00"),
        (" 0,1 ", "0.10"),
        ("0", "0.00"),
        ("9999999999999999,99", "9999999999999999.99"),  # the largest the ledger stores
    ],
)
def test_amounts_read(text, expected):
    value = parse_amount(text, "line 3", "amount")
    assert value == Decimal(expected)
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1,234.56",
        "1.234,56",
        "12,345",
        "1.005",
        "NaN",
        "inf",
        "-Infinity",
        "1e5",
        "12 34",
        "--5",
        "5-",
        ",5",
        "5,",
        "١٢٣",
        "10000000000000000,00",  # 10^16: more digits than the ledger stores
        "999999999999999999992000000,00",  # found by the fuzz test: beyond Decimal's precision
    ],
)
def test_amounts_refused_with_location_and_field(text):
    with pytest.raises(StatementFormatError) as caught:
        parse_amount(text, "line 7", "amount")
    assert caught.value.location == "line 7"
    assert caught.value.field == "amount"
    assert str(caught.value).startswith("line 7, field amount: ")


def test_unsigned_amount_refuses_a_sign():
    with pytest.raises(StatementFormatError):
        parse_amount("-5.00", "element Ntry[1]", "Amt", signed=False)


@pytest.mark.parametrize(("text", "expected"), [("2026-11-06", (2026, 11, 6)), ("06.11.2026", (2026, 11, 6))])
def test_dates_read(text, expected):
    assert parse_date(text, "line 1", "booked_on").timetuple()[:3] == expected


@pytest.mark.parametrize(
    "text", ["", "2026-02-30", "31.04.2026", "6.11.2026", "2026/11/06", "20261106", "06.11.26"]
)
def test_dates_refused(text):
    with pytest.raises(StatementFormatError) as caught:
        parse_date(text, "line 9", "booked_on")
    assert caught.value.location == "line 9"
    assert caught.value.field == "booked_on"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("halyk_two_statements.sta", "mt940"),
        ("kaspi_camt053_v02.xml", "camt053"),
        ("halyk_camt053_v08.xml", "camt053"),
        ("halyk_1c_standard_cp1251.txt", "1c"),
        ("kaspi_1c_kazakh_dialect.txt", "1c"),
        ("fund_statements.csv", "csv"),
    ],
)
def test_detect_each_fixture(name, fmt):
    head = (FIXTURES / name).read_bytes()[:4096]
    assert detect(head, name) == fmt
    assert detect(head) == fmt  # the content decides, not the name


def test_detect_mt940_without_header_block():
    assert detect(b":20:STMT1\r\n:25:KZ78601A861001234567\r\n") == "mt940"


def test_detect_refuses_other_files():
    for head in (b"", b"%PDF-1.7\n", b"<html><body></body></html>", b"PK\x03\x04", b"hello;world\n"):
        with pytest.raises(StatementFormatError):
            detect(head, "statement.pdf")


def test_detect_falls_back_on_the_extension():
    assert detect(b"garbage but named", "export.sta") == "mt940"


def test_auto_parse_reads_past_the_detection_head():
    """The head read for detection is replayed: a file longer than the head parses whole."""
    with (FIXTURES / "fund_statements.csv").open("rb") as stream:
        data = stream.read()
    padded = data + b"".join(
        f"KZ78601A861001234567;extra;2026-11-07;;{i},00;KZT;;;;;padding row {i};;;;;\r\n".encode()
        for i in range(1, 400)
    )
    assert len(padded) > 8192
    events = list(parse(io.BytesIO(padded)))
    assert shape(events) == "SLLLLE" + "SLE" + "S" + "L" * 399 + "E"


def test_unknown_format_name_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown statement format"):
        parse(io.BytesIO(b""), "ofx")


def test_error_message_without_location():
    assert str(StatementFormatError("broken")) == "broken"
    assert str(StatementFormatError("broken", location="element Stmt[2]")) == "element Stmt[2]: broken"


def test_a_place_in_the_file_reads_in_the_readers_language():
    from django.utils import translation

    from innocluster.finance.importers.base import Place, StatementFormatError

    error = StatementFormatError("x", location="line 20", field="Сумма")
    place = Place("element Stmt[2]/Ntry[5]")
    with translation.override("ru"):
        assert str(error) == "строка 20, поле Сумма: x"
        assert str(place) == "элемент Stmt[2]/Ntry[5]"
    with translation.override("kk"):
        assert str(error) == "20-жол, Сумма өрісі: x"
    with translation.override("en"):
        assert str(error) == "line 20, field Сумма: x"
    assert str(StatementFormatError("no place")) == "no place"
