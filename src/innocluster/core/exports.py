"""The one writer of CSV and XLSX files the project hands out, safe to open in a spreadsheet.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula (and some
also after a leading tab or carriage return), so an organisation named ``=HYPERLINK("http://…")``
in the public register would become a live link or worse in the reader's Excel ("CSV
injection"). Every export goes through here, and every **text** cell that begins with one of
those characters is neutralised:

* in CSV it is prefixed with an apostrophe ``'`` (the OWASP recipe: the spreadsheet shows the
  text, the apostrophe tells a reader it was escaped);
* in XLSX it is written as a string with Excel's hidden "quote prefix" style, so the cell shows
  exactly the text and stays text even when edited, and xlsxwriter's own conversion of strings
  to formulas, URLs and numbers is switched off.

Numbers (``int``, ``float``, ``Decimal``) are never touched: ``-1500.00`` stays a negative number,
in CSV as ``-1500.00`` and in XLSX as a numeric cell. Only ``str`` values are neutralised, so a
column meant to be numeric must be exported as a number, not as preformatted text.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from operator import itemgetter

from django.http import StreamingHttpResponse
from django.utils import timezone

# The first characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value) -> bool:
    """Whether ``value`` is text a spreadsheet would run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def safe_cell(value):
    """``value`` as a CSV cell: risky text prefixed with ``'``, anything else unchanged."""
    return "'" + value if is_risky(value) else value


CHUNK = 2000

# A cell of a chunk's text column beginning with a trigger: the column's cells are joined, each
# after a newline, and the text is searched for a newline followed by a trigger (a few substring
# searches in C). A cell holding a newline followed by a trigger is a false alarm, which only
# sends the chunk down the row-by-row path; a risky cell is never missed.
_RISKY_AFTER_NEWLINE = tuple("\n" + trigger for trigger in FORMULA_TRIGGERS)


def _neutralised(row: Sequence, text_columns: Sequence[int] | None) -> Sequence:
    if text_columns is None:
        return [safe_cell(cell) for cell in row]
    if any(is_risky(row[i]) for i in text_columns):
        return [safe_cell(cell) if i in text_columns else cell for i, cell in enumerate(row)]
    return row


def _chunk_is_plain(chunk: list[Sequence], text_columns: Sequence[int]) -> bool:
    """Whether no text cell of ``chunk`` needs neutralising, found without a Python call per row
    when the text columns hold strings (anything else is looked at row by row)."""
    try:
        for i in text_columns:
            joined = "\n" + "\n".join(map(itemgetter(i), chunk))
            if any(marker in joined for marker in _RISKY_AFTER_NEWLINE):
                return False
    except TypeError:  # a None or a number in a text column
        return False
    return True


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence], *, text_columns: Sequence[int] | None = None
) -> Iterator[str]:
    """The CSV file (a UTF-8 BOM, the header, the rows) in chunks of :data:`CHUNK` rows, so
    ``csv.writer`` formats a whole chunk in C and the response makes one write per chunk.

    Every cell is neutralised, unless the caller names its ``text_columns``: then only those are
    looked at (the caller vouches that the others are codes, numbers and dates it wrote itself),
    a chunk at a time, and a chunk with nothing to neutralise goes to ``csv.writer`` as it is,
    which keeps a 100,000-row export close to the raw query's speed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # the BOM makes Excel read UTF-8 (Cyrillic and Kazakh letters) correctly
    writer.writerow([safe_cell(cell) for cell in header])
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK)):
        if text_columns is not None and _chunk_is_plain(chunk, text_columns):
            writer.writerows(chunk)
        else:
            writer.writerows([_neutralised(row, text_columns) for row in chunk])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def csv_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    text_columns: Sequence[int] | None = None,
) -> StreamingHttpResponse:
    """A streamed CSV download: 100,000 rows need little memory."""
    response = StreamingHttpResponse(
        csv_lines(header, rows, text_columns=text_columns), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], *, sheet: str = "Sheet1") -> bytes:
    """An XLSX workbook of one sheet: a bold header, then the rows; text is always text, numbers
    and dates keep their type (dates shown as ``dd.mm.yyyy``, amounts as ``#,##0.00``)."""
    import xlsxwriter  # only the exports need it

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    day = workbook.add_format({"num_format": "dd.mm.yyyy"})
    amount = workbook.add_format({"num_format": "#,##0.00"})
    worksheet = workbook.add_worksheet(sheet[:31])
    for column, title in enumerate(header):
        worksheet.write_string(0, column, str(title), bold)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, bool):
                worksheet.write_boolean(number, column, value)
            elif isinstance(value, Decimal):
                worksheet.write_number(number, column, float(value), amount)
            elif isinstance(value, int | float):
                worksheet.write_number(number, column, value)
            elif isinstance(value, datetime):
                local = timezone.localtime(value) if timezone.is_aware(value) else value
                worksheet.write_datetime(number, column, local.replace(tzinfo=None), day)
            elif isinstance(value, date):
                worksheet.write_datetime(number, column, datetime(value.year, value.month, value.day), day)
            elif is_risky(value):
                worksheet.write_string(number, column, value, quoted)
            else:
                worksheet.write_string(number, column, str(value))
    workbook.close()
    return buffer.getvalue()
