"""The finance app's refusals: each says what was refused and why, in the reader's language."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.errors import DomainError


class LedgerError(DomainError):
    default_code = "ledger_error"


class Unbalanced(LedgerError):
    default_code = "unbalanced"


class ClosedPeriod(LedgerError):
    default_code = "period_closed"

    def __init__(self, period):
        super().__init__(
            _("The period %(period)s is closed: nothing can be posted into it."), params={"period": period}
        )


class InsufficientFunds(LedgerError):
    default_code = "insufficient_funds"


class RestrictedFunds(LedgerError):
    default_code = "restricted_funds"


class AlreadyReversed(LedgerError):
    default_code = "already_reversed"


class AlreadyMatched(LedgerError):
    default_code = "already_matched"


class StatementRefused(LedgerError):
    """A statement file that cannot be imported: the message names the file's line or element."""

    default_code = "statement_refused"
