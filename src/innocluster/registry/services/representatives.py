"""Who acts for an organisation. Rows are deactivated, never deleted, so who could act for whom on a
given day stays known; adding someone again re-activates their row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event, signed_in_user
from innocluster.registry.models import Organisation, Representative

Role = Representative.Role
# Those who may add and remove other representatives (the ``is_head`` predicate).
MANAGING_ROLES = (Role.HEAD, Role.AUTHORISED)


def organisations_of(user) -> QuerySet[Organisation]:
    """The organisations ``user`` currently acts for."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(representatives__user=user, representatives__active=True).distinct()


def representative_users(organisation_id: int | None) -> list:
    """The active accounts acting for an organisation: whom to tell about its membership."""
    if organisation_id is None:
        return []
    return [
        r.user
        for r in Representative.objects.filter(
            organisation_id=organisation_id, active=True, user__is_active=True
        ).select_related("user")
    ]


def _is_first(organisation: Organisation, user, by) -> bool:
    """The applicant naming themselves (or the system naming them) for a new organisation."""
    if Representative.objects.filter(organisation=organisation, active=True).exists():
        return False
    return by is None or getattr(by, "pk", None) == user.pk


@transaction.atomic
def add_representative(organisation: Organisation, *, user, role: str, by) -> Representative:
    """Make ``user`` act for ``organisation``. The first one may name themselves and must be able
    to manage the others (head or authorised), so an organisation is never left without one."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role in the organisation.")})
    # The lock makes the "no representative yet" test and the insert one step.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    first = _is_first(organisation, user, by)
    if not first:
        require(by, "registry.representatives.manage", organisation)
    elif role not in MANAGING_ROLES:
        raise ValidationError(
            {"role": _("The first representative must be the head or an authorised representative.")}
        )
    if not user.is_active:
        raise ValidationError({"user": _("This account is disabled.")})
    existing = Representative.objects.select_for_update().filter(organisation=organisation, user=user).first()
    if existing is not None and existing.active:
        raise ValidationError(
            {"user": _("%(user)s already acts for this organisation.") % {"user": user.get_username()}}
        )
    if existing is None:
        representative = Representative.objects.create(
            organisation=organisation, user=user, role=role, added_by=signed_in_user(by)
        )
        action, changes = "registry.representative.added", {"user": [None, user.pk], "role": [None, role]}
    else:
        before = existing.role
        existing.role, existing.active = role, True
        existing.added_by, existing.added_at = signed_in_user(by), timezone.now()
        existing.save(update_fields=["role", "active", "added_by", "added_at"])
        representative = existing
        action = "registry.representative.reactivated"
        changes = {"user": [None, user.pk], "role": [before, role], "active": [False, True]}
    record_event(action=action, actor=by, obj=representative, changes=changes)
    return representative


@transaction.atomic
def deactivate_representative(representative: Representative, *, by, reason: str) -> Representative:
    """Stop ``representative`` acting for the organisation; the last active head stays."""
    require(by, "registry.representatives.manage", representative.organisation)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the representative no longer acts.")})
    rows = list(
        Representative.objects.select_for_update()
        .filter(organisation_id=representative.organisation_id, active=True)
        .order_by("id")
    )
    current = next((r for r in rows if r.pk == representative.pk), None)
    if current is None:
        raise ValidationError(_("This representative is already inactive."))
    if current.role == Role.HEAD and not any(r.role == Role.HEAD and r.pk != current.pk for r in rows):
        raise ValidationError(
            _("The organisation's last active head cannot be removed; add another head first.")
        )
    current.active = False
    current.save(update_fields=["active"])
    record_event(
        action="registry.representative.deactivated",
        actor=by,
        obj=current,
        changes={"active": [True, False]},
        reason=reason,
    )
    representative.active = False
    return current
