"""Who may do what in the register. Object-level predicates take the object the action is about;
with no object they answer whether the role could ever do it (for menus and the authorization table)."""

import rules
from django.db.models import Exists, OuterRef, Q

from innocluster.core.access.permissions import anyone, declare, has_role, in_role_group
from innocluster.core.access.roles import AUDIT_READERS
from innocluster.core.decisions.executors import carrying_out
from innocluster.parties import selectors as parties
from innocluster.parties.permissions import MANAGING_ROLES, is_head, is_representative
from innocluster.registry.roles import ADMISSION

declare("registry.public", anyone)
declare("registry.register", has_role("registrar", "fund_admin"))
declare("registry.view_personal_data", has_role("registrar", "fund_admin", *AUDIT_READERS))
declare("registry.staff_view", in_role_group("staff") | has_role(*AUDIT_READERS))


def acts_for_application(user, application) -> bool:
    """Who acts for an application: its applicant while no organisation is attached (or for an
    individual); once it is an organisation's, the applicant while they represent it or their claim
    of authority waits for the registrar (to prepare the draft, not to submit it), and the
    organisation's confirmed head or authorised representatives. A representative who was removed
    loses the application with the organisation."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return False
    if application.organisation_id is None:
        return application.applicant_id == user_id
    if application.applicant_id == user_id:
        return parties.represents(user_id, application.organisation_id) or (
            parties.pending_claim(user_id, application.organisation_id) is not None
        )
    return parties.is_head_of(user_id, application.organisation_id)


def applications_acted_for(user) -> Q:
    """:func:`acts_for_application` as a filter on applications (for lists and 404 lookups)."""
    user_id = getattr(user, "pk", None)
    active = parties.representations(user=user_id, organisation=OuterRef("organisation"))
    claimed = parties.pending_claims(user=user_id, organisation=OuterRef("organisation"))
    return (
        Q(organisation__isnull=True, applicant_id=user_id)
        | (Q(applicant_id=user_id) & (Exists(active) | Exists(claimed)))
        | Exists(active.filter(role__in=MANAGING_ROLES))
    )


@rules.predicate
def is_applicant(user, application=None) -> bool:
    """Acts on an application they act for only (another's is not even found: 404)."""
    return application is None or acts_for_application(user, application)


declare("registry.application.submit", has_role("participant_rep") & is_applicant)
declare("registry.application.moderate", has_role("registrar"))
# The commission decides; a resolution admitting an applicant is carried out by whoever may carry
# decisions out (``core.decisions.executors``), only while it is being carried out.
declare("registry.application.decide", has_role("commission_member") | carrying_out(ADMISSION))
declare("registry.application.register", has_role("registrar"))
# Staff who read applications and their documents (the commission reads what it decides on).
declare("registry.application.read", has_role("registrar", "fund_admin", "commission_member", *AUDIT_READERS))
APPLICATION_READERS = ("registrar", "fund_admin", "commission_member", *AUDIT_READERS)
declare(
    "registry.application.api", (has_role("participant_rep") & is_applicant) | has_role(*APPLICATION_READERS)
)
declare("registry.portal", has_role("participant_rep"))
declare("registry.membership.manage", has_role("registrar"))
declare("registry.membership.exit", has_role("participant_rep") & is_head)
# The membership endpoint of the API: who may perform some membership transition (the dispatcher
# asks the transition's own action of the entry).
declare("registry.membership.api", has_role("registrar") | (has_role("participant_rep") & is_head))
declare("registry.compliance.file", has_role("participant_rep") & is_representative)
declare("registry.compliance.review", has_role("registrar", "fund_admin", *AUDIT_READERS))
