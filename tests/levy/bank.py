"""Bank statements for levy tests, written in the Fund's own CSV statement format."""

import io
from decimal import Decimal

from innocluster.finance.services.statements import import_statement

HEADER = "account_iban;statement;booked_on;amount;currency;counterparty_name;counterparty_id;purpose;bank_reference;opening_balance;closing_balance"


def statement(
    iban: str, lines, *, number: str = "1", day: str = "2026-07-01", opening: str = "0.00"
) -> io.BytesIO:
    """``lines``: ``(amount, payer BIN, purpose)``; one statement whose balances add up."""
    rows = [HEADER]
    balance = Decimal(opening)
    for n, (amount, payer, purpose) in enumerate(lines, start=1):
        balance += Decimal(amount)
        first = opening if n == 1 else ""
        last = str(balance) if n == len(lines) else ""
        rows.append(
            f"{iban};{number};{day};{amount};KZT;ТОО «Плательщик»;{payer};{purpose};REF-{number}-{n};{first};{last}"
        )
    return io.BytesIO(("\n".join(rows) + "\n").encode("utf-8"))


def pay(iban: str, lines, **kwargs):
    """Import the statement (the matchers run, as after any import); returns the summary."""
    return import_statement(statement(iban, lines, **kwargs), file_name="levy.csv", fmt="csv")
