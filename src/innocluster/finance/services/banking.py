"""The Fund's bank accounts: each real account with its own ledger sub-account under the chart's
``bank_group`` (1030)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as NumberInvalid

from innocluster.core.audit.services import record_event
from innocluster.core.errors import lock_failures_as_domain_errors
from innocluster.finance.errors import LedgerError
from innocluster.finance.models import Account, BankAccount, FundSource
from innocluster.finance.selectors.accounts import account as find_account
from innocluster.finance.selectors.accounts import clear_cache


def clean_iban(value: str) -> str:
    try:
        return stdnum_iban.validate(value)
    except NumberInvalid:
        raise LedgerError(
            _("IBAN %(iban)s is not valid."), params={"iban": value}, code="invalid_iban"
        ) from None


def clean_bic(value: str) -> str:
    try:
        return stdnum_bic.validate(value)
    except NumberInvalid:
        raise LedgerError(_("BIC %(bic)s is not valid."), params={"bic": value}, code="invalid_bic") from None


@lock_failures_as_domain_errors()
def add_bank_account(
    iban: str, *, bic: str, name: str, fund_source: str = "", currency: str = "KZT", by=None
) -> tuple[BankAccount, bool]:
    """Add one of the Fund's accounts (and its ledger sub-account). Adding an account already there
    changes nothing and returns it with ``False``."""
    iban, bic = clean_iban(iban), clean_bic(bic)
    if fund_source and fund_source not in FundSource.values:
        raise LedgerError(_("Unknown source of funds: %(source)s."), params={"source": fund_source})
    if not name.strip():
        raise LedgerError(_("Give the account a name."))
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        raise LedgerError(_("%(currency)s is not an ISO 4217 currency code."), params={"currency": currency})
    with transaction.atomic():
        found = BankAccount.objects.filter(iban=iban).first()
        if found is not None:
            return found, False
        group = find_account("bank_group")
        taken = Account.objects.filter(parent=group).count()
        ledger = Account.objects.create(
            code=f"{group.code}.{taken + 1:02d}",
            name_kk=f"{group.name_kk}: {name} ({iban})"[:300],
            name_ru=f"{group.name_ru}: {name} ({iban})"[:300],
            name_en=f"{group.name_en}: {name} ({iban})"[:300],
            type=group.type,
            normal_side=group.normal_side,
            parent=group,
            postable=True,
            reference=group.reference,
        )
        clear_cache()
        account = BankAccount.objects.create(
            iban=iban,
            bic=bic,
            name=name.strip()[:200],
            currency=currency,
            ledger_account=ledger,
            fund_source=fund_source,
        )
        record_event(
            action="finance.bank_account.added",
            actor=by,
            obj=account,
            changes={"iban": iban, "bic": bic, "name": account.name, "ledger_account": ledger.code},
        )
        return account, True
