"""Large valid statement files in every format, written as a stream (for tests and benchmarks).

``write(stream, fmt, lines)`` writes a statement file of ``lines`` movements to a binary stream,
one line at a time; the content is a deterministic function of the line's index, so two calls give
the same bytes. MT940 and 1C files are split into statements (days) of ``per_statement`` lines.
Nothing is kept in memory but the running balance.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import BinaryIO
from xml.sax.saxutils import escape

FUND_ACCOUNT = "KZ78601A861001234567"
FUND_BIN = "170940000012"
FIRST_DAY = date(2026, 1, 5)
OPENING = Decimal("1000000.00")
_PAYERS = (
    ("ТОО «Инновация Әлемі»", "180540012343", "KZ18722S000012345678", "CASPKZKA"),
    ("ИП Өмірзақ Ұлжан", "880315401237", "KZ13925KZT0012345678", "HSBKKZKX"),
    ('ТОО "Қазақ Технологиялары"', "201140021377", "KZ32601A861009876543", "HSBKKZKX"),
    ("АҚ «Ғылым және Инновация»", "150940004561", "KZ98998ABC1234567890", "TSESKZKA"),
)
_PURPOSES = (
    ("Ерікті жарна, қор бағдарламасына қатысу № {i}", "311"),
    ("Оплата услуг эксперта по договору № {i}, без НДС", "859"),
    ("Грант бойынша төлем, {i}-кезең: ғылыми-техникалық сараптама, һ", "859"),
    ("Комиссия банка за платеж № {i}", "840"),
)


def movement(i: int) -> dict:
    """The i-th movement (from 0): every third one money out."""
    name, bin_iin, iban, bic = _PAYERS[i % len(_PAYERS)]
    purpose, knp = _PURPOSES[i % len(_PURPOSES)]
    cents = 100_000 + (i * 7_919) % 99_900_000
    amount = Decimal(cents).scaleb(-2)
    if i % 3 == 2:
        amount = -amount
    return {
        "amount": amount,
        "name": name,
        "bin": bin_iin,
        "iban": iban,
        "bic": bic,
        "purpose": purpose.format(i=i + 1),
        "knp": knp,
        "reference": f"REF{i + 1:09d}",
    }


def _day(statement_index: int) -> date:
    return FIRST_DAY + timedelta(days=statement_index)


def _mt940_amount(amount: Decimal) -> str:
    return f"{abs(amount):.2f}".replace(".", ",")


def write_mt940(stream: BinaryIO, lines: int, per_statement: int = 500) -> None:
    balance = OPENING
    index = 0
    statement = 0
    while index < lines or statement == 0:
        day = _day(statement)
        yymmdd = day.strftime("%y%m%d")
        mark = "C" if balance >= 0 else "D"
        out = [
            "{1:F01HSBKKZKXAXXX0000000000}{2:I940HSBKKZKXXXXXN}{4:",
            f":20:STMT{day:%Y%m%d}",
            f":25:{FUND_ACCOUNT}",
            f":28C:{statement + 1}/1",
            f":60F:{mark}{yymmdd}KZT{_mt940_amount(balance)}",
        ]
        stream.write(("\n".join(out) + "\n").encode("utf-8"))
        for _ in range(min(per_statement, lines - index)):
            m = movement(index)
            balance += m["amount"]
            mark = "C" if m["amount"] > 0 else "D"
            text = (
                f":61:{yymmdd}{day:%m%d}{mark}{_mt940_amount(m['amount'])}NTRFNONREF//{m['reference']}\n"
                f":86:/NAME/{m['name']}/BIN/{m['bin']}\n/IBAN/{m['iban']}/BIC/{m['bic']}/KNP/{m['knp']}\n"
                f"/PURP/{m['purpose']}\n"
            )
            stream.write(text.encode("utf-8"))
            index += 1
        mark = "C" if balance >= 0 else "D"
        stream.write(f":62F:{mark}{yymmdd}KZT{_mt940_amount(balance)}\n-}}\n".encode())
        statement += 1


def write_camt053(stream: BinaryIO, lines: int) -> None:
    total = sum((movement(i)["amount"] for i in range(lines)), Decimal("0.00"))
    closing = OPENING + total

    def balance(code: str, value: Decimal) -> str:
        indicator = "CRDT" if value >= 0 else "DBIT"
        return (
            f'<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy="KZT">{abs(value):.2f}</Amt>'
            f"<CdtDbtInd>{indicator}</CdtDbtInd><Dt><Dt>{FIRST_DAY.isoformat()}</Dt></Dt></Bal>\n"
        )

    stream.write(
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>\n'
            "<GrpHdr><MsgId>SAMPLE-1</MsgId><CreDtTm>2026-01-06T08:00:00+05:00</CreDtTm></GrpHdr>\n"
            f"<Stmt><Id>SAMPLE-{lines}</Id><Acct><Id><IBAN>{FUND_ACCOUNT}</IBAN></Id><Ccy>KZT</Ccy></Acct>\n"
            + balance("OPBD", OPENING)
            + balance("CLBD", closing)
        ).encode("utf-8")
    )
    for i in range(lines):
        m = movement(i)
        credit = m["amount"] > 0
        role = "Dbtr" if credit else "Cdtr"
        party = (
            f"<{role}><Pty><Nm>{escape(m['name'])}</Nm><Id><OrgId><Othr><Id>{m['bin']}</Id></Othr></OrgId></Id>"
            f"</Pty></{role}><{role}Acct><Id><IBAN>{m['iban']}</IBAN></Id></{role}Acct>"
        )
        entry = (
            f'<Ntry><Amt Ccy="KZT">{abs(m["amount"]):.2f}</Amt><CdtDbtInd>{"CRDT" if credit else "DBIT"}</CdtDbtInd>'
            f"<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>{FIRST_DAY.isoformat()}</Dt></BookgDt>"
            f"<ValDt><Dt>{FIRST_DAY.isoformat()}</Dt></ValDt><AcctSvcrRef>{m['reference']}</AcctSvcrRef>"
            f"<NtryDtls><TxDtls><RltdPties>{party}</RltdPties>"
            f"<RltdAgts><{role}Agt><FinInstnId><BICFI>{m['bic']}</BICFI></FinInstnId></{role}Agt></RltdAgts>"
            f"<Purp><Prtry>{m['knp']}</Prtry></Purp><RmtInf><Ustrd>{escape(m['purpose'])}</Ustrd></RmtInf>"
            "</TxDtls></NtryDtls></Ntry>\n"
        )
        stream.write(entry.encode("utf-8"))
    stream.write(b"</Stmt></BkToCstmrStmt></Document>\n")


def write_onec(stream: BinaryIO, lines: int) -> None:
    """Kazakh banks' dialect (``СекцияДокумент=выписка``), UTF-8 with a byte-order mark."""
    total = sum((movement(i)["amount"] for i in range(lines)), Decimal("0.00"))
    day = FIRST_DAY.strftime("%d.%m.%Y")
    head = (
        "1CClientBankExchange\r\nВерсияФормата=1.03\r\nОтправитель=Sample bank\r\n"
        f"ДатаНачала={day}\r\nДатаКонца={day}\r\nРасчСчет={FUND_ACCOUNT}\r\n"
        f"СекцияРасчСчет\r\nДатаНачала={day}\r\nДатаКонца={day}\r\nРасчСчет={FUND_ACCOUNT}\r\n"
        f"НачальныйОстаток={OPENING}\r\nКонечныйОстаток={OPENING + total}\r\nКонецРасчСчет\r\n"
    )
    stream.write(b"\xef\xbb\xbf" + head.encode("utf-8"))
    for i in range(lines):
        m = movement(i)
        amount = f"{abs(m['amount']):.2f}".replace(".", ",")
        if m["amount"] > 0:
            sides = (
                f"СуммаПриход={amount}\r\nПлательщикНаименование={m['name']}\r\nПлательщикБИН_ИИН={m['bin']}\r\n"
                f"ПлательщикИИК={m['iban']}\r\nПлательщикБанкБИК={m['bic']}\r\nПолучательИИК={FUND_ACCOUNT}\r\n"
            )
        else:
            sides = (
                f"СуммаРасход={amount}\r\nПлательщикИИК={FUND_ACCOUNT}\r\nПлательщикБИН_ИИН={FUND_BIN}\r\n"
                f"ПолучательНаименование={m['name']}\r\nПолучательБИН_ИИН={m['bin']}\r\n"
                f"ПолучательИИК={m['iban']}\r\nПолучательБанкБИК={m['bic']}\r\n"
            )
        document = (
            f"СекцияДокумент=выписка\r\nНомерДокумента={i + 1}\r\nДатаДокумента={day}\r\nДатаОперации={day}\r\n"
            f"{sides}КодНазначенияПлатежа={m['knp']}\r\nНазначениеПлатежа={m['purpose']}\r\nКонецДокумента\r\n"
        )
        stream.write(document.encode("utf-8"))
    stream.write("КонецФайла\r\n".encode())


def write_csv(stream: BinaryIO, lines: int) -> None:
    total = sum((movement(i)["amount"] for i in range(lines)), Decimal("0.00"))
    stream.write(
        b"\xef\xbb\xbfaccount_iban;statement;booked_on;value_on;amount;currency;counterparty_name;counterparty_id;"
        b"counterparty_iban;counterparty_bic;purpose;knp;bank_reference;opening_balance;closing_balance\r\n"
    )
    for i in range(lines):
        m = movement(i)
        opening = f"{OPENING}".replace(".", ",") if i == 0 else ""
        closing = f"{OPENING + total}".replace(".", ",") if i == lines - 1 else ""
        name = m["name"].replace('"', '""')
        row = (
            f'{FUND_ACCOUNT};1;{FIRST_DAY.isoformat()};;{m["amount"]};KZT;"{name}";{m["bin"]};{m["iban"]};'
            f"{m['bic']};{m['purpose']};{m['knp']};{m['reference']};{opening};{closing}\r\n"
        )
        stream.write(row.encode("utf-8"))


WRITERS = {"mt940": write_mt940, "camt053": write_camt053, "1c": write_onec, "csv": write_csv}


def write(stream: BinaryIO, fmt: str, lines: int) -> None:
    """A valid statement file of ``lines`` movements in ``fmt`` (one of ``base.FORMATS``)."""
    WRITERS[fmt](stream, lines)


def write_file(path, fmt: str, lines: int) -> None:
    with open(path, "wb") as stream:
        write(stream, fmt, lines)
