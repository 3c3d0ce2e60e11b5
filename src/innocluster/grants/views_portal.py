"""The participant's project applications under ``/portal/grants/``: the list, starting from an
open call, one page per step (each POST saves only its step), the check-and-submit page, the
read-only view after submission and the withdrawal.

Every application is looked up through the organisations the user acts for: someone else's is a
404 on every page. Every write is a service call (``services.applications``); a refusal comes back
beside the field it names with status 400; a success sends the browser on (303)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from innocluster.apikit.views import Endpoint
from innocluster.core.access.views import requires
from innocluster.core.http import apply_errors, file_attachment, open_stored_or_404, see_other
from innocluster.grants import forms_portal as forms
from innocluster.grants.models import ApplicationFile, ProjectApplication
from innocluster.grants.selectors import portal as selectors
from innocluster.grants.services import application_steps as steps
from innocluster.grants.services import applications as services

APPLY = "grants.apply"


def _application(request, pk: int):
    found = selectors.application_for(request.user, pk)
    if found is None:
        raise Http404
    return found


def _context(application, step: str, **extra) -> dict:
    return {
        "found": application,
        "step": step,
        "steps": selectors.STEPS,
        "done": application.steps_done or [],
        "comments": selectors.open_comments(application),
        **extra,
    }


def _errors_to_messages(request, exc: ValidationError) -> None:
    for errors in exc.message_dict.values():
        for message in errors:
            messages.error(request, message)


# --- list and start ------------------------------------------------------------------------------


@requires(APPLY)
@require_safe
def index(request):
    rows = [
        {"application": a, "next": selectors.next_step(a) if a.editable else ""}
        for a in selectors.applications_of(request.user)
    ]
    return render(
        request,
        "grants/portal/index.html",
        {
            "rows": rows,
            "calls": selectors.open_calls(),
            "organisations": list(selectors.organisations(request.user)),
        },
    )


@requires(APPLY)
@require_http_methods(["GET", "HEAD", "POST"])
def start(request, call: int):
    found = selectors.call_by_pk(call)
    if found is None:
        raise Http404
    organisations = list(selectors.organisations(request.user))
    projects = selectors.projects_of(organisations)
    form = forms.StartForm(request.POST or None, organisations=organisations, projects=projects)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            organisation = selectors.organisation_for(request.user, form.cleaned_data["organisation"])
            project = None
            if form.cleaned_data.get("project"):
                project = next((p for p in projects if str(p.pk) == form.cleaned_data["project"]), None)
            try:
                if organisation is None:
                    raise ValidationError({"organisation": _("You do not act for this organisation.")})
                application = steps.start_application(
                    found,
                    organisation,
                    by=request.user,
                    title=form.cleaned_data.get("title", ""),
                    project=project,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The application is started: fill in its steps in any order."))
                return see_other("grants_portal:project", application.pk)
    standings = [{"organisation": o, "standing": selectors.standing(o, found)} for o in organisations]
    return render(
        request,
        "grants/portal/start.html",
        {"call": found, "form": form, "standings": standings, "is_open": found.is_open()},
        status=status,
    )


# --- the steps -----------------------------------------------------------------------------------


def _step_page(request, application, step, sections, *, status=200, template="grants/portal/step.html"):
    return render(request, template, _context(application, step, sections=sections), status=status)


def _read_only(request, application):
    if not application.editable:
        messages.info(request, _("The application is submitted: it can no longer be changed."))
        return see_other("grants_portal:application", application.pk)
    return None


@requires(APPLY)
@require_http_methods(["GET", "HEAD", "POST"])
def project_step(request, pk: int):
    application = _application(request, pk)
    if (gone := _read_only(request, application)) is not None:
        return gone
    initial = {name: getattr(application, name) for name in services.PROJECT_FIELDS if name != "title"}
    initial["title"] = application.project.title
    form = forms.ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                steps.save_project(application, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The project step is saved."))
                return see_other("grants_portal:plan", application.pk)
        return _step_page(request, application, "project", [{"form": form}], status=400)
    return _step_page(request, application, "project", [{"form": form}])


def _rows_step(request, application, step, specs, save, next_name):
    """A step of rows: ``specs`` are (prefix, FormSet, heading, initial rows)."""
    sets = [
        (prefix, formset_class(request.POST or None, prefix=prefix, initial=rows), heading)
        for prefix, formset_class, heading, rows in specs
    ]
    if request.method == "POST":
        if all(formset.is_valid() for _p, formset, _h in sets):
            try:
                save(*[forms.kept(formset) for _p, formset, _h in sets])
            except ValidationError as exc:
                _errors_to_messages(request, exc)
            else:
                messages.success(request, _("The step is saved."))
                return see_other(next_name, application.pk)
        sections = [{"formset": f, "heading": h} for _p, f, h in sets]
        return _step_page(request, application, step, sections, status=400)
    sections = [{"formset": f, "heading": h} for _p, f, h in sets]
    return _step_page(request, application, step, sections)


@requires(APPLY)
@require_http_methods(["GET", "HEAD", "POST"])
def plan_step(request, pk: int):
    application = _application(request, pk)
    if (gone := _read_only(request, application)) is not None:
        return gone
    rows = [
        {
            "title": m.title,
            "starts_on": m.starts_on,
            "due_on": m.due_on,
            "deliverable": m.deliverable,
            "amount": m.amount,
        }
        for m in application.milestones.all()
    ]
    return _rows_step(
        request,
        application,
        "plan",
        [("milestones", forms.MilestoneFormSet, _("Milestones"), rows)],
        lambda milestones: steps.save_plan(application, milestones, by=request.user),
        "grants_portal:budget",
    )


@requires(APPLY)
@require_http_methods(["GET", "HEAD", "POST"])
def budget_step(request, pk: int):
    application = _application(request, pk)
    if (gone := _read_only(request, application)) is not None:
        return gone
    rows = [
        {
            "kind": i.kind,
            "year": i.year,
            "description": i.description,
            "requested": i.requested,
            "cofinanced": i.cofinanced,
        }
        for i in application.budget_items.all()
    ]
    return _rows_step(
        request,
        application,
        "budget",
        [("budget", forms.BudgetFormSet, _("Budget items"), rows)],
        lambda items: steps.save_budget(application, items, by=request.user),
        "grants_portal:team",
    )


@requires(APPLY)
@require_http_methods(["GET", "HEAD", "POST"])
def team_step(request, pk: int):
    application = _application(request, pk)
    if (gone := _read_only(request, application)) is not None:
        return gone
    team = [
        {"name": m.name, "role": m.role, "qualification": m.qualification, "share": m.share}
        for m in application.team.all()
    ]
    kpis = [
        {"name": k.name, "unit": k.unit, "baseline": k.baseline, "target": k.target, "year": k.year}
        for k in application.kpis.all()
    ]
    return _rows_step(
        request,
        application,
        "team",
        [
            ("team", forms.TeamFormSet, _("Project team"), team),
            ("kpis", forms.KpiFormSet, _("Performance indicators"), kpis),
        ],
        lambda members, indicators: steps.save_team(application, members, indicators, by=request.user),
        "grants_portal:note",
    )


@requires(APPLY)
@require_http_methods(["GET", "HEAD", "POST"])
def note_step(request, pk: int):
    application = _application(request, pk)
    if (gone := _read_only(request, application)) is not None:
        return gone
    form = forms.NoteForm(
        request.POST or None, initial={name: getattr(application, name) for name in selectors.NOTE_FIELDS}
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                steps.save_note(application, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The explanatory note is saved."))
                return see_other("grants_portal:documents", application.pk)
        return _step_page(request, application, "note", [{"form": form}], status=400)
    return _step_page(request, application, "note", [{"form": form}])


@requires(APPLY)
@require_http_methods(["GET", "HEAD", "POST"])
def documents_step(request, pk: int):
    application = _application(request, pk)
    if (gone := _read_only(request, application)) is not None:
        return gone
    form, failed, status = None, None, 200
    if request.method == "POST":
        form = forms.FileForm(request.POST, request.FILES)
        failed, status = request.POST.get("code"), 400
        if form.is_valid():
            try:
                services.upload_file(
                    application, form.cleaned_data["code"], form.cleaned_data["file"], by=request.user
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The file is uploaded."))
                return see_other("grants_portal:documents", application.pk)
        application = _application(request, pk)
    return render(
        request,
        "grants/portal/documents.html",
        _context(
            application, "documents", rows=selectors.documents_wanted(application), form=form, failed=failed
        ),
        status=status,
    )


@requires(APPLY)
@require_http_methods(["GET", "HEAD", "POST"])
def check(request, pk: int):
    application = _application(request, pk)
    if (gone := _read_only(request, application)) is not None:
        return gone
    status = 200
    if request.method == "POST":
        responses = {
            c.pk: request.POST.get(f"response-{c.pk}", "") for c in selectors.open_comments(application)
        }
        try:
            services.submit_application(application, by=request.user, responses=responses)
        except ValidationError as exc:
            _errors_to_messages(request, exc)
            status = 400
            application = _application(request, pk)
        else:
            messages.success(request, _("The application is submitted: the Fund checks it at intake."))
            return see_other("grants_portal:application", application.pk)
    comments = selectors.open_comments(application)
    if request.method == "POST":  # what was typed comes back when the submission is refused
        for comment in comments:
            comment.response = request.POST.get(f"response-{comment.pk}", comment.response)
    return render(
        request,
        "grants/portal/check.html",
        _context(
            application,
            "check",
            comments=comments,
            problems=selectors.submission_problems(application),
            window=selectors.window_problem(application.call),
            standing=selectors.standing(application.organisation, application.call),
            rows=selectors.documents_wanted(application),
        ),
        status=status,
    )


# --- after submission ----------------------------------------------------------------------------


@requires(APPLY)
@require_safe
def application_page(request, pk: int):
    application = _application(request, pk)
    return render(
        request,
        "grants/portal/application.html",
        _context(
            application,
            "view",
            rows=selectors.documents_wanted(application),
            all_comments=selectors.all_comments(application),
            history=selectors.history(application),
            can_withdraw=selectors.can_withdraw(application),
            withdraw_form=forms.WithdrawForm(),
            next=selectors.next_step(application) if application.editable else "",
        ),
    )


@requires(APPLY)
@require_POST
def withdraw(request, pk: int):
    application = _application(request, pk)
    form = forms.WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw_application(application, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, _("The application is withdrawn."))
            return see_other("grants_portal:application", application.pk)
    else:
        messages.error(request, _("Say why the application is withdrawn."))
    return see_other("grants_portal:application", application.pk)


@requires(APPLY)
@require_safe
def download(request, pk: int, file: int):
    stored: ApplicationFile | None = selectors.file_for(request.user, pk, file)
    if stored is None:
        raise Http404
    return file_attachment(
        open_stored_or_404(stored.file), filename=stored.original_name, content_type=stored.content_type
    )


# --- API: GET /api/v1/grants/my-applications/ ------------------------------------------------------
# Kept beside the pages (the portal stage's own module) so that the stage owns its files; the
# route is declared in the grants manifest.


class MyApplicationSerializer(serializers.ModelSerializer):
    call = serializers.CharField(source="call.code", read_only=True, help_text="The call's code.")
    project = serializers.CharField(source="project.title", read_only=True)
    organisation_bin = serializers.CharField(source="organisation.bin", read_only=True)
    next_step = serializers.SerializerMethodField(help_text="The first step not done, while editable.")

    class Meta:
        model = ProjectApplication
        fields = [
            "id", "number", "call", "project", "organisation_bin", "status", "steps_done", "next_step",
            "requested_amount", "cofinancing_amount", "starts_on", "ends_on", "created_at", "submitted_at",
            "withdrawn_at", "revision_round",
        ]  # fmt: skip
        read_only_fields = fields

    def get_next_step(self, obj) -> str:
        return selectors.next_step(obj) if obj.editable else ""


class MyApplicationsView(Endpoint, generics.ListAPIView):
    """The project applications of the organisations the user acts for, newest first."""

    access_action = APPLY
    serializer_class = MyApplicationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProjectApplication.objects.none()
        return selectors.applications_of(self.request.user)

    @extend_schema(tags=["grants"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
