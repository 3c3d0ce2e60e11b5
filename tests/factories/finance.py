"""Finance data for tests: an organisation to be a party, a budget line with a budget, a bank
account — all through the finance commands, so audit and running figures are real."""

import datetime as dt
from decimal import Decimal

from innocluster.finance.models import FundSource
from innocluster.finance.services import banking, budgets
from innocluster.parties.models import Organisation
from innocluster.parties.services.register import create_organisation
from tests.factories.registry import organisation_fields

# Valid Kazakh IBANs (check digits right) and a Kazakh bank's BIC.
IBANS = ("KZ86125KZT5004100100", "KZ75125KZT2069100100", "KZ12601A861000123456")
BIC = "HSBKKZKX"


def party(**overrides) -> Organisation:
    return create_organisation(**organisation_fields(**overrides))


def budget_line(code: str = "P-GRANTS", account: str = "programme_expenses"):
    return budgets.add_budget_line(
        code=code,
        name_kk="Гранттар бағдарламасы",
        name_ru="Программа грантов",
        name_en="Grants programme",
        kind="programme",
        expense_account=account,
    )


def budget(
    amount: str = "1000000.00", *, source: str = FundSource.LEVY, year: int = 2026, code: str = "P-GRANTS"
):
    return budgets.revise_budget(budget_line(code), year, source, Decimal(amount), reason="approved budget")


def bank_account(iban: str = IBANS[0], fund_source: str = "", name: str = "Current account"):
    account, _created = banking.add_bank_account(iban, bic=BIC, name=name, fund_source=fund_source)
    return account


DAY = dt.date(2026, 3, 16)
