"""Open-innovation challenges under ``/portal/grants/challenges/`` (posters and answerers) and the
public list of open challenges under ``/grants/challenges/``.

A poster reaches its challenges and their answers only through the organisations it acts for;
anyone else's are a 404."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.http import apply_errors, see_other
from innocluster.grants.forms import AlmatyDateTimeField
from innocluster.grants.selectors import challenges as selectors
from innocluster.grants.services import challenges as services

POST = "grants.challenge.post"
ANSWER = "grants.challenge.answer"


class ChallengeForm(forms.Form):
    poster = forms.ChoiceField(label=gettext_lazy("Posted for"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    problem = forms.CharField(label=gettext_lazy("Problem"), widget=forms.Textarea)
    constraints = forms.CharField(label=gettext_lazy("Constraints"), widget=forms.Textarea, required=False)
    data_offered = forms.CharField(label=gettext_lazy("Data offered"), widget=forms.Textarea, required=False)
    budget = forms.DecimalField(
        label=gettext_lazy("Budget, tenge"), max_digits=18, decimal_places=2, min_value=0
    )
    deadline = AlmatyDateTimeField(label=gettext_lazy("Proposals accepted until (Astana time)"))
    call = forms.ChoiceField(label=gettext_lazy("Call for the shortlisted projects"), required=False)

    def __init__(self, *args, organisations=(), calls=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["poster"]  # a draft stays its poster's
        else:
            self.fields["poster"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["call"].choices = [("", "—")] + [
            (c.pk, f"{c.programme.code} / {c.code} — {c.title}") for c in calls
        ]


class AnswerForm(forms.Form):
    organisation = forms.ChoiceField(label=gettext_lazy("Answering for"))
    title = forms.CharField(label=gettext_lazy("Proposal title"), max_length=300)
    approach = forms.CharField(label=gettext_lazy("Proposed solution"), widget=forms.Textarea)
    amount = forms.DecimalField(
        label=gettext_lazy("Amount needed, tenge"), max_digits=18, decimal_places=2, min_value=0
    )
    months = forms.IntegerField(label=gettext_lazy("Duration, months"), min_value=1, max_value=120)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment"), widget=forms.Textarea, required=False, max_length=2000
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea, max_length=2000)


def _errors_to_messages(request, exc: ValidationError) -> None:
    for errors in exc.message_dict.values():
        for message in errors:
            messages.error(request, message)


# --- public --------------------------------------------------------------------------------------


@requires("grants.public")
@require_safe
def public_challenges(request):
    return render(request, "grants/challenges/public.html", {"challenges": selectors.public_challenges()})


# --- the portal: index and posting ---------------------------------------------------------------


def _challenge_form(request, data=None):
    return ChallengeForm(
        data,
        prefix="challenge",
        organisations=selectors.posting_organisations(request.user),
        calls=selectors.calls_for_challenges(),
    )


def _edit_form(challenge, data=None):
    """The creation form without the poster, filled with the draft. Its call stays offered even
    when it has closed since (the service then says so beside the field)."""
    calls = selectors.calls_for_challenges()
    if challenge.call is not None and challenge.call not in calls:
        calls.append(challenge.call)
    initial = {name: getattr(challenge, name) for name in services.EDITABLE if name != "call"}
    return ChallengeForm(
        data,
        prefix="challenge",
        calls=calls,
        editing=True,
        initial={**initial, "call": challenge.call_id or ""},
    )


def _call_of(data: dict):
    call_pk = data.pop("call")
    return selectors.call_by_pk(call_pk) if call_pk else None


def _index(request, *, form=None, status=200):
    user = request.user
    can_answer = can(user, ANSWER).allowed
    context = {
        "posted": selectors.posted_by(user),
        "open": selectors.public_challenges(),
        "can_answer": can_answer,
        "answers": selectors.answers_of(user) if can_answer else [],
        "form": form or _challenge_form(request),
    }
    return render(request, "grants/challenges/index.html", context, status=status)


@requires(POST)
@require_safe
def index(request):
    return _index(request)


@requires(POST)
@require_POST
def create(request):
    form = _challenge_form(request, request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        poster = selectors.organisation_acted_for(request.user, data.pop("poster"))
        call = _call_of(data)
        try:
            challenge = services.create_challenge(poster, by=request.user, call=call, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The challenge is saved as a draft: publish it to take proposals."))
            return see_other("grants_challenges:challenge", challenge.pk)
    return _index(request, form=form, status=400)


def _posted(request, pk: int):
    challenge = selectors.posted_challenge(request.user, pk)
    if challenge is None:
        raise Http404
    return challenge


def _challenge_page(request, challenge, *, status=200):
    context = {
        "challenge": challenge,
        "answers": selectors.answers_to(challenge),
        "withdraw_form": WithdrawForm(prefix="withdraw"),
        "comment_form": CommentForm(prefix="answer"),
        "statuses": challenge.Status,
    }
    return render(request, "grants/challenges/challenge.html", context, status=status)


@requires(POST)
@require_safe
def challenge_page(request, pk: int):
    return _challenge_page(request, _posted(request, pk))


def _refused(request, challenge, exc: ValidationError):
    _errors_to_messages(request, exc)
    return _challenge_page(request, selectors.posted_challenge(request.user, challenge.pk), status=400)


def _act(request, challenge, action, done: str):
    try:
        action()
    except ValidationError as exc:
        return _refused(request, challenge, exc)
    messages.success(request, done)
    return see_other("grants_challenges:challenge", challenge.pk)


def _edit_page(request, challenge, form, *, status=200):
    return render(
        request,
        "grants/challenges/challenge_edit.html",
        {"challenge": challenge, "form": form},
        status=status,
    )


@requires(POST)
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, pk: int):
    """A draft's own form, filled with it; saving goes through ``services.update_draft``. A
    challenge that is no longer a draft is refused on its page (nothing changes)."""
    challenge = _posted(request, pk)
    if challenge.status != challenge.Status.DRAFT:
        refusal = ValidationError(services.not_a_draft(challenge))
        if request.method == "POST":
            return _refused(request, challenge, refusal)
        _errors_to_messages(request, refusal)
        return see_other("grants_challenges:challenge", challenge.pk)
    if request.method != "POST":
        return _edit_page(request, challenge, _edit_form(challenge))
    form = _edit_form(challenge, request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["call"] = _call_of(data)
        try:
            services.update_draft(challenge, data, by=request.user)
        except ValidationError as exc:
            if "status" in exc.message_dict:  # no longer a draft: shown on its page
                return _refused(request, challenge, exc)
            apply_errors(form, exc)
        else:
            messages.success(request, _("The draft challenge is saved."))
            return see_other("grants_challenges:challenge", challenge.pk)
    return _edit_page(request, challenge, form, status=400)


@requires(POST)
@require_POST
def publish(request, pk: int):
    challenge = _posted(request, pk)
    return _act(
        request, challenge, lambda: services.publish_challenge(challenge, by=request.user),
        _("The challenge is published and takes proposals."),
    )  # fmt: skip


@requires(POST)
@require_POST
def close(request, pk: int):
    challenge = _posted(request, pk)
    return _act(
        request, challenge, lambda: services.close_challenge(challenge, by=request.user),
        _("The challenge no longer takes proposals."),
    )  # fmt: skip


@requires(POST)
@require_POST
def withdraw(request, pk: int):
    challenge = _posted(request, pk)
    form = WithdrawForm(request.POST, prefix="withdraw")
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request, challenge, lambda: services.withdraw_challenge(challenge, by=request.user, reason=reason),
        _("The challenge is withdrawn."),
    )  # fmt: skip


def _answer_for_poster(request, pk: int):
    answer = selectors.answer_for_poster(request.user, pk)
    if answer is None:
        raise Http404
    return answer


def _comment(request) -> str:
    form = CommentForm(request.POST, prefix="answer")
    return form.cleaned_data["comment"] if form.is_valid() else ""


@requires(POST)
@require_POST
def shortlist(request, pk: int):
    answer = _answer_for_poster(request, pk)
    comment = _comment(request)
    return _act(
        request, answer.challenge,
        lambda: services.shortlist_answer(answer, by=request.user, comment=comment),
        _("The proposal is shortlisted."),
    )  # fmt: skip


@requires(POST)
@require_POST
def decline(request, pk: int):
    answer = _answer_for_poster(request, pk)
    comment = _comment(request)
    return _act(
        request, answer.challenge,
        lambda: services.decline_answer(answer, by=request.user, comment=comment),
        _("The proposal is not shortlisted."),
    )  # fmt: skip


@requires(POST)
@require_POST
def convert(request, pk: int):
    answer = _answer_for_poster(request, pk)
    return _act(
        request, answer.challenge,
        lambda: services.convert(answer, by=request.user),
        _("A draft application is created in the call: the participant completes and submits it."),
    )  # fmt: skip


# --- the portal: answering -----------------------------------------------------------------------


def _open(pk: int):
    challenge = selectors.open_challenge(pk)
    if challenge is None:
        raise Http404
    return challenge


def _open_page(request, challenge, *, form=None, status=200):
    organisations = selectors.answering_organisations(request.user)
    context = {
        "challenge": challenge,
        "organisations": organisations,
        "form": form or AnswerForm(prefix="answer", organisations=organisations),
    }
    return render(request, "grants/challenges/open.html", context, status=status)


@requires(ANSWER)
@require_safe
def open_page(request, pk: int):
    return _open_page(request, _open(pk))


@requires(ANSWER)
@require_POST
def answer(request, pk: int):
    challenge = _open(pk)
    organisations = selectors.answering_organisations(request.user)
    form = AnswerForm(request.POST, prefix="answer", organisations=organisations)
    if form.is_valid():
        data = dict(form.cleaned_data)
        organisation = selectors.organisation_acted_for(request.user, data.pop("organisation"))
        try:
            services.answer_challenge(challenge, organisation, by=request.user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your proposal is sent to the poster."))
            return see_other("grants_challenges:index")
    return _open_page(request, challenge, form=form, status=400)
