"""The workforce app's refusals: each says what was refused and why."""

from django.utils.translation import gettext_lazy as _

from innocluster.core.errors import DomainError


class WorkforceError(DomainError):
    default_code = "workforce_error"


class EmployerNotEligible(WorkforceError):
    """The employer is neither the Fund nor a participant in good standing on the day."""

    default_code = "employer_not_eligible"

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(
            _("The employer cannot engage foreign specialists under the simplified procedure: %(reason)s"),
            params={"reason": reason},
        )


class CheckFailed(WorkforceError):
    """The check found the request incomplete: ``problems`` lists each, for people."""

    default_code = "check_failed"

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(
            _("The check cannot be confirmed: %(problems)s"), params={"problems": "; ".join(self.problems)}
        )
