"""Granting and revoking roles: audited, never deleting history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.audit.services import record_event, signed_in_user

from .models import RoleAssignment
from .roles import role_keys


@transaction.atomic
def grant_role(*, user, role: str, by=None, reason: str = "") -> RoleAssignment:
    if role not in role_keys():
        raise ValidationError({"role": _("Unknown role: %(r)s") % {"r": role}})
    if RoleAssignment.objects.filter(user=user, role=role, revoked_at__isnull=True).exists():
        raise ValidationError({"role": _("%(u)s already holds this role.") % {"u": user.get_username()}})
    assignment = RoleAssignment.objects.create(
        user=user, role=role, granted_by=signed_in_user(by), reason=reason
    )
    record_event(
        action="access.role.granted", actor=by, obj=user, changes={"role": [None, role]}, reason=reason
    )
    _forget(user)
    return assignment


@transaction.atomic
def revoke_role(*, user, role: str, by=None, reason: str) -> RoleAssignment:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the role is withdrawn.")})
    assignment = (
        RoleAssignment.objects.select_for_update()
        .filter(user=user, role=role, revoked_at__isnull=True)
        .first()
    )
    if assignment is None:
        raise ValidationError({"role": _("%(u)s does not hold this role.") % {"u": user.get_username()}})
    assignment.revoked_at = timezone.now()
    assignment.revoked_by = signed_in_user(by)
    assignment.save(update_fields=["revoked_at", "revoked_by"])
    record_event(
        action="access.role.revoked", actor=by, obj=user, changes={"role": [role, None]}, reason=reason
    )
    _forget(user)
    return assignment


def _forget(user) -> None:
    user.__dict__.pop("_innocluster_roles", None)
