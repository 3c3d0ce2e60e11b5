"""Who may do what with parties. Object-level predicates take the object the action is about (an
Organisation, or anything with an ``organisation_id``); with no object they answer whether the role
could ever do it (for menus and the authorization table).

A *pending* claim of authority is not a representation: these predicates see confirmed, active
representatives only, so every domain that asks them refuses an unconfirmed claimant alike.
"""

import rules

from innocluster.core.access.permissions import declare, granted, has_role
from innocluster.parties import selectors

MANAGING_ROLES = selectors.MANAGING_ROLES


def organisation_id_of(obj):
    """The organisation an object is about: an Organisation, or anything with ``organisation_id``."""
    if obj._meta.model_name == "organisation":
        return obj.pk
    return getattr(obj, "organisation_id", None)


def represents(user, organisation_id) -> bool:
    """``user`` is a confirmed, active representative of the organisation."""
    return selectors.represents(user, organisation_id)


@rules.predicate
def is_representative(user, obj=None) -> bool:
    """Acts (confirmed) for the organisation ``obj`` is about."""
    if obj is None:
        return True
    return represents(user, organisation_id_of(obj))


@rules.predicate
def is_head(user, obj=None) -> bool:
    """The head or an authorised representative: who adds and removes representatives and who may
    take the organisation out of the cluster."""
    if obj is None:
        return True
    return selectors.is_head_of(user, organisation_id_of(obj))


declare("parties.representatives.manage", has_role("participant_rep") & is_head)
# Anyone who applies for an organisation may claim to act for it, and any role of an app that
# says so (a subsoil user's representative: ``RoleSpec.holds``); the registrar decides.
declare("parties.claim.file", has_role("participant_rep") | granted("parties.claim.file"))
declare("parties.claim.decide", has_role("registrar", "fund_admin"))
declare("parties.representative.revoke", has_role("registrar", "fund_admin"))
