"""Who may do what in the register. Object-level predicates take the object the action is about;
with no object they answer whether the role could ever do it (for menus and the authorization table)."""

import rules
from django.db.models import Exists, OuterRef, Q

from innocluster.core.access.permissions import anyone, declare, has_role
from innocluster.core.access.roles import AUDIT_READERS, FUND_STAFF

declare("registry.public", anyone)
declare("registry.register", has_role("registrar", "fund_admin"))
declare("registry.view_personal_data", has_role("registrar", "fund_admin", *AUDIT_READERS))
declare("registry.staff_view", has_role(*FUND_STAFF, *AUDIT_READERS))


MANAGING_ROLES = ("head", "authorised")


def acts_for_application(user, application) -> bool:
    """Who acts for an application: its applicant while no organisation is attached (or for an
    individual); once it is an organisation's, the applicant only while they still represent it,
    and the organisation's head or authorised representatives. A representative who was removed
    loses the application with the organisation."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return False
    if application.organisation_id is None:
        return application.applicant_id == user_id
    from innocluster.registry.models import Representative

    representations = Representative.objects.filter(
        organisation_id=application.organisation_id, user_id=user_id, active=True
    )
    if application.applicant_id != user_id:
        representations = representations.filter(role__in=MANAGING_ROLES)
    return representations.exists()


def applications_acted_for(user) -> Q:
    """:func:`acts_for_application` as a filter on applications (for lists and 404 lookups)."""
    from innocluster.registry.models import Representative

    user_id = getattr(user, "pk", None)
    active = Representative.objects.filter(
        organisation=OuterRef("organisation"), user_id=user_id, active=True
    )
    return (
        Q(organisation__isnull=True, applicant_id=user_id)
        | (Q(applicant_id=user_id) & Exists(active))
        | Exists(active.filter(role__in=MANAGING_ROLES))
    )


@rules.predicate
def is_applicant(user, application=None) -> bool:
    """Acts on an application they act for only (another's is not even found: 404)."""
    return application is None or acts_for_application(user, application)


def represents(user, organisation_id) -> bool:
    """``user`` is an active representative of the organisation."""
    if organisation_id is None or not getattr(user, "is_authenticated", False):
        return False
    from innocluster.registry.models import Representative

    return Representative.objects.filter(organisation_id=organisation_id, user=user, active=True).exists()


def _organisation_id(obj):
    """The organisation an object is about: an Organisation, or anything with ``organisation_id``."""
    if obj._meta.model_name == "organisation":
        return obj.pk
    return getattr(obj, "organisation_id", None)


@rules.predicate
def is_representative(user, obj=None) -> bool:
    """Acts for the organisation ``obj`` is about (an Organisation, a Participant or anything with
    an ``organisation_id``)."""
    if obj is None:
        return True
    return represents(user, _organisation_id(obj))


@rules.predicate
def is_head(user, obj=None) -> bool:
    """The head or an authorised representative: who adds and removes representatives and who may
    take the organisation out of the cluster."""
    if obj is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    from innocluster.registry.models import Representative

    return Representative.objects.filter(
        organisation_id=_organisation_id(obj), user=user, active=True, role__in=MANAGING_ROLES
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
declare("registry.membership.exit", has_role("participant_rep") & is_head)
# The membership endpoint of the API: who may perform some membership transition (the dispatcher
# asks the transition's own action of the entry).
declare("registry.membership.api", has_role("registrar") | (has_role("participant_rep") & is_head))
declare("registry.compliance.file", has_role("participant_rep") & is_representative)
declare("registry.compliance.review", has_role("registrar", "fund_admin", *AUDIT_READERS))
