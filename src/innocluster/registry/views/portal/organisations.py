"""The portal's pages for an organisation the user acts for: its representatives, the annual report
and voluntary exit. Another organisation is not found (404), never forbidden."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.http import (
    apply_errors,
    see_other,
)
from innocluster.core.workflow import TransitionDenied
from innocluster.parties.services import representatives
from innocluster.registry.forms.portal import (
    AddRepresentativeForm,
    ComplianceReportForm,
    DeactivateRepresentativeForm,
    LeaveForm,
)
from innocluster.registry.selectors import portal as selectors
from innocluster.registry.services import compliance
from innocluster.registry.views.portal.common import GET_OR_POST, organisation_or_404, posted

# --- organisations: representatives and the annual report ---------------------------------------


def _render_representatives(request, organisation, *, add_form=None, deactivate_forms=None):
    can_manage = can(request.user, "parties.representatives.manage", organisation).allowed
    deactivate_forms = deactivate_forms or {}
    rows = []
    for representative in selectors.representatives_of(organisation):
        form = None
        if can_manage and representative.active and representative.user_id != request.user.pk:
            form = deactivate_forms.get(representative.pk) or DeactivateRepresentativeForm(
                prefix=f"r{representative.pk}"
            )
        rows.append({"representative": representative, "form": form})
    context = {
        "organisation": organisation,
        "active": [r for r in rows if r["representative"].active],
        "former": [r for r in rows if not r["representative"].active],
        "can_manage": can_manage,
        "add_form": (add_form or AddRepresentativeForm()) if can_manage else None,
    }
    return render(request, "registry/portal/representatives.html", context)


@requires("registry.portal")
@require_safe
def representatives_page(request, pk: int):
    """Who acts for the organisation and in which role; the head adds and removes people."""
    organisation = organisation_or_404(request, pk)
    return _render_representatives(request, organisation)


@requires("parties.representatives.manage")
@require_POST
def representative_add(request, pk: int):
    organisation = organisation_or_404(request, pk)
    form = AddRepresentativeForm(request.POST)
    if form.is_valid():
        try:
            added = representatives.add_representative(
                organisation, user=form.user, role=form.cleaned_data["role"], by=request.user
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "user" in error.error_dict:
                error = ValidationError({"email": error.error_dict.pop("user"), **error.error_dict})
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(user)s now acts for the organisation as %(role)s.")
                % {"user": added.user.get_username(), "role": added.get_role_display()},
            )
            return see_other("portal:representatives", organisation.pk)
    return _render_representatives(request, organisation, add_form=form)


@requires("parties.representatives.manage")
@require_POST
def representative_deactivate(request, pk: int, representative_pk: int):
    organisation = organisation_or_404(request, pk)
    representative = selectors.representative_of(organisation, representative_pk)
    if representative is None:
        raise Http404(_("There is no such representative."))
    form = DeactivateRepresentativeForm(request.POST, prefix=f"r{representative.pk}")
    if form.is_valid():
        try:
            representatives.deactivate_representative(
                representative, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(user)s no longer acts for the organisation.")
                % {"user": representative.user.get_username()},
            )
            return see_other("portal:representatives", organisation.pk)
    return _render_representatives(request, organisation, deactivate_forms={representative.pk: form})


@requires("registry.compliance.file")
@require_http_methods(GET_OR_POST)
def report(request, pk: int):
    """File the annual report of a registered participant; the regime's tests are applied and the
    result is shown with each test's message and legal reference. Earlier versions stay listed."""
    organisation = organisation_or_404(request, pk)
    participant = organisation.register_entry
    form = None
    first_year = None
    if participant is not None:
        # Only years that have ended (Almaty's today in a later year), newest (last year) first.
        years = compliance.reportable_years(participant, selectors.today())
        if years:
            form = ComplianceReportForm(posted(request), years=years, initial={"year": years[0]})
        elif request.method == "POST":
            messages.error(request, _("No year has ended since the organisation joined the cluster."))
            return see_other("portal:report", organisation.pk)
        else:
            first_year = participant.registered_on.year
    if form is not None:
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                compliance.file_report(
                    participant,
                    year=data["year"],
                    revenue=data["revenue"],
                    priority_revenue=data["priority_revenue"],
                    staff_count=data["staff_count"],
                    rd_spend=data["rd_spend"],
                    exports=data["exports"],
                    by=request.user,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The report is filed. Its result is shown below."))
                return see_other("portal:report", organisation.pk)
    elif request.method == "POST":
        raise Http404(_("The organisation is not in the register."))
    reports = selectors.reports_of(participant) if participant is not None else []
    context = {
        "organisation": organisation,
        "participant": participant,
        "form": form,
        "reports": reports,
        "latest": selectors.latest_report(reports),
        "report_url": reverse("portal:report", args=[organisation.pk]),
        "first_year": first_year,
    }
    return render(request, "registry/portal/report.html", context)


@requires("registry.membership.exit")
@require_http_methods(GET_OR_POST)
def leave(request, pk: int):
    """A representative asks to leave the cluster: the register records a voluntary exit today,
    with the reason given; the page says what that means before anything is done. The exit is
    ``PARTICIPANT_WORKFLOW``'s ``exit`` transition, as from the API and the CLI."""
    from innocluster.registry.models import Participant
    from innocluster.registry.workflow import PARTICIPANT_WORKFLOW

    organisation = organisation_or_404(request, pk)
    participant = organisation.register_entry
    if participant is None or participant.status not in (
        Participant.Status.REGISTERED,
        Participant.Status.SUSPENDED,
    ):
        raise Http404(_("The organisation is not a participant that can leave."))
    form = LeaveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            PARTICIPANT_WORKFLOW.perform(
                participant, "exit", by=request.user, reason=form.cleaned_data["reason"]
            )
        except TransitionDenied as error:
            raise PermissionDenied(str(error)) from error
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has left the innovation cluster. The register shows this from today.")
                % {"name": organisation.name},
            )
            return see_other("portal:home")
    return render(
        request,
        "registry/portal/leave.html",
        {"organisation": organisation, "participant": participant, "form": form},
    )
