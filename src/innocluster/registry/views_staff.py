"""Staff pages of the register: the application queue by stage, one application with everything
the moderator and the commission need and the actions open to the viewer, the commission's batch
decision, document downloads, a register entry's staff view with the membership actions, and the
failed compliance reports.

Thin like the decision pages: reads go through :mod:`.selectors_staff`, writes through the
services (which check the right again, validate, audit and run the workflow). Every view declares
its access action; object rights are asked of :func:`can` once the row is loaded (403 when refused,
404 when there is no such row). A service's refusal is shown beside the fields of the form that
asked (status 400, nothing stored); a successful POST answers 303 back to the page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innocluster.core.access.permissions import can, require
from innocluster.core.access.views import requires
from innocluster.core.audit.services import record_event
from innocluster.core.http import (
    apply_errors,
    client_ip,
    file_attachment,
    open_stored_or_404,
    pdf_attachment,
    see_other,
)
from innocluster.core.identifiers import mask_iin
from innocluster.core.policy import values as policy

from . import applications, documents, eligibility, membership
from . import selectors_staff as selectors
from .forms_staff import (
    ActionForm,
    AssignForm,
    BatchDecisionForm,
    DecideForm,
    ExcludeForm,
    QueueFilterForm,
    ReinstateForm,
    ReturnForm,
    SuspendForm,
)
from .models import Application, DocumentKind, Organisation, Participant
from .workflow import APPLICATION_WORKFLOW

PAGE_SIZE = 25
S = Application.Status
# States in which an application can still be given to someone to handle.
ASSIGNABLE_STATES = (S.MODERATION, S.RETURNED, S.COMMISSION, S.APPROVED, S.AGREEMENT_SIGNED)


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in ("page", *names):
        query.pop(name, None)
    return query.urlencode()


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


# --- 1. the queue ---------------------------------------------------------------------------------


@requires("registry.application.read")
@require_safe
def queue(request):
    """Applications by stage, the nearest deadline first, overdue ones marked; filtered by
    assignee, overdue, name/BIN/number; 25 a page, in a fixed number of queries."""
    form = QueueFilterForm(request.GET or None)
    filters = form.filters()
    today = selectors.today()
    rows = selectors.application_queue(filters, user=request.user, on=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.stage_counts()
    others = _query_without(request, "stage")
    labels = dict(S.choices)
    tabs = [
        {
            "stage": "",
            "label": _("All but drafts"),
            "count": sum(counts.values()),
            "query": others,
            "current": not filters.stage,
        }
    ]
    for stage in selectors.STAGES:
        tabs.append(
            {
                "stage": stage,
                "label": capfirst(labels[stage]),
                "count": counts[stage],
                "query": f"stage={stage}" + (f"&{others}" if others else ""),
                "current": filters.stage == stage,
            }
        )
    return render(
        request,
        "registry/staff/queue.html",
        {
            "form": form,
            "page": page,
            "query": _query_without(request),
            "tabs": tabs,
            "today": today,
            "overdue_total": selectors.overdue_count(today),
            "can_batch": can(request.user, "registry.application.decide").allowed,
        },
    )


# --- 2. one application ---------------------------------------------------------------------------


def _application_or_404(request, pk: int, *, detail: bool = False) -> Application:
    """The application, unless there is none or it is still a draft (the applicant's alone): 404."""
    application = (
        selectors.application_detail(pk) if detail else selectors.staff_applications().filter(pk=pk).first()
    )
    if application is None:
        raise Http404(_("There is no such application."))
    require(request.user, "registry.application.read", application)
    return application


def _record_iin_read(request, individual, *, where: dict) -> None:
    """Audit that staff were shown a person's full IIN, and ``where`` (the number stays out)."""
    record_event(
        action="registry.personal_data.read",
        actor=request.user,
        obj=individual,
        changes={"fields": ["iin"], **where},
        ip=client_ip(request),
    )


def _iin(request, individual, *, where: dict) -> str:
    """A person's IIN as the viewer may see it: in full for those who may read personal data (an
    audited read), else masked; blank for an organisation."""
    if individual is None:
        return ""
    if not can(request.user, "registry.view_personal_data").allowed:
        return mask_iin(individual.iin)
    _record_iin_read(request, individual, where=where)
    return individual.iin


def _action_forms(request, application: Application, bound: dict) -> dict:
    """The forms of the actions the viewer may take now, keyed by action (a bound form that was
    refused replaces its blank one)."""
    names = {t.name for t in APPLICATION_WORKFLOW.available(request.user, application)}
    forms = {}
    if "accept" in names:
        forms["accept"] = ActionForm(prefix="accept")
    if "return_for_revision" in names:
        forms["return_for_revision"] = ReturnForm()
    outcomes = names & {"approve", "reject"}
    if outcomes:
        forms["decide"] = DecideForm(outcomes=outcomes)
    if "issue_certificate" in names:
        forms["issue_certificate"] = ActionForm(prefix="issue_certificate")
    if (
        application.status in ASSIGNABLE_STATES
        and can(request.user, "registry.application.moderate", application).allowed
    ):
        forms["assign"] = AssignForm(initial={"assignee": application.assignee_id})
    forms.update(bound)
    return forms


def _item_suggestions(application: Application) -> list[str]:
    """What a revision comment is usually about: the form's parts and the document kinds."""
    fields = [Application._meta.get_field("project_summary").verbose_name]
    if application.organisation_id:
        fields += [
            Organisation._meta.get_field(name).verbose_name
            for name in (
                "bin",
                "name_kk",
                "name_ru",
                "legal_form",
                "region",
                "activity",
                "address",
                "state_share",
            )
        ]
    return [str(capfirst(f)) for f in fields] + [k.name for k in DocumentKind.objects.all()]


def _render_application(request, application: Application, *, bound: dict | None = None, status: int = 200):
    today = selectors.today()
    member = application.organisation or application.individual
    iin = _iin(
        request, application.individual, where={"page": "staff application", "application": application.pk}
    )
    try:
        checks = eligibility.evaluate(
            category=application.category, organisation=application.organisation, on=today
        ).checks
        found = (
            applications.problems(application, on=today)
            if application.status in (S.DRAFT, S.MODERATION, S.RETURNED)
            else {}
        )
    except policy.PolicyError:  # no regime in force: nothing to check against
        checks, found = (), {}
    history = [
        {"event": e, "label": selectors.event_label(e.action)}
        for e in selectors.application_history(application)
    ]
    participant = application.participant
    forms = _action_forms(request, application, bound or {})
    context = {
        "application": application,
        "member": member,
        "iin": iin,
        "checks": checks,
        "documents": selectors.application_documents(application),
        "rounds": selectors.comment_rounds(application),
        "deadlines": selectors.deadline_rows(application, today),
        "overdue": applications.is_overdue(application, today)
        and application.status in (S.MODERATION, S.COMMISSION),
        "history": history,
        "forms": forms,
        "participant_link": (
            reverse("registry_staff:participant", args=[participant.number])
            if participant and can(request.user, "registry.staff_view").allowed
            else reverse("registry:participant", args=[participant.number])
            if participant
            else ""
        ),
        "agreement_available": application.status in (S.APPROVED, S.AGREEMENT_SIGNED, S.REGISTERED),
        "problems": found,
        "item_suggestions": _item_suggestions(application) if "return_for_revision" in forms else [],
        "today": today,
    }
    return render(request, "registry/staff/application.html", context, status=status)


@requires("registry.application.read")
@require_safe
def application(request, pk: int):
    """Everything about one application, and the forms of the actions open to the viewer."""
    return _render_application(request, _application_or_404(request, pk, detail=True))


# --- 3. actions on an application -----------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    right: str  # the access action asked of ``can`` on the application
    form: Callable  # (data) -> form
    perform: Callable  # (request, application, form) -> success message


def _accept(request, application, form) -> str:
    applications.accept(application, by=request.user)
    return _("Application No. %(number)s is accepted and goes to the commission (decision due %(date)s).") % {
        "number": application.pk,
        "date": _date(application.commission_due),
    }


def _return(request, application, form) -> str:
    applications.return_for_revision(
        application, by=request.user, reason=form.cleaned_data["reason"], items=form.pairs()
    )
    return _("Application No. %(number)s is returned to the applicant for revision.") % {
        "number": application.pk
    }


def _decide(request, application, form) -> str:
    kwargs = form.decision_kwargs()
    applications.decide_batch([application], by=request.user, **kwargs)
    if kwargs["approve"]:
        return _("Application No. %(number)s is approved.") % {"number": application.pk}
    return _("Application No. %(number)s is rejected.") % {"number": application.pk}


def _issue_certificate(request, application, form) -> str:
    result = applications.issue_certificate(application, by=request.user)
    return _("The certificate is issued: register number %(number)s.") % {"number": result.participant.number}


def _assign(request, application, form) -> str:
    to = form.cleaned_data["assignee"]
    applications.assign(application, to=to, by=request.user)
    if to is None:
        return _("Application No. %(number)s is released.") % {"number": application.pk}
    return _("Application No. %(number)s is assigned to %(person)s.") % {
        "number": application.pk,
        "person": to.get_full_name() or to.get_username(),
    }


ACTIONS = {
    "accept": Action(
        "registry.application.moderate", lambda data: ActionForm(data, prefix="accept"), _accept
    ),
    "return_for_revision": Action("registry.application.moderate", ReturnForm, _return),
    "decide": Action("registry.application.decide", DecideForm, _decide),
    "issue_certificate": Action(
        "registry.application.register",
        lambda data: ActionForm(data, prefix="issue_certificate"),
        _issue_certificate,
    ),
    "assign": Action("registry.application.moderate", AssignForm, _assign),
}


@requires("registry.application.read")
@require_POST
def application_action(request, pk: int, action: str):
    """Accept, return with itemised comments, decide, issue the certificate, (re)assign.

    The viewer's right to the action is checked here (403); the state is checked by the service
    on the locked row (a stale page's click comes back as a message). A refused form is shown
    again with the reasons beside its fields, status 400, and nothing is stored."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404(_("There is no such action."))
    application = _application_or_404(request, pk)
    require(request.user, spec.right, application)
    form = spec.form(request.POST)
    if form.is_valid():
        try:
            message = spec.perform(request, application, form)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, message)
            return see_other("registry_staff:application", application.pk)
    application = selectors.application_detail(application.pk)
    return _render_application(request, application, bound={action: form}, status=400)


# --- 4. the commission's batch decision -----------------------------------------------------------


@requires("registry.application.decide")
@require_http_methods(["GET", "HEAD", "POST"])
def batch(request):
    """One decision record (approve or reject) for several applications with the commission."""
    form = BatchDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = list(form.cleaned_data["applications"])
            try:
                applications.decide_batch(chosen, by=request.user, **form.decision_kwargs())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                numbers = ", ".join(str(a.pk) for a in chosen)
                if form.cleaned_data["outcome"] == "approve":
                    text = _("Approved under decision No. %(decision)s: applications %(numbers)s.")
                else:
                    text = _("Rejected under decision No. %(decision)s: applications %(numbers)s.")
                messages.success(
                    request, text % {"decision": form.cleaned_data["number"], "numbers": numbers}
                )
                return see_other("registry_staff:batch")
        status = 400
    today = selectors.today()
    chosen = {str(v) for v in (form["applications"].value() or [])}
    candidates = list(selectors.commission_applications(today))
    return render(
        request,
        "registry/staff/batch.html",
        {"form": form, "candidates": candidates, "chosen": chosen, "today": today},
        status=status,
    )


# --- 5. documents and printouts -------------------------------------------------------------------


@requires("registry.application.read")
@require_safe
def document(request, pk: int):
    """A document of an application, as uploaded, under its original name (the read is audited)."""
    found = documents.document_for_download(request.user, pk, ip=client_ip(request))
    handle = open_stored_or_404(found.file)
    return file_attachment(handle, filename=found.original_name, content_type=found.content_type)


@requires("registry.application.read")
@require_safe
def agreement(request, pk: int):
    """The participation agreement of an approved application, as the applicant gets it, except
    that a person's IIN is masked for staff who may not read personal data (and a full one is an
    audited read)."""
    from .pdf import agreement_pdf

    application = _application_or_404(request, pk)
    if application.status not in (S.APPROVED, S.AGREEMENT_SIGNED, S.REGISTERED):
        raise Http404(_("The agreement exists once the application is approved."))
    full = can(request.user, "registry.view_personal_data").allowed
    content = agreement_pdf(application, mask_iin=not full)
    if full and application.individual_id:
        _record_iin_read(
            request, application.individual, where={"page": "staff agreement", "application": application.pk}
        )
    return pdf_attachment(content, f"agreement-{application.pk}.pdf")


def _failed(report) -> list[dict]:
    """The tests a report failed, as evaluated when it was filed (``passed`` None: not applied)."""
    return [c for c in (report.checks or []) if isinstance(c, dict) and c.get("passed") is False]


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


MEMBERSHIP = {
    "suspend": (SuspendForm, (Participant.Status.REGISTERED,)),
    "reinstate": (ReinstateForm, (Participant.Status.SUSPENDED,)),
    "exclude": (ExcludeForm, (Participant.Status.REGISTERED, Participant.Status.SUSPENDED)),
}


def _membership_forms(request, participant: Participant, bound: dict) -> dict:
    if not can(request.user, "registry.membership.manage", participant).allowed:
        return {}
    forms = {
        name: form_class()
        for name, (form_class, states) in MEMBERSHIP.items()
        if participant.status in states
    }
    forms.update(bound)
    return forms


def _render_participant(request, participant: Participant, *, bound: dict | None = None, status: int = 200):
    reports = [{"report": r, "failed": _failed(r)} for r in participant.compliance_reports.all()]
    iin = _iin(
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
            "application": selectors.participant_application(participant),
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


@requires("registry.membership.manage")
@require_POST
def participant_action(request, number: str, action: str):
    """Suspend (the answer period starts), reinstate, or exclude on a recorded decision."""
    if action not in MEMBERSHIP:
        raise Http404(_("There is no such action."))
    entry = _participant_or_404(request, number, "registry.membership.manage")
    form_class, _states = MEMBERSHIP[action]
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "suspend":
                membership.suspend(entry, by=request.user, grounds=data["grounds"], on=data["on"])
                message = _(
                    "%(number)s is suspended. The participant may answer the grounds until %(date)s."
                ) % {
                    "number": entry.number,
                    "date": _date(membership.current_response_due(entry)),
                }
            elif action == "reinstate":
                membership.reinstate(entry, by=request.user, grounds=data["grounds"], on=data["on"])
                message = _("%(number)s is reinstated.") % {"number": entry.number}
            else:
                membership.exclude(
                    entry, by=request.user, grounds=data["grounds"], decision=form.decision, on=data["on"]
                )
                message = _("%(number)s is excluded from the register.") % {"number": entry.number}
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, message)
            return see_other("registry_staff:participant", entry.number)
    entry = selectors.participant_detail(number)
    return _render_participant(request, entry, bound={action: form}, status=400)


@requires("registry.staff_view")
@require_safe
def certificate(request, number: str):
    """The certificate of a register entry with the QR code of its public verification page."""
    from .pdf import certificate_pdf

    entry = _participant_or_404(request, number)
    return pdf_attachment(certificate_pdf(entry), f"certificate-{entry.number}.pdf")


# --- 7. compliance --------------------------------------------------------------------------------


@requires("registry.compliance.review")
@require_safe
def compliance(request):
    """The latest compliance reports that fail the regime's tests, with the tests they fail and
    the legal reference of each."""
    from .compliance import failed_reports

    rows = [{"report": r, "failed": _failed(r)} for r in failed_reports()]
    return render(request, "registry/staff/compliance.html", {"rows": rows})
