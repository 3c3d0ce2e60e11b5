"""The staff pages of the decision record: list, entry, detail, transitions, documents.

Thin on purpose: reads go through :mod:`.selectors`, writes through :mod:`.services` (which
validate, audit and run the workflow). Every view declares its access action with
:func:`~innocluster.core.access.views.requires`; object-level rights are asked of :func:`can`
again once the record is loaded (403 when refused, 404 when there is no such record).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from innocluster.core.access.permissions import can, require
from innocluster.core.access.views import requires
from innocluster.core.audit.services import record_event
from innocluster.core.errors import DomainError
from innocluster.core.http import apply_errors, client_ip, file_attachment, open_stored_or_404

from . import selectors, services
from .forms import DecisionEntryForm, DecisionFilterForm, DocumentForm, TransitionForm
from .models import Decision, Status
from .workflow import DECISION_WORKFLOW

PAGE_SIZE = 25

# The workflow's transitions by name, each through its service (which calls the executor).
TRANSITIONS = {
    "publish": lambda decision, *, by, reason, ip: services.publish_decision(decision, by=by, ip=ip),
    "revoke": lambda decision, *, by, reason, ip: services.revoke_decision(
        decision, by=by, reason=reason, ip=ip
    ),
}


def _decision_or_404(request, pk: int, action: str = "decisions.view", *, detail: bool = False) -> Decision:
    decision = selectors.decision_detail(pk) if detail else selectors.get_decision(pk)
    if decision is None:
        raise Http404(_("There is no such decision."))
    require(request.user, action, decision)
    return decision


@requires("decisions.view")
@require_safe
def decision_list(request):
    """Every decision on record, newest first, narrowed by body, outcome, status, year or text."""
    form = DecisionFilterForm(request.GET or None)
    criteria = selectors.DecisionFilter(**form.cleaned_data) if form.is_valid() else None
    page = Paginator(selectors.search_decisions(criteria), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "decisions/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_record": can(request.user, "decisions.record").allowed,
        },
    )


@requires("decisions.record")
@require_http_methods(["GET", "HEAD", "POST"])
def decision_create(request):
    """Record a decision from its signed documents; the documents are hashed and filed with it."""
    if request.method != "POST":
        return render(request, "decisions/form.html", {"form": DecisionEntryForm()})
    form = DecisionEntryForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.record_decision(
                body=data["body"],
                body_name=data["body_name"],
                number=data["number"],
                decided_on=data["decided_on"],
                basis=data["basis"],
                outcome=data["outcome"],
                summary=data["summary"],
                meeting_reference=data["meeting_reference"],
                decided_by=data["decided_by"],
                corrects=data["corrects"],
                documents=data["documents"],
                by=request.user,
                ip=client_ip(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The decision %(decision)s is recorded.") % {"decision": decision})
            return redirect("decisions:detail", pk=decision.pk)
    return render(request, "decisions/form.html", {"form": form})


def _render_detail(request, decision: Decision, *, document_form=None):
    transitions = [
        {
            "transition": transition,
            "form": TransitionForm(prefix=transition.name),
        }
        for transition in DECISION_WORKFLOW.available(request.user, decision)
    ]
    can_attach = (
        decision.status != Status.REVOKED and can(request.user, "decisions.attach_document", decision).allowed
    )
    context = {
        "decision": decision,
        "documents": list(decision.documents.all()),
        "corrections": list(decision.corrections.all()),
        "history": list(selectors.decision_history(decision)),
        "transitions": transitions,
        # A refused upload keeps its form (and the reason beside the field) even on a revoked record.
        "document_form": document_form
        if document_form is not None
        else (DocumentForm() if can_attach else None),
    }
    return render(request, "decisions/detail.html", context)


@requires("decisions.view")
@require_safe
def decision_detail(request, pk: int):
    """A decision with its documents, corrections, history and the actions open to the viewer."""
    return _render_detail(request, _decision_or_404(request, pk, detail=True))


@requires("decisions.view")
@require_POST
def decision_transition(request, pk: int, name: str):
    """Publish or revoke. The URL asks only ``decisions.view``: the workflow checks the
    transition's own right on the locked row and its refusal is shown as a message."""
    decision = _decision_or_404(request, pk)
    perform = TRANSITIONS.get(name)
    if perform is None:
        raise Http404(_("There is no such action."))
    form = TransitionForm(request.POST, prefix=name)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        perform(decision, by=request.user, reason=reason, ip=client_ip(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except DomainError as error:  # IllegalTransition, TransitionDenied: nothing was written
        messages.error(request, str(error))
    else:
        transition = DECISION_WORKFLOW.get(name)
        messages.success(
            request,
            _("The decision is now “%(state)s”.")
            % {"state": DECISION_WORKFLOW.state_label(transition.target)},
        )
    return redirect("decisions:detail", pk=decision.pk)


@requires("decisions.attach_document")
@require_POST
def document_attach(request, pk: int):
    """File one more signed document of a decision; a refusal is shown beside the file field."""
    decision = _decision_or_404(request, pk, "decisions.attach_document")
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.attach_document(decision, form.cleaned_data["file"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("The document %(name)s is attached.") % {"name": document.original_name}
            )
            return redirect("decisions:detail", pk=decision.pk)
    return _render_detail(request, decision, document_form=form)


@requires("decisions.view")
@require_GET
def document_download(request, pk: int):
    """The filed document as it was uploaded, under its original name; every download is audited."""
    document = selectors.get_document(pk)
    if document is None:
        raise Http404(_("There is no such document."))
    require(request.user, "decisions.view", document.decision)
    handle = open_stored_or_404(document.file)
    record_event(
        action="decisions.document.downloaded",
        actor=request.user,
        obj=document.decision,
        changes={"document": [None, {"name": document.original_name, "sha256": document.sha256}]},
        ip=client_ip(request),
    )
    return file_attachment(handle, filename=document.original_name)
