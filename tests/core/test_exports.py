"""The shared export writer: text a spreadsheet would run as a formula is neutralised in CSV and
XLSX; numbers, dates and ordinary text keep their value and type."""

import csv
import io
import re
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _written_by_csv_writer(header, rows, text_columns):
    """The reference: every row through ``csv.writer``, the cells neutralised one by one."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        columns = range(len(row)) if text_columns is None else text_columns
        writer.writerow([exports.safe_cell(c) if i in columns else c for i, c in enumerate(row)])
    return "\ufeff" + buffer.getvalue()


_cells = st.one_of(
    st.text(alphabet=st.sampled_from("ab Ж«»,\"\r\n=+-@\t'1"), max_size=6),
    st.sampled_from(["", "ТОО «Альфа»", "2025-01-02", "-", "a,b", 'say "hi"']),
    st.sampled_from([None, -7, Decimal("-1.50")]),
)


@settings(max_examples=300, deadline=None)
@given(
    width=st.integers(min_value=1, max_value=4),
    data=st.data(),
    text_columns=st.sampled_from([None, (0,), (1,), (0, 2)]),
    chunk=st.integers(min_value=1, max_value=5),
)
def test_csv_text_joined_in_c_is_what_csv_writer_writes(width, data, text_columns, chunk):
    rows = data.draw(st.lists(st.tuples(*[_cells] * width), max_size=12))
    columns = None if text_columns is None else tuple(i for i in text_columns if i < width)
    header = [f"c{i}" for i in range(width)]
    expected = _written_by_csv_writer(header, rows, columns)
    chunks = [rows[i : i + chunk] for i in range(0, len(rows), chunk)]
    assert "".join(exports.csv_chunks(header, chunks, text_columns=columns)) == expected


def test_csv_chunks_join_plain_chunks_and_write_the_others_through_csv_writer(monkeypatch):
    calls = []
    real = exports.csv.writer

    def spying_writer(buffer):
        writer = real(buffer)

        class Spy:
            def writerow(self, row):
                return writer.writerow(row)

            def writerows(self, rows):
                calls.append(len(rows))
                return writer.writerows(rows)

        return Spy()

    monkeypatch.setattr(exports.csv, "writer", spying_writer)
    plain = [("1", "ТОО «Альфа»", "2025-01-02"), ("2", "", "2025-01-03")]
    quoted = [("3", "Alpha, Beta", "2025-01-04")]
    risky = [("4", "=1+1", "2025-01-05")]
    text = "".join(exports.csv_chunks(["n", "name", "day"], [plain, quoted, risky, plain], text_columns=(1,)))
    assert calls == [1, 1]  # the plain chunks were joined, not written row by row
    assert text == (
        "\ufeffn,name,day\r\n1,ТОО «Альфа»,2025-01-02\r\n2,,2025-01-03\r\n"
        '3,"Alpha, Beta",2025-01-04\r\n4,\'=1+1,2025-01-05\r\n'
        "1,ТОО «Альфа»,2025-01-02\r\n2,,2025-01-03\r\n"
    )


def test_csv_response_streams_chunks():
    response = exports.csv_response(
        "x.csv", ["a", "b"], chunks=[[("1", "@b")], [("2", "c")]], text_columns=(1,)
    )
    assert b"".join(response.streaming_content).decode() == "\ufeffa,b\r\n1,'@b\r\n2,c\r\n"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_cells, _cells), min_size=1, max_size=8))
def test_a_chunk_found_plain_has_no_risky_cell(chunk):
    if exports._chunk_is_plain(chunk, (0, 1)):
        assert not any(exports.is_risky(cell) for row in chunk for cell in row)
    if all(isinstance(c, str) and c[:1] > "@" for row in chunk for c in row):
        assert exports._chunk_is_plain(chunk, (0, 1))  # the usual case: no set needed
