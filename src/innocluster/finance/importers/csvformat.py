"""The Fund's own statement CSV (docs/statements-csv.md): ``;``-separated UTF-8 with a header row.

Required columns: ``account_iban``, ``statement``, ``booked_on``, ``amount``, ``currency``; the
others of :data:`COLUMNS` are optional, in any order; unknown columns are kept in ``raw``. A
statement is a run of consecutive rows with the same ``account_iban`` and ``statement``; its
``opening_balance`` is written on its first row and its ``closing_balance`` on its last row (either
may be empty; a balance repeated on other rows must be the same).

Idempotency key: ``csv:<bank_reference>`` when the row has one (a reference repeated within a
statement is refused: the second row would be taken for the first); otherwise
``csv:sha256:<hex>:<n>``, the hash of the normalised account, booking date, amount, counterparty id
and purpose, and ``n`` the row's ordinal among identical rows of its statement.

The file is read row by row (the csv module over a line-by-line UTF-8 decoder), never whole.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import BinaryIO

from .base import (
    Event,
    Ordinals,
    StatementEnd,
    StatementFormatError,
    StatementLine,
    StatementStart,
    bin_or_empty,
    compact,
    content_key,
    knp_or_empty,
    parse_amount,
    parse_date,
)

COLUMNS = (
    "account_iban",
    "statement",
    "booked_on",
    "value_on",
    "amount",
    "currency",
    "counterparty_name",
    "counterparty_id",
    "counterparty_iban",
    "counterparty_bic",
    "purpose",
    "knp",
    "bank_reference",
    "opening_balance",
    "closing_balance",
)
REQUIRED = ("account_iban", "statement", "booked_on", "amount", "currency")
_CURRENCY_RE = re.compile(r"[A-Z]{3}")


class _Run:
    """The statement being read: its first row's values and the balances seen so far."""

    def __init__(self, account: str, number: str, currency: str, location: str):
        self.account = account
        self.number = number
        self.currency = currency
        self.location = location
        self.opening: Decimal | None = None
        self.closing: Decimal | None = None
        self.closing_location = location
        self.last_location = location
        self.ordinals = Ordinals()


def _balance(row: dict[str, str], name: str, location: str) -> Decimal | None:
    value = row.get(name, "").strip()
    return parse_amount(value, location, name) if value else None


def _text_lines(stream: BinaryIO) -> Iterator[str]:
    """The file's lines as text: a line-by-line UTF-8 wrapper, so a decoding error names its line."""
    for number, raw in enumerate(stream, 1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise StatementFormatError("not UTF-8 text", location=f"line {number}") from None


def _rows(stream: BinaryIO) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(_text_lines(stream), delimiter=";", quotechar='"', strict=True)
    line = 1
    try:
        header = next(reader, None)
        if header is None:
            raise StatementFormatError("the file is empty", location="line 1")
        names = [name.strip() for name in header]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise StatementFormatError(
                f"repeated column {duplicates[0]!r}", location="line 1", field=duplicates[0]
            )
        missing = [name for name in REQUIRED if name not in names]
        if missing:
            raise StatementFormatError(
                f"the header lacks the column(s) {', '.join(missing)}", location="line 1", field=missing[0]
            )
        line = reader.line_num + 1
        for values in reader:
            if not any(value.strip() for value in values):
                line = reader.line_num + 1
                continue
            if len(values) != len(names):
                raise StatementFormatError(
                    f"{len(values)} fields where the header has {len(names)}", location=f"line {line}"
                )
            yield line, dict(zip(names, values, strict=True))
            line = reader.line_num + 1
    except csv.Error as error:
        raise StatementFormatError(f"unreadable CSV ({error})", location=f"line {line}") from None


def _start(run: _Run) -> StatementStart:
    return StatementStart(
        account_iban=run.account,
        currency=run.currency,
        number=run.number,
        opening_date=None,
        opening_balance=run.opening,
        closing_date=None,
        closing_balance=None,
        location=run.location,
    )


def _end(run: _Run) -> StatementEnd:
    return StatementEnd(closing_date=None, closing_balance=run.closing, location=run.closing_location)


def parse(stream: BinaryIO) -> Iterator[Event]:
    run: _Run | None = None
    for line, row in _rows(stream):
        location = f"line {line}"
        account = compact(row["account_iban"])
        number = row["statement"].strip()
        currency = row["currency"].strip().upper()
        if not _CURRENCY_RE.fullmatch(currency):
            raise StatementFormatError(
                f"not a currency: {currency[:10]!r}", location=location, field="currency"
            )
        if not account:
            raise StatementFormatError("the account is missing", location=location, field="account_iban")
        if run is None or (run.account, run.number) != (account, number):
            if run is not None:
                yield _end(run)
            run = _Run(account, number, currency, location)
            run.opening = _balance(row, "opening_balance", location)
            yield _start(run)
        else:
            if currency != run.currency:
                raise StatementFormatError(
                    f"currency {currency} in a {run.currency} statement", location=location, field="currency"
                )
            opening = _balance(row, "opening_balance", location)
            if opening is not None and opening != run.opening:
                raise StatementFormatError(
                    "the opening balance belongs on the statement's first row",
                    location=location,
                    field="opening_balance",
                )
        closing = _balance(row, "closing_balance", location)
        if closing is not None:
            if run.closing is not None and closing != run.closing:
                raise StatementFormatError(
                    f"a second, different closing balance (first {run.closing} at {run.closing_location})",
                    location=location,
                    field="closing_balance",
                )
            run.closing, run.closing_location = closing, location
        run.last_location = location

        booked_on = parse_date(row["booked_on"], location, "booked_on")
        value_text = row.get("value_on", "").strip()
        value_on = parse_date(value_text, location, "value_on") if value_text else None
        amount = parse_amount(row["amount"], location, "amount")
        counterparty_id_text = row.get("counterparty_id", "").strip()
        counterparty_id = bin_or_empty(counterparty_id_text)
        if counterparty_id_text and not counterparty_id:
            raise StatementFormatError(
                f"not a 12-digit BIN/IIN: {counterparty_id_text[:20]!r}",
                location=location,
                field="counterparty_id",
            )
        knp_text = row.get("knp", "").strip()
        knp = knp_or_empty(knp_text)
        if knp_text and not knp:
            raise StatementFormatError(
                f"not a 3-digit КНП: {knp_text[:10]!r}", location=location, field="knp"
            )
        purpose = row.get("purpose", "").strip()
        reference = row.get("bank_reference", "").strip()
        if reference:
            key = f"csv:{reference}"
            if run.ordinals.next(key) > 1:  # the second row would be taken for the first and dropped
                raise StatementFormatError(
                    f"bank_reference {reference[:40]!r} repeats an earlier row of the statement",
                    location=location,
                    field="bank_reference",
                )
        else:
            base_key = content_key(
                "csv", account, booked_on.isoformat(), amount, counterparty_id, " ".join(purpose.split())
            )
            key = f"{base_key}:{run.ordinals.next(base_key)}"
        yield StatementLine(
            key=key,
            booked_on=booked_on,
            value_on=value_on,
            amount=amount,
            currency=currency,
            counterparty_name=row.get("counterparty_name", "").strip(),
            counterparty_id=counterparty_id,
            counterparty_iban=compact(row.get("counterparty_iban", "")),
            counterparty_bic=compact(row.get("counterparty_bic", "")),
            purpose=purpose,
            knp=knp,
            bank_reference=reference,
            is_reversal=False,
            raw=row,
            location=location,
        )
    if run is None:
        raise StatementFormatError("the file has a header but no rows", location="line 2")
    yield _end(run)
