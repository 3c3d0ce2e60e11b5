"""The HR officer's pages under ``/staff/workforce/``: the queue with deadlines in working days,
overdue (SLA) flags and counts, and the panel of active specialists whose employer fell out of
good standing; one request with its specialist (personal data in full for the HR officer, an
audited read; masked for auditors and executives), documents, revision rounds, history, and the
forms of the transitions the workflow offers this user. Auditors and executives read
(``workforce.read``); every write is ``WORKFLOW.perform``: a role without the right gets 403
before the form is read, a refused form comes back with the reasons by field (status 400)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from innocluster.core.access.views import requires
from innocluster.core.errors import DomainError
from innocluster.core.http import apply_errors, client_ip, file_attachment, open_stored_or_404, see_other
from innocluster.core.policy import values as policy
from innocluster.core.workflow import IllegalTransition, TransitionDenied
from innocluster.workforce.forms import STAFF_FORMS, QueueFilterForm
from innocluster.workforce.models import EngagementRequest
from innocluster.workforce.selectors import pages
from innocluster.workforce.selectors.advice import advice
from innocluster.workforce.selectors.eligibility import employer_standing, flagged_for_review
from innocluster.workforce.selectors.requests import is_breached, missing_documents, requests_for
from innocluster.workforce.services import documents
from innocluster.workforce.services.requests import check_problems
from innocluster.workforce.views.common import (
    advice_rows,
    citizenship,
    event_label,
    request_or_404,
    shown_personal_data,
)
from innocluster.workforce.workflow import WORKFLOW

S = EngagementRequest.Status
ACTION = "workforce.read"
PAGE_SIZE = 50


@requires(ACTION)
@require_safe
def queue(request):
    """Requests sent to the Fund, the nearest deadline first; filtered by status and overdue."""
    today = policy.today()
    form = QueueFilterForm(request.GET or None)
    filters = form.filters()
    visible = requests_for(request.user).exclude(status=S.DRAFT)
    rows = visible
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("overdue"):
        rows = rows.filter(status__in=pages.AWAITING_DECISION, deadline__lt=today)
    rows = rows.order_by("deadline", "id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    left = pages.working_days_left(today, [row.deadline for row in page.object_list])
    for row in page.object_list:
        row.overdue = is_breached(row, today)
        row.days_left = left.get(row.deadline) if row.status in pages.AWAITING_DECISION else None
    counts = pages.status_counts(visible, today)
    labels = dict(S.choices)
    tabs = [
        {"status": s, "label": capfirst(labels[s]), "count": counts[s], "current": filters.get("status") == s}
        for s in pages.QUEUE_STATES
    ]
    return render(
        request,
        "workforce/staff/queue.html",
        {
            "form": form,
            "page": page,
            "tabs": tabs,
            "total": sum(counts[s] for s in pages.QUEUE_STATES),
            "overdue_total": counts["overdue"],
            "pending_total": counts[S.SUBMITTED] + counts[S.CHECKED],
            "flagged": flagged_for_review(today),
            "today": today,
        },
    )


def _staff_request_or_404(request, pk: int) -> EngagementRequest:
    found = request_or_404(request, pk)
    if found.status == S.DRAFT:  # the employer's until it is submitted
        raise Http404(_("There is no such request."))
    return found


def _action_forms(request, found: EngagementRequest, bound: dict) -> dict:
    names = [t.name for t in WORKFLOW.available(request.user, found)]
    forms = {name: STAFF_FORMS[name]() for name in names if name in STAFF_FORMS}
    forms.update(bound)
    return forms


def _item_suggestions(found: EngagementRequest) -> list[str]:
    from innocluster.workforce.services.requests import FIELDS

    fields = [str(capfirst(EngagementRequest._meta.get_field(name).verbose_name)) for name in FIELDS]
    try:
        from innocluster.workforce.selectors.requests import required_kinds

        kinds = [kind.name for kind in required_kinds()]
    except policy.PolicyError:
        kinds = []
    return kinds + fields


def _render(request, found: EngagementRequest, *, bound: dict | None = None, status: int = 200):
    today = policy.today()
    forms = _action_forms(request, found, bound or {})
    try:
        problems = check_problems(found, on=today) if found.status == S.SUBMITTED else []
        missing = missing_documents(found, on=today)
        shown_advice = advice(found)
    except policy.PolicyError:
        problems, missing, shown_advice = [], [], None
    history = [{"event": e, "label": event_label(e.action)} for e in pages.history(found)]
    left = pages.working_days_left(today, [found.deadline]).get(found.deadline)
    context = {
        "found": found,
        "overdue": is_breached(found, today),
        "days_left": left if found.status in pages.AWAITING_DECISION else None,
        "data": shown_personal_data(request, found.specialist, "staff request"),
        "citizenship": citizenship(found.specialist),
        "standing": employer_standing(found.employer, today),
        "documents": pages.all_documents(found),
        "missing": missing,
        "problems": problems,
        "rounds": pages.revision_rounds(found),
        "letters": list(found.letters.all()),
        "extensions": list(found.extensions.all()),
        "advice": advice_rows(shown_advice),
        "history": history,
        "forms": forms,
        "labels": {t.name: t.label for t in WORKFLOW.transitions},
        "item_suggestions": _item_suggestions(found) if "return_for_revision" in forms else [],
    }
    return render(request, "workforce/staff/request.html", context, status=status)


@requires(ACTION)
@require_safe
def request_detail(request, pk: int):
    return _render(request, _staff_request_or_404(request, pk))


def _success(found: EngagementRequest, name: str) -> str:
    return _("Request No. %(number)s: “%(action)s” done; it is now %(state)s.") % {
        "number": found.pk,
        "action": WORKFLOW.get(name).label,
        "state": WORKFLOW.state_label(found.status),
    }


@requires(ACTION)
@require_POST
def request_action(request, pk: int, action: str):
    """Perform the transition ``action`` with the inputs of its form (``WORKFLOW.perform``)."""
    form_class = STAFF_FORMS.get(action)
    if form_class is None:
        raise Http404(_("There is no such action."))
    found = _staff_request_or_404(request, pk)
    form = form_class(request.POST)
    try:
        WORKFLOW.check(request.user, action, found)
        if form.is_valid():
            WORKFLOW.perform(found, action, by=request.user, **form.inputs())
            found.refresh_from_db()
            messages.success(request, _success(found, action))
            return see_other("workforce:request", found.pk)
    except TransitionDenied as error:
        raise PermissionDenied(str(error)) from error
    except IllegalTransition as error:
        messages.error(request, str(error))
        return see_other("workforce:request", found.pk)
    except ValidationError as error:
        apply_errors(form, error)
    except DomainError as error:
        form.add_error(None, str(error))
    found = _staff_request_or_404(request, pk)
    return _render(request, found, bound={action: form}, status=400)


@requires(ACTION)
@require_safe
def document(request, pk: int):
    """A document as uploaded, under its original name (the Fund's read is audited)."""
    found = documents.document_for_download(request.user, pk, ip=client_ip(request))
    handle = open_stored_or_404(found.file)
    return file_attachment(handle, filename=found.original_name, content_type=found.content_type)
