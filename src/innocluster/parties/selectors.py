"""Reads of parties, for every domain above them: who an organisation is, who acts for it (only
*confirmed* representatives do) and which claims of authority wait for a registrar.

Other apps read parties here rather than through the models' managers, so the rule "a pending claim
is not a representation" lives in one place.
"""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from innocluster.parties.models import (
    Activity,
    AuthorityClaim,
    Individual,
    Organisation,
    Region,
    Representative,
)

Role = Representative.Role
# Those who may add and remove other representatives and take the organisation out (``is_head``).
MANAGING_ROLES = (Role.HEAD, Role.AUTHORISED)


def _user_id(user) -> int | None:
    if user is None or not getattr(user, "is_authenticated", True):
        return None
    return getattr(user, "pk", user if isinstance(user, int) else None)


# --- reference data and parties ------------------------------------------------------------------


def regions() -> QuerySet[Region]:
    return Region.objects.all()


def activities() -> QuerySet[Activity]:
    return Activity.objects.all()


def organisation_by_bin(bin: str | None) -> Organisation | None:
    if not bin:
        return None
    return Organisation.objects.filter(bin=bin).first()


def organisation_by_pk(pk: int) -> Organisation | None:
    return Organisation.objects.filter(pk=pk).select_related("region", "activity").first()


def individual_by_iin(iin: str | None) -> Individual | None:
    if not iin:
        return None
    return Individual.objects.filter(iin=iin).first()


def taken_bins() -> QuerySet:
    """Every BIN known (for generators that must not reuse one)."""
    return Organisation.objects.values_list("bin", flat=True)


def taken_iins() -> QuerySet:
    return Individual.objects.values_list("iin", flat=True)


# --- representatives -----------------------------------------------------------------------------


def representations(*, user=None, organisation=None, roles=None) -> QuerySet[Representative]:
    """Active (confirmed) representations, filtered by user and organisation (an id, a row or an
    ``OuterRef`` for an ``Exists`` subquery) and by role."""
    rows = Representative.objects.filter(active=True)
    if user is not None:
        rows = rows.filter(user_id=_user_id(user))
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    if roles is not None:
        rows = rows.filter(role__in=roles)
    return rows


def represents(user, organisation_id, roles=None) -> bool:
    """``user`` is a confirmed, active representative of the organisation (in one of ``roles``)."""
    user_id = _user_id(user)
    if organisation_id is None or user_id is None:
        return False
    return representations(user=user_id, organisation=organisation_id, roles=roles).exists()


def is_head_of(user, organisation_id) -> bool:
    """The head or an authorised representative (who manage the others)."""
    return represents(user, organisation_id, roles=MANAGING_ROLES)


def organisations_of(user) -> QuerySet[Organisation]:
    """The organisations ``user`` currently acts for (confirmed)."""
    user_id = _user_id(user)
    if user_id is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        representatives__user_id=user_id, representatives__active=True
    ).distinct()


def representations_of(user) -> QuerySet[Representative]:
    """The user's active representations with their organisations, by organisation name."""
    return representations(user=user).select_related("organisation").order_by("organisation__name_ru")


def organisation_acted_for(user, pk: int) -> Organisation | None:
    """Organisation ``pk`` if ``user`` currently acts for it (confirmed), else None (a 404)."""
    user_id = _user_id(user)
    if user_id is None:
        return None
    return organisations_of(user_id).filter(pk=pk).first()


def representatives_of(organisation) -> list[Representative]:
    """Every representation of an organisation, active first (inactive ones stay as history)."""
    return list(
        Representative.objects.filter(organisation=organisation)
        .select_related("user", "added_by")
        .order_by("-active", "role", "user__last_name", "user__username")
    )


def representative_of(organisation, pk: int) -> Representative | None:
    return Representative.objects.filter(organisation=organisation, pk=pk).select_related("user").first()


def representative_by_pk(pk: int) -> Representative | None:
    return Representative.objects.filter(pk=pk).select_related("user", "organisation").first()


def representative_users(organisation_id: int | None) -> list:
    """The active accounts acting for an organisation: whom to tell about its affairs."""
    if organisation_id is None:
        return []
    return [
        r.user
        for r in representations(organisation=organisation_id)
        .filter(user__is_active=True)
        .select_related("user")
        .order_by("id")
    ]


def head_users(organisation_id: int | None) -> list:
    """The active heads and authorised representatives of an organisation."""
    if organisation_id is None:
        return []
    return [
        r.user
        for r in representations(organisation=organisation_id, roles=MANAGING_ROLES)
        .filter(user__is_active=True)
        .select_related("user")
        .order_by("id")
    ]


def has_representatives(organisation_id) -> bool:
    return representations(organisation=organisation_id).exists()


# --- claims of authority -------------------------------------------------------------------------


def pending_claims(*, user=None, organisation=None) -> QuerySet[AuthorityClaim]:
    """Claims awaiting a registrar, by user and organisation (an id, a row or an ``OuterRef``)."""
    rows = AuthorityClaim.objects.filter(status=AuthorityClaim.Status.PENDING)
    if user is not None:
        rows = rows.filter(user_id=_user_id(user))
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    return rows


def pending_claim(user, organisation_id) -> AuthorityClaim | None:
    user_id = _user_id(user)
    if user_id is None or organisation_id is None:
        return None
    return pending_claims(user=user_id, organisation=organisation_id).first()


def claims_of(user) -> list[AuthorityClaim]:
    """The user's own claims, newest first (for their portal)."""
    user_id = _user_id(user)
    if user_id is None:
        return []
    return list(
        AuthorityClaim.objects.filter(user_id=user_id)
        .select_related("organisation")
        .order_by("-created_at", "-id")
    )


def claim_queue() -> list[AuthorityClaim]:
    """Pending claims, oldest first, each with ``days_waiting`` (calendar days since it was made)."""
    now = timezone.now()
    rows = list(
        pending_claims()
        .select_related("user", "organisation")
        .annotate(
            other_representatives=Count(
                "organisation__representatives",
                filter=Q(organisation__representatives__active=True),
                distinct=True,
            )
        )
        .order_by("created_at", "id")
    )
    for claim in rows:
        claim.days_waiting = (now - claim.created_at).days
    return rows


def pending_claim_count() -> int:
    return pending_claims().count()


def claim_by_pk(pk: int) -> AuthorityClaim | None:
    return AuthorityClaim.objects.filter(pk=pk).select_related("user", "organisation", "decided_by").first()


def claims_for(organisation) -> list[AuthorityClaim]:
    """Every claim on an organisation, newest first (for staff)."""
    return list(
        AuthorityClaim.objects.filter(organisation=organisation)
        .select_related("user", "decided_by")
        .order_by("-created_at", "-id")
    )
