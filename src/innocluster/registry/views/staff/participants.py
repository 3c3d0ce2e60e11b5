"""Staff pages of register entries: a participant's record, the membership actions (suspend,
reinstate, exclude), the certificate, and the failed compliance reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from innocluster.core.access.permissions import require
from innocluster.core.access.views import requires
from innocluster.core.http import apply_errors, pdf_attachment, see_other
from innocluster.core.workflow import TransitionDenied
from innocluster.registry.forms.staff import (
    ExcludeForm,
    ReinstateForm,
    SuspendForm,
)
from innocluster.registry.models import Participant
from innocluster.registry.selectors import staff as selectors
from innocluster.registry.selectors.project import project_of
from innocluster.registry.services import membership
from innocluster.registry.views.staff.common import date_text, failed_checks, iin_for
from innocluster.registry.workflow import PARTICIPANT_WORKFLOW

# --- 6. a register entry --------------------------------------------------------------------------


def _participant_or_404(request, number: str, action: str = "registry.staff_view") -> Participant:
    participant = selectors.participant_detail(number)
    if participant is None:
        raise Http404(_("There is no such participant."))
    require(request.user, action, participant)
    return participant


def _response_due(participant: Participant):
    """The answer date of the suspension in force (from the prefetched history)."""
    if participant.status != Participant.Status.SUSPENDED:
        return None
    history = list(participant.history.all())
    latest = max(history, key=lambda c: c.id, default=None)
    return latest.response_due if latest and latest.status == Participant.Status.SUSPENDED else None


# The form of each membership transition on the staff page; who may do what from which status is
# ``PARTICIPANT_WORKFLOW``'s table (voluntary exit is the portal's: a representative's own act).
FORMS = {"suspend": SuspendForm, "reinstate": ReinstateForm, "exclude": ExcludeForm}


def _membership_forms(request, participant: Participant, bound: dict) -> dict:
    forms = {
        t.name: FORMS[t.name]()
        for t in PARTICIPANT_WORKFLOW.available(request.user, participant)
        if t.name in FORMS
    }
    forms.update(bound)
    return forms


def _render_participant(request, participant: Participant, *, bound: dict | None = None, status: int = 200):
    reports = [{"report": r, "failed": failed_checks(r)} for r in participant.compliance_reports.all()]
    application = selectors.participant_application(participant)
    iin = iin_for(
        request,
        participant.individual,
        where={"page": "staff participant", "participant": participant.number},
    )
    return render(
        request,
        "registry/staff/participant.html",
        {
            "participant": participant,
            "iin": iin,
            "application": application,
            "project": project_of(application) if application is not None else None,
            "history": list(participant.history.all()),
            "reports": reports,
            "response_due": _response_due(participant),
            "forms": _membership_forms(request, participant, bound or {}),
        },
        status=status,
    )


@requires("registry.staff_view")
@require_safe
def participant(request, number: str):
    """A register entry as staff see it: member, status with its history and decisions, the
    answer date of a suspension, compliance reports, and the membership actions."""
    return _render_participant(request, _participant_or_404(request, number))


def _success(participant: Participant, name: str) -> str:
    if name == "suspend":
        return _("%(number)s is suspended. The participant may answer the grounds until %(date)s.") % {
            "number": participant.number,
            "date": date_text(membership.current_response_due(participant)),
        }
    if name == "reinstate":
        return _("%(number)s is reinstated.") % {"number": participant.number}
    return _("%(number)s is excluded from the register.") % {"number": participant.number}


@requires("registry.membership.manage")
@require_POST
def participant_action(request, number: str, action: str):
    """Suspend (the answer period starts), reinstate, or exclude on a recorded decision, through
    ``PARTICIPANT_WORKFLOW.perform`` (as the API and the CLI do)."""
    form_class = FORMS.get(action)
    if form_class is None:
        raise Http404(_("There is no such action."))
    entry = _participant_or_404(request, number)
    form = form_class(request.POST)
    try:
        PARTICIPANT_WORKFLOW.check(request.user, action, entry)
        if form.is_valid():
            PARTICIPANT_WORKFLOW.perform(entry, action, by=request.user, **form.inputs())
            messages.success(request, _success(entry, action))
            return see_other("registry_staff:participant", entry.number)
    except TransitionDenied as error:
        raise PermissionDenied(str(error)) from error
    except ValidationError as error:
        apply_errors(form, error)
    entry = selectors.participant_detail(number)
    return _render_participant(request, entry, bound={action: form}, status=400)


@requires("registry.staff_view")
@require_safe
def certificate(request, number: str):
    """The certificate of a register entry with the QR code of its public verification page."""
    from innocluster.registry.pdf import certificate_pdf

    entry = _participant_or_404(request, number)
    return pdf_attachment(certificate_pdf(entry), f"certificate-{entry.number}.pdf")


# --- 7. compliance --------------------------------------------------------------------------------


@requires("registry.compliance.review")
@require_safe
def compliance(request):
    """The latest compliance reports that fail the regime's tests, with the tests they fail and
    the legal reference of each."""
    from innocluster.registry.services.compliance import failed_reports

    rows = [{"report": r, "failed": failed_checks(r)} for r in failed_reports()]
    return render(request, "registry/staff/compliance.html", {"rows": rows})
