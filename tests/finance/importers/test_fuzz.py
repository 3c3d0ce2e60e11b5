"""Whatever bytes arrive, reading them ends normally or with StatementFormatError, nothing else."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innocluster.finance.importers.base import FORMATS, StatementFormatError, parse

from .helpers import FIXTURES

FIXTURE_OF = {
    "mt940": ["halyk_two_statements.sta"],
    "camt053": ["kaspi_camt053_v02.xml", "halyk_camt053_v08.xml"],
    "1c": ["halyk_1c_standard_cp1251.txt", "kaspi_1c_kazakh_dialect.txt"],
    "csv": ["fund_statements.csv"],
}
SAMPLES = {name: (FIXTURES / name).read_bytes() for names in FIXTURE_OF.values() for name in names}
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def consume(data: bytes, fmt: str) -> None:
    try:
        for _ in parse(io.BytesIO(data), fmt):
            pass
    except StatementFormatError as error:
        assert str(error)  # a message, naming a place where there is one


@st.composite
def mutated(draw, fmt: str):
    """A fixture of the format with a few bytes changed, cut, inserted or lines swapped."""
    data = bytearray(SAMPLES[draw(st.sampled_from(FIXTURE_OF[fmt]))])
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "delete", "swap"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [
                        b"\x00",
                        b";",
                        b"=",
                        b"\n",
                        b"<",
                        b"]]>",
                        b":61:",
                        b":62F:",
                        b"-}",
                        b"&amp;",
                        b",",
                        b"\xd0",
                        b"9" * 20,
                    ]
                )
            )
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        else:
            lines = data.split(b"\n")
            if len(lines) > 2:
                i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
                lines[i], lines[j] = lines[j], lines[i]
                data = bytearray(b"\n".join(lines))
    return bytes(data)


@pytest.mark.parametrize("fmt", [*FORMATS, "auto"])
@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes(fmt, data):
    consume(data, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(data=st.data())
def test_mutated_fixtures(fmt, data):
    sample = data.draw(mutated(fmt))
    consume(sample, fmt)
    consume(sample, "auto")


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(data=st.data())
def test_text_shaped_like_the_format(fmt, data):
    """Lines built from the format's own vocabulary, recombined at random."""
    vocabulary = {
        "mt940": [
            ":20:X",
            ":25:KZ78601A861001234567",
            ":28C:1",
            ":60F:C261101KZT1,00",
            ":61:261101C1,00NTRFNONREF",
            ":86:КНП 311",
            ":62F:C261101KZT2,00",
            ":62M:D261101KZT0,",
            "-}",
            "{1:F01}{4:",
            ":61:2613011301RD5,NTRF//",
        ],
        "camt053": [
            "<Document>",
            "</Document>",
            "<BkToCstmrStmt>",
            "</BkToCstmrStmt>",
            "<Stmt>",
            "</Stmt>",
            "<Ntry>",
            "</Ntry>",
            '<Amt Ccy="KZT">1.00</Amt>',
            "<CdtDbtInd>CRDT</CdtDbtInd>",
            "<BookgDt><Dt>2026-11-01</Dt></BookgDt>",
            "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp></Bal>",
            "<NtryDtls><TxDtls><Amt>2</Amt></TxDtls></NtryDtls>",
            "<Acct><Ccy>KZ</Ccy></Acct>",
        ],
        "1c": [
            "1CClientBankExchange",
            "СекцияРасчСчет",
            "КонецРасчСчет",
            "СекцияДокумент=выписка",
            "КонецДокумента",
            "КонецФайла",
            "РасчСчет=KZ1",
            "Сумма=1,00",
            "СуммаПриход=2",
            "СуммаРасход=3",
            "ПлательщикСчет=KZ1",
            "ПолучательСчет=KZ1",
            "Дата=01.01.2026",
            "ДатаНачала=31.02.2026",
            "НачальныйОстаток=x",
            "Кодировка=DOS",
        ],
        "csv": [
            "account_iban;statement;booked_on;amount;currency;opening_balance;closing_balance",
            "KZ1;1;2026-01-01;1,00;KZT;;",
            "KZ1;2;01.01.2026;-1;KZT;5;6",
            'KZ1;1;2026-01-01;"1;KZT;;',
            "KZ2;1;2026-01-01;1 000,5;USD;;1",
            ";;;;;;",
        ],
    }[fmt]
    lines = data.draw(st.lists(st.sampled_from(vocabulary), max_size=30))
    encoding = "cp1251" if fmt == "1c" else "utf-8"
    consume("\n".join(lines).encode(encoding), fmt)
