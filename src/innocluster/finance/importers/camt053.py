"""ISO 20022 camt.053 bank-to-customer statements, versions .001.02 to .001.08, read with lxml.

Elements are matched on their local name, so any ``urn:iso:std:iso:20022:tech:xsd:camt.053.001.0N``
namespace (or none) is read alike. The file is streamed with ``iterparse`` and every statement child
is dropped once read, so memory holds one entry at a time.

Security: the parser never resolves entities, loads a DTD or touches the network, and refuses any
``<!DOCTYPE`` (entity expansion "billion laughs", external entities) before it reaches the parser.

Idempotency key: ``camt:<AcctSvcrRef>`` of the entry (the bank's own unique reference; repeated
within a statement it is refused, not silently merged). An entry
that batches several ``TxDtls`` gives one line per transaction, keyed ``camt:<AcctSvcrRef>:<i>``
(i from 1, in document order). Without an ``AcctSvcrRef`` the key is a hash of the statement account,
booking date, signed amount, counterparty, references and purpose, plus the ordinal among identical
entries of the statement (``camt:sha256:<hex>``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

from lxml import etree

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
)
from .safexml import NoDoctype

_NAMESPACE_RE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.[0-9]{2}")
_CURRENCY_RE = re.compile(r"[A-Z]{3}")
_KNP_IN_TEXT_RE = re.compile(r"(?:/KNP/|\bKNP\b|КНП|ТМК)[\s:=№/-]*([0-9]{3})(?![0-9])", re.IGNORECASE)


def _local(element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


# An element read to its end is turned into nested dicts in one C-level pass over its descendants
# (local name -> [child nodes], "#" -> text, "@Ccy" -> an amount's currency), then dropped: the
# lookups below are plain dict reads, several times faster than asking lxml for each child.
Node = dict


def _node(element) -> Node:
    root: Node = {"#": element.text, "@Ccy": element.get("Ccy")}
    nodes = {element: root}
    for descendant in element.iterdescendants():
        tag = descendant.tag
        if not isinstance(tag, str):  # pragma: no cover - comments and PIs are removed by the parser
            continue
        name = tag[tag.rfind("}") + 1 :]
        node: Node = {"#": descendant.text}
        if name == "Amt":
            node["@Ccy"] = descendant.get("Ccy")
        nodes[descendant] = node
        nodes[descendant.getparent()].setdefault(name, []).append(node)
    return root


def _child(node: Node | None, *path: str) -> Node | None:
    """The first descendant along ``path`` of local names, or None."""
    for name in path:
        if node is None:
            return None
        children = node.get(name)
        node = children[0] if children else None
    return node


def _children(node: Node | None, name: str) -> list[Node]:
    return node.get(name, []) if node is not None else []


def _text(node: Node | None, *path: str) -> str:
    found = _child(node, *path)
    if found is None or not found["#"]:
        return ""
    return found["#"].strip()


def _texts(node: Node, *names: str) -> Iterator[str]:
    """The texts of every descendant with one of ``names``, in document order by name."""
    for name, children in node.items():
        if name[0] in "#@":
            continue
        for child in children:
            if name in names and child["#"] and child["#"].strip():
                yield child["#"].strip()
            yield from _texts(child, *names)


def _date(element, location: str, field: str) -> date | None:
    """A ``Dt`` or ``DtTm`` child as a date (the date part as the bank wrote it)."""
    if element is None:
        return None
    text = _text(element, "Dt") or _text(element, "DtTm")
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise StatementFormatError(f"not a date: {text[:40]!r}", location=location, field=field) from None


def _amount(element, location: str, field: str) -> tuple[Decimal, str]:
    """An unsigned ``Amt`` with its ``Ccy``."""
    if element is None or not (element["#"] or "").strip():
        raise StatementFormatError("amount is missing", location=location, field=field)
    text = element["#"].strip()
    if "," in text or " " in text:
        raise StatementFormatError(
            f"not an XML decimal amount: {text[:40]!r}", location=location, field=field
        )
    amount = parse_amount(text, location, field, signed=False)
    currency = (element.get("@Ccy") or "").strip().upper()
    if not _CURRENCY_RE.fullmatch(currency):
        raise StatementFormatError(f"not a currency: {currency!r}", location=location, field=f"{field}/@Ccy")
    return amount, currency


def _sign(element, location: str, field: str = "CdtDbtInd") -> int:
    indicator = _text(element, "CdtDbtInd")
    if indicator == "CRDT":
        return 1
    if indicator == "DBIT":
        return -1
    raise StatementFormatError(f"not CRDT or DBIT: {indicator[:20]!r}", location=location, field=field)


def _party_id(party) -> str:
    """BIN (OrgId/Othr/Id) or IIN (PrvtId/Othr/Id) of a Dbtr/Cdtr, in .02 or .08 layout."""
    if party is None:
        return ""
    holder = _child(party, "Pty") if _child(party, "Pty") is not None else party
    for kind in ("OrgId", "PrvtId"):
        identification = _child(holder, "Id", kind)
        if identification is None:
            continue
        for other in _children(identification, "Othr"):
            found = bin_or_empty(_text(other, "Id"))
            if found:
                return found
    return ""


def _party_name(party) -> str:
    if party is None:
        return ""
    return _text(party, "Nm") or _text(party, "Pty", "Nm")


def _account_id(account) -> str:
    if account is None:
        return ""
    return compact(_text(account, "Id", "IBAN") or _text(account, "Id", "Othr", "Id"))


def _agent_bic(agent) -> str:
    if agent is None:
        return ""
    return compact(_text(agent, "FinInstnId", "BICFI") or _text(agent, "FinInstnId", "BIC"))


class _Statement:
    """What is known of the current ``Stmt`` before its entries."""

    def __init__(self, index: int):
        self.index = index
        self.location = f"element Stmt[{index}]"
        self.number = ""
        self.account = ""
        self.currency = ""
        self.opening: tuple[date | None, Decimal] | None = None
        self.previous_closing: tuple[date | None, Decimal] | None = None
        self.closing: tuple[date | None, Decimal] | None = None
        self.started = False
        self.entries = 0
        self.ordinals = Ordinals()

    def start(self) -> StatementStart:
        self.started = True
        opening = self.opening or self.previous_closing
        if not self.currency:
            raise StatementFormatError(
                "the statement names no currency (Acct/Ccy, a balance or an entry)",
                location=self.location,
                field="Acct/Ccy",
            )
        return StatementStart(
            account_iban=self.account,
            currency=self.currency,
            number=self.number,
            opening_date=opening[0] if opening else None,
            opening_balance=opening[1] if opening else None,
            closing_date=self.closing[0] if self.closing else None,
            closing_balance=self.closing[1] if self.closing else None,
            location=self.location,
        )

    def balance(self, element, position: int) -> None:
        location = f"{self.location}/Bal[{position}]"
        code = _text(element, "Tp", "CdOrPrtry", "Cd") or _text(element, "Tp", "CdOrPrtry", "Prtry")
        if code not in ("OPBD", "PRCD", "CLBD"):
            return
        amount, currency = _amount(_child(element, "Amt"), location, "Amt")
        value = (_date(_child(element, "Dt"), location, "Dt"), amount * _sign(element, location))
        if not self.currency:
            self.currency = currency
        if code == "OPBD":
            self.opening = value
        elif code == "PRCD":
            self.previous_closing = value
        else:
            self.closing = value


def _remittance(holder) -> str:
    information = _child(holder, "RmtInf")
    if information is None:
        return ""
    parts = [child["#"].strip() for child in _children(information, "Ustrd") if (child["#"] or "").strip()]
    for structured in _children(information, "Strd"):
        parts.extend(_texts(structured, "Ref", "AddtlRmtInf"))
    return " ".join(parts)


def _knp(holder, purpose: str) -> str:
    for path in (("Purp", "Prtry"), ("Purp", "Cd")):
        found = knp_or_empty(_text(holder, *path))
        if found:
            return found
    match = _KNP_IN_TEXT_RE.search(purpose)
    return match.group(1) if match else ""


def _entry_lines(entry, statement: _Statement, position: int) -> Iterator[StatementLine]:
    location = f"{statement.location}/Ntry[{position}]"
    entry_amount, currency = _amount(_child(entry, "Amt"), location, "Amt")
    entry_sign = _sign(entry, location)
    reversal = _text(entry, "RvslInd").lower() in ("true", "1")
    booked_on = _date(_child(entry, "BookgDt"), location, "BookgDt")
    value_on = _date(_child(entry, "ValDt"), location, "ValDt")
    if booked_on is None:
        booked_on = value_on
    if booked_on is None:
        raise StatementFormatError("the entry has no booking date", location=location, field="BookgDt")
    reference = _text(entry, "AcctSvcrRef")
    details = [
        tx for entry_details in _children(entry, "NtryDtls") for tx in _children(entry_details, "TxDtls")
    ]
    amounts: list[tuple[Decimal, int] | None] = []
    for index, tx in enumerate(details, 1):
        tx_location = f"{location}/TxDtls[{index}]"
        amount_element = _child(tx, "Amt")
        if amount_element is None:
            amount_element = _child(tx, "AmtDtls", "TxAmt", "Amt")
        if amount_element is None:
            amounts.append(None)
            continue
        amount, tx_currency = _amount(amount_element, tx_location, "Amt")
        sign = _sign(tx, tx_location) if _child(tx, "CdtDbtInd") is not None else entry_sign
        amounts.append((amount, sign) if tx_currency == currency else None)
    split = len(details) > 1 and all(amounts)
    if split:
        total = sum(amount * sign for amount, sign in amounts)  # type: ignore[misc]
        if total != entry_amount * entry_sign:
            raise StatementFormatError(
                f"the transactions of the batch add up to {total}, the entry says {entry_amount * entry_sign}",
                location=location,
                field="TxDtls/Amt",
            )
        parts = [(f"{location}/TxDtls[{i}]", tx, amounts[i - 1]) for i, tx in enumerate(details, 1)]
    else:
        parts = [(location, details[0] if details else None, (entry_amount, entry_sign))]
    for index, (part_location, tx, (amount, sign)) in enumerate(parts, 1):  # type: ignore[misc]
        signed = amount * sign
        holder = tx if tx is not None else entry
        counterparty_role = "Dbtr" if signed > 0 or (signed == 0 and sign > 0) else "Cdtr"
        parties = _child(holder, "RltdPties")
        agents = _child(holder, "RltdAgts")
        party = _child(parties, counterparty_role) if parties is not None else None
        account = _child(parties, f"{counterparty_role}Acct") if parties is not None else None
        agent = _child(agents, f"{counterparty_role}Agt") if agents is not None else None
        purpose = _remittance(holder) or (_remittance(entry) if tx is not None else "")
        if not purpose:
            purpose = _text(holder, "AddtlTxInf") or _text(entry, "AddtlNtryInf")
        tx_reference = _text(holder, "Refs", "AcctSvcrRef") if tx is not None else ""
        end_to_end = _text(holder, "Refs", "EndToEndId") if tx is not None else ""
        name = _party_name(party)
        party_id = _party_id(party)
        iban = _account_id(account)
        if reference:
            key = f"camt:{reference}:{index}" if split else f"camt:{reference}"
            if statement.ordinals.next(key) > 1:  # the same entry twice would be imported once
                raise StatementFormatError(
                    f"AcctSvcrRef {reference[:40]!r} repeats an earlier entry of the statement",
                    location=part_location,
                    field="AcctSvcrRef",
                )
        else:
            parts_for_hash = (
                statement.account,
                booked_on,
                signed,
                iban,
                party_id,
                name,
                tx_reference,
                end_to_end,
                purpose,
            )
            base_key = content_key("camt", *parts_for_hash)
            key = f"{base_key}:{statement.ordinals.next(base_key)}"
        raw = {
            "AcctSvcrRef": reference,
            "TxAcctSvcrRef": tx_reference,
            "EndToEndId": end_to_end,
            "BkTxCd": _text(entry, "BkTxCd", "Domn", "Cd") or _text(entry, "BkTxCd", "Prtry", "Cd"),
            "AddtlNtryInf": _text(entry, "AddtlNtryInf"),
            "AddtlTxInf": _text(holder, "AddtlTxInf") if tx is not None else "",
            "Purp": _text(holder, "Purp", "Cd") or _text(holder, "Purp", "Prtry"),
            "Sts": _text(entry, "Sts") or _text(entry, "Sts", "Cd"),
        }
        yield StatementLine(
            key=key,
            booked_on=booked_on,
            value_on=value_on,
            amount=signed,
            currency=currency,
            counterparty_name=name,
            counterparty_id=party_id,
            counterparty_iban=iban,
            counterparty_bic=_agent_bic(agent),
            purpose=purpose,
            knp=_knp(holder, purpose),
            bank_reference=tx_reference or reference,
            is_reversal=reversal,
            raw={key: value for key, value in raw.items() if value},
            location=part_location,
        )


def _drop(element) -> None:
    """Free an element read to the end, and the siblings before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


_STREAMED = tuple(f"{{*}}{name}" for name in ("Document", "GrpHdr", "Stmt", "Id", "Acct", "Bal", "Ntry"))


def _is_statement(element) -> bool:
    parent = element.getparent()
    return _local(element) == "Stmt" and parent is not None and _local(parent) == "BkToCstmrStmt"


def parse(stream: BinaryIO) -> Iterator[Event]:
    events = etree.iterparse(
        NoDoctype(stream),
        events=("start", "end"),
        tag=_STREAMED,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    statement: _Statement | None = None
    statements = 0
    balances = 0
    seen_root = False
    try:
        for event, element in events:
            if not seen_root:
                seen_root = True
                if element.getroottree().docinfo.doctype:
                    raise StatementFormatError(
                        "a document type declaration is not allowed", location="line 1"
                    )
                root = element.getroottree().getroot()
                namespace = etree.QName(root).namespace or ""
                if namespace and not _NAMESPACE_RE.fullmatch(namespace):
                    raise StatementFormatError(
                        f"not a camt.053 namespace: {namespace[:80]!r}", location="element Document"
                    )
            name = _local(element)
            if event == "start":
                if name == "Stmt" and _is_statement(element):
                    statements += 1
                    statement = _Statement(statements)
                    balances = 0
                continue
            parent = element.getparent()
            if statement is not None and parent is not None and _is_statement(parent):
                if name == "Id":
                    statement.number = (element.text or "").strip()
                elif name == "Acct":
                    account = _node(element)
                    statement.account = _account_id(account)
                    currency = _text(account, "Ccy").upper()
                    if currency:
                        if not _CURRENCY_RE.fullmatch(currency):
                            raise StatementFormatError(
                                f"not a currency: {currency!r}", location=statement.location, field="Acct/Ccy"
                            )
                        statement.currency = currency
                elif name == "Bal":
                    balances += 1
                    statement.balance(_node(element), balances)
                elif name == "Ntry":
                    entry = _node(element)
                    if not statement.started:
                        if not statement.currency:  # no Acct/Ccy and no balance: the first entry's
                            currency = (_child(entry, "Amt") or {}).get("@Ccy") or ""
                            statement.currency = currency if _CURRENCY_RE.fullmatch(currency) else ""
                        yield statement.start()
                    statement.entries += 1
                    yield from _entry_lines(entry, statement, statement.entries)
                _drop(element)
            elif statement is not None and name == "Stmt" and _is_statement(element):
                if not statement.started:
                    yield statement.start()
                yield StatementEnd(
                    closing_date=statement.closing[0] if statement.closing else None,
                    closing_balance=statement.closing[1] if statement.closing else None,
                    location=statement.location,
                )
                statement = None
                _drop(element)
            elif name == "GrpHdr":
                _drop(element)
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position[0] if error.position else 0)
        raise StatementFormatError(
            f"not well-formed XML ({error.msg or 'syntax error'}); the file may be truncated",
            location=f"line {line}",
        ) from None
    except (etree.LxmlError, ValueError, UnicodeError) as error:
        raise StatementFormatError(f"unreadable XML ({type(error).__name__})", location="line 1") from None
    if statements == 0:
        raise StatementFormatError(
            "no bank statement (BkToCstmrStmt/Stmt) in the file", location="element Document"
        )
