import rules

from innocluster.core.access.permissions import anyone, declare, has_role
from innocluster.core.access.roles import AUDIT_READERS, FUND_STAFF

declare("registry.public", anyone)
declare("registry.register", has_role("registrar", "fund_admin"))
declare("registry.view_personal_data", has_role("registrar", "fund_admin", *AUDIT_READERS))
declare("registry.staff_view", has_role(*FUND_STAFF, *AUDIT_READERS))


@rules.predicate
def is_applicant(user, application=None) -> bool:
    """The applicant acts on their own application only (another's is not even found: 404)."""
    return application is None or application.applicant_id == getattr(user, "pk", None)


declare("registry.application.submit", has_role("participant_rep") & is_applicant)
declare("registry.application.moderate", has_role("registrar"))
declare("registry.application.decide", has_role("commission_member"))
