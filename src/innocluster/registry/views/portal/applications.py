"""The participant portal: applications, documents, agreement and certificate, representatives and
the annual report.

Thin on purpose: reads through :mod:`.selectors_portal`, writes through the services (which check
the rules, audit and run the workflow). Every view declares its access action; a record that is
not the user's own (another applicant's application, an organisation the user does not act for) is
not found (404), never forbidden, so the portal does not tell strangers what exists.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innocluster.core import uploads
from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.errors import DomainError
from innocluster.core.http import (
    apply_errors,
    client_ip,
    file_attachment,
    open_stored_or_404,
    pdf_attachment,
    see_other,
)
from innocluster.registry import pdf
from innocluster.registry.eligibility import evaluate
from innocluster.registry.forms.portal import (
    CategoryForm,
    DocumentsForm,
    IndividualForm,
    OrganisationForm,
    SignedAgreementForm,
    SubmitForm,
)
from innocluster.registry.forms.project import ProjectForm
from innocluster.registry.models import Application, ParticipantCategory
from innocluster.registry.permissions import acts_for_application
from innocluster.registry.selectors import portal as selectors
from innocluster.registry.selectors.applications import current_comments
from innocluster.registry.selectors.project import project_of
from innocluster.registry.services import applications, documents
from innocluster.registry.views.portal.common import GET_OR_POST, posted
from innocluster.registry.workflow import APPLICATION_WORKFLOW, submission

S = Application.Status
# Once approved, the agreement exists and can be downloaded (and stays downloadable).
AGREEMENT_STATES = (S.APPROVED, S.AGREEMENT_SIGNED, S.REGISTERED)


def _application_or_404(request, pk: int) -> Application:
    application = selectors.application_for(request.user, pk)
    if application is None:
        raise Http404(_("There is no such application."))
    return application


# --- home and a new application ------------------------------------------------------------------


@requires("registry.portal")
@require_safe
def home(request):
    """My applications with what happens next and the Fund's deadlines; my organisations."""
    return render(
        request,
        "registry/portal/home.html",
        {
            "applications": selectors.home_applications(request.user),
            "organisations": selectors.my_organisations(request.user),
            "claims": selectors.my_claims(request.user),
            "can_apply": can(request.user, "registry.application.submit").allowed,
        },
    )


@requires("registry.application.submit")
@require_http_methods(GET_OR_POST)
def apply(request):
    """Choose a category and start a draft (one application in progress at a time)."""
    categories = selectors.admitted_categories()
    form = CategoryForm(posted(request), categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            application = applications.start_application(
                by=request.user, category=form.cleaned_data["category"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Application No. %(number)s is started. Nothing is sent until you submit it.")
                % {"number": application.pk},
            )
            return see_other("portal:application", application.pk)
    return render(
        request,
        "registry/portal/apply.html",
        {"form": form, "open_application": selectors.open_application(request.user)},
    )


# --- the application -----------------------------------------------------------------------------


@requires("registry.portal")
@require_safe
def application(request, pk: int):
    """A draft (or a returned application) resumes at its first incomplete step; otherwise the
    application's state, deadlines, documents and the agreement and certificate once due."""
    application = _application_or_404(request, pk)
    if selectors.is_editable(application):
        return redirect("portal:step", application.pk, selectors.first_incomplete_step(application))
    return _render_application(request, application)


def _render_application(request, application: Application, *, sign_form=None):
    current = documents.current_documents(application)
    signed = current.get(selectors.SIGNED_AGREEMENT)
    context = {
        "application": application,
        "project": project_of(application),
        "next_text": selectors.next_step_text(application),
        "deadlines": selectors.deadlines(application),
        "documents": [d for code, d in sorted(current.items()) if code != selectors.SIGNED_AGREEMENT],
        "signed_agreement": signed,
        "comments": list(application.revision_comments.all()),
        "agreement_available": application.status in AGREEMENT_STATES,
        "sign_form": sign_form
        if sign_form is not None
        else (SignedAgreementForm() if application.status == S.APPROVED else None),
        "certificate_available": application.participant_id is not None,
    }
    return render(request, "registry/portal/application.html", context)


@requires("registry.portal")
@require_http_methods(GET_OR_POST)
def step(request, pk: int, step: str):
    """One step of the application form; each saves through its service and goes to the next."""
    application = _application_or_404(request, pk)
    if step not in applications.STEPS:
        raise Http404(_("There is no such step."))
    if step == "review" and request.method == "POST":
        # Not gated on the state: a second click on "Submit" gets the workflow's own answer.
        return _submit(request, application)
    if not selectors.is_editable(application):
        if request.method == "POST":
            messages.error(
                request,
                _("The application is “%(state)s” and can no longer be changed.")
                % {"state": application.get_status_display()},
            )
            return see_other("portal:application", application.pk)
        return redirect("portal:application", application.pk)
    if not selectors.step_reachable(application, step):
        go = see_other if request.method == "POST" else redirect
        return go("portal:step", application.pk, selectors.first_incomplete_step(application))
    return STEP_VIEWS[step](request, application)


def _next(application: Application, step: str):
    following = applications.STEPS[min(applications.STEPS.index(step) + 1, len(applications.STEPS) - 1)]
    return see_other("portal:step", application.pk, following)


def _render_step(request, application: Application, step: str, context: dict):
    context = {
        "application": application,
        "step": step,
        "steps": selectors.step_items(application, step),
        "step_label": selectors.STEP_LABELS[step],
        "step_number": applications.STEPS.index(step) + 1,
        "step_count": len(applications.STEPS),
        "comments": current_comments(application) if application.status == S.RETURNED else [],
        **context,
    }
    return render(request, f"registry/portal/step_{step}.html", context)


def _category_step(request, application: Application):
    categories = selectors.admitted_categories()
    if application.category not in categories:
        categories = [application.category, *categories]
    form = CategoryForm(posted(request), categories=categories, initial={"category": application.category})
    if request.method == "POST" and form.is_valid():
        try:
            applications.change_category(application, by=request.user, category=form.cleaned_data["category"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _next(application, "category")
    return _render_step(request, application, "category", {"form": form})


def _member_step(request, application: Application):
    is_organisation = application.category.kind == ParticipantCategory.Kind.ORGANISATION
    if is_organisation:
        form = OrganisationForm(*posted(request, files=True), organisation=application.organisation)
        save = applications.save_organisation
    else:
        form = IndividualForm(posted(request), individual=application.individual)
        save = applications.save_individual
    if request.method == "POST" and form.is_valid():
        try:
            save(application, by=request.user, **form.service_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _next(application, "member")
    return _render_step(request, application, "member", {"form": form, "is_organisation": is_organisation})


def _project_step(request, application: Application):
    form = ProjectForm(posted(request), application=application)
    if request.method == "POST" and form.is_valid():
        try:
            applications.save_project(application, by=request.user, **form.service_fields())
        except ValidationError as error:
            form.apply_errors(error)
        else:
            return _next(application, "project")
    return _render_step(request, application, "project", {"form": form})


def _documents_form(application: Application, data=None, files=None) -> DocumentsForm:
    from innocluster.registry.models import DocumentKind

    required = documents.required_kinds(application)
    kinds = list(required)
    if not any(k.code == selectors.OTHER_DOCUMENT for k in kinds):
        other = DocumentKind.objects.filter(code=selectors.OTHER_DOCUMENT).first()
        if other is not None:
            kinds.append(other)
    types, megabytes = selectors.document_limits()
    accept = ",".join(ext for t in types for ext in uploads.EXTENSIONS.get(t, ()))
    limits = ""
    if types:
        limits = _("Accepted: %(types)s.") % {"types": ", ".join(t.upper() for t in types)}
    if megabytes:
        limits += " " + _("Up to %(mb)s MB.") % {"mb": megabytes}
    return DocumentsForm(
        data,
        files,
        kinds=kinds,
        required_codes={k.code for k in required},
        accept=accept,
        limits=limits.strip(),
    )


def _documents_step(request, application: Application):
    form = _documents_form(application, *posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        uploaded = 0
        for code, uploaded_file in form.chosen():
            try:
                documents.upload_document(application, code, uploaded_file, by=request.user)
            except ValidationError as error:
                # Every refusal of this file belongs beside this kind's field.
                form.add_error(code, error.messages)
            else:
                uploaded += 1
        if uploaded:
            messages.success(
                request,
                ngettext("%(count)s file is uploaded.", "%(count)s files are uploaded.", uploaded)
                % {"count": uploaded},
            )
        if not form.errors:
            try:
                applications.mark_documents_complete(application, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return see_other("portal:step", application.pk, "documents")
            return _next(application, "documents")
    current = documents.current_documents(application)
    rows = [
        {
            "kind": kind,
            "field": form[kind.code],
            "required": form.fields[kind.code].is_required_kind,
            "document": current.get(kind.code),
        }
        for kind in form.kinds
    ]
    return _render_step(request, application, "documents", {"form": form, "rows": rows})


def _review_context(application: Application) -> dict:
    on = selectors.today()
    return {
        "eligibility": evaluate(
            category=application.category,
            organisation=application.organisation,
            on=on,
            application=application,
        ),
        "project": project_of(application),
        "problems": applications.problems(application, on=on),
        "documents": sorted(documents.current_documents(application).values(), key=lambda d: d.kind.code),
    }


def _review_step(request, application: Application, form=None):
    comments = current_comments(application) if application.status == S.RETURNED else []
    form = form if form is not None else SubmitForm(comments=comments)
    return _render_step(request, application, "review", {"form": form, **_review_context(application)})


def _submit(request, application: Application):
    comments = current_comments(application) if application.status == S.RETURNED else []
    form = SubmitForm(request.POST, comments=comments)
    if form.is_valid():
        try:
            name = submission(application)
            APPLICATION_WORKFLOW.perform(application, name, by=request.user, responses=form.responses())
        except ValidationError as error:
            apply_errors(form, error)
        except DomainError as error:  # IllegalTransition (already submitted): nothing was written
            messages.error(request, str(error))
            return see_other("portal:application", application.pk)
        else:
            messages.success(
                request,
                _("Application No. %(number)s is submitted. The Fund will check it is complete.")
                % {"number": application.pk},
            )
            return see_other("portal:application", application.pk)
    if not selectors.is_editable(application):
        for error in form.non_field_errors():
            messages.error(request, error)
        return see_other("portal:application", application.pk)
    return _review_step(request, application, form=form)


STEP_VIEWS = {
    "category": _category_step,
    "member": _member_step,
    "project": _project_step,
    "documents": _documents_step,
    "review": _review_step,
}


# --- agreement, certificate and documents --------------------------------------------------------


@requires("registry.portal")
@require_safe
def agreement(request, pk: int):
    """The participation agreement to sign, once the commission has approved the application."""
    application = _application_or_404(request, pk)
    if application.status not in AGREEMENT_STATES:
        raise Http404(_("The agreement is prepared once the commission approves the application."))
    return pdf_attachment(pdf.agreement_pdf(application), f"agreement-{application.pk}.pdf")


@requires("registry.application.submit")
@require_POST
def sign(request, pk: int):
    """Upload the agreement signed by the organisation; its SHA-256 is kept and shown."""
    application = _application_or_404(request, pk)
    form = SignedAgreementForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            APPLICATION_WORKFLOW.perform(
                application, "sign_agreement", by=request.user, uploaded_file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        except DomainError as error:
            messages.error(request, str(error))
            return see_other("portal:application", application.pk)
        else:
            messages.success(
                request, _("The signed agreement is received. The Fund will now issue the certificate.")
            )
            return see_other("portal:application", application.pk)
    application.refresh_from_db()
    return _render_application(request, application, sign_form=form)


@requires("registry.portal")
@require_safe
def certificate(request, pk: int):
    """The participant's certificate, once the application has led to a register entry."""
    application = _application_or_404(request, pk)
    if application.participant is None:
        raise Http404(_("The certificate is issued once you are entered in the register."))
    participant = application.participant
    return pdf_attachment(pdf.certificate_pdf(participant), f"certificate-{participant.number}.pdf")


@requires("registry.portal")
@require_safe
def document(request, pk: int):
    """A document of an application the user acts for, as uploaded, under its original name."""
    found = documents.document_for_download(request.user, pk, ip=client_ip(request))
    if not acts_for_application(request.user, found.application):
        # Staff read documents on their own pages; the portal serves only one's own.
        raise Http404(_("There is no such document."))
    handle = open_stored_or_404(found.file)
    return file_attachment(handle, filename=found.original_name, content_type=found.content_type)
