"""The events every statement format is parsed into, the one error, and the shared field readers.

A parser reads a binary stream and yields, per statement, a :class:`StatementStart`, its
:class:`StatementLine` events and a :class:`StatementEnd`. Nothing here touches the database: the
finance app's commands consume the events (checking balances, storing lines by ``key``).

Any unreadable input ends the iteration with :class:`StatementFormatError`, whose message names
the line or element (and the field); no other exception escapes :func:`parse`.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from django.utils.translation import gettext

FORMATS = ("mt940", "camt053", "1c", "csv")


@dataclass(frozen=True, slots=True)
class StatementStart:
    account_iban: str  # the Fund's account (compact, upper case), "" if the file lacks it
    currency: str  # ISO 4217, e.g. "KZT"
    number: str  # statement id/number as the bank gives it ("" if none)
    opening_date: date | None
    opening_balance: Decimal | None  # signed, 2 places (credit balance positive)
    closing_date: date | None  # when the format gives it up front (camt), else None
    closing_balance: Decimal | None
    location: str  # "line 12" / "element Stmt[2]" — for error messages


@dataclass(frozen=True, slots=True)
class StatementLine:
    key: str  # idempotency key (never empty)
    booked_on: date
    value_on: date | None
    amount: Decimal  # signed, exactly 2 places: + money in (credit), - money out
    currency: str
    counterparty_name: str
    counterparty_id: str  # payer/payee BIN or IIN, 12 digits, or ""
    counterparty_iban: str  # compact, upper case, or ""
    counterparty_bic: str
    purpose: str  # payment purpose / narrative text (Cyrillic/Kazakh kept intact)
    knp: str  # КНП payment-purpose code (3 digits) or ""
    bank_reference: str
    is_reversal: bool  # a storno / RD / RC / camt RvslInd
    raw: Mapping[str, str]  # every source key/value kept (1C: all keys; others: what there is)
    location: str


@dataclass(frozen=True, slots=True)
class StatementEnd:
    closing_date: date | None
    closing_balance: Decimal | None
    location: str


Event = StatementStart | StatementLine | StatementEnd


_LINE_RE = re.compile(r"line ([0-9]+)")
_ELEMENT_RE = re.compile(r"element (.+)")


def place(location: str, field: str = "") -> str:
    """A place in a file as the parsers write it (``line 20``, ``element Stmt[2]/Ntry[5]``, and a
    field), in the reader's language: "20-жол", "строка 20"."""
    if match := _LINE_RE.fullmatch(location):
        where = gettext("line %(n)s") % {"n": match[1]}
    elif match := _ELEMENT_RE.fullmatch(location):
        where = gettext("element %(path)s") % {"path": match[1]}
    else:
        where = location
    if field:
        where = ", ".join(part for part in (where, gettext("field %(name)s") % {"name": field}) if part)
    return where


class Place:
    """:func:`place` worked out when shown, in the language of that moment (an error message is
    made during an import and read later)."""

    def __init__(self, location: str, field: str = ""):
        self.location, self.field = location, field

    def __str__(self) -> str:
        return place(self.location, self.field)


class StatementFormatError(Exception):
    """A file that cannot be read: message names the line or element (and field)."""

    def __init__(self, message: str, *, location: str = "", field: str = ""):
        self.message = message
        self.location = location
        self.field = field
        super().__init__(message)

    def __str__(self) -> str:
        where = place(self.location, self.field)
        return f"{where}: {self.message}" if where else str(self.message)


# --- field readers ---------------------------------------------------------------------------

CENT = Decimal("0.01")
# The ledger stores amounts in 18 digits with 2 places: anything from 10^16 tenge up is no amount.
LARGEST = Decimal(10) ** 16
_SPACES = "\u0020\u00a0\u202f\u2009"
# 1 234,56 / 1234.56 / -5,00 / +12 / 1 234 567 — groups of three after a space-like separator.
_AMOUNT_RE = re.compile(
    rf"[+-]?(?:[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})+|[0-9]+)(?:[.,][0-9]{{1,2}})?",
)
_ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DMY_DATE_RE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{4}")


def parse_amount(text: str, location: str, field: str, *, signed: bool = True) -> Decimal:
    """A money amount with comma or point decimals (at most two) and optional space/NBSP thousands
    separators, as a Decimal with exactly two places. Anything else is refused."""
    value = (text or "").strip()
    if not value:
        raise StatementFormatError("amount is missing", location=location, field=field)
    if not _AMOUNT_RE.fullmatch(value):
        raise StatementFormatError(f"not an amount: {value[:40]!r}", location=location, field=field)
    if not signed and value[0] in "+-":
        raise StatementFormatError(
            f"a sign is not allowed here: {value[:40]!r}", location=location, field=field
        )
    digits = value.replace(",", ".")
    for space in _SPACES:
        digits = digits.replace(space, "")
    try:
        amount = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise StatementFormatError(f"not an amount: {value[:40]!r}", location=location, field=field) from None
    if amount.copy_abs() >= LARGEST:
        raise StatementFormatError(
            f"amount too large (at most 16 digits before the decimal point): {value[:40]!r}",
            location=location,
            field=field,
        )
    return amount.quantize(CENT)


def parse_date(text: str, location: str, field: str) -> date:
    """A date as ISO ``YYYY-MM-DD`` or ``DD.MM.YYYY``."""
    value = (text or "").strip()
    try:
        if _ISO_DATE_RE.fullmatch(value):
            return date(int(value[:4]), int(value[5:7]), int(value[8:10]))
        if _DMY_DATE_RE.fullmatch(value):
            return date(int(value[6:10]), int(value[3:5]), int(value[:2]))
    except ValueError:
        raise StatementFormatError(f"no such date: {value!r}", location=location, field=field) from None
    if not value:
        raise StatementFormatError("date is missing", location=location, field=field)
    raise StatementFormatError(
        f"not a date (YYYY-MM-DD or DD.MM.YYYY): {value[:40]!r}", location=location, field=field
    )


def compact(text: str) -> str:
    """An account number or IBAN without spaces, upper case."""
    return re.sub(r"[\s\u00a0-]+", "", text or "").upper()


_BIN_RE = re.compile(r"[0-9]{12}")
_KNP_RE = re.compile(r"[0-9]{3}")


def bin_or_empty(text: str) -> str:
    """A 12-digit BIN/IIN, or "" when the text is not one."""
    value = (text or "").strip()
    return value if _BIN_RE.fullmatch(value) else ""


def knp_or_empty(text: str) -> str:
    value = (text or "").strip()
    return value if _KNP_RE.fullmatch(value) else ""


def content_key(prefix: str, *parts: object) -> str:
    """``<prefix>:sha256:<hex>`` of the parts joined by a unit separator."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode("utf-8")).hexdigest()
    return f"{prefix}:sha256:{digest}"


class Ordinals:
    """How many times a key has been seen (within one statement): the first time 1. Keeps an
    8-byte digest per key, not the key, in a set (about 60 bytes a line), and counts only keys
    seen more than once, so a large statement stays small in memory."""

    __slots__ = ("_repeated", "_seen")

    def __init__(self) -> None:
        self._seen: set[int] = set()
        self._repeated: dict[int, int] = {}

    def next(self, key: str) -> int:
        digest = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest())
        if digest not in self._seen:
            self._seen.add(digest)
            return 1
        count = self._repeated.get(digest, 1) + 1
        self._repeated[digest] = count
        return count


# --- detection and dispatch ------------------------------------------------------------------

_HEAD_SIZE = 4096
_EXTENSIONS = {
    ".sta": "mt940",
    ".mt940": "mt940",
    ".940": "mt940",
    ".fin": "mt940",
    ".xml": "camt053",
    ".053": "camt053",
    ".csv": "csv",
}


def detect(head: bytes, filename: str = "") -> str:
    """The format of a file from its first bytes (a few KB), the file name's extension breaking
    a tie: ``"mt940" | "camt053" | "1c" | "csv"``. Raises StatementFormatError if none fits."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"1CClientBankExchange"):
        return "1c"
    if text.startswith(b"<"):
        if b"camt.053" in text or b"BkToCstmrStmt" in text:
            return "camt053"
        raise StatementFormatError("an XML file that is not a camt.053 bank statement", location="line 1")
    if re.search(rb"(?m)^(?:\{1:|\{4:|:20:)|^:25:|\n:60[FM]:", text):
        return "mt940"
    first_line = text.split(b"\n", 1)[0]
    if b";" in first_line and b"amount" in first_line and b"booked_on" in first_line:
        return "csv"
    extension = filename[filename.rfind(".") :].lower() if "." in filename else ""
    if extension in _EXTENSIONS and text:
        return _EXTENSIONS[extension]
    raise StatementFormatError(
        "not a statement format we read (MT940, camt.053, 1C ClientBankExchange, CSV)", location="line 1"
    )


class _Prefixed(io.RawIOBase):
    """The bytes already read for detection, then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        if not data:
            return 0
        buffer[: len(data)] = data
        return len(data)


def parse(stream: BinaryIO, fmt: str = "auto", filename: str = "") -> Iterator[Event]:
    """The events of a statement file: per statement Start, its lines, End. ``fmt`` is one of
    ``FORMATS`` or ``"auto"`` (detected from the first bytes and the file name)."""
    if fmt == "auto":
        head = stream.read(_HEAD_SIZE)
        fmt = detect(head, filename)
        stream = io.BufferedReader(_Prefixed(head, stream))
    if fmt == "mt940":
        from . import mt940

        return mt940.parse(stream)
    if fmt == "camt053":
        from . import camt053

        return camt053.parse(stream)
    if fmt == "1c":
        from . import onec

        return onec.parse(stream)
    if fmt == "csv":
        from . import csvformat

        return csvformat.parse(stream)
    raise ValueError(f"unknown statement format {fmt!r}; one of {', '.join(FORMATS)} or 'auto'")
