"""1C ClientBankExchange: the Russian standard in Windows-1251 and the Kazakh banks' dialect."""

from datetime import date
from decimal import Decimal

import pytest

from innocluster.finance.importers.base import StatementEnd, StatementFormatError, StatementStart

from .helpers import events_of, fixture_bytes, lines_of, read_fixture, shape

STANDARD = "halyk_1c_standard_cp1251.txt"
KAZAKH = "kaspi_1c_kazakh_dialect.txt"
FUND = "KZ78601A861001234567"
KASPI = "KZ18722S000012345678"


@pytest.fixture(scope="module")
def standard():
    return read_fixture(STANDARD)


@pytest.fixture(scope="module")
def kazakh():
    return read_fixture(KAZAKH)


def test_fixture_really_is_windows_1251():
    data = fixture_bytes(STANDARD)
    assert "Сумма".encode("cp1251") in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_standard_statement(standard):
    assert shape(standard) == "SLLLE"
    assert standard[0] == StatementStart(
        account_iban=FUND,
        currency="KZT",
        number="",
        opening_date=date(2026, 11, 5),
        opening_balance=Decimal("16131500.00"),
        closing_date=date(2026, 11, 5),
        closing_balance=Decimal("17244150.00"),
        location="line 13",
    )
    assert standard[-1] == StatementEnd(date(2026, 11, 5), Decimal("17244150.00"), "line 13")
    assert (
        standard[0].opening_balance + sum(x.amount for x in lines_of(standard))
        == standard[-1].closing_balance
    )


def test_standard_incoming_payment(standard):
    line = lines_of(standard)[0]
    assert line.key == "1c:1184:2026-11-04:1200000.00:150940004561"
    assert line.amount == Decimal("1200000.00")  # "1 200 000,00": the payee is the Fund's account
    assert line.booked_on == date(2026, 11, 5)  # ДатаПоступило, not the document's date
    assert line.counterparty_name == 'АО "Наука и Инновации"'
    assert line.counterparty_id == "150940004561"
    assert line.counterparty_iban == "KZ98998ABC1234567890"
    assert line.counterparty_bic == "TSESKZKA"
    assert line.knp == "311"
    assert line.purpose == "Добровольный взнос в фонд за IV квартал 2026 года, договор № 7/2026 от 15.01.2026"
    assert line.location == "line 22"
    assert line.raw["ПлательщикБанк1"] == 'АО "First Heartland Jusan Bank"'
    assert line.raw["Код"] == "19"
    assert line.raw["СекцияДокумент"] == "Платежное поручение"
    assert len(line.raw) == 18  # every key of the document, and its kind


def test_standard_outgoing_payment_and_bank_charge(standard):
    payment, charge = lines_of(standard)[1:]
    assert payment.amount == Decimal("-85000.00")
    assert payment.key == "1c:523:2026-11-05:-85000.00:170940000012"
    assert payment.counterparty_name == 'ТОО "Казахские Технологии"'
    assert payment.counterparty_id == "201140021377"
    assert payment.counterparty_iban == "KZ32601A861009876543"
    assert payment.purpose == "Оплата по договору № 15 от 01.11.2026\nза услуги акселерации, без НДС"
    assert charge.amount == Decimal("-2350.00")
    assert charge.knp == "840"
    assert charge.key == f"1c:90017:2026-11-05:-2350.00:{FUND}"  # no payer id: the payer's account
    assert charge.raw["СекцияДокумент"] == "Банковский ордер"


def test_kazakh_dialect_daily_sections_merge(kazakh):
    assert shape(kazakh) == "SLLLLE"
    start, end = kazakh[0], kazakh[-1]
    assert start.account_iban == KASPI
    assert (start.opening_date, start.opening_balance) == (date(2026, 11, 3), Decimal("1500000.00"))
    assert (end.closing_date, end.closing_balance) == (date(2026, 11, 4), Decimal("2346750.50"))
    assert start.opening_balance + sum(x.amount for x in lines_of(kazakh)) == end.closing_balance


def test_kazakh_dialect_lines(kazakh):
    first, second, charge, grant = lines_of(kazakh)
    assert first.key == "1c:77:2026-11-03:500000.00:180540012343"
    assert first.amount == Decimal("500000.00")
    assert first.booked_on == date(2026, 11, 3)
    assert first.counterparty_name == "ТОО «Инновация Әлемі»"
    assert first.counterparty_id == "180540012343"
    assert first.counterparty_iban == FUND
    assert first.counterparty_bic == "HSBKKZKX"
    assert first.knp == "311"
    assert first.purpose == "Ерікті жарна: қор бағдарламасына қатысу, шарт № 7/2026. Ғылым, өнер, үйрену һ"
    assert first.raw["ПлательщикКБЕ"] == "17"
    assert first.raw["СуммаРасход"] == ""
    assert second.knp == "311"  # КодНазПлатежа
    assert second.counterparty_name == "ИП Өмірзақ Ұлжан"
    assert charge.amount == Decimal("-3249.50")  # СуммаПриход=0,00 beside it
    assert charge.counterparty_name == "АО «Kaspi Bank»"
    assert charge.knp == "840"
    assert grant.amount == Decimal("-650000.00")
    assert grant.key == "1c:79:2026-11-04:-650000.00:170940000012"
    assert grant.counterparty_id == "201140021377"
    assert grant.purpose == "Грант бойынша төлем, 1-кезең"


def test_keys_stable_and_distinct(standard, kazakh):
    keys = [x.key for x in lines_of(standard) + lines_of(kazakh)]
    assert keys == [x.key for x in lines_of(read_fixture(STANDARD)) + lines_of(read_fixture(KAZAKH))]
    assert len(set(keys)) == len(keys)


def small(*documents: str, header: str = "", encoding: str = "cp1251", sections: str | None = None) -> bytes:
    if sections is None:
        sections = (
            f"СекцияРасчСчет\nДатаНачала=01.12.2026\nДатаКонца=01.12.2026\nРасчСчет={FUND}\n"
            "НачальныйОстаток=100,00\nКонечныйОстаток=90,00\nКонецРасчСчет\n"
        )
    text = (
        f"1CClientBankExchange\nВерсияФормата=1.03\n{header}{sections}" + "".join(documents) + "КонецФайла\n"
    )
    return text.encode(encoding)


def document(number="5", amount="10,00", payer=FUND, payee="KZ32601A861009876543", extra=""):
    return (
        f"СекцияДокумент=Платежное поручение\nНомер={number}\nДата=01.12.2026\nСумма={amount}\n"
        f"ПлательщикСчет={payer}\nПолучательСчет={payee}\nНазначениеПлатежа=Оплата\n{extra}КонецДокумента\n"
    )


def test_dos_encoding():
    data = small(document(), header="Кодировка=DOS\n", encoding="cp866")
    lines = lines_of(events_of(data, "1c"))
    assert lines[0].purpose == "Оплата"
    assert lines[0].amount == Decimal("-10.00")


def test_utf8_bom():
    data = b"\xef\xbb\xbf" + small(document(), encoding="utf-8")
    assert lines_of(events_of(data, "1c"))[0].purpose == "Оплата"


def test_identical_documents_get_an_ordinal():
    lines = lines_of(events_of(small(document(), document()), "1c"))
    assert [x.key for x in lines] == [
        f"1c:5:2026-12-01:-10.00:{FUND}",
        f"1c:5:2026-12-01:-10.00:{FUND}:2",
    ]


def test_reversal_flag_and_kind():
    lines = lines_of(
        events_of(
            small(
                document(extra="Сторно=1\n"),
                document(number="6").replace("Платежное поручение", "Мемориальный ордер (сторно)"),
                document(number="7"),
            ),
            "1c",
        )
    )
    assert [x.is_reversal for x in lines] == [True, True, False]


def test_two_accounts_give_two_statements():
    other = "KZ32601A861009876543"
    sections = (
        f"СекцияРасчСчет\nРасчСчет={FUND}\nНачальныйОстаток=100.00\nКонечныйОстаток=90.00\nКонецРасчСчет\n"
        f"СекцияРасчСчет\nРасчСчет={other}\nНачальныйОстаток=0\nКонечныйОстаток=10\nКонецРасчСчет\n"
        "СекцияРасчСчет\nРасчСчет=KZ13925KZT0012345678\nНачальныйОстаток=5\nКонечныйОстаток=5\nКонецРасчСчет\n"
    )
    data = small(
        document(payee="KZ99000000000000000001"),
        document(number="8", payer="KZ1", payee=other),
        sections=sections,
    )
    events = events_of(data, "1c")
    assert shape(events) == "SLE" + "SLE" + "SE"
    assert [e.account_iban for e in events if isinstance(e, StatementStart)] == [
        FUND,
        other,
        "KZ13925KZT0012345678",
    ]
    assert lines_of(events)[1].amount == Decimal("10.00")


def test_ungrouped_accounts_are_refused():
    other = "KZ32601A861009876543"
    sections = (
        f"СекцияРасчСчет\nРасчСчет={FUND}\nКонецРасчСчет\nСекцияРасчСчет\nРасчСчет={other}\nКонецРасчСчет\n"
    )
    away = "KZ99000000000000000001"
    data = small(
        document(payee=away),
        document(number="8", payer="KZ1", payee=other),
        document(number="9", payee=away),
        sections=sections,
    )
    with pytest.raises(StatementFormatError) as caught:
        events_of(data, "1c")
    assert caught.value.location == "line 25"


@pytest.mark.parametrize(
    ("text", "location", "field"),
    [
        (small(document(amount="10,005")), "line 13", "Сумма"),
        (small(document(amount="")), "line 10", "Сумма"),
        (small(document(payer="KZ1")), "line 10", "ПолучательСчет"),
        (small(document(extra="ДатаСписано=32.12.2026\n")), "line 17", "ДатаСписано"),
        (
            small(document()).replace(
                "КонечныйОстаток=90,00".encode("cp1251"), "КонечныйОстаток=девяносто".encode("cp1251")
            ),
            "line 8",
            "КонечныйОстаток",
        ),
    ],
)
def test_garbled_fields_name_line_and_field(text, location, field):
    with pytest.raises(StatementFormatError) as caught:
        events_of(text, "1c")
    assert (caught.value.location, caught.value.field) == (location, field)


def test_kazakh_direction_errors():
    both = "СекцияДокумент=выписка\nНомерДокумента=1\nДатаДокумента=01.12.2026\nСуммаПриход=1\nСуммаРасход=2\nКонецДокумента\n"
    with pytest.raises(StatementFormatError, match="both"):
        events_of(small(both), "1c")
    neither = both.replace("СуммаПриход=1", "СуммаПриход=0,00").replace("СуммаРасход=2", "СуммаРасход=")
    with pytest.raises(StatementFormatError, match="neither"):
        events_of(small(neither), "1c")


def test_truncated_file_names_the_last_line():
    data = fixture_bytes(STANDARD)
    cut = data[: data.index("КонецФайла".encode("cp1251"))]
    with pytest.raises(StatementFormatError) as caught:
        events_of(cut, "1c")
    assert caught.value.location == "line 69"
    assert "truncated" in str(caught.value)
    cut = data[: data.index("НазначениеПлатежа=Комиссия".encode("cp1251"))]
    with pytest.raises(StatementFormatError, match="not closed"):
        events_of(cut, "1c")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello\r\n",
        "1CClientBankExchange\nэто не ключ\nКонецФайла\n".encode("cp1251"),
        "1CClientBankExchange\nСекцияДокумент=x\nСекцияДокумент=y\n".encode("cp1251"),
        "1CClientBankExchange\nКонецДокумента\nКонецФайла\n".encode("cp1251"),
        b"1CClientBankExchange\n\x98\x98=1\n",
    ],
)
def test_garbled_files(data):
    with pytest.raises(StatementFormatError) as caught:
        events_of(data, "1c")
    assert caught.value.location.startswith("line ")


def test_encoding_key_written_in_utf8_means_utf8():
    """A file re-saved as UTF-8 (no byte-order mark) still saying Кодировка=Windows."""
    data = small(document(), header="Кодировка=Windows\n", encoding="utf-8")
    assert lines_of(events_of(data, "1c"))[0].purpose == "Оплата"
