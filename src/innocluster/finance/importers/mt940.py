"""SWIFT MT940 customer statements, read with the ``mt-940`` library.

A file may hold several statements, each from its ``:20:`` to its closing ``:62F:``/``:62M:``, and
each possibly wrapped in bank header blocks (``{1:...}{2:...}{4:`` ... ``-}``). The file is read
line by line and split by statement first; each statement's text alone is handed to the library
(which parses whatever it is given as one stream of transactions), so memory holds one statement.

Idempotency key of a line::

    mt940:<account>:<reference>:<booked date>:<signed amount>:<n>

``reference`` is the ``:61:`` bank reference (after ``//``), else the customer reference, ``NONREF``
counting as none. ``n`` is the line's ordinal among the lines of the same statement that share
everything before it (1 for the first such line, 2 for an identical second payment...). It is not
the line's position in the statement, so a re-issued statement with an extra line elsewhere (an
intermediate ``:62M:`` and the day's final ``:62F:``) keeps the keys of the lines both contain; the
same file read twice gives the same keys, and two identical payments on one day still differ.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import BinaryIO

import mt940 as mt940_library

from .base import (
    CENT,
    Event,
    Ordinals,
    StatementEnd,
    StatementFormatError,
    StatementLine,
    StatementStart,
    compact,
)

OPTIONS = mt940_library.Options(
    reversal_sign=True,  # RC is money out, like the debit it is
    case_insensitive_marks=True,
    unbounded_details=True,
    strip_bom=True,
)

# The library logs every tag it cannot match at ERROR level, with the tag's text: counterparties'
# names and IINs in the server log for each malformed upload. StatementFormatError reports the
# place instead, so the library's own logger stays quiet unless the deployment configured it.
_library_logger = logging.getLogger("mt940")
if _library_logger.level == logging.NOTSET:
    _library_logger.setLevel(logging.CRITICAL)

_TAG_RE = re.compile(r"^:(?P<tag>[0-9]{2}[A-Z]?|NS):")
_HEADER_RE = re.compile(r"^(?:\{[1-3]:(?:[^{}]|\{[^{}]*\})*\})*\{4:")
_NO_REFERENCE = {"", "NONREF"}
_IBAN_RE = re.compile(r"KZ[0-9]{2}[A-Z0-9]{16}")
_LABELLED_BIN_RE = re.compile(
    r"(?:/(?:BIN|IIN|IDN|BINIIN)/|\b(?:BIN|IIN)\b|(?<![А-ЯЁӘҒҚҢӨҰҮҺІа-яёәғқңөұүһі])(?:БИН|ИИН|БСН|ЖСН))"
    r"[\s:=№/-]*(?P<bin>[0-9]{12})(?![0-9])",
    re.IGNORECASE,
)
_ANY_BIN_RE = re.compile(r"(?<![0-9A-Z])[0-9]{12}(?![0-9A-Z])")
_KNP_RE = re.compile(
    r"(?:/KNP/|\bKNP\b|(?<![А-ЯЁӘҒҚҢӨҰҮҺІа-яёәғқңөұүһі])(?:КНП|ҚНП|ТМК))[\s:=№/-]*(?P<knp>[0-9]{3})(?![0-9])",
    re.IGNORECASE,
)
_NAME_RE = re.compile(r"/NAME/(?P<name>[^/\n]+)")
_BIC_RE = re.compile(r"(?:/BIC/|\bBIC\b|БИК)[\s:=/-]*(?P<bic>[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b")


def _decoded_lines(stream: BinaryIO) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(stream, 1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp1251")
            except UnicodeDecodeError:
                raise StatementFormatError(
                    "neither UTF-8 nor Windows-1251 text", location=f"line {number}"
                ) from None
        yield number, text.rstrip("\r\n")


def _statements(stream: BinaryIO) -> Iterator[list[tuple[int, str]]]:
    """Each statement's lines (number, text), header and trailer blocks removed."""
    current: list[tuple[int, str]] | None = None
    last = 0
    for number, line in _decoded_lines(stream):
        last = number
        if "\x00" in line:
            raise StatementFormatError("binary data in a text file", location=f"line {number}")
        if line.startswith("{"):
            if line.startswith("{5:"):
                continue  # trailer block (checksums)
            header = _HEADER_RE.match(line)
            if not header:
                raise StatementFormatError("unreadable SWIFT header block", location=f"line {number}")
            line = line[header.end() :]
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("-}") or stripped == "-":
            if current is not None:
                yield _complete(current, number)
                current = None
            continue
        if line.startswith(":20:"):
            if current is not None:
                yield _complete(current, number)
            current = [(number, line)]
        elif current is None:
            if stripped == ":940:":
                continue  # some banks put the message type before the first statement
            raise StatementFormatError("text outside a statement (expected :20:)", location=f"line {number}")
        else:
            current.append((number, line))
    if current is not None:
        yield _complete(current, last)
    elif last == 0:
        raise StatementFormatError("the file is empty", location="line 1")


def _complete(lines: list[tuple[int, str]], end_line: int) -> list[tuple[int, str]]:
    if not any(text.startswith((":62F:", ":62M:")) for _, text in lines):
        raise StatementFormatError(
            f"the statement starting at line {lines[0][0]} has no closing balance (:62F:/:62M:);"
            " the file may be truncated",
            location=f"line {end_line}",
            field=":62F:",
        )
    return lines


def _tags(lines: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """(line number, tag, value) of each tag, continuation lines joined with newlines."""
    tags: list[tuple[int, str, list[str]]] = []
    for number, text in lines:
        match = _TAG_RE.match(text)
        if match:
            tags.append((number, match.group("tag"), [text[match.end() :]]))
        elif tags:
            tags[-1][2].append(text)
    return [(number, tag, "\n".join(value).strip()) for number, tag, value in tags]


def _plain_date(value) -> date:
    return date(value.year, value.month, value.day)


def _money(amount, location: str, field: str) -> Decimal:
    value = Decimal(amount)
    if not value.is_finite() or value.as_tuple().exponent < -2:
        raise StatementFormatError(
            f"not an amount with at most 2 decimals: {amount}", location=location, field=field
        )
    return value.quantize(CENT)


def _account(value: str) -> str:
    text = compact(value)
    iban = _IBAN_RE.search(text)
    if iban:
        return iban.group(0)
    return text.rsplit("/", 1)[-1]


def _reference(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value.upper() in _NO_REFERENCE else value


def narrative_details(text: str, own_account: str = "") -> dict[str, str]:
    """BIN/IIN, IBAN, КНП, name and BIC recognisable in an ``:86:`` narrative ("" when not)."""
    upper = text.upper()
    ibans = [iban for iban in _IBAN_RE.findall(compact(text)) if iban != own_account]
    without_ibans = _IBAN_RE.sub(" ", upper)
    labelled = _LABELLED_BIN_RE.search(without_ibans)
    if labelled:
        bin_iin = labelled.group("bin")
    else:
        found = set(_ANY_BIN_RE.findall(without_ibans))
        bin_iin = found.pop() if len(found) == 1 else ""
    knp = _KNP_RE.search(text)
    name = _NAME_RE.search(text)
    bic = _BIC_RE.search(upper)
    return {
        "counterparty_id": bin_iin,
        "counterparty_iban": ibans[0] if ibans else "",
        "knp": knp.group("knp") if knp else "",
        "counterparty_name": name.group("name").strip() if name else "",
        "counterparty_bic": bic.group("bic") if bic else "",
    }


def _library_error(error: Exception, tags: list[tuple[int, str, str]], start: int) -> StatementFormatError:
    """The library's failure located on the tag that causes it (each tag is tried alone)."""
    for number, name, value in tags:
        try:
            mt940_library.models.Transactions(options=OPTIONS).parse(f":{name}:{value}")
        except Exception as tag_error:  # the library raises RuntimeError, decimal errors...
            detail = (
                "not in the tag's format" if isinstance(tag_error, RuntimeError) else type(tag_error).__name__
            )
            return StatementFormatError(
                f"unreadable :{name}: value {value[:60]!r} ({detail})",
                location=f"line {number}",
                field=f":{name}:",
            )
    return StatementFormatError(f"unreadable statement ({type(error).__name__})", location=f"line {start}")


def _statement_events(lines: list[tuple[int, str]]) -> Iterator[Event]:
    start = lines[0][0]
    tags = _tags(lines)
    text = "\n".join(line for _, line in lines)
    transactions = mt940_library.models.Transactions(options=OPTIONS)
    try:
        transactions.parse(text)
    except Exception as error:  # the library raises RuntimeError, ValueError, decimal errors...
        raise _library_error(error, tags, start) from None
    data = transactions.data
    where = f"line {start}"

    def tag_line(*names: str) -> str:
        for number, name, _ in tags:
            if name in names:
                return f"line {number}"
        return where

    account_value = next((value for _, name, value in tags if name == "25"), None)
    if not account_value:
        raise StatementFormatError("the statement has no account (:25:)", location=where, field=":25:")
    account = _account(account_value)
    opening = (
        data.get("final_opening_balance")
        or data.get("intermediate_opening_balance")
        or data.get("opening_balance")
    )
    closing = (
        data.get("final_closing_balance")
        or data.get("intermediate_closing_balance")
        or data.get("closing_balance")
    )
    if opening is None:
        raise StatementFormatError(
            "the statement has no opening balance (:60F:/:60M:)", location=where, field=":60F:"
        )
    if closing is None:  # pragma: no cover - _complete checked for the tag
        raise StatementFormatError("the statement has no closing balance", location=where, field=":62F:")
    currency = (opening.amount.currency or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise StatementFormatError(
            f"not a currency: {currency!r}", location=tag_line("60F", "60M", "60"), field=":60F:"
        )
    number = next((value for _, name, value in tags if name == "28C"), "") or str(
        data.get("transaction_reference") or ""
    )
    yield StatementStart(
        account_iban=account,
        currency=currency,
        number=number.strip(),
        opening_date=_plain_date(opening.date),
        opening_balance=_money(opening.amount.amount, tag_line("60F", "60M", "60"), ":60F:"),
        closing_date=None,
        closing_balance=None,
        location=where,
    )

    # Pair each :61: with the :86: that follows it (before the next :61:), from our own reading of
    # the tags: the library's :86: handling applies German ?-subfield rules to the text.
    statement_tags: list[tuple[int, str, str]] = []
    awaiting_details = False
    for number, name, value in tags:
        if name == "61":
            statement_tags.append((number, value, ""))
            awaiting_details = True
        elif name == "86" and awaiting_details:
            line_number, value61, _ = statement_tags[-1]
            statement_tags[-1] = (line_number, value61, value)
            awaiting_details = False
        else:
            awaiting_details = False
    if len(statement_tags) != len(transactions.transactions):
        raise StatementFormatError(
            "a :61: line could not be told apart from the one before it (transaction type code missing?)",
            location=where,
            field=":61:",
        )
    ordinals = Ordinals()
    for (line_number, value61, details), transaction in zip(
        statement_tags, transactions.transactions, strict=True
    ):
        location = f"line {line_number}"
        tx = transaction.data
        amount = _money(tx["amount"].amount, location, ":61:")
        value_on = _plain_date(tx["date"])
        entry = tx.get("entry_date")
        booked_on = _plain_date(entry) if entry else value_on
        status = str(tx.get("status") or "").upper()
        bank_reference = _reference(tx.get("bank_reference"))
        customer_reference = _reference(tx.get("customer_reference"))
        reference = bank_reference or customer_reference
        prefix = f"mt940:{account}:{reference}:{booked_on.isoformat()}:{amount}"
        found = narrative_details(details, account)
        raw = {
            ":61:": value61,
            ":86:": details,
            "status": status,
            "type": str(tx.get("id") or ""),
            "customer_reference": customer_reference,
            "bank_reference": bank_reference,
            "extra_details": str(tx.get("extra_details") or ""),
        }
        yield StatementLine(
            key=f"{prefix}:{ordinals.next(prefix)}",
            booked_on=booked_on,
            value_on=value_on,
            amount=amount,
            currency=currency,
            purpose=details,
            bank_reference=bank_reference or customer_reference,
            is_reversal=status.startswith("R"),
            raw=raw,
            location=location,
            **found,
        )
    yield StatementEnd(
        closing_date=_plain_date(closing.date),
        closing_balance=_money(closing.amount.amount, tag_line("62F", "62M", "62"), ":62F:"),
        location=tag_line("62F", "62M", "62"),
    )


def parse(stream: BinaryIO) -> Iterator[Event]:
    for lines in _statements(stream):
        yield from _statement_events(lines)
