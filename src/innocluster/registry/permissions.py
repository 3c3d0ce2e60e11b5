"""Who may do what in the register. Object-level predicates take the object the action is about;
with no object they answer whether the role could ever do it (for menus and the authorization table)."""

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


def represents(user, organisation_id) -> bool:
    """``user`` is an active representative of the organisation."""
    if organisation_id is None or not getattr(user, "is_authenticated", False):
        return False
    from .models import Representative

    return Representative.objects.filter(organisation_id=organisation_id, user=user, active=True).exists()


@rules.predicate
def is_representative(user, obj=None) -> bool:
    """Acts for the organisation ``obj`` is about (an Organisation, a Participant or anything with
    an ``organisation_id``)."""
    if obj is None:
        return True
    organisation_id = getattr(obj, "organisation_id", None)
    if organisation_id is None and obj._meta.model_name == "organisation":
        organisation_id = obj.pk
    return represents(user, organisation_id)


@rules.predicate
def is_head(user, organisation=None) -> bool:
    """Only the head (or an authorised representative) adds and removes other representatives."""
    if organisation is None:
        return True
    from .models import Representative

    return Representative.objects.filter(
        organisation=organisation,
        user=user,
        active=True,
        role__in=[Representative.Role.HEAD, Representative.Role.AUTHORISED],
    ).exists()


declare("registry.application.submit", has_role("participant_rep") & is_applicant)
declare("registry.application.moderate", has_role("registrar"))
declare("registry.application.decide", has_role("commission_member"))
declare("registry.application.register", has_role("registrar"))
# Staff who read applications and their documents (the commission reads what it decides on).
declare("registry.application.read", has_role("registrar", "fund_admin", "commission_member", *AUDIT_READERS))
APPLICATION_READERS = ("registrar", "fund_admin", "commission_member", *AUDIT_READERS)
declare(
    "registry.application.api", (has_role("participant_rep") & is_applicant) | has_role(*APPLICATION_READERS)
)
declare("registry.portal", has_role("participant_rep"))
declare("registry.representatives.manage", has_role("participant_rep") & is_head)
declare("registry.membership.manage", has_role("registrar"))
declare("registry.membership.exit", has_role("participant_rep") & is_representative)
declare("registry.compliance.file", has_role("participant_rep") & is_representative)
declare("registry.compliance.review", has_role("registrar", "fund_admin", *AUDIT_READERS))
