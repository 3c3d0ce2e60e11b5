"""The meetings' pages under ``/staff/governance/``: the list (and the planning form for whoever
runs meetings), one meeting where the corporate secretary runs it — convene, agenda, papers,
attendance, conflicts, ballot rounds, the count with its arithmetic — and the publication of a
resolution. A member's own ballot and page are in ``views_votes``.

Every write is a service call; a refusal comes back on the page beside the field it names, with
status 400. Who may read a meeting: ``governance.meeting.read`` on it (staff, the auditor, the
members of its body once it is convened); who may act: ``governance.meeting.run`` on its body."""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.decisions.executors import executor_for
from innocluster.core.http import apply_errors, file_attachment, open_stored_or_404, see_other
from innocluster.core.manifest import decision_types
from innocluster.governance import forms, selectors_meetings
from innocluster.governance.models import (
    AgendaItem,
    BallotRound,
    ItemPaper,
    ItemStatus,
    Majority,
    Meeting,
    MeetingStatus,
    Resolution,
)
from innocluster.governance.selectors import bodies_in_force, voting_members
from innocluster.governance.services import ballots, meetings, papers
from innocluster.governance.services.resolutions import publish_resolution

READ = "governance.meeting.read"
RUN = "governance.meeting.run"


def _check(user, action: str, obj) -> None:
    decision = can(user, action, obj)
    if not decision.allowed:
        raise PermissionDenied(decision.reason)


def _meeting(request, pk: int) -> Meeting:
    meeting = selectors_meetings.meeting_by_pk(pk)
    if meeting is None:
        raise Http404
    _check(request.user, READ, meeting)
    return meeting


def _runnable_bodies(user, language: str):
    return [b for b in bodies_in_force() if can(user, RUN, b).allowed]


# --- the list -------------------------------------------------------------------------------


@requires(READ)
@require_safe
def meeting_list(request):
    language = get_language()
    rows = list(selectors_meetings.meetings_for(request.user)[:200])
    runnable = _runnable_bodies(request.user, language)
    form = None
    if runnable:
        form = forms.PlanMeetingForm(
            bodies=runnable, language=language, initial={"starts_at": forms.default_start()}
        )
    return _list(request, rows, form, language)


def _list(request, rows, form, language, status=200):
    for meeting in rows:
        meeting.body_name = meeting.body.text("name", language)
    return render(request, "governance/meetings.html", {"rows": rows, "form": form}, status=status)


@requires(RUN)
@require_POST
def meeting_plan(request):
    language = get_language()
    form = forms.PlanMeetingForm(
        request.POST, bodies=_runnable_bodies(request.user, language), language=language
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meetings.plan_meeting(
                data["body"],
                starts_at=data["starts_at"],
                kind=data["kind"],
                place=data["place"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The meeting is planned as a draft: prepare its agenda, then convene it.")
            )
            return see_other("governance:meeting", meeting.pk)
    rows = list(selectors_meetings.meetings_for(request.user)[:200])
    return _list(request, rows, form, language, status=400)


# --- one meeting ----------------------------------------------------------------------------


def _page(request, meeting: Meeting, *, bound=None, status=200):
    """The meeting's page; ``bound`` replaces one of its forms with the one just refused."""
    language = get_language()
    runs = can(request.user, RUN, meeting.body).allowed
    items = selectors_meetings.agenda(meeting)
    open_ = meeting.status != MeetingStatus.CLOSED
    running = open_ and meeting.status != MeetingStatus.DRAFT
    voters = list(voting_members(meeting.body, meeting.date))
    mine = selectors_meetings.membership_for(request.user, meeting.body, meeting.date)
    bound = bound or {}
    for view in items:
        item = view.item
        view.title = item.title(language)
        view.rounds = list(item.rounds.all())
        view.open_round = next((r for r in view.rounds if not r.is_closed), None)
        view.recused_ids = {r.membership_id for r in item.recusals.all()}
        for rnd in view.rounds:
            rnd.shown_steps = (rnd.steps or {}).get(language) or (rnd.steps or {}).get("en") or []
            rnd.voted_ids = {b.membership_id for b in rnd.ballots.all()}
        if view.open_round is not None:
            view.i_may_vote = (
                mine is not None
                and mine.pk not in view.recused_ids
                and mine.pk not in view.open_round.voted_ids
            )
        view.resolution = getattr(item, "resolution", None) if item.status == ItemStatus.ADOPTED else None
        if runs and running:
            waiting = [m for m in voters if m.pk not in view.recused_ids]
            key = ("record", item.pk)
            if view.open_round is not None:
                waiting = [m for m in waiting if m.pk not in view.open_round.voted_ids]
                view.record_form = bound.get(key) or forms.RecordBallotForm(
                    members=waiting, prefix=f"b{item.pk}"
                )
            view.conflict_form = bound.get(("conflict", item.pk)) or forms.ConflictForm(
                members=[m for m in voters if m.pk not in view.recused_ids], prefix=f"c{item.pk}"
            )
            view.round_form = bound.get(("round", item.pk)) or forms.OpenRoundForm(prefix=f"r{item.pk}")
        if runs and open_:
            view.paper_form = bound.get(("paper", item.pk)) or forms.PaperForm(prefix=f"p{item.pk}")
    labels = {kind.code: kind.label for kind in decision_types()}
    for view in items:
        view.decision_label = labels.get(view.item.decision_type, view.item.decision_type)
        view.majority_label = (
            Majority(view.item.majority).label if view.item.majority in Majority.values else ""
        )
    context = {
        "meeting": meeting,
        "body_name": meeting.body.text("name", language),
        "items": items,
        "runs": runs,
        "running": running,
        "open": open_,
        "mine": mine,
        "attendance": selectors_meetings.attendance(meeting),
        "statuses": ItemStatus,
    }
    if runs and open_:
        context["item_form"] = bound.get("item") or forms.ItemForm(items=items)
    if runs and running:
        rows = context["attendance"]
        context["attendance_form"] = bound.get("attendance") or forms.AttendanceForm(rows=rows)
    return render(request, "governance/meeting.html", context, status=status)


@requires(READ)
@require_safe
def meeting_detail(request, pk: int):
    return _page(request, _meeting(request, pk))


def _act(request, meeting, call, done: str, *, bound_key=None, form=None):
    """Run a service call for the meeting's page: on success a message and back to the page, on
    a refusal the page again with the reasons (beside the form's fields when there is a form)."""
    try:
        call()
    except ValidationError as exc:
        if form is None:
            for message in exc.messages:
                messages.error(request, message)
            return see_other("governance:meeting", meeting.pk)
        apply_errors(form, exc)
        return _page(request, meeting, bound={bound_key: form}, status=400)
    messages.success(request, done)
    return see_other("governance:meeting", meeting.pk)


def _running_meeting(request, pk: int) -> Meeting:
    meeting = _meeting(request, pk)
    _check(request.user, RUN, meeting.body)
    return meeting


@requires(RUN)
@require_POST
def meeting_convene(request, pk: int):
    meeting = _running_meeting(request, pk)
    return _act(
        request,
        meeting,
        lambda: meetings.convene_meeting(meeting, by=request.user),
        _("The meeting is convened and its members are notified."),
    )


@requires(RUN)
@require_POST
def meeting_close(request, pk: int):
    meeting = _running_meeting(request, pk)
    return _act(
        request,
        meeting,
        lambda: meetings.close_meeting(meeting, by=request.user),
        _("The meeting is closed."),
    )


def _linked_record(decision_type: str, reference: str):
    """The record an item decides on, found by the executor the decision type's app registers
    (``decisions.executors``): by its own finder (a register number, say) or by its key."""
    reference = (reference or "").strip()
    if not reference:
        return None
    executor = executor_for(decision_type) if decision_type else None
    if executor is None:
        raise ValidationError({"linked": _("This decision type acts on no record: leave the field empty.")})
    found = executor.find(reference) if executor.find else None
    if found is None and executor.find is None and reference.isdigit():
        found = apps.get_model(executor.model).objects.filter(pk=int(reference)).first()
    if found is None:
        raise ValidationError(
            {"linked": _("No record %(ref)s was found for this decision type.") % {"ref": reference}}
        )
    return found


@requires(RUN)
@require_POST
def item_add(request, pk: int):
    meeting = _running_meeting(request, pk)
    form = forms.ItemForm(request.POST, items=selectors_meetings.agenda(meeting))
    if not form.is_valid():
        return _page(request, meeting, bound={"item": form}, status=400)
    data = form.cleaned_data

    def call():
        parent = meeting.items.filter(pk=data["parent"]).first() if data["parent"] else None
        meetings.add_item(
            meeting,
            title_en=data["title_en"],
            title_kk=data["title_kk"],
            title_ru=data["title_ru"],
            parent=parent,
            decision_type=data["decision_type"],
            linked=_linked_record(data["decision_type"], data["linked"]),
            majority=data["majority"],
            amount=data["amount"],
            by=request.user,
        )

    return _act(request, meeting, call, _("The item is on the agenda."), bound_key="item", form=form)


def _item(request, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("meeting__body"), pk=pk)
    _check(request.user, READ, item.meeting)
    return item


@requires(RUN)
@require_POST
def item_withdraw(request, pk: int):
    item = _item(request, pk)
    _check(request.user, RUN, item.meeting.body)
    form = forms.ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    return _act(
        request,
        item.meeting,
        lambda: meetings.withdraw_item(item, by=request.user, reason=reason),
        _("The item is withdrawn from the agenda."),
    )


@requires(RUN)
@require_POST
def attendance(request, pk: int):
    meeting = _running_meeting(request, pk)
    rows = selectors_meetings.attendance(meeting)
    form = forms.AttendanceForm(request.POST, rows=rows)
    if not form.is_valid():
        return _page(request, meeting, bound={"attendance": form}, status=400)

    def call():
        for row in rows:
            membership, current = row["membership"], row["attendance"]
            chosen = form.cleaned_data[f"m{membership.pk}"]
            present = chosen != forms.AttendanceForm.ABSENT
            mode = chosen if present else (current.mode if current else "in_room")
            if current is None and not present:
                continue
            if current is not None and current.present == present and (not present or current.mode == mode):
                continue
            meetings.record_attendance(meeting, membership, present=present, mode=mode, by=request.user)

    return _act(request, meeting, call, _("Attendance is recorded."), bound_key="attendance", form=form)


@requires(READ)
@require_POST
def conflict(request, pk: int):
    """The secretary records a member's conflict; a member may declare their own (no form choice)."""
    item = _item(request, pk)
    meeting = item.meeting
    runs = can(request.user, RUN, meeting.body).allowed
    if runs:
        members = list(voting_members(meeting.body, meeting.date))
    else:
        mine = selectors_meetings.membership_for(request.user, meeting.body, meeting.date)
        if mine is None:
            raise PermissionDenied(_("You hold no term with a vote on this body."))
        members = [mine]
    form = forms.ConflictForm(request.POST, members=members, prefix=f"c{item.pk}")
    if not form.is_valid():
        if not runs:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return see_other("governance:meeting", meeting.pk)
        return _page(request, meeting, bound={("conflict", item.pk): form}, status=400)
    return _act(
        request,
        meeting,
        lambda: meetings.declare_conflict(
            item, form.cleaned_data["membership"], reason=form.cleaned_data["reason"], by=request.user
        ),
        _("The conflict of interest is recorded: the member does not vote on this item."),
        bound_key=("conflict", item.pk),
        form=form if runs else None,
    )


@requires(RUN)
@require_POST
def paper_add(request, pk: int):
    item = _item(request, pk)
    _check(request.user, RUN, item.meeting.body)
    form = forms.PaperForm(request.POST, request.FILES, prefix=f"p{item.pk}")
    if not form.is_valid():
        return _page(request, item.meeting, bound={("paper", item.pk): form}, status=400)
    return _act(
        request,
        item.meeting,
        lambda: papers.attach_paper(item, form.cleaned_data["file"], by=request.user),
        _("The paper is attached."),
        bound_key=("paper", item.pk),
        form=form,
    )


@requires(READ)
@require_safe
def paper(request, pk: int):
    found = get_object_or_404(ItemPaper.objects.select_related("item__meeting__body"), pk=pk)
    _check(request.user, READ, found.item.meeting)
    return file_attachment(open_stored_or_404(found.file), filename=found.original_name)


@requires(RUN)
@require_POST
def round_open(request, pk: int):
    item = _item(request, pk)
    _check(request.user, RUN, item.meeting.body)
    form = forms.OpenRoundForm(request.POST, prefix=f"r{item.pk}")
    if not form.is_valid():
        return _page(request, item.meeting, bound={("round", item.pk): form}, status=400)
    return _act(
        request,
        item.meeting,
        lambda: ballots.open_round(item, deadline=form.cleaned_data["deadline"], by=request.user),
        _("The vote is open."),
        bound_key=("round", item.pk),
        form=form,
    )


def _round(request, pk: int) -> BallotRound:
    rnd = get_object_or_404(BallotRound.objects.select_related("item__meeting__body"), pk=pk)
    _check(request.user, READ, rnd.item.meeting)
    return rnd


@requires(RUN)
@require_POST
def round_record(request, pk: int):
    rnd = _round(request, pk)
    meeting = rnd.item.meeting
    _check(request.user, RUN, meeting.body)
    members = list(voting_members(meeting.body, meeting.date))
    form = forms.RecordBallotForm(request.POST, members=members, prefix=f"b{rnd.item_id}")
    if not form.is_valid():
        return _page(request, meeting, bound={("record", rnd.item_id): form}, status=400)
    data = form.cleaned_data
    return _act(
        request,
        meeting,
        lambda: ballots.record_ballot(
            rnd, data["membership"], choice=data["choice"], mode=data["mode"], by=request.user
        ),
        _("The vote of %(name)s is recorded.") % {"name": data["membership"].full_name},
        bound_key=("record", rnd.item_id),
        form=form,
    )


@requires(RUN)
@require_POST
def round_close(request, pk: int):
    rnd = _round(request, pk)
    _check(request.user, RUN, rnd.item.meeting.body)
    return _act(
        request,
        rnd.item.meeting,
        lambda: ballots.close_round(rnd, by=request.user),
        _("The round is counted."),
    )


@requires("governance.resolution.publish")
@require_POST
def resolution_publish(request, pk: int):
    resolution = get_object_or_404(Resolution.objects.select_related("item__meeting__body"), pk=pk)
    meeting = resolution.item.meeting
    _check(request.user, READ, meeting)
    return _act(
        request,
        meeting,
        lambda: publish_resolution(resolution, by=request.user),
        _("The resolution is published on the public page."),
    )
