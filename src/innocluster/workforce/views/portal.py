"""The employer's pages under ``/portal/workforce/``: a participant's representative (or the HR
officer for the Fund itself) registers its foreign specialists and files requests in three steps
(the position and contract, the documents, review and submit) with the advice of what the
simplified procedure requires and what the normal one would have; a returned request shows the
itemised comments and is answered and resubmitted. Another employer's specialist, request or
document is not found (404), never forbidden. Every write goes through the services or
``WORKFLOW.perform``; a refusal is shown beside the field it names (status 422, nothing stored)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from innocluster.core.access.views import requires
from innocluster.core.errors import DomainError
from innocluster.core.http import apply_errors, client_ip, file_attachment, open_stored_or_404, see_other
from innocluster.core.policy import values as policy
from innocluster.core.workflow import TransitionDenied
from innocluster.workforce.forms import RequestForm, ResubmitForm, SpecialistForm, UploadForm
from innocluster.workforce.models import EngagementRequest
from innocluster.workforce.selectors import pages
from innocluster.workforce.selectors.advice import advice
from innocluster.workforce.selectors.eligibility import employer_standing
from innocluster.workforce.selectors.requests import current_documents, is_breached, required_kinds
from innocluster.workforce.services import documents, requests, specialists
from innocluster.workforce.views.common import (
    GET_OR_POST,
    advice_rows,
    citizenship,
    refusal_to_form,
    shown_personal_data,
)
from innocluster.workforce.workflow import EDITABLE, WORKFLOW

S = EngagementRequest.Status
ACTION = "workforce.file"


def _standings(user) -> list:
    return [(employer, employer_standing(employer)) for employer in pages.employers_of(user)]


def _own_request(request, pk: int) -> EngagementRequest:
    found = pages.employer_requests(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("There is no such request."))
    return found


def _own_specialist(request, pk: int):
    found = pages.employer_specialists(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("There is no such specialist."))
    return found


@requires(ACTION)
@require_safe
def home(request):
    """The employer's specialists and requests, with status and deadline; what needs its action first."""
    today = policy.today()
    rows = list(pages.employer_requests(request.user).order_by("-id"))
    for row in rows:
        row.overdue = is_breached(row, today)
        row.needs_action = row.status in EDITABLE
    standings = _standings(request.user)
    return render(
        request,
        "workforce/portal/home.html",
        {
            "standings": standings,
            "can_file": any(standing.eligible for _employer, standing in standings),
            "requests": rows,
            "needs_action": [row for row in rows if row.needs_action],
            "specialists": pages.employer_specialists(request.user).order_by("surname_latin", "id"),
        },
    )


# --- specialists -------------------------------------------------------------------------------


@requires(ACTION)
@require_http_methods(GET_OR_POST)
def specialist_new(request):
    employers = pages.employers_of(request.user)
    form = SpecialistForm(request.POST or None, employers=employers)
    if request.method == "POST" and form.is_valid():
        employer = form.cleaned_data.get("employer") or employers.first()
        if employer is None:
            raise Http404(_("You do not act for an employer."))
        try:
            found = specialists.register_specialist(
                by=request.user, employer=employer, **form.service_fields()
            )
        except ValidationError as error:
            apply_errors(form, error)
        except DomainError as error:
            refusal_to_form(form, error)
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": found.name_latin})
            return see_other("workforce_portal:home")
    return render(
        request,
        "workforce/portal/specialist.html",
        {"form": form, "specialist": None, "standings": _standings(request.user)},
        status=422 if form.is_bound else 200,
    )


@requires(ACTION)
@require_http_methods(GET_OR_POST)
def specialist_edit(request, pk: int):
    found = _own_specialist(request, pk)
    form = SpecialistForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        try:
            specialists.update_specialist(found, by=request.user, **form.service_fields())
        except ValidationError as error:
            apply_errors(form, error)
        except DomainError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("The specialist's details are saved."))
            return see_other("workforce_portal:home")
    if not form.is_bound:
        # The form shows the stored values, so the passport number is read: audited.
        shown_personal_data(request, found, "portal specialist edit")
    return render(
        request,
        "workforce/portal/specialist.html",
        {"form": form, "specialist": found, "standings": None},
        status=422 if form.is_bound else 200,
    )


# --- a request in three steps --------------------------------------------------------------------


def _advice_for(found: EngagementRequest | None, category: str | None = None):
    try:
        return advice(found, category=category)
    except policy.PolicyError:
        return None


@requires(ACTION)
@require_http_methods(GET_OR_POST)
def request_new(request, specialist_pk: int):
    """Step 1 for a new request: the position and the contract; saved as a draft."""
    person = _own_specialist(request, specialist_pk)
    standing = employer_standing(person.employer)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = requests.start_request(by=request.user, specialist=person, **form.service_fields())
        except ValidationError as error:
            apply_errors(form, error)
        except DomainError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("The draft is saved. Now upload the documents."))
            return see_other("workforce_portal:documents", found.pk)
    category = form["category"].value() or EngagementRequest.Category.SPECIALIST
    return render(
        request,
        "workforce/portal/step_details.html",
        {
            "form": form,
            "specialist": person,
            "found": None,
            "standing": standing,
            "advice": advice_rows(_advice_for(None, category)),
            "step": 1,
        },
        status=422 if form.is_bound else 200,
    )


@requires(ACTION)
@require_http_methods(GET_OR_POST)
def request_edit(request, pk: int):
    found = _own_request(request, pk)
    if found.status not in EDITABLE:
        return see_other("workforce_portal:request", found.pk)
    form = RequestForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        try:
            requests.update_request(found, by=request.user, **form.service_fields())
        except ValidationError as error:
            apply_errors(form, error)
        except DomainError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("The request is saved."))
            return see_other("workforce_portal:documents", found.pk)
    return render(
        request,
        "workforce/portal/step_details.html",
        {
            "form": form,
            "specialist": found.specialist,
            "found": found,
            "standing": employer_standing(found.employer),
            "advice": advice_rows(_advice_for(found)),
            "open_items": pages.open_items(found),
            "step": 1,
        },
        status=422 if form.is_bound else 200,
    )


def _document_rows(found: EngagementRequest) -> list[dict]:
    have = current_documents(found)
    return [{"kind": kind, "document": have.get(kind.code)} for kind in required_kinds()]


@requires(ACTION)
@require_http_methods(GET_OR_POST)
def request_documents(request, pk: int):
    """Step 2: one upload per required kind (a new file of a kind is its next version)."""
    found = _own_request(request, pk)
    if found.status not in EDITABLE:
        return see_other("workforce_portal:request", found.pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = documents.upload_document(
                found, form.cleaned_data["kind"], form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(kind)s: %(name)s is uploaded.")
                % {"kind": document.kind.name, "name": document.original_name},
            )
            return see_other("workforce_portal:documents", found.pk)
    return render(
        request,
        "workforce/portal/step_documents.html",
        {
            "found": found,
            "rows": _document_rows(found),
            "form": form,
            "failed_kind": form["kind"].value() if form.is_bound else "",
            "open_items": pages.open_items(found),
            "step": 2,
        },
        status=422 if form.is_bound else 200,
    )


@requires(ACTION)
@require_http_methods(GET_OR_POST)
def request_submit(request, pk: int):
    """Step 3: review everything, answer the comments of a return, and (re)submit."""
    found = _own_request(request, pk)
    if found.status not in EDITABLE:
        return see_other("workforce_portal:request", found.pk)
    items = pages.open_items(found)
    form = ResubmitForm(request.POST if request.method == "POST" else None, items=items)
    name = "resubmit" if found.status == S.RETURNED else "submit"
    if request.method == "POST" and form.is_valid():
        try:
            WORKFLOW.perform(found, name, by=request.user, responses=form.responses())
        except TransitionDenied as error:
            raise PermissionDenied(str(error)) from error
        except ValidationError as error:
            apply_errors(form, error)
        except DomainError as error:
            refusal_to_form(form, error)
        else:
            found.refresh_from_db()
            messages.success(
                request,
                _("Request No. %(number)s is sent to the Fund; the decision is due by %(date)s.")
                % {"number": found.pk, "date": date_format(found.deadline, "DATE_FORMAT")},
            )
            return see_other("workforce_portal:request", found.pk)
    rows = _document_rows(found)
    return render(
        request,
        "workforce/portal/step_review.html",
        {
            "found": found,
            "form": form,
            "rows": rows,
            "missing": [row["kind"] for row in rows if row["document"] is None],
            "standing": employer_standing(found.employer),
            "advice": advice_rows(_advice_for(found)),
            "data": shown_personal_data(request, found.specialist, "portal request review"),
            "citizenship": citizenship(found.specialist),
            "step": 3,
            "button": WORKFLOW.get(name).label,
        },
        status=422 if form.is_bound else 200,
    )


@requires(ACTION)
@require_safe
def request_detail(request, pk: int):
    """One request as the employer follows it: status, deadline, comments, documents, letters."""
    found = _own_request(request, pk)
    today = policy.today()
    return render(
        request,
        "workforce/portal/request.html",
        {
            "found": found,
            "overdue": is_breached(found, today),
            "data": shown_personal_data(request, found.specialist, "portal request"),
            "citizenship": citizenship(found.specialist),
            "rows": _document_rows(found),
            "documents": pages.all_documents(found),
            "rounds": pages.revision_rounds(found),
            "open_items": pages.open_items(found),
            "standing": employer_standing(found.employer),
            "advice": advice_rows(_advice_for(found)),
            "letters": list(found.letters.all()),
            "extensions": list(found.extensions.all()),
            "editable": found.status in EDITABLE,
        },
    )


@requires(ACTION)
@require_safe
def document(request, pk: int):
    found = documents.document_for_download(request.user, pk, ip=client_ip(request))
    if not pages.employer_requests(request.user).filter(pk=found.request_id).exists():
        raise Http404(_("There is no such document."))
    handle = open_stored_or_404(found.file)
    return file_attachment(handle, filename=found.original_name, content_type=found.content_type)
