"""Pages of parties. The portal's: a person's claims of authority and a new claim for an
organisation known to the Fund. The staff's: the queue of claims of authority (confirm against the document, or
reject with a reason), an organisation's representatives and claims, and revoking a representative.
Every write goes through ``parties.services``; these views only read forms and show refusals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innocluster.core.access.views import requires
from innocluster.core.audit.services import record_event
from innocluster.core.http import apply_errors, client_ip, file_attachment, open_stored_or_404, see_other
from innocluster.parties import selectors
from innocluster.parties.forms import (
    ClaimForm,
    ConfirmClaimForm,
    FindOrganisationForm,
    RejectClaimForm,
    RevokeForm,
)
from innocluster.parties.models import Organisation
from innocluster.parties.services import claims, representatives

DECISIONS = {"confirm": ConfirmClaimForm, "reject": RejectClaimForm}


def _queue(request, *, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    rows = [
        {
            "claim": claim,
            "confirm": bound.get((claim.pk, "confirm")) or ConfirmClaimForm(prefix=f"c{claim.pk}"),
            "reject": bound.get((claim.pk, "reject")) or RejectClaimForm(prefix=f"r{claim.pk}"),
        }
        for claim in selectors.claim_queue()
    ]
    find = FindOrganisationForm(request.GET or None)
    return render(request, "parties/staff/claims.html", {"rows": rows, "find": find}, status=status)


@requires("parties.claim.decide")
@require_safe
def claim_queue(request):
    """Pending claims, oldest first, with the document and the days each has waited; a BIN typed
    in the search box leads to that organisation's representatives."""
    if "bin" in request.GET:
        organisation = selectors.organisation_by_bin("".join(request.GET["bin"].split()))
        if organisation is not None:
            return redirect("parties_staff:organisation", organisation.pk)
        messages.error(request, _("No organisation with this BIN is known to the Fund."))
    return _queue(request)


def _claim_or_404(pk: int):
    claim = selectors.claim_by_pk(pk)
    if claim is None:
        raise Http404(_("There is no such claim."))
    return claim


@requires("parties.claim.decide")
@require_safe
def claim_document(request, pk: int):
    """The document of a claim, under its original name (the read is audited)."""
    claim = _claim_or_404(pk)
    handle = open_stored_or_404(claim.file)
    record_event(action="parties.claim.document_read", actor=request.user, obj=claim, ip=client_ip(request))
    return file_attachment(handle, filename=claim.original_name, content_type=claim.content_type)


@requires("parties.claim.decide")
@require_POST
def claim_decide(request, pk: int, action: str):
    """Confirm (the claimant becomes a representative) or reject (with a reason)."""
    if action not in DECISIONS:
        raise Http404(_("There is no such action."))
    claim = _claim_or_404(pk)
    prefix = f"c{pk}" if action == "confirm" else f"r{pk}"
    form = DECISIONS[action](request.POST, prefix=prefix)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if action == "confirm":
                claims.confirm_claim(claim, by=request.user, reason=reason)
                message = _("%(person)s now acts for %(name)s.")
            else:
                claims.reject_claim(claim, by=request.user, reason=reason)
                message = _("The claim of %(person)s to act for %(name)s is rejected.")
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_errors(form, error)
            else:
                messages.error(request, " ".join(error.messages))
                return see_other("parties_staff:claims")
        else:
            person = claim.user.get_full_name() or claim.user.get_username()
            messages.success(request, message % {"person": person, "name": claim.organisation.name})
            return see_other("parties_staff:claims")
    return _queue(request, bound={(pk, action): form}, status=400)


def _organisation_or_404(pk: int) -> Organisation:
    organisation = selectors.organisation_by_pk(pk)
    if organisation is None:
        raise Http404(_("There is no such organisation."))
    return organisation


@requires("parties.representative.revoke")
@require_safe
def organisation(request, pk: int):
    """Who acts for an organisation (active and former) and every claim on it."""
    found = _organisation_or_404(pk)
    rows = selectors.representatives_of(found)
    context = {
        "organisation": found,
        "active": [r for r in rows if r.active],
        "former": [r for r in rows if not r.active],
        "claims": selectors.claims_for(found),
    }
    return render(request, "parties/staff/organisation.html", context)


@requires("parties.representative.revoke")
@require_http_methods(["GET", "HEAD", "POST"])
def revoke(request, pk: int):
    """Revoke a representative's authority (reason required; audited; they and the heads are told)."""
    representative = selectors.representative_by_pk(pk)
    if representative is None or not representative.active:
        raise Http404(_("There is no such active representative."))
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            representatives.revoke_representative(
                representative, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                apply_errors(form, error)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(person)s no longer acts for %(name)s.")
                % {
                    "person": representative.user.get_full_name() or representative.user.get_username(),
                    "name": representative.organisation.name,
                },
            )
            return see_other("parties_staff:organisation", representative.organisation_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "parties/staff/revoke.html", {"representative": representative, "form": form}, status=status
    )


# --- portal: my claims -----------------------------------------------------------------------------


@requires("parties.claim.file")
@require_http_methods(["GET", "HEAD", "POST"])
def my_claims(request):
    """The user's claims and a form to claim authority for an organisation known to the Fund (a
    new organisation is entered with an application, which makes the claim)."""
    form = ClaimForm(*((request.POST, request.FILES) if request.method == "POST" else (None,)))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = selectors.organisation_by_bin(data["bin"])
        if found is None:
            form.add_error(
                "bin",
                _(
                    "No organisation with this BIN is known to the Fund. Enter a new organisation in an application."
                ),
            )
        else:
            try:
                claims.file_claim(found, by=request.user, role=data["role"], uploaded_file=data["document"])
            except ValidationError as error:
                apply_errors(form, _claim_errors(error))
            else:
                messages.success(
                    request,
                    _("Your claim to act for %(name)s is with the Fund's registrar.") % {"name": found.name},
                )
                return see_other("parties_portal:claims")
    status = 400 if request.method == "POST" else 200
    context = {"claims": selectors.claims_of(request.user), "form": form}
    return render(request, "parties/portal/claims.html", context, status=status)


def _claim_errors(error: ValidationError) -> ValidationError:
    """The service names the document ``authority_document``; this form calls it ``document``."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {("document" if k == "authority_document" else k): v for k, v in error.error_dict.items()}
    )
