"""Domain errors: a business rule refused what a user asked for.

They differ from :class:`django.core.exceptions.ValidationError` (a field's value is wrong and the
form shows it beside the field) and from ``PermissionDenied`` (the view answers 403): a domain
error is about the record's situation ("this application is already approved") and the UI shows
its message as it is. The CLI turns one into exit code 1 with the message on stderr.

The message is kept as a (lazy) template plus parameters and interpolated when it is read, so it
comes out in the language active where it is shown, not where it was raised.
"""

from collections.abc import Mapping
from typing import Any


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
