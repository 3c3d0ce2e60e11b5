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

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innocluster.core.access.permissions import can, require
from innocluster.core.access.views import requires
from innocluster.core.http import (
    apply_errors,
    client_ip,
    file_attachment,
    open_stored_or_404,
    pdf_attachment,
    see_other,
)
from innocluster.core.policy import values as policy
from innocluster.core.workflow import TransitionDenied
from innocluster.parties.models import Organisation
from innocluster.registry import eligibility
from innocluster.registry.forms.staff import (
    ActionForm,
    AssignForm,
    BatchDecisionForm,
    DecideForm,
    QueueFilterForm,
    ReturnForm,
)
from innocluster.registry.models import Application, DocumentKind
from innocluster.registry.selectors import staff as selectors
from innocluster.registry.selectors.applications import is_overdue
from innocluster.registry.selectors.project import project_of
from innocluster.registry.services import applications, commission, documents, moderation
from innocluster.registry.views.staff.common import date_text, iin_for, record_iin_read
from innocluster.registry.workflow import APPLICATION_WORKFLOW

PAGE_SIZE = 25
S = Application.Status
# States in which an application can still be given to someone to handle.
ASSIGNABLE_STATES = (S.MODERATION, S.RETURNED, S.COMMISSION, S.APPROVED, S.AGREEMENT_SIGNED)


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in ("page", *names):
        query.pop(name, None)
    return query.urlencode()


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
    iin = iin_for(
        request, application.individual, where={"page": "staff application", "application": application.pk}
    )
    try:
        checks = eligibility.evaluate(
            category=application.category,
            organisation=application.organisation,
            on=today,
            application=application,
        ).checks
        found = (
            applications.problems(application, on=today)
            if application.status in (S.DRAFT, S.MODERATION, S.RETURNED)
            else {}
        )
    except policy.PolicyError as missing:  # a rule is missing: say which, never show "no problems"
        checks, found, rule_error = (), {}, str(missing)
    else:
        rule_error = ""
    history = [
        {"event": e, "label": selectors.event_label(e.action)}
        for e in selectors.application_history(application)
    ]
    participant = application.participant
    forms = _action_forms(request, application, bound or {})
    context = {
        "application": application,
        "project": project_of(application),
        "member": member,
        "iin": iin,
        "checks": checks,
        "rule_error": rule_error,
        "documents": selectors.application_documents(application),
        "rounds": selectors.comment_rounds(application),
        "deadlines": selectors.deadline_rows(application, today),
        "overdue": is_overdue(application, today) and application.status in (S.MODERATION, S.COMMISSION),
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

# The form that collects a transition's inputs on the page, by the URL's action (``decide`` is one
# form for the two outcomes). Which transition runs and who may run it is the workflow's table:
# the forms only read inputs (``inputs()``, ``transition()``).
FORMS = {
    "accept": lambda data: ActionForm(data, prefix="accept"),
    "return_for_revision": ReturnForm,
    "decide": DecideForm,
    "issue_certificate": lambda data: ActionForm(data, prefix="issue_certificate"),
}


def _success(application: Application, name: str) -> str:
    """What the page says once the transition ``name`` is done."""
    number = application.pk
    if name == "accept":
        return _(
            "Application No. %(number)s is accepted and goes to the commission (decision due %(date)s)."
        ) % {"number": number, "date": date_text(application.commission_due)}
    if name == "return_for_revision":
        return _("Application No. %(number)s is returned to the applicant for revision.") % {"number": number}
    if name == "approve":
        return _("Application No. %(number)s is approved.") % {"number": number}
    if name == "reject":
        return _("Application No. %(number)s is rejected.") % {"number": number}
    return _("The certificate is issued: register number %(number)s.") % {
        "number": application.participant.number
    }


def _assign(request, application: Application):
    """(Re)assign is not a state transition: the ``assign`` service, behind the same kind of form."""
    require(request.user, "registry.application.moderate", application)
    form = AssignForm(request.POST)
    if form.is_valid():
        to = form.cleaned_data["assignee"]
        try:
            moderation.assign(application, to=to, by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if to is None:
                message = _("Application No. %(number)s is released.") % {"number": application.pk}
            else:
                message = _("Application No. %(number)s is assigned to %(person)s.") % {
                    "number": application.pk,
                    "person": to.get_full_name() or to.get_username(),
                }
            messages.success(request, message)
            return see_other("registry_staff:application", application.pk)
    application = selectors.application_detail(application.pk)
    return _render_application(request, application, bound={"assign": form}, status=400)


@requires("registry.application.read")
@require_POST
def application_action(request, pk: int, action: str):
    """Accept, return with itemised comments, decide, issue the certificate, (re)assign.

    The transition is performed by ``APPLICATION_WORKFLOW.perform`` (as by the API and the CLI):
    a role without the right is refused (403) before the form is read; a state the transition does
    not start from (a stale page) comes back as a message; a refused form is shown again with the
    reasons beside its fields, status 400, and nothing is stored."""
    if action == "assign":
        return _assign(request, _application_or_404(request, pk))
    form_class = FORMS.get(action)
    if form_class is None:
        raise Http404(_("There is no such action."))
    application = _application_or_404(request, pk)
    form = form_class(request.POST)
    try:
        for name in form.transitions(action):
            APPLICATION_WORKFLOW.check(request.user, name, application)
        if form.is_valid():
            name = form.transition(action)
            result = APPLICATION_WORKFLOW.perform(application, name, by=request.user, **form.inputs())
            messages.success(request, _success(result, name))
            return see_other("registry_staff:application", application.pk)
    except TransitionDenied as error:
        raise PermissionDenied(str(error)) from error
    except ValidationError as error:
        apply_errors(form, error)
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
                commission.decide_batch(chosen, by=request.user, **form.decision_kwargs())
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
    from innocluster.registry.pdf import agreement_pdf

    application = _application_or_404(request, pk)
    if application.status not in (S.APPROVED, S.AGREEMENT_SIGNED, S.REGISTERED):
        raise Http404(_("The agreement exists once the application is approved."))
    full = can(request.user, "registry.view_personal_data").allowed
    content = agreement_pdf(application, mask_iin=not full)
    if full and application.individual_id:
        record_iin_read(
            request, application.individual, where={"page": "staff agreement", "application": application.pk}
        )
    return pdf_attachment(content, f"agreement-{application.pk}.pdf")
