"""The levy's refusals: each says what was refused and why, naming the field or the file's line."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.errors import DomainError


class LevyError(DomainError):
    default_code = "levy_error"


class ImportRefused(LevyError):
    """A file refused whole: ``errors`` lists each line's problem (``line 3: holder_bin: ...``);
    nothing was written."""

    default_code = "import_refused"

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        shown = "; ".join(self.errors[:20])
        more = len(self.errors) - 20
        super().__init__(
            _("The file was not imported (%(count)s errors): %(errors)s%(more)s"),
            params={
                "count": len(self.errors),
                "errors": shown,
                "more": f" (+{more})" if more > 0 else "",
            },
        )


class NoRateInForce(LevyError):
    default_code = "no_rate_in_force"
