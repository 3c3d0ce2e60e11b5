"""Domain errors: a business rule refused what a user asked for.

They differ from :class:`django.core.exceptions.ValidationError` (a field's value is wrong and the
form shows it beside the field) and from ``PermissionDenied`` (the view answers 403): a domain
error is about the record's situation ("this application is already approved") and the UI shows
its message as it is. The CLI turns one into exit code 1 with the message on stderr.

The message is kept as a (lazy) template plus parameters and interpolated when it is read, so it
comes out in the language active where it is shown, not where it was raised.
"""

from collections.abc import Mapping
from contextlib import ContextDecorator
from typing import Any

from django.utils.translation import gettext_lazy


class DomainError(Exception):
    """A refusal users understand. ``str(error)`` is the message in the active language."""

    default_code = "domain_error"

    def __init__(self, message: Any, *, params: Mapping[str, Any] | None = None, code: str | None = None):
        self.message = message
        self.params = dict(params or {})
        self.code = code or self.default_code
        super().__init__(message)

    def __str__(self) -> str:
        text = str(self.message)
        if not self.params:
            return text
        return text % {key: str(value) for key, value in self.params.items()}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r}, code={self.code!r})"


class RecordsBusy(DomainError):
    """The database gave up waiting for a row lock (a deadlock, a lock timeout, a serialisation
    failure, SQLite's "database is locked"): someone else's change holds the rows. Nothing was
    written; trying again a moment later normally succeeds. Services lock rows in primary-key
    order, which rules out deadlocks between them; this is the plain answer for what remains."""

    default_code = "records_busy"

    def __init__(self):
        super().__init__(gettext_lazy("Someone else is changing these records at this moment; try again."))


# SQLSTATEs of a lock failure: deadlock_detected, lock_not_available, serialization_failure.
LOCK_FAILURE_SQLSTATES = frozenset({"40P01", "55P03", "40001"})


def is_lock_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is a database ``OperationalError`` caused by a lock, not another failure
    (a lost connection, a missing table stay what they are)."""
    from django.db.utils import OperationalError

    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.__cause__, "sqlstate", None) in LOCK_FAILURE_SQLSTATES:
        return True
    return "database is locked" in str(exc) or "database table is locked" in str(exc)


class lock_failures_as_domain_errors(ContextDecorator):
    """Wrap a service (outside its ``transaction.atomic``) so a lock failure reaches the user as
    :class:`RecordsBusy` rather than as a raw database error; other errors pass unchanged."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is not None and is_lock_failure(exc):
            raise RecordsBusy() from exc
        return False
