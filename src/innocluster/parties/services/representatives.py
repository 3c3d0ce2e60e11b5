"""Who acts for an organisation. Rows are deactivated, never deleted, so who could act for whom on a
given day stays known; adding someone again re-activates their row.

A head adds and removes the organisation's people (portal); the Fund's registrar makes someone a
representative by confirming a claim of authority (:mod:`.claims`) and revokes one here (staff).
The organisation keeps at least one active head either way."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event, signed_in_user
from innocluster.core.notifications.services import notify
from innocluster.parties import selectors
from innocluster.parties.models import Organisation, Representative

Role = Representative.Role
MANAGING_ROLES = selectors.MANAGING_ROLES


def _is_first(organisation: Organisation, user, by) -> bool:
    """The system (seeding, an import) naming the first representative of an organisation. A person
    never names themselves: that is a claim of authority, which a registrar confirms."""
    if Representative.objects.filter(organisation=organisation, active=True).exists():
        return False
    return by is None


@transaction.atomic
def add_representative(organisation: Organisation, *, user, role: str, by) -> Representative:
    """Make ``user`` act for ``organisation`` (a head adding a colleague). The first one may be
    named by the system only (seeding, a confirmed claim) and must be able to manage the others
    (head or authorised), so an organisation is never left without one."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role in the organisation.")})
    # The lock makes the "no representative yet" test and the insert one step.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    first = _is_first(organisation, user, by)
    if not first:
        require(by, "parties.representatives.manage", organisation)
    elif role not in MANAGING_ROLES:
        raise ValidationError(
            {"role": _("The first representative must be the head or an authorised representative.")}
        )
    return _activate(organisation, user=user, role=role, by=by)


def _activate(organisation: Organisation, *, user, role: str, by, claim=None) -> Representative:
    """Insert or re-activate the row (the caller holds the organisation's lock and has checked who
    may do it)."""
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
        action, changes = "parties.representative.added", {"user": [None, user.pk], "role": [None, role]}
    else:
        before = existing.role
        existing.role, existing.active = role, True
        existing.added_by, existing.added_at = signed_in_user(by), timezone.now()
        existing.save(update_fields=["role", "active", "added_by", "added_at"])
        representative = existing
        action = "parties.representative.reactivated"
        changes = {"user": [None, user.pk], "role": [before, role], "active": [False, True]}
    if claim is not None:
        changes["claim"] = [None, claim.pk]
    record_event(action=action, actor=by, obj=representative, changes=changes)
    return representative


def _end(representative: Representative, *, by, reason: str, action: str) -> Representative:
    """Deactivate under the organisation's representatives' locks; the last active head stays."""
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
    record_event(action=action, actor=by, obj=current, changes={"active": [True, False]}, reason=reason)
    representative.active = False
    return current


@transaction.atomic
def deactivate_representative(representative: Representative, *, by, reason: str) -> Representative:
    """A head stops ``representative`` acting for the organisation (portal)."""
    require(by, "parties.representatives.manage", representative.organisation)
    return _end(representative, by=by, reason=reason, action="parties.representative.deactivated")


@transaction.atomic
def revoke_representative(representative: Representative, *, by, reason: str) -> Representative:
    """The Fund revokes someone's authority to act for an organisation (the power of attorney was
    withdrawn, the head changed, the claim proved false). The representative and the
    organisation's heads are told, with the reason."""
    require(by, "parties.representative.revoke", representative)
    current = _end(representative, by=by, reason=reason, action="parties.representative.revoked")
    recipients = [current.user, *selectors.head_users(current.organisation_id)]
    notify(
        recipients=recipients,
        key="parties.representative.revoked",
        context={
            "organisation": current.organisation.name,
            "person": current.user.get_full_name() or current.user.get_username(),
            "reason": reason.strip(),
        },
        obj=current,
        actor=by,
        url=reverse("portal:home"),
    )
    return current
