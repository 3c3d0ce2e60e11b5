"""1C ClientBankExchange statements (``1CClientBankExchange``), in both dialects seen in Kazakhstan.

The text is ``key=value`` lines in sections: a header, ``СекцияРасчСчет`` ... ``КонецРасчСчет``
(an account's balances for a day or a period), ``СекцияДокумент=<kind>`` ... ``КонецДокумента``
(one payment), ``КонецФайла``. Encoding Windows-1251 by default; ``Кодировка=DOS`` is cp866; a
UTF-8 byte-order mark (or the key itself written in UTF-8) means UTF-8.

Two dialects are read into the same line:

* the Russian standard: ``Сумма`` with the direction decided by whether ``ПолучательСчет`` or
  ``ПлательщикСчет`` is the statement's account; ``ПлательщикИНН``, ``Номер``, ``Дата``,
  ``ДатаПоступило``/``ДатаСписано``, ``НазначениеПлатежа``;
* the Kazakh banks' export (``СекцияДокумент=выписка``): ``СуммаПриход`` or ``СуммаРасход``,
  ``ПлательщикБИН_ИИН``/``ПолучательБИН_ИИН``, ``…ИИК``, ``…КБЕ``, ``…БанкБИК``,
  ``КодНазначенияПлатежа``/``КодНазПлатежа``, ``НомерДокумента``/``ДатаДокумента``/``ДатаОперации``.

Every key of a document is kept in ``raw``. Documents are grouped into one statement per account
of the file's ``СекцияРасчСчет`` sections (several daily sections of one account merge: the first
day's opening balance, the last day's closing balance); documents of one account must come
together. Currency is ``KZT`` unless a ``Валюта``/``КодВалюты`` key says otherwise.

Idempotency key: ``1c:<number>:<document date>:<signed amount>:<payer BIN/IIN or payer account>``;
a second identical document in the same statement gets ``:2`` appended (``:3``...), so two identical
payments differ and the same file read twice gives the same keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
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
    knp_or_empty,
    parse_amount,
    parse_date,
)

MAGIC = "1CClientBankExchange"
_ENCODING_KEY = "Кодировка"
_ENCODINGS = {"WINDOWS": "cp1251", "DOS": "cp866", "UTF-8": "utf-8", "UTF8": "utf-8"}
_CURRENCY_CODES = {"398": "KZT", "643": "RUB", "840": "USD", "978": "EUR", "156": "CNY"}
_HEADER_LIMIT = 200  # lines searched for Кодировка before the first section


def _first(record: dict[str, str], *keys: str) -> str:
    for key in keys:
        value = record.get(key, "").strip()
        if value:
            return value
    return ""


def _encoding(header: list[bytes], bom: bool) -> str:
    if bom:
        return "utf-8"
    for raw in header:
        for encoding in ("utf-8", "cp1251", "cp866"):
            prefix = f"{_ENCODING_KEY}=".encode(encoding)
            if raw.startswith(prefix):
                if encoding == "utf-8":
                    return "utf-8"
                value = raw[len(prefix) :].decode("ascii", "replace").strip().upper()
                return _ENCODINGS.get(value, "cp1251")
    return "cp1251"


def _lines(stream: BinaryIO) -> Iterator[tuple[int, str]]:
    """(number, text) of each line, decoded in the file's encoding."""
    lines = iter(stream)
    header: list[bytes] = []
    for raw in lines:
        header.append(raw)
        if len(header) >= _HEADER_LIMIT:
            break
        stripped = raw.strip()
        if any(stripped.startswith("Секция".encode(e)) for e in ("utf-8", "cp1251", "cp866")):
            break
    if not header:
        raise StatementFormatError("the file is empty", location="line 1")
    bom = header[0].startswith(b"\xef\xbb\xbf")
    if bom:
        header[0] = header[0][3:]
    encoding = _encoding(header, bom)

    def decode(number: int, raw: bytes) -> tuple[int, str]:
        try:
            return number, raw.decode(encoding).rstrip("\r\n")
        except UnicodeDecodeError:
            raise StatementFormatError(f"not {encoding} text", location=f"line {number}") from None

    number = 0
    for raw in header:
        number += 1
        yield decode(number, raw)
    for raw in lines:
        number += 1
        yield decode(number, raw)


@dataclass
class _Account:
    account: str
    location: str
    opening_date: date | None = None
    opening_balance: Decimal | None = None
    closing_date: date | None = None
    closing_balance: Decimal | None = None
    currency: str = ""


@dataclass
class _Record:
    kind: str
    start: int
    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, value: str, number: int) -> None:
        if key in self.values:  # a repeated key: keep every value
            self.values[key] = f"{self.values[key]}\n{value}"
        else:
            self.values[key] = value
            self.lines[key] = number

    def where(self, key: str) -> str:
        return f"line {self.lines.get(key, self.start)}"

    def amount(self, key: str, *, signed: bool = False) -> Decimal:
        return parse_amount(self.values.get(key, ""), self.where(key), key, signed=signed)

    def date(self, *keys: str) -> date | None:
        for key in keys:
            if self.values.get(key, "").strip():
                return parse_date(self.values[key], self.where(key), key)
        return None


def _currency(record: _Record) -> str:
    value = _first(record.values, "Валюта", "КодВалюты").upper()
    if not value:
        return ""
    value = _CURRENCY_CODES.get(value, value)
    if len(value) != 3 or not value.isalpha() or not value.isascii():
        raise StatementFormatError(
            f"not a currency: {value!r}", location=record.where("Валюта"), field="Валюта"
        )
    return value


class _Reader:
    def __init__(self) -> None:
        self.header: dict[str, str] = {}
        self.header_lines: dict[str, int] = {}
        self.accounts: dict[str, _Account] = {}
        self.header_accounts: list[str] = []
        self.current: _Account | None = None
        self.closed: set[str] = set()
        self.ordinals = Ordinals()

    # --- statements ---------------------------------------------------------------------------

    def account_section(self, record: _Record) -> None:
        account = compact(_first(record.values, "РасчСчет", "ИИК", "Счет"))
        if not account:
            raise StatementFormatError(
                "the account section names no account", location=record.where("РасчСчет"), field="РасчСчет"
            )
        info = self.accounts.setdefault(account, _Account(account, f"line {record.start}"))
        opening_date = record.date("ДатаНачала")
        closing_date = record.date("ДатаКонца")
        if record.values.get("НачальныйОстаток", "").strip() and (
            info.opening_date is None or (opening_date is not None and opening_date < info.opening_date)
        ):
            info.opening_balance = record.amount("НачальныйОстаток", signed=True)
            info.opening_date = opening_date
        if record.values.get("КонечныйОстаток", "").strip() and (
            info.closing_date is None or (closing_date is not None and closing_date >= info.closing_date)
        ):
            info.closing_balance = record.amount("КонечныйОстаток", signed=True)
            info.closing_date = closing_date
        info.currency = info.currency or _currency(record)

    def _start(self, info: _Account) -> StatementStart:
        self.current = info
        self.ordinals = Ordinals()
        return StatementStart(
            account_iban=info.account,
            currency=info.currency
            or _CURRENCY_CODES.get(self.header.get("КодВалюты", ""), "")
            or self.header.get("Валюта", "").strip().upper()
            or "KZT",
            number=self.header.get("НомерВыписки", "").strip(),
            opening_date=info.opening_date or self._header_date("ДатаНачала"),
            opening_balance=info.opening_balance,
            closing_date=info.closing_date,
            closing_balance=info.closing_balance,
            location=info.location,
        )

    def _header_date(self, key: str) -> date | None:
        value = self.header.get(key, "").strip()
        return parse_date(value, f"line {self.header_lines.get(key, 1)}", key) if value else None

    def _end(self) -> StatementEnd:
        info = self.current
        assert info is not None
        self.closed.add(info.account)
        self.current = None
        return StatementEnd(
            closing_date=info.closing_date or self._header_date("ДатаКонца"),
            closing_balance=info.closing_balance,
            location=info.location,
        )

    def _known(self, account: str) -> bool:
        return bool(account) and (account in self.accounts or account in self.header_accounts)

    def _info(self, account: str, location: str) -> _Account:
        return self.accounts.setdefault(account, _Account(account, location))

    # --- documents ----------------------------------------------------------------------------

    def document(self, record: _Record) -> Iterator[Event]:
        values = record.values
        location = f"line {record.start}"
        payer_account = compact(_first(values, "ПлательщикИИК", "ПлательщикСчет", "ПлательщикРасчСчет"))
        payee_account = compact(_first(values, "ПолучательИИК", "ПолучательСчет", "ПолучательРасчСчет"))
        kazakh = "СуммаПриход" in values or "СуммаРасход" in values

        # Which statement the document belongs to.
        current = self.current.account if self.current is not None else None
        if current is not None and current in (payer_account, payee_account):
            target = current
        else:
            touched = [a for a in (payee_account, payer_account) if self._known(a)]
            open_ones = [a for a in touched if a not in self.closed]
            if open_ones:
                target = open_ones[0]
            elif touched:
                raise StatementFormatError(
                    f"a document of account {touched[0]} after that account's other documents ended; "
                    "export one account per file or keep each account's documents together",
                    location=location,
                )
            elif not self.accounts and not self.header_accounts:
                target = ""
            elif kazakh and current is not None:
                target = current
            elif kazakh and len(self.accounts) + len(self.header_accounts) == 1:
                target = next(iter(self.accounts), None) or self.header_accounts[0]
            else:
                raise StatementFormatError(
                    "the document names none of the statement's accounts (ПлательщикСчет/ПолучательСчет)",
                    location=location,
                    field="ПолучательСчет",
                )
        if current != target:
            if self.current is not None:
                yield self._end()
            if target in self.closed:
                raise StatementFormatError(
                    f"a document of account {target or '(none)'} after that account's other documents ended",
                    location=location,
                )
            yield self._start(self._info(target, location))

        # Amount and direction.
        if kazakh:
            incoming = (
                record.amount("СуммаПриход") if values.get("СуммаПриход", "").strip() else Decimal("0.00")
            )
            outgoing = (
                record.amount("СуммаРасход") if values.get("СуммаРасход", "").strip() else Decimal("0.00")
            )
            if incoming and outgoing:
                raise StatementFormatError(
                    "both СуммаПриход and СуммаРасход are given",
                    location=record.where("СуммаРасход"),
                    field="СуммаРасход",
                )
            if not incoming and not outgoing:
                raise StatementFormatError(
                    "neither СуммаПриход nor СуммаРасход is given", location=location, field="СуммаПриход"
                )
            amount = incoming if incoming else -outgoing
        else:
            if not values.get("Сумма", "").strip():
                raise StatementFormatError("the document has no amount", location=location, field="Сумма")
            value = record.amount("Сумма")
            if target and target == payee_account:
                amount = value
            elif target and target == payer_account:
                amount = -value
            else:
                raise StatementFormatError(
                    "cannot tell money in from money out: neither ПлательщикСчет nor ПолучательСчет is the "
                    "statement's account",
                    location=location,
                    field="ПолучательСчет",
                )
        incoming_money = amount > 0
        side = "Плательщик" if incoming_money else "Получатель"

        number = _first(values, "Номер", "НомерДокумента")
        document_date = record.date("Дата", "ДатаДокумента")
        if incoming_money:
            booked_on = record.date("ДатаПоступило", "ДатаОперации", "Дата", "ДатаДокумента")
        else:
            booked_on = record.date("ДатаСписано", "ДатаОперации", "Дата", "ДатаДокумента")
        if booked_on is None:
            raise StatementFormatError("the document has no date", location=location, field="Дата")
        value_on = record.date("ДатаВалютирования")
        purpose = values.get("НазначениеПлатежа", "").strip() or "\n".join(
            values[f"НазначениеПлатежа{i}"].strip()
            for i in range(1, 7)
            if values.get(f"НазначениеПлатежа{i}", "").strip()
        )
        payer_id_raw = _first(values, "ПлательщикБИН_ИИН", "ПлательщикБИН", "ПлательщикИИН", "ПлательщикИНН")
        counterparty_id = bin_or_empty(
            _first(values, f"{side}БИН_ИИН", f"{side}БИН", f"{side}ИИН", f"{side}ИНН")
        )
        counterparty_account = payer_account if incoming_money else payee_account
        reversal_flag = values.get("Сторно", "").strip().lower() in ("1", "да", "true", "иә")
        prefix = (
            f"1c:{number}:{(document_date or booked_on).isoformat()}:{amount}:{payer_id_raw or payer_account}"
        )
        ordinal = self.ordinals.next(prefix)
        key = prefix if ordinal == 1 else f"{prefix}:{ordinal}"
        currency = _currency(record) or (self.current.currency if self.current else "") or "KZT"
        raw = {"СекцияДокумент": record.kind, **values}
        yield StatementLine(
            key=key,
            booked_on=booked_on,
            value_on=value_on,
            amount=amount,
            currency=currency,
            counterparty_name=_first(values, side, f"{side}1", f"{side}Наименование"),
            counterparty_id=counterparty_id,
            counterparty_iban=counterparty_account,
            counterparty_bic=compact(_first(values, f"{side}БанкБИК", f"{side}БИК", f"{side}Банк1БИК")),
            purpose=purpose,
            knp=knp_or_empty(_first(values, "КодНазПлатежа", "КодНазначенияПлатежа", "КНП")),
            bank_reference=_first(values, "Референс", "РеференсБанка") or number,
            is_reversal=reversal_flag or "сторно" in record.kind.lower(),
            raw=raw,
            location=location,
        )

    def finish(self) -> Iterator[Event]:
        if self.current is not None:
            yield self._end()
        for account, info in self.accounts.items():
            if account not in self.closed:
                yield self._start(info)
                yield self._end()


def parse(stream: BinaryIO) -> Iterator[Event]:
    reader = _Reader()
    record: _Record | None = None
    in_header = True
    seen_magic = False
    finished = False
    last = 0
    for number, line in _lines(stream):
        last = number
        text = line.strip()
        if not seen_magic:
            if not text:
                continue
            if text != MAGIC:
                raise StatementFormatError(f"the file does not start with {MAGIC}", location=f"line {number}")
            seen_magic = True
            continue
        if finished or not text:
            continue
        if "\x00" in text:
            raise StatementFormatError("binary data in a text file", location=f"line {number}")
        key, has_value, value = text.partition("=")
        key = key.strip()
        if key == "КонецФайла":
            if record is not None:
                raise StatementFormatError(
                    f"КонецФайла inside the section opened at line {record.start}", location=f"line {number}"
                )
            finished = True
            continue
        if key in ("СекцияРасчСчет", "СекцияДокумент"):
            if record is not None:
                raise StatementFormatError(
                    f"a new section before the end of the one opened at line {record.start}",
                    location=f"line {number}",
                )
            in_header = False
            record = _Record(kind=value.strip() if key == "СекцияДокумент" else key, start=number)
            continue
        if key == "КонецРасчСчет":
            if record is None or record.kind != "СекцияРасчСчет":
                raise StatementFormatError("КонецРасчСчет without СекцияРасчСчет", location=f"line {number}")
            reader.account_section(record)
            record = None
            continue
        if key == "КонецДокумента":
            if record is None or record.kind == "СекцияРасчСчет":
                raise StatementFormatError("КонецДокумента without СекцияДокумент", location=f"line {number}")
            yield from reader.document(record)
            record = None
            continue
        if not has_value or not key:
            raise StatementFormatError(f"not a key=value line: {text[:60]!r}", location=f"line {number}")
        if record is not None:
            record.add(key, value.strip(), number)
        elif in_header:
            if key == "РасчСчет":
                account = compact(value)
                if account and account not in reader.header_accounts:
                    reader.header_accounts.append(account)
            else:
                if key not in reader.header:
                    reader.header[key] = value.strip()
                    reader.header_lines[key] = number
        else:
            raise StatementFormatError(f"a key outside any section: {key[:40]!r}", location=f"line {number}")
    if not seen_magic:
        raise StatementFormatError("the file is empty", location="line 1")
    if not finished:
        where = f" (the section opened at line {record.start} is not closed)" if record is not None else ""
        raise StatementFormatError(
            f"the file ends without КонецФайла{where}; it may be truncated", location=f"line {last}"
        )
    yield from reader.finish()
