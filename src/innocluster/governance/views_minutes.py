"""The minutes of a meeting under ``/staff/governance/``: the page (the record in the reader's
language, the status, the comments and, per state, the secretary's actions or a member's comment
form) and the PDFs of the minutes and of one resolution's extract, in Kazakh or Russian.

Who reads: ``governance.minutes.read`` on the meeting's body (staff, the auditor, its members;
403 for others, 404 for no such meeting). Who acts: ``governance.meeting.run`` (the services
check it on the body); who comments: ``governance.minutes.comment`` (a member with a vote)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.http import apply_errors, pdf_attachment, see_other
from innocluster.governance import pdf, selectors_minutes
from innocluster.governance.forms_minutes import CirculateForm, CommentForm, SummaryForm
from innocluster.governance.models import Meeting, MeetingStatus, Minutes, MinutesStatus, Resolution
from innocluster.governance.services import minutes as service

READ = "governance.minutes.read"
RUN = "governance.meeting.run"
COMMENT = "governance.minutes.comment"
ACTIONS = ("draft", "edit", "circulate", "approve", "lock")


def _meeting_or_404(request, pk: int) -> Meeting:
    meeting = Meeting.objects.select_related("body").filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("There is no such meeting."))
    decision = can(request.user, READ, meeting.body)
    if not decision.allowed:
        raise PermissionDenied(decision.reason)
    return meeting


def _language() -> str:
    language = (get_language() or "en").split("-")[0]
    return language if language in ("en", "kk", "ru") else "en"


def _page(request, meeting: Meeting, *, bound: dict | None = None, status: int = 200):
    body = meeting.body
    minutes = Minutes.objects.filter(meeting=meeting).first()
    language = _language()
    content = selectors_minutes.minutes_labels(selectors_minutes.minutes_content(meeting, language))
    runs = can(request.user, RUN, body).allowed
    state = minutes.status if minutes else None
    forms = {}
    if runs and state == MinutesStatus.DRAFT:
        forms["edit"] = SummaryForm(
            initial={f: getattr(minutes, f) for f in ("summary_en", "summary_kk", "summary_ru")}
        )
        forms["circulate"] = CirculateForm()
    if state == MinutesStatus.CIRCULATED and can(request.user, COMMENT, body).allowed:
        forms["comment"] = CommentForm()
    forms.update(bound or {})
    resolutions = {
        (r.year, r.number): r.pk
        for r in Resolution.objects.filter(item__meeting=meeting).only("pk", "year", "number")
    }
    for row in content["resolutions"]:
        row["pk"] = resolutions.get((row["year"], row["number"]))
    return render(
        request,
        "governance/minutes.html",
        {
            "meeting": meeting,
            "c": content,
            "minutes": minutes,
            "status": MinutesStatus(state).label if state else None,
            "statuses": MinutesStatus,
            "comments": list(minutes.comments.select_related("membership")) if minutes else [],
            "intact": selectors_minutes.minutes_intact(minutes) if minutes else None,
            "runs": runs,
            "can_draft": runs
            and minutes is None
            and meeting.status in (MeetingStatus.HELD, MeetingStatus.CLOSED),
            "forms": forms,
            "pdf_languages": pdf.LANGUAGES,
        },
        status=status,
    )


@requires("governance.read")
@require_safe
def minutes_page(request, pk: int):
    return _page(request, _meeting_or_404(request, pk))


SUCCESS = {
    "draft": gettext_lazy("The draft minutes are created."),
    "edit": gettext_lazy("The summary is saved."),
    "circulate": gettext_lazy("The minutes are circulated: the members have been notified."),
    "approve": gettext_lazy("The minutes are approved."),
    "lock": gettext_lazy("The minutes are locked: their SHA-256 is recorded."),
}


@requires(RUN)
@require_POST
def minutes_action(request, pk: int, action: str):
    """The secretary's steps: draft, edit the summary, circulate, approve, lock."""
    if action not in ACTIONS:
        raise Http404(_("There is no such action."))
    meeting = _meeting_or_404(request, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if action != "draft" and minutes is None:
        raise Http404(_("The minutes of this meeting have not been drafted yet."))
    form = {"edit": SummaryForm, "circulate": CirculateForm}.get(action)
    form = form(request.POST) if form else None
    if form is not None and not form.is_valid():
        return _page(request, meeting, bound={action: form}, status=400)
    try:
        if action == "draft":
            service.draft_minutes(meeting, request.user)
        elif action == "edit":
            service.edit_minutes(minutes, request.user, **form.cleaned_data)
        elif action == "circulate":
            service.circulate_minutes(minutes, request.user, form.cleaned_data["comments_due"])
        elif action == "approve":
            service.approve_minutes(minutes, request.user)
        else:
            service.lock_minutes(minutes, request.user)
    except ValidationError as error:
        if form is None:
            for message in error.messages:
                messages.error(request, message)
            return see_other("governance:minutes", meeting.pk)
        apply_errors(form, error)
        return _page(request, meeting, bound={action: form}, status=400)
    messages.success(request, SUCCESS[action])
    return see_other("governance:minutes", meeting.pk)


@requires(COMMENT)
@require_POST
def minutes_comment(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise Http404(_("The minutes of this meeting have not been drafted yet."))
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _page(request, meeting, bound={"comment": form}, status=400)
    try:
        service.comment_on_minutes(minutes, request.user, form.cleaned_data["text"])
    except ValidationError as error:
        apply_errors(form, error)
        return _page(request, meeting, bound={"comment": form}, status=400)
    messages.success(request, _("Your comment is added to the minutes."))
    return see_other("governance:minutes", meeting.pk)


def _pdf_language(request) -> str | None:
    language = request.GET.get("lang", "")
    return language if language in pdf.LANGUAGES else None


@requires("governance.read")
@require_safe
def minutes_pdf(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    language = _pdf_language(request)
    if language is None:
        return HttpResponseBadRequest(_("Choose the language of the minutes: kk or ru."))
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        raise Http404(_("The minutes of this meeting have not been drafted yet."))
    name = f"minutes-{meeting.body.code}-{meeting.year}-{meeting.number}-{language}.pdf"
    return pdf_attachment(pdf.minutes_pdf(minutes, language), name)


@requires("governance.read")
@require_safe
def resolution_extract(request, pk: int):
    resolution = Resolution.objects.select_related("body", "item__meeting").filter(pk=pk).first()
    if resolution is None:
        raise Http404(_("There is no such resolution."))
    decision = can(request.user, READ, resolution.body)
    if not decision.allowed:
        raise PermissionDenied(decision.reason)
    language = _pdf_language(request)
    if language is None:
        return HttpResponseBadRequest(_("Choose the language of the extract: kk or ru."))
    name = f"resolution-{resolution.body.code}-{resolution.year}-{resolution.number}-{language}.pdf"
    return pdf_attachment(pdf.resolution_extract_pdf(resolution, language), name)
