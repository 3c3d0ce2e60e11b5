"""Claims of authority: a person says they act for an organisation and uploads the document that
shows it (the charter naming the head, or a power of attorney); a registrar confirms the claim
against the document, which makes the person a representative, or rejects it with a reason.

Until then the claimant is no representative: every predicate and selector of ``parties`` sees
confirmed representatives only, so the claimant can prepare a draft but cannot submit it, sign an
agreement or see the organisation's other records, on the HTML pages and the API alike.
"""

import os

import magic
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.core.files import fingerprint, original_name, stored
from innocluster.core.notifications.services import notify
from innocluster.parties import selectors
from innocluster.parties.models import AuthorityClaim, Organisation, Representative
from innocluster.parties.services.representatives import _activate

Status = AuthorityClaim.Status
# A charter or a power of attorney is a scan or a PDF; anything else is refused by its bytes.
ACCEPTED = {"application/pdf": (".pdf",), "image/png": (".png",), "image/jpeg": (".jpg", ".jpeg")}
MAX_MEGABYTES = 20
SNIFF_SIZE = 8 * 1024


def not_confirmed_message(organisation: Organisation) -> str:
    """The one plain message every interface shows an unconfirmed claimant."""
    return _(
        "Your authority to act for %(name)s is not confirmed yet: the Fund's registrar checks the "
        "document you uploaded (charter or power of attorney). You can keep preparing the draft; "
        "it can be submitted once the claim is confirmed."
    ) % {"name": organisation.name}


def require_confirmed(user, organisation: Organisation | None, field: str = "organisation") -> None:
    """Refuse, with :func:`not_confirmed_message`, anyone who does not act (confirmed) for the
    organisation. Services of every domain call this before a step only a representative takes."""
    if organisation is None or selectors.represents(user, organisation.pk):
        return
    raise ValidationError({field: not_confirmed_message(organisation)})


def _refuse(message: str) -> ValidationError:
    return ValidationError({"authority_document": message})


def check_document(uploaded_file):
    """The document's fingerprint and type, judged by its bytes (PDF, PNG or JPEG, named as such,
    at most ``MAX_MEGABYTES``), or a refusal on ``authority_document``."""
    if uploaded_file is None:
        raise _refuse(
            _(
                "Upload the document that shows you may act for the organisation: its charter or a power of attorney."
            )
        )
    if not hasattr(uploaded_file, "chunks"):
        uploaded_file = File(uploaded_file)
    name = original_name(uploaded_file)
    found = fingerprint(uploaded_file, head_size=SNIFF_SIZE)
    if found.size == 0:
        raise _refuse(_("The file %(name)s is empty.") % {"name": name})
    if found.size > MAX_MEGABYTES * 1024 * 1024:
        raise _refuse(
            _("The file %(name)s is %(size)s; the largest accepted is %(limit)s MB.")
            % {"name": name, "size": filesizeformat(found.size), "limit": MAX_MEGABYTES}
        )
    mime = magic.from_buffer(found.head, mime=True)
    extension = os.path.splitext(name)[1].lower()
    if mime not in ACCEPTED or extension not in ACCEPTED[mime]:
        raise _refuse(
            _(
                "The file %(name)s is not a PDF, PNG or JPEG file named as such; scan the document to one of these."
            )
            % {"name": name}
        )
    return uploaded_file, name, mime, found


@transaction.atomic
def file_claim(organisation: Organisation, *, by, role: str, uploaded_file) -> AuthorityClaim:
    """``by`` claims to act for ``organisation`` as ``role`` (head or authorised representative),
    with the document. One pending claim per person and organisation; none for someone who
    already acts for it."""
    require(by, "parties.claim.file")
    if role not in AuthorityClaim.CLAIMABLE_ROLES:
        raise ValidationError({"role": _("Claim to be the head or an authorised representative.")})
    if selectors.represents(by, organisation.pk):
        raise ValidationError({"bin": _("You already act for %(name)s.") % {"name": organisation.name}})
    if selectors.pending_claim(by, organisation.pk) is not None:
        raise ValidationError(
            {
                "bin": _("Your claim to act for %(name)s is already with the registrar.")
                % {"name": organisation.name}
            }
        )
    uploaded_file, name, mime, found = check_document(uploaded_file)
    claim = AuthorityClaim(
        user=by,
        organisation=organisation,
        role=role,
        original_name=name,
        content_type=mime,
        size=found.size,
        sha256=found.sha256,
    )
    with stored(claim.file, name, uploaded_file):
        try:
            with transaction.atomic():
                claim.save(force_insert=True)
        except IntegrityError:  # a second tab filed the same claim a moment ago
            raise ValidationError(
                {
                    "bin": _("Your claim to act for %(name)s is already with the registrar.")
                    % {"name": organisation.name}
                }
            ) from None
        record_event(
            action="parties.claim.filed",
            actor=by,
            obj=claim,
            changes={
                "organisation": [None, organisation.pk],
                "role": [None, role],
                "document": [None, {"name": name, "sha256": found.sha256, "size": found.size}],
            },
        )
    return claim


def _pending(claim: AuthorityClaim) -> AuthorityClaim:
    locked = (
        AuthorityClaim.objects.select_for_update().select_related("user", "organisation").get(pk=claim.pk)
    )
    if locked.status != Status.PENDING:
        raise ValidationError(_("This claim is already %(state)s.") % {"state": Status(locked.status).label})
    return locked


def _decided(locked: AuthorityClaim, status: str, *, by, reason: str) -> None:
    locked.status, locked.decided_by, locked.decided_at, locked.reason = status, by, timezone.now(), reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])


def _tell(claim: AuthorityClaim, *, by) -> None:
    notify(
        recipients=[claim.user],
        key="parties.claim.decided",
        context={
            "organisation": claim.organisation.name,
            "role": Representative.Role(claim.role).label,
            "state": Status(claim.status).label,
            "confirmed": claim.status == Status.CONFIRMED,
            "reason": claim.reason,
        },
        obj=claim,
        actor=by,
        url=reverse("portal:home"),
    )


@transaction.atomic
def confirm_claim(claim: AuthorityClaim, *, by, reason: str = "") -> Representative:
    """The registrar has checked the document: the claimant now acts for the organisation in the
    claimed role (their row is created or re-activated) and is told."""
    require(by, "parties.claim.decide", claim)
    # Lock order: the organisation, then the claim (as everywhere representatives change).
    Organisation.objects.select_for_update().only("pk").get(pk=claim.organisation_id)
    locked = _pending(claim)
    if locked.user_id == getattr(by, "pk", None):
        raise ValidationError(_("A claim is confirmed by someone other than the claimant."))
    _decided(locked, Status.CONFIRMED, by=by, reason=(reason or "").strip())
    record_event(
        action="parties.claim.confirmed",
        actor=by,
        obj=locked,
        changes={"status": [Status.PENDING, Status.CONFIRMED]},
        reason=locked.reason,
    )
    if selectors.represents(locked.user, locked.organisation_id):
        representative = selectors.representations(
            user=locked.user, organisation=locked.organisation_id
        ).get()
    else:
        representative = _activate(
            locked.organisation, user=locked.user, role=locked.role, by=by, claim=locked
        )
    _tell(locked, by=by)
    claim.status = locked.status
    return representative


@transaction.atomic
def reject_claim(claim: AuthorityClaim, *, by, reason: str) -> AuthorityClaim:
    """The document does not show the claimed authority: the claim is rejected with the reason,
    which the claimant reads."""
    require(by, "parties.claim.decide", claim)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the claim is rejected, so the claimant can put it right.")}
        )
    locked = _pending(claim)
    _decided(locked, Status.REJECTED, by=by, reason=reason)
    record_event(
        action="parties.claim.rejected",
        actor=by,
        obj=locked,
        changes={"status": [Status.PENDING, Status.REJECTED]},
        reason=reason,
    )
    _tell(locked, by=by)
    claim.status = locked.status
    return locked


@transaction.atomic
def withdraw_claim(claim: AuthorityClaim, *, by) -> AuthorityClaim:
    """The claimant takes their pending claim back."""
    if claim.user_id != getattr(by, "pk", None):
        raise Http404  # another's claim is not found
    locked = _pending(claim)
    _decided(locked, Status.WITHDRAWN, by=by, reason="")
    record_event(
        action="parties.claim.withdrawn",
        actor=by,
        obj=locked,
        changes={"status": [Status.PENDING, Status.WITHDRAWN]},
    )
    claim.status = locked.status
    return locked
