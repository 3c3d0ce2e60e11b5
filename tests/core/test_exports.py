"""The shared export writer: text a spreadsheet would run as a formula is neutralised in CSV and
XLSX; numbers, dates and ordinary text keep their value and type."""

import csv
import io
import re
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from innocluster.core import exports

RISKY = ["=1+1", "+1", "-1", "@SUM(A1)", "\tTAB", "\rCR", '=HYPERLINK("http://x";"y")']


@pytest.mark.parametrize("text", RISKY)
def test_risky_text_is_prefixed_with_an_apostrophe(text):
    assert exports.safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["ТОО «Альфа»", "", "a=b", "1-2", Decimal("-1500.00"), -7, -0.5, None])
def test_everything_else_is_unchanged(value):
    assert exports.safe_cell(value) == value


def test_csv_lines_neutralise_text_and_keep_negative_numbers():
    text = "".join(exports.csv_lines(["name", "amount"], [["=cmd|' /C calc'!A0", Decimal("-1500.00")]]))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["name", "amount"], ["'=cmd|' /C calc'!A0", "-1500.00"]]


@pytest.mark.parametrize("risky", RISKY)
def test_csv_lines_with_text_columns_find_a_risky_cell_anywhere_in_a_chunk(risky, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 4)
    rows = [("1", "plain", "-3"), ("2", "two\nlines =x", "-4"), ("3", risky, "-5"), ("4", None, "=6")]
    rows += [("5", "=late", 7), ("6", "ok", None)]
    text = "".join(exports.csv_lines(["n", "name", "code"], rows, text_columns=(1,)))
    parsed = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    # Only the text column is neutralised; the other columns are the caller's codes, untouched.
    assert [row[1] for row in parsed[1:]] == ["plain", "two\nlines =x", "'" + risky, "", "'=late", "ok"]
    assert [row[2] for row in parsed[1:]] == ["-3", "-4", "-5", "=6", "7", ""]


def test_csv_response_streams_an_attachment():
    response = exports.csv_response("x.csv", ["a"], [["@b"]])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert b"".join(response.streaming_content).decode() == "\ufeffa\r\n'@b\r\n"


def test_xlsx_writes_risky_text_as_quoted_text_and_numbers_as_numbers():
    data = exports.xlsx_bytes(
        ["name", "amount", "day"],
        [["=HYPERLINK(1)", Decimal("-1500.50"), date(2026, 1, 2)], ["ТОО", -3, None]],
    )
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
        styles = book.read("xl/styles.xml").decode()
    assert "<f>" not in sheet  # no formula anywhere
    assert "=HYPERLINK(1)" in strings
    assert 'quotePrefix="1"' in styles
    assert re.search(r'<c r="B2"[^>]*><v>-1500.5</v></c>', sheet)
    assert re.search(r'<c r="B3"[^>]*><v>-3</v></c>', sheet)
    assert re.search(r'<c r="C2"[^>]*><v>46024</v></c>', sheet)  # 2 January 2026 as a date serial
