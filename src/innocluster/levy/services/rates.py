"""The National Bank's exchange rates: one added by hand, a CSV (``date;currency;rate``) or the
Bank's daily XML (``rates_all``: ``<rss><channel><item><title>USD</title><description>470.50
</description><quant>1</quant><pubDate>17.11.2026</pubDate></item>…``; also the ``<rates><date>``
form of its ``get_rates`` service). XML is read safely: a DTD or entity is refused on the raw bytes
before the parser sees them. A rate already stored for a currency and day is kept (the same file
twice changes nothing); a different one for the same day is refused, naming the line."""

import datetime as dt
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from innocluster.core.audit.services import record_event
from innocluster.core.errors import lock_failures_as_domain_errors
from innocluster.finance.importers.base import StatementFormatError
from innocluster.finance.importers.safexml import NoDoctype
from innocluster.levy.errors import ImportRefused, LevyError
from innocluster.levy.models import ExchangeRate
from innocluster.levy.selectors import contracts as contract_selectors
from innocluster.levy.services.common import CellError, acting, parse_date, parse_decimal, rows

CURRENCY_RE = re.compile(r"[A-Z]{3}")
RATE_PLACES = Decimal("0.000001")


@dataclass
class RatesSummary:
    file_name: str
    format: str
    rates: int = 0
    added: int = 0
    known: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _clean(currency: str, rate) -> tuple[str, Decimal]:
    code = (currency or "").strip().upper()
    if not CURRENCY_RE.fullmatch(code) or code == "KZT":
        raise CellError(
            _("currency: %(value)s is not an ISO 4217 code of a foreign currency") % {"value": currency}
        )
    value = Decimal(rate)
    if not value.is_finite() or value <= 0:
        raise CellError(_("rate: a rate is above zero: %(value)s") % {"value": rate})
    if value != value.quantize(RATE_PLACES):
        raise CellError(_("rate: at most 6 decimal places: %(value)s") % {"value": rate})
    return code, value


def _store(currency: str, day: dt.date, rate: Decimal, source: str, by) -> bool:
    """True when added; False when the same rate is already there; refuses a different one."""
    existing = ExchangeRate.objects.filter(currency=currency, date=day).first()
    if existing is not None:
        if existing.rate != rate:
            raise CellError(
                _("%(currency)s on %(date)s is already %(stored)s; a rate once stored is not changed")
                % {"currency": currency, "date": day.isoformat(), "stored": existing.rate}
            )
        return False
    row = ExchangeRate.objects.create(currency=currency, date=day, rate=rate, source=source[:200])
    record_event(
        action="levy.rate.added",
        actor=by,
        obj=row,
        changes={
            "currency": [None, currency],
            "date": [None, day],
            "rate": [None, rate],
            "source": [None, source],
        },
    )
    return True


@lock_failures_as_domain_errors()
def add_rate(*, currency: str, date: dt.date, rate, source: str = "", by=None) -> ExchangeRate:
    """Enter one official rate (tenge per one unit)."""
    acting(by, "levy.rates.manage")
    if isinstance(rate, float):
        raise LevyError(_("rate: write rates as text, never as floating-point numbers."))
    try:
        code, value = _clean(currency, rate)
        with transaction.atomic():
            _store(code, date, value, source or _("entered by hand"), by)
    except CellError as exc:
        raise LevyError(str(exc), code="rate") from None
    return ExchangeRate.objects.get(currency=code, date=date)


def _csv(stream: BinaryIO, file_name: str):
    for line, row in rows(stream, file_name):
        where = _("line %(n)s") % {"n": line}
        try:
            missing = [c for c in ("date", "currency", "rate") if not (row.get(c) or "").strip()]
            if missing:
                raise CellError(_("%(columns)s: required") % {"columns": ", ".join(missing)})
            day = parse_date(row["date"])
            code, value = _clean(row["currency"], parse_decimal(row["rate"]))
        except CellError as exc:
            yield where, exc
            continue
        yield where, (code, day, value)


def _xml_date(text: str) -> dt.date:
    value = (text or "").strip()
    try:
        return parse_date(value)
    except CellError:
        pass
    try:
        return parsedate_to_datetime(value).date()  # RFC 822, as RSS writes pubDate
    except (TypeError, ValueError, IndexError):
        raise CellError(_("not a date: %(value)s") % {"value": value[:40]}) from None


def _xml(stream: BinaryIO):
    from lxml import etree

    parser_events = etree.iterparse(
        NoDoctype(stream),
        events=("end",),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    day_of_file: dt.date | None = None
    pending: list = []
    try:
        for _event, element in parser_events:
            tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
            if tag in ("date", "pubDate") and element.getparent() is not None:
                parent = etree.QName(element.getparent()).localname
                if parent in ("rates", "channel"):
                    try:
                        day_of_file = _xml_date(element.text or "")
                    except CellError as exc:
                        yield f"<{tag}> (line {element.sourceline})", exc
            if tag != "item":
                continue
            where = _("item at line %(n)s") % {"n": element.sourceline}
            fields = {
                etree.QName(child).localname: (child.text or "").strip()
                for child in element
                if isinstance(child.tag, str)
            }
            element.clear()
            try:
                day = _xml_date(fields["pubDate"]) if fields.get("pubDate") else None
                quant = parse_decimal(fields.get("quant") or "1")
                if quant <= 0:
                    raise CellError(_("quant: above zero: %(value)s") % {"value": fields.get("quant")})
                price = parse_decimal(fields.get("description", ""))
                code, value = _clean(fields.get("title", ""), (price / quant).quantize(RATE_PLACES))
            except CellError as exc:
                yield where, exc
                continue
            if day is None:
                pending.append((where, code, value))
            else:
                yield where, (code, day, value)
    except StatementFormatError as exc:
        yield exc.location or "", CellError(exc.message)
        return
    except etree.XMLSyntaxError as exc:
        yield (
            _("line %(n)s") % {"n": exc.lineno},
            CellError(_("not well-formed XML: %(error)s") % {"error": exc.msg}),
        )
        return
    for where, code, value in pending:
        if day_of_file is None:
            yield where, CellError(_("no date in the item or the file"))
        else:
            yield where, (code, day_of_file, value)


def _format(stream: BinaryIO, file_name: str) -> str:
    head = stream.read(512)
    stream.seek(0)
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return "xml" if stripped.startswith(b"<") or file_name.lower().endswith(".xml") else "csv"


@lock_failures_as_domain_errors()
def import_rates(stream: BinaryIO, *, file_name: str = "", by=None, source: str = "") -> RatesSummary:
    """Import a rates file (CSV ``date;currency;rate`` or the National Bank's XML). Every line's
    problem is reported at once; nothing is written unless the whole file is right."""
    acting(by, "levy.rates.manage")
    fmt = _format(stream, file_name)
    summary = RatesSummary(file_name=file_name, format=fmt)
    read = _xml(stream) if fmt == "xml" else _csv(stream, file_name)
    origin = source or (_("National Bank file %(name)s") % {"name": file_name})
    errors: list[str] = []
    seen: dict[tuple[str, dt.date], Decimal] = {}
    with transaction.atomic():
        for where, found in read:
            if isinstance(found, CellError):
                errors.append(f"{where}: {found}")
                continue
            code, day, value = found
            summary.rates += 1
            if seen.setdefault((code, day), value) != value:
                errors.append(
                    f"{where}: "
                    + _("%(currency)s on %(date)s appears twice with different rates")
                    % {"currency": code, "date": day.isoformat()}
                )
                continue
            try:
                if _store(code, day, value, origin, by):
                    summary.added += 1
                else:
                    summary.known += 1
            except CellError as exc:
                errors.append(f"{where}: {exc}")
        if not summary.rates and not errors:
            errors.append(_("the file holds no rates"))
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportRefused(errors)
    return summary


def rate_on(currency: str, day: dt.date) -> ExchangeRate:
    """The stored rate of ``currency`` on ``day`` exactly, or a refusal saying to enter it."""
    row = contract_selectors.rate_on(currency, day)
    if row is None:
        raise LevyError(
            _(
                "rate_date: there is no National Bank rate of %(currency)s on %(date)s; "
                "enter it or import the Bank's file for that day first."
            ),
            params={"currency": currency.upper(), "date": day.isoformat()},
            code="no_exchange_rate",
        )
    return row
