"""What the levy's services share: who acts, reading tabular files (CSV or XLSX) row by row with
their line numbers, and parsing their cells with messages that name the line and the column."""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.errors import DomainError


class CellError(Exception):
    """One cell's problem; the importer adds the line and gathers them all."""


def acting(by, action: str) -> None:
    """A signed-in user must hold ``action``; ``None`` is the system (the CLI, a scheduled run)."""
    if by is not None and getattr(by, "is_authenticated", False):
        require(by, action)


def user_or_none(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def is_xlsx(head: bytes, file_name: str) -> bool:
    return file_name.lower().endswith(".xlsx") or head.startswith(b"PK\x03\x04")


def rows(stream: BinaryIO, file_name: str = "") -> Iterator[tuple[int, dict[str, str]]]:
    """``(line number, {column: text})`` for each data row of a CSV (``;`` or ``,``, UTF-8) or of
    the first sheet of an XLSX; the header row names the columns (lower-cased, trimmed); blank rows
    are skipped. Raises :class:`DomainError` for a file that is neither."""
    head = stream.read(4)
    stream.seek(0)
    if is_xlsx(head, file_name):
        yield from _xlsx_rows(stream)
    else:
        yield from _csv_rows(stream)


def _header(cells) -> list[str]:
    return [str(c or "").strip().lower().lstrip("\ufeff") for c in cells]


def _csv_rows(stream: BinaryIO) -> Iterator[tuple[int, dict[str, str]]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError:
        raise DomainError(_("The file is not UTF-8 text: save it as CSV UTF-8 or as XLSX.")) from None
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    header = _header(next(csv.reader([first], delimiter=delimiter), []))
    reader = csv.reader(text, delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            yield (
                number,
                {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)},
            )
    except UnicodeDecodeError:
        raise DomainError(_("The file is not UTF-8 text: save it as CSV UTF-8 or as XLSX.")) from None
    finally:
        text.detach()


def _xlsx_rows(stream: BinaryIO) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise DomainError(_("The file is not a readable XLSX workbook.")) from None
    try:
        sheet = book.worksheets[0]
        iterator = sheet.iter_rows(values_only=True)
        header = _header(next(iterator, ()))
        for number, cells in enumerate(iterator, start=2):
            values = [_cell_text(c) for c in cells]
            if not any(values):
                continue
            yield number, {name: (values[i] if i < len(values) else "") for i, name in enumerate(header)}
    finally:
        book.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # A spreadsheet keeps numbers as floats: a whole number loses its ".0", others go through
        # repr (the shortest text of the float), so 0.6 stays "0.6".
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_DMY = re.compile(r"\d{2}\.\d{2}\.\d{4}")


def parse_date(text: str) -> dt.date:
    value = (text or "").strip()
    try:
        if _ISO.fullmatch(value):
            return dt.date.fromisoformat(value)
        if _DMY.fullmatch(value):
            return dt.date(int(value[6:]), int(value[3:5]), int(value[:2]))
    except ValueError:
        raise CellError(_("there is no such date: %(value)s") % {"value": value}) from None
    raise CellError(_("not a date (YYYY-MM-DD or DD.MM.YYYY): %(value)s") % {"value": value[:40]})


def parse_decimal(text: str) -> Decimal:
    value = (
        (text or "").strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    )
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise CellError(_("not a number: %(value)s") % {"value": text[:40]}) from None
    if not number.is_finite():
        raise CellError(_("not a number: %(value)s") % {"value": text[:40]})
    return number
