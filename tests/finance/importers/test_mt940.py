"""MT940: two statements behind SWIFT header blocks, structured and free :86: narratives."""

from datetime import date
from decimal import Decimal

import pytest

from innocluster.finance.importers.base import StatementEnd, StatementFormatError, StatementStart
from innocluster.finance.importers.mt940 import narrative_details

from .helpers import events_of, fixture_bytes, lines_of, read_fixture, shape

FILE = "halyk_two_statements.sta"
ACCOUNT = "KZ78601A861001234567"


@pytest.fixture(scope="module")
def events():
    return read_fixture(FILE)


def test_two_statements_in_order(events):
    assert shape(events) == "SLLLE" + "SLLLLLE"


def test_statement_balances(events):
    first, second = (e for e in events if isinstance(e, StatementStart))
    assert first == StatementStart(
        account_iban=ACCOUNT,
        currency="KZT",
        number="214/1",
        opening_date=date(2026, 11, 1),
        opening_balance=Decimal("12500000.00"),
        closing_date=None,
        closing_balance=None,
        location="line 2",
    )
    assert second.number == "215/1"
    assert second.location == "line 18"
    ends = [e for e in events if isinstance(e, StatementEnd)]
    assert ends == [
        StatementEnd(
            closing_date=date(2026, 11, 2), closing_balance=Decimal("14347500.00"), location="line 15"
        ),
        StatementEnd(
            closing_date=date(2026, 11, 3), closing_balance=Decimal("13881500.00"), location="line 33"
        ),
    ]


def test_balances_add_up(events):
    """The lines of each statement take the opening to the closing balance (the fixture is sound)."""
    balance = None
    for event in events:
        if isinstance(event, StatementStart):
            balance = event.opening_balance
        elif isinstance(event, StatementEnd):
            assert balance == event.closing_balance
        else:
            balance += event.amount


def test_structured_narrative(events):
    line = lines_of(events)[0]
    assert line.key == f"mt940:{ACCOUNT}:HB2611020001:2026-11-02:1500000.00:1"
    assert line.amount == Decimal("1500000.00")
    assert line.booked_on == line.value_on == date(2026, 11, 2)
    assert line.currency == "KZT"
    assert line.counterparty_name == 'ТОО "Инновация Әлемі"'
    assert line.counterparty_id == "180540012343"
    assert line.counterparty_iban == "KZ18722S000012345678"
    assert line.counterparty_bic == "CASPKZKA"
    assert line.knp == "311"
    assert line.bank_reference == "HB2611020001"
    assert line.purpose == (
        '/NAME/ТОО "Инновация Әлемі"/BIN/180540012343\n'
        "/IBAN/KZ18722S000012345678/BIC/CASPKZKA/KNP/311\n"
        "/PURP/Ерікті жарна, 2026 жылғы қараша. Қор қызметін қолдау"
    )
    assert not line.is_reversal
    assert line.location == "line 6"
    assert line.raw[":61:"] == "2611021102C1500000,00NTRFNONREF//HB2611020001"
    assert line.raw["type"] == "NTRF"


def test_bank_charge_is_money_out(events):
    charge = lines_of(events)[1]
    assert charge.amount == Decimal("-2500.00")
    assert charge.knp == "840"
    assert charge.purpose == "Комиссия банка за ведение счета, КНП 840"
    assert charge.counterparty_id == charge.counterparty_iban == ""


def test_free_text_narrative_details(events):
    line = lines_of(events)[2]
    assert line.counterparty_id == "201140021377"
    assert line.counterparty_iban == "KZ32601A861009876543"
    assert line.knp == "859"
    assert line.raw["customer_reference"] == "INV-2026-0077"
    assert line.bank_reference == "HB2611020003"


def test_reversal_of_a_credit_is_money_out(events):
    storno = lines_of(events)[3]
    assert storno.is_reversal
    assert storno.amount == Decimal("-350000.00")
    assert storno.raw["status"] == "RC"
    assert storno.key == f"mt940:{ACCOUNT}:HB2611030001:2026-11-03:-350000.00:1"


def test_payment_to_an_individual(events):
    line = lines_of(events)[4]
    assert line.amount == Decimal("-120000.00")
    assert line.counterparty_name == "ИП Өмірзақ Ұлжан"
    assert line.counterparty_id == "880315401237"
    assert line.counterparty_iban == "KZ13925KZT0012345678"
    assert line.knp == "859"
    assert "ғылыми-техникалық сараптама, үш кезең" in line.purpose


def test_identical_lines_get_ordinals(events):
    *_, first, second = lines_of(events)
    assert first.key == f"mt940:{ACCOUNT}::2026-11-03:-500.00:1"
    assert second.key == f"mt940:{ACCOUNT}::2026-11-03:-500.00:2"


def test_keys_stable_and_distinct(events):
    keys = [line.key for line in lines_of(events)]
    assert keys == [line.key for line in lines_of(read_fixture(FILE))]
    assert len(set(keys)) == len(keys)


def test_a_line_added_to_a_reissued_statement_keeps_the_other_keys():
    data = fixture_bytes(FILE).decode()
    extra = ":61:2611031103C100,00NTRFNONREF//HB2611039999\n:86:Дополнительно\n"
    reissued = data.replace(":61:2611031103RC350000", extra + ":61:2611031103RC350000", 1)
    before = {line.key for line in lines_of(events_of(data.encode()))}
    after = {line.key for line in lines_of(events_of(reissued.encode()))}
    assert before < after
    assert after - before == {f"mt940:{ACCOUNT}:HB2611039999:2026-11-03:100.00:1"}


def test_windows_1251_file():
    data = fixture_bytes(FILE).decode().replace("Әлемі", "Алеми").replace("Қ", "К")
    lines = lines_of(events_of(data.encode("cp1251", errors="replace"), "mt940"))
    assert lines[1].purpose == "Комиссия банка за ведение счета, КНП 840"


def test_plain_file_without_header_blocks():
    data = (
        ":20:1\r\n:25:HSBKKZKX/KZ78601A861001234567\r\n:28C:1\r\n:60F:C261101KZT0,00\r\n"
        ":61:261101C10,5NTRFNONREF\r\n:86:test\r\n:62F:C261101KZT10,50\r\n"
    )
    events = events_of(data.encode(), "mt940")
    assert shape(events) == "SLE"
    assert events[0].account_iban == ACCOUNT
    assert events[1].amount == Decimal("10.50")
    assert events[1].bank_reference == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("КНП: 311 БИН 180540012343", {"knp": "311", "counterparty_id": "180540012343"}),
        ("ТМК 859, ЖСН 880315401237", {"knp": "859", "counterparty_id": "880315401237"}),
        ("/KNP/911/IDN/150940004561/", {"knp": "911", "counterparty_id": "150940004561"}),
        ("Договор 123456789012", {"knp": "", "counterparty_id": "123456789012"}),
        ("Счет KZ86601A861001234567 без кодов", {"knp": "", "counterparty_id": ""}),
        ("двусмысленно 111111111111 и 222222222222", {"knp": "", "counterparty_id": ""}),
    ],
)
def test_narrative_details(text, expected):
    found = narrative_details(text)
    for name, value in expected.items():
        assert found[name] == value


def test_the_funds_own_account_is_not_the_counterparty():
    found = narrative_details(f"Перевод с {ACCOUNT} на KZ32601A861009876543", ACCOUNT)
    assert found["counterparty_iban"] == "KZ32601A861009876543"


def test_truncated_file_names_the_line():
    data = fixture_bytes(FILE).decode()
    cut = data[: data.index(":62F:C261103")]
    with pytest.raises(StatementFormatError) as caught:
        events_of(cut.encode(), "mt940")
    assert caught.value.location == "line 32"
    assert caught.value.field == ":62F:"
    assert "truncated" in str(caught.value)


def test_first_statement_delivered_before_a_truncated_second():
    data = fixture_bytes(FILE).decode()
    cut = data[: data.index(":62F:C261103")].encode()
    import io

    from innocluster.finance.importers.base import parse

    seen = []
    with pytest.raises(StatementFormatError):
        for event in parse(io.BytesIO(cut), "mt940"):
            seen.append(event)
    assert shape(seen) == "SLLLE"


@pytest.mark.parametrize(
    ("broken", "location", "field"),
    [
        (":61:2611021102C1500000,00NTRFNONREF//HB2611020001", ":61:26x1021102C15,00NTRF", "line 6"),
        (":60F:C261101KZT12500000,00", ":60F:X261101KZT12500000,00", "line 5"),
        (":61:2611021102D2500,00NCHGNONREF//HB2611020002", ":61:2611021102D2,5,0NCHG//X", "line 10"),
    ],
)
def test_garbled_tags_name_the_line(broken, location, field):
    data = fixture_bytes(FILE).decode().replace(broken, location, 1)
    with pytest.raises(StatementFormatError) as caught:
        events_of(data.encode(), "mt940")
    assert caught.value.location == field


def test_text_before_the_first_statement_is_refused():
    with pytest.raises(StatementFormatError) as caught:
        events_of(b"hello\n:20:1\n", "mt940")
    assert caught.value.location == "line 1"


def test_missing_account_and_opening_balance():
    with pytest.raises(StatementFormatError) as caught:
        events_of(b":20:1\n:60F:C261101KZT0,00\n:62F:C261101KZT0,00\n", "mt940")
    assert caught.value.field == ":25:"
    with pytest.raises(StatementFormatError) as caught:
        events_of(b":20:1\n:25:KZ78601A861001234567\n:62F:C261101KZT0,00\n", "mt940")
    assert caught.value.field == ":60F:"


def test_empty_file():
    with pytest.raises(StatementFormatError):
        events_of(b"", "mt940")


def test_lines_without_type_code_are_refused_not_merged():
    """The library merges a :61: without its type code into the line before: refused, not summed."""
    data = (
        b":20:1\n:25:KZ78601A861001234567\n:60F:C261101KZT0,00\n:61:261101C10,00\n:86:a\n"
        b":61:261101C5,00\n:86:b\n:62F:C261101KZT15,00\n"
    )
    with pytest.raises(StatementFormatError) as caught:
        events_of(data, "mt940")
    assert caught.value.field == ":61:"
