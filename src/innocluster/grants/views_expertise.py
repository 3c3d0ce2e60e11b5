"""The expert commission's pages under ``/staff/grants/expertise/``.

- The programme manager assigns experts to a call's applications (with every expert's load beside)
  and cancels an assignment not yet submitted.
- An expert sees only their own assignments ("My reviews"; another expert's is a 404), declares a
  conflict of interest first (recused: the application is a 404 from then on), then reads the
  application, downloads its files and scores it. An expert never sees another expert's scores.
- The staff, the chair, the executive and the auditor see the ranking of a call's applications and
  every review of one application; the chair asks for another review and records the commission's
  opinion.

Every write is a service call (``services.expertise``); a refusal comes back beside the field it
names with status 400; a success sends the browser on (303)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST, require_safe

from innocluster.core import charts
from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.http import apply_errors, file_attachment, open_stored_or_404, see_other
from innocluster.grants import exports
from innocluster.grants.models import AssignmentStatus, Opinion
from innocluster.grants.selectors import expertise as selectors
from innocluster.grants.services import expertise as services

READ = "grants.expertise.read"
ASSIGN = "grants.expertise.assign"
REVIEW = "grants.review"
CHAIR = "grants.expertise.chair"


# --- forms ---------------------------------------------------------------------------------------


class ExpertChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def _expert_field():
    from django.contrib.auth import get_user_model

    return ExpertChoiceField(
        label=gettext_lazy("Expert"),
        queryset=get_user_model().objects.filter(pk__in=[u.pk for u in selectors.experts()]),
    )


class AssignForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"] = _expert_field()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RequestForm(AssignForm):
    reason = forms.CharField(
        label=gettext_lazy("Why another review"), widget=forms.Textarea(attrs={"rows": 2})
    )


class OpinionForm(forms.Form):
    opinion = forms.ChoiceField(label=gettext_lazy("Commission's opinion"), choices=Opinion.choices)
    number = forms.CharField(label=gettext_lazy("Decision number"), max_length=50)
    decided_on = forms.DateField(
        label=gettext_lazy("Decided on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    basis = forms.CharField(label=gettext_lazy("Legal basis"), widget=forms.Textarea(attrs={"rows": 2}))


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=gettext_lazy("Do you have a conflict of interest with this application?"),
        choices=(
            ("no", pgettext_lazy("conflict of interest", "No")),
            ("yes", pgettext_lazy("conflict of interest", "Yes")),
        ),
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label=gettext_lazy("Details of the conflict"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReviewForm(forms.Form):
    """One score (0..scale_max) and one comment per criterion, then the opinion and its reasoning;
    the service checks completeness at submission."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"score_{c.code}"] = forms.IntegerField(
                label=c.title, required=False, help_text=_("0 to %(max)s") % {"max": c.scale_max}
            )
            self.fields[f"comment_{c.code}"] = forms.CharField(
                label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.fields["opinion"] = forms.ChoiceField(
            label=_("Opinion"), required=False, choices=[("", "—"), *Opinion.choices]
        )
        self.fields["opinion_text"] = forms.CharField(
            label=_("Reasoning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
        )

    def scores(self) -> dict:
        data = self.cleaned_data
        return {
            c.code: {"value": data.get(f"score_{c.code}"), "comment": data.get(f"comment_{c.code}", "")}
            for c in self.criteria
        }


def _refused(request, exc: ValidationError) -> None:
    for errors in exc.message_dict.values():
        for message in errors:
            messages.error(request, message)


# --- the commission's overview -------------------------------------------------------------------


@requires(READ)
@require_safe
def index(request):
    return render(
        request,
        "grants/expertise/index.html",
        {"calls": selectors.calls_in_expertise(), "can_assign": can(request.user, ASSIGN).allowed},
    )


def _call(pk: int):
    call = selectors.call_by_pk(pk)
    if call is None:
        raise Http404
    return call


def ranking_chart(rows) -> str:
    """Horizontal bars of the mean weighted score with min–max whiskers (the core chart style)."""
    import matplotlib
    from matplotlib.figure import Figure

    scored = [r for r in rows if r.mean is not None]
    title = _("Mean weighted score (0 to 100), lowest to highest review")
    with charts._lock, matplotlib.rc_context(charts.RC):
        figure = Figure(figsize=(5.0, max(2.6, 0.45 * len(scored) + 1.4)))
        axes = figure.add_subplot()
        positions = list(range(len(scored)))
        means = [float(r.mean) for r in scored]
        axes.barh(
            positions,
            means,
            height=0.6,
            color=charts.PALETTE[0],
            xerr=[[m - float(r.low) for m, r in zip(means, scored, strict=True)],
                  [float(r.high) - m for m, r in zip(means, scored, strict=True)]],
            error_kw={"ecolor": "#444", "capsize": 3, "linewidth": 0.8},
        )  # fmt: skip
        axes.set_yticks(positions, [r.application.number for r in scored])
        axes.invert_yaxis()
        axes.set_xlim(0, 100)
        axes.xaxis.grid(True, color="#ddd", linewidth=0.5)
        axes.set_axisbelow(True)
        axes.set_title(title, loc="left", fontsize=10)
        return charts._svg(figure, title)


@requires(READ)
@require_safe
def ranking(request, pk: int):
    call = _call(pk)
    rows = selectors.ranking(call)
    if exports.wants_xlsx(request):
        return exports.ranking_xlsx(call, rows)
    chart = ranking_chart(rows) if any(r.mean is not None for r in rows) else ""
    return render(
        request,
        "grants/expertise/ranking.html",
        {
            "call": call,
            "rows": rows,
            "chart": charts.data_uri(chart) if chart else "",
            "language": translation.get_language(),
            "xlsx_query": exports.xlsx_query(request),
        },
    )


# --- assignment ----------------------------------------------------------------------------------


def _assign_page(request, call, *, status=200, bound=None):
    bound = bound or {}
    applications = selectors.applications_to_assign(call)
    for app in applications:
        app.assign_form = bound.get(app.pk) or AssignForm(prefix=f"a{app.pk}")
        for assignment in app.live_assignments:
            assignment.cancel_form = ReasonForm(prefix=f"c{assignment.pk}")
    return render(
        request,
        "grants/expertise/assign.html",
        {"call": call, "applications": applications, "load": selectors.expert_load()},
        status=status,
    )


@requires(ASSIGN)
@require_safe
def assign_page(request, pk: int):
    return _assign_page(request, _call(pk))


def _application(pk: int):
    application = selectors.application_by_pk(pk)
    if application is None:
        raise Http404
    return application


@requires(ASSIGN)
@require_POST
def assign(request, pk: int):
    application = _application(pk)
    form = AssignForm(request.POST, prefix=f"a{application.pk}")
    if form.is_valid():
        try:
            services.assign(application, form.cleaned_data["expert"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The expert is assigned and notified."))
            return see_other("grants_expertise:assign_page", application.call_id)
    return _assign_page(request, application.call, status=400, bound={application.pk: form})


@requires(ASSIGN)
@require_safe
def load(request):
    return render(request, "grants/expertise/load.html", {"load": selectors.expert_load()})


@requires(ASSIGN)
@require_POST
def cancel(request, pk: int):
    from innocluster.grants.models import ExpertAssignment

    assignment = ExpertAssignment.objects.select_related("application").filter(pk=pk).first()
    if assignment is None:
        raise Http404
    form = ReasonForm(request.POST, prefix=f"c{assignment.pk}")
    if form.is_valid():
        try:
            services.cancel_assignment(assignment, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The assignment is cancelled."))
            return see_other("grants_expertise:assign_page", assignment.application.call_id)
    else:
        messages.error(request, _("Say why the assignment is cancelled."))
    return _assign_page(request, assignment.application.call, status=400)


# --- one application: every review (staff and chair) ---------------------------------------------


def _application_page(request, application, *, status=200, bound=None):
    bound = bound or {}
    chair = can(request.user, CHAIR, application).allowed
    context = {
        "application": application,
        "reviews": selectors.reviews_of(application),
        "criteria": list(application.call.criteria.order_by("position")),
        "submitted": selectors.submitted_count(application),
        "chair": chair and application.status == "expertise",
    }
    if context["chair"]:
        context["request_form"] = bound.get("request") or RequestForm(prefix="request")
        context["opinion_form"] = bound.get("opinion") or OpinionForm(prefix="opinion")
    return render(request, "grants/expertise/application.html", context, status=status)


@requires(READ)
@require_safe
def application_page(request, pk: int):
    return _application_page(request, _application(pk))


@requires(CHAIR)
@require_POST
def request_review(request, pk: int):
    application = _application(pk)
    form = RequestForm(request.POST, prefix="request")
    if form.is_valid():
        try:
            services.request_review(
                application, form.cleaned_data["expert"], reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Another review is requested in a new round."))
            return see_other("grants_expertise:application", application.pk)
    return _application_page(request, application, status=400, bound={"request": form})


@requires(CHAIR)
@require_POST
def give_opinion(request, pk: int):
    application = _application(pk)
    form = OpinionForm(request.POST, prefix="opinion")
    if form.is_valid():
        try:
            services.give_opinion(application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The commission's opinion is recorded."))
            return see_other("grants_expertise:application", application.pk)
    return _application_page(request, application, status=400, bound={"opinion": form})


# --- the expert's own pages ----------------------------------------------------------------------


@requires(REVIEW)
@require_safe
def mine(request):
    return render(
        request, "grants/expertise/mine.html", {"assignments": selectors.assignments_of(request.user)}
    )


def _mine(request, pk: int):
    assignment = selectors.assignment_of(request.user, pk)
    if assignment is None:
        raise Http404
    return assignment


def _assignment_page(request, assignment, *, form=None, status=200):
    return render(
        request,
        "grants/expertise/assignment.html",
        {
            "assignment": assignment,
            "statuses": AssignmentStatus,
            "form": form or (ConflictForm() if assignment.status == AssignmentStatus.ASSIGNED else None),
        },
        status=status,
    )


@requires(REVIEW)
@require_safe
def my_assignment(request, pk: int):
    return _assignment_page(request, _mine(request, pk))


@requires(REVIEW)
@require_POST
def declare(request, pk: int):
    assignment = _mine(request, pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            assignment = services.declare_conflict(
                assignment, by=request.user, has_conflict=form.cleaned_data["has_conflict"],
                details=form.cleaned_data["details"],
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if assignment.status == AssignmentStatus.RECUSED:
                messages.success(request, _("You are recused from this application."))
                return see_other("grants_expertise:mine")
            return see_other("grants_expertise:my_application", assignment.pk)
    return _assignment_page(request, assignment, form=form, status=400)


def _readable(request, pk: int):
    assignment = selectors.readable_assignment(request.user, pk)
    if assignment is None:
        raise Http404
    return assignment


def _review_page(request, assignment, *, form=None, status=200):
    application = selectors.application_for_review(assignment)
    criteria = list(application.call.criteria.all())
    if form is None:
        own = selectors.own_scores(assignment)
        initial = {"opinion": assignment.opinion, "opinion_text": assignment.opinion_text}
        for code, score in own.items():
            initial[f"score_{code}"] = score.value
            initial[f"comment_{code}"] = score.comment
        form = ReviewForm(criteria=criteria, initial=initial)
    rows = [(c, form[f"score_{c.code}"], form[f"comment_{c.code}"]) for c in criteria]
    return render(
        request,
        "grants/expertise/review.html",
        {
            "assignment": assignment,
            "application": application,
            "files": selectors.latest_files(application),
            "form": form,
            "rows": rows,
            "editable": assignment.status == AssignmentStatus.REVIEWING,
        },
        status=status,
    )


@requires(REVIEW)
@require_safe
def my_application(request, pk: int):
    return _review_page(request, _readable(request, pk))


@requires(REVIEW)
@require_POST
def review(request, pk: int):
    assignment = _readable(request, pk)
    criteria = list(assignment.application.call.criteria.all())
    form = ReviewForm(request.POST, criteria=criteria)
    if form.is_valid():
        submit = "submit" in request.POST
        action = services.submit_review if submit else services.save_draft
        try:
            action(
                assignment, by=request.user, scores=form.scores(), opinion=form.cleaned_data["opinion"],
                opinion_text=form.cleaned_data["opinion_text"],
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Your review is submitted.") if submit else _("Your draft review is saved.")
            )
            return see_other("grants_expertise:my_application", assignment.pk)
    return _review_page(request, assignment, form=form, status=400)


@requires(REVIEW)
@require_safe
def my_file(request, pk: int, item: int):
    stored = selectors.file_for_expert(request.user, pk, item)
    if stored is None:
        raise Http404
    return file_attachment(
        open_stored_or_404(stored.file), filename=stored.original_name, content_type=stored.content_type
    )
