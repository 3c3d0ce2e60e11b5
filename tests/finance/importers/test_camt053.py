"""camt.053: a .001.02 file (batch entry, bank charge, reversal) and a .001.08 file (two statements,
prefixed namespace, date-times, an entry without AcctSvcrRef); DTDs and entities refused."""

import io
from datetime import date
from decimal import Decimal

import pytest

from innocluster.finance.importers.base import StatementEnd, StatementFormatError, StatementStart, parse

from .helpers import events_of, fixture_bytes, lines_of, read_fixture, shape

V02 = "kaspi_camt053_v02.xml"
V08 = "halyk_camt053_v08.xml"


@pytest.fixture(scope="module")
def v02():
    return read_fixture(V02)


@pytest.fixture(scope="module")
def v08():
    return read_fixture(V08)


def test_v02_statement(v02):
    assert shape(v02) == "SLLLLE"
    assert v02[0] == StatementStart(
        account_iban="KZ18722S000012345678",
        currency="KZT",
        number="STM-2026-11-04-0042",
        opening_date=date(2026, 11, 4),
        opening_balance=Decimal("2000000.00"),
        closing_date=date(2026, 11, 4),
        closing_balance=Decimal("2846750.50"),
        location="element Stmt[1]",
    )
    assert v02[-1] == StatementEnd(date(2026, 11, 4), Decimal("2846750.50"), "element Stmt[1]")


def test_v02_batch_entry_gives_a_line_per_transaction(v02):
    first, second = lines_of(v02)[:2]
    assert first.key == "camt:KSP20261104000001:1"
    assert second.key == "camt:KSP20261104000001:2"
    assert first.amount == Decimal("600000.00")
    assert second.amount == Decimal("400000.00")
    assert first.counterparty_name == "ТОО «Инновация Әлемі»"
    assert first.counterparty_id == "180540012343"
    assert first.counterparty_iban == "KZ78601A861001234567"
    assert first.counterparty_bic == "HSBKKZKX"
    assert first.knp == "311"
    assert first.purpose == "Ерікті жарна: қор бағдарламасына қатысу шарт № 7/2026"
    assert first.location == "element Stmt[1]/Ntry[1]/TxDtls[1]"
    assert first.raw["EndToEndId"] == "PP-118"
    assert second.counterparty_name == "Өмірзақ Ұлжан Серікқызы"
    assert second.counterparty_id == "880315401237"  # PrvtId: an IIN
    assert second.counterparty_iban == "KZ13925KZT0012345678"  # compacted, upper case
    assert second.knp == "311"  # from the text "КНП 311"
    assert second.booked_on == second.value_on == date(2026, 11, 4)


def test_v02_bank_charge_and_reversal(v02):
    charge, storno = lines_of(v02)[2:]
    assert charge.key == "camt:KSP20261104000002"
    assert charge.amount == Decimal("-3249.50")
    assert charge.purpose == "Комиссия банка за исходящий платеж"
    assert not charge.is_reversal
    assert storno.is_reversal
    assert storno.amount == Decimal("-150000.00")
    assert storno.value_on == date(2026, 11, 3)
    assert storno.counterparty_name == 'ТОО "Қазақ Технологиялары"'


def test_v02_balances_add_up(v02):
    assert v02[0].opening_balance + sum(line.amount for line in lines_of(v02)) == v02[-1].closing_balance


def test_v08_two_statements(v08):
    assert shape(v08) == "SLLE" + "SLE"
    first, second = (e for e in v08 if isinstance(e, StatementStart))
    assert first.account_iban == "KZ78601A861001234567"
    assert first.opening_balance == Decimal("13881500.00")  # PRCD when no OPBD
    assert first.closing_date == date(2026, 11, 5)  # from a DtTm
    assert second.currency == "USD"
    assert second.opening_balance == Decimal("-120.00")  # DBIT balance
    assert second.location == "element Stmt[2]"


def test_v08_entry_details(v08):
    incoming, outgoing, charge = lines_of(v08)
    assert incoming.key == "camt:HB2611050001"
    assert incoming.booked_on == date(2026, 11, 5)
    assert incoming.amount == Decimal("2500000.00")
    assert incoming.counterparty_name == "АҚ «Ғылым және Инновация»"
    assert incoming.counterparty_id == "150940004561"
    assert incoming.counterparty_bic == "TSESKZKA"
    assert incoming.knp == "311"
    assert incoming.bank_reference == "HB2611050001-1"
    assert outgoing.amount == Decimal("-250000.00")
    assert outgoing.counterparty_name == "ЖК Нұрғали Әсем"  # the creditor of money out
    assert outgoing.counterparty_id == "991215300781"
    assert outgoing.counterparty_iban == "KZ32601A861009876543"
    assert outgoing.knp == "859"  # Purp/Prtry
    assert outgoing.purpose == "Сараптама қызметі үшін төлем, шот № 12, һ"
    assert charge.currency == "USD"
    assert charge.amount == Decimal("-15.00")
    assert charge.value_on is None


def test_keys_without_acctsvcrref_are_content_hashes(v08):
    _, outgoing, charge = lines_of(v08)
    assert outgoing.key.startswith("camt:sha256:") and outgoing.key.endswith(":1")
    assert len(outgoing.key) == len("camt:sha256:") + 64 + 2
    assert charge.key != outgoing.key


def test_keys_stable_and_distinct(v02, v08):
    keys = [line.key for line in lines_of(v02) + lines_of(v08)]
    again = [line.key for line in lines_of(read_fixture(V02)) + lines_of(read_fixture(V08))]
    assert keys == again
    assert len(set(keys)) == len(keys)


def test_no_namespace_and_other_versions_read_alike():
    plain = fixture_bytes(V02).replace(b' xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"', b"")
    v05 = fixture_bytes(V02).replace(b"camt.053.001.02", b"camt.053.001.05")
    expected = [line.key for line in lines_of(read_fixture(V02))]
    assert [line.key for line in lines_of(events_of(plain, "camt053"))] == expected
    assert [line.key for line in lines_of(events_of(v05, "camt053"))] == expected


def test_another_namespace_is_refused():
    data = fixture_bytes(V02).replace(b"camt.053.001.02", b"camt.054.001.02")
    with pytest.raises(StatementFormatError) as caught:
        events_of(data, "camt053")
    assert caught.value.location == "element Document"


def test_batch_that_does_not_add_up_is_refused():
    data = fixture_bytes(V02).replace(b'<Amt Ccy="KZT">400000.00</Amt>', b'<Amt Ccy="KZT">400000.01</Amt>')
    with pytest.raises(StatementFormatError) as caught:
        events_of(data, "camt053")
    assert caught.value.location == "element Stmt[1]/Ntry[1]"


@pytest.mark.parametrize(
    ("old", "new", "location", "field"),
    [
        (
            b"<CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>",
            b"<CdtDbtInd>MINUS</CdtDbtInd>\n        <Sts>",
            "element Stmt[1]/Ntry[2]",
            "CdtDbtInd",
        ),
        (b'<Amt Ccy="KZT">3249.50</Amt>', b'<Amt Ccy="KZT">3249.505</Amt>', "element Stmt[1]/Ntry[2]", "Amt"),
        (b'<Amt Ccy="KZT">3249.50</Amt>', b'<Amt Ccy="KZT">NaN</Amt>', "element Stmt[1]/Ntry[2]", "Amt"),
        (
            b'<Amt Ccy="KZT">3249.50</Amt>',
            b'<Amt Ccy="K1">3249.50</Amt>',
            "element Stmt[1]/Ntry[2]",
            "Amt/@Ccy",
        ),
        (
            b"<BookgDt><Dt>2026-11-04</Dt></BookgDt>\n        <ValDt><Dt>2026-11-04</Dt></ValDt>\n        <AcctSvcrRef>KSP20261104000002",
            b"<BookgDt><Dt>2026-13-04</Dt></BookgDt>\n        <ValDt><Dt>2026-11-04</Dt></ValDt>\n        <AcctSvcrRef>KSP20261104000002",
            "element Stmt[1]/Ntry[2]",
            "BookgDt",
        ),
    ],
)
def test_garbled_fields_name_element_and_field(old, new, location, field):
    data = fixture_bytes(V02)
    assert old in data
    with pytest.raises(StatementFormatError) as caught:
        events_of(data.replace(old, new, 1), "camt053")
    assert caught.value.location == location
    assert caught.value.field == field


def test_truncated_file_names_a_line():
    data = fixture_bytes(V02)
    seen = []
    with pytest.raises(StatementFormatError) as caught:
        for event in parse(io.BytesIO(data[: len(data) * 2 // 3]), "camt053"):
            seen.append(event)
    assert caught.value.location.startswith("line ")
    assert "truncated" in str(caught.value)


def test_not_xml_and_empty():
    for data in (b"", b"hello", b"<Document><BkToCstmrStmt></BkToCstmrStmt></Document>"):
        with pytest.raises(StatementFormatError):
            events_of(data, "camt053")


def test_utf16_is_refused():
    data = fixture_bytes(V02).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    with pytest.raises(StatementFormatError):
        events_of(data, "camt053")


def test_structured_remittance_and_no_transaction_details():
    data = """<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"><BkToCstmrStmt><Stmt><Id>S</Id>
<Acct><Id><Othr><Id>KZ78 601A 8610 0123 4567</Id></Othr></Id></Acct>
<Ntry><Amt Ccy="KZT">10</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-11-05</Dt></BookgDt>
<AcctSvcrRef>R9</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>INV-1</Ref></CdtrRefInf>
<AddtlRmtInf>Жарна</AddtlRmtInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>""".encode()
    events = events_of(data, "camt053")
    assert shape(events) == "SLE"
    assert events[0].account_iban == "KZ78601A861001234567"  # Othr/Id, compacted
    assert events[0].currency == "KZT"  # from the entry when the account has no Ccy
    assert events[0].opening_balance is None
    assert events[1].purpose == "INV-1 Жарна"
    assert events[1].amount == Decimal("10.00")


def test_a_repeated_acctsvcrref_is_refused():
    data = fixture_bytes(V02).replace(b"KSP20261104000003", b"KSP20261104000002")
    with pytest.raises(StatementFormatError) as caught:
        events_of(data, "camt053")
    assert (caught.value.location, caught.value.field) == ("element Stmt[1]/Ntry[3]", "AcctSvcrRef")
