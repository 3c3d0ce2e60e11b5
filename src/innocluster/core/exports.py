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
from itertools import batched
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
_TRIGGERS = frozenset(FORMULA_TRIGGERS)
_LAST_TRIGGER = max(FORMULA_TRIGGERS)


def _neutralised(row: Sequence, text_columns: Sequence[int] | None) -> Sequence:
    if text_columns is None:
        return [safe_cell(cell) for cell in row]
    if any(is_risky(row[i]) for i in text_columns):
        return [safe_cell(cell) if i in text_columns else cell for i, cell in enumerate(row)]
    return row


def _chunk_is_plain(chunk: Sequence[Sequence], columns: Iterable[int]) -> bool:
    """Whether no cell of ``chunk``'s ``columns`` needs neutralising, found without a Python call
    per row. Every trigger sorts at or before ``@``: when a column's smallest non-empty cell
    begins after it, so do all the others (one ``min`` in C, the usual case for names). Otherwise
    the first characters of the column's non-empty cells are gathered in a set. A cell that is not
    text (a None, a number, a date) sends the chunk row by row."""
    try:
        for i in columns:
            if min(filter(None, map(itemgetter(i), chunk)), default="")[:1] > _LAST_TRIGGER:
                continue
            if not _TRIGGERS.isdisjoint(map(itemgetter(0), filter(None, map(itemgetter(i), chunk)))):
                return False
    except TypeError:
        return False
    return True


def _plain_csv(chunk: Sequence[Sequence], text_columns: Sequence[int] | None) -> str | None:
    """``chunk`` as the CSV text ``csv.writer`` would write, joined in C, when no cell needs quoting
    or neutralising; ``None`` otherwise (the caller then writes the chunk through ``csv.writer``).

    Every cell must be text and every row as wide (at least two cells: ``csv.writer`` quotes a
    lone empty cell). A cell needs quoting when it holds a delimiter, a quote or a line break: the
    chunk's text then has more commas or line-break characters than the rows' separators, or a quote.
    A cell needs neutralising when it starts with a formula trigger (:func:`_chunk_is_plain` on
    ``text_columns``, or on every column without them)."""
    width = len(chunk[0])
    if width < 2 or set(map(len, chunk)) != {width}:
        return None
    try:
        text = "\r\n".join(map(",".join, chunk))
    except TypeError:  # a None, a number or a date: csv.writer formats it
        return None
    rows = len(chunk)
    if (
        text.count(",") != (width - 1) * rows
        or text.count("\n") != rows - 1
        or text.count("\r") != rows - 1
        or '"' in text
    ):
        return None
    if not _chunk_is_plain(chunk, range(width) if text_columns is None else text_columns):
        return None
    return text + "\r\n"


def csv_chunks(
    header: Sequence[str], chunks: Iterable[Sequence[Sequence]], *, text_columns: Sequence[int] | None = None
) -> Iterator[str]:
    """The CSV file (a UTF-8 BOM, the header, the rows) from ``chunks`` of rows (lists of tuples,
    say as a cursor fetches them), one piece of text per chunk.

    Every cell is neutralised, unless the caller names its ``text_columns``: then only those are
    looked at (the caller vouches that the others are codes, numbers and dates it wrote itself).
    A chunk of text cells with nothing to quote or neutralise is joined in C (the common case,
    which keeps a 100,000-row export close to the raw query's speed); any other chunk goes through
    ``csv.writer``, row by row where a cell must be neutralised. The text is the same either way."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # the BOM makes Excel read UTF-8 (Cyrillic and Kazakh letters) correctly
    writer.writerow([safe_cell(cell) for cell in header])
    for chunk in chunks:
        if not chunk:
            continue
        text = _plain_csv(chunk, text_columns)
        if text is not None and not buffer.tell():
            yield text
            continue
        if text is not None:
            buffer.write(text)
        elif text_columns is not None and _chunk_is_plain(chunk, text_columns):
            writer.writerows(chunk)
        else:
            writer.writerows([_neutralised(row, text_columns) for row in chunk])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence], *, text_columns: Sequence[int] | None = None
) -> Iterator[str]:
    """The CSV file of :func:`csv_chunks` from rows, taken :data:`CHUNK` at a time."""
    return csv_chunks(header, batched(rows, CHUNK), text_columns=text_columns)


def csv_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence] = (),
    *,
    chunks: Iterable[Sequence[Sequence]] | None = None,
    text_columns: Sequence[int] | None = None,
) -> StreamingHttpResponse:
    """A streamed CSV download of ``rows``, or of ``chunks`` of rows: 100,000 rows need little memory."""
    lines = (
        csv_lines(header, rows, text_columns=text_columns)
        if chunks is None
        else csv_chunks(header, chunks, text_columns=text_columns)
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
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
