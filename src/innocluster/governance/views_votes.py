"""A member's side of the meetings: casting their own ballot online after confirming their
identity again (password or second factor), their own page (coming meetings, ballots awaiting
them, their votes), and the public list of the resolutions the bodies chose to publish."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from innocluster.core.access.views import requires
from innocluster.core.http import apply_errors, see_other
from innocluster.governance import forms, selectors_meetings
from innocluster.governance.models import BallotRound, MeetingStatus, Membership
from innocluster.governance.selectors import ballots_of, memberships_of
from innocluster.governance.services import ballots
from innocluster.governance.views_meetings import _round

# --- a member's own ballot ------------------------------------------------------------------


def _vote_context(request, rnd: BallotRound, form):
    language = get_language()
    item, meeting = rnd.item, rnd.item.meeting
    return {
        "round": rnd,
        "item": item,
        "title": item.title(language),
        "meeting": meeting,
        "body_name": meeting.body.text("name", language),
        "papers": list(item.papers.all()),
        "form": form,
        "membership": selectors_meetings.membership_for(request.user, meeting.body, meeting.date),
        "already": rnd.ballots.filter(membership__user=request.user).first(),
    }


@requires("governance.vote")
@reauthentication_required
def vote(request, pk: int):
    """A member's ballot online: asked for the password or second factor again when the last
    confirmation is older than a few minutes, whichever way the page is reached."""
    rnd = _round(request, pk)
    if not Membership.objects.filter(body=rnd.item.meeting.body, user=request.user).exists():
        raise PermissionDenied(_("You hold no term on this body."))
    if request.method == "POST":
        form = forms.VoteForm(request.POST)
        if form.is_valid():
            try:
                ballots.cast_ballot(rnd, choice=form.cleaned_data["choice"], by=request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Your ballot is cast."))
                return see_other("governance:meeting", rnd.item.meeting_id)
        return render(request, "governance/vote.html", _vote_context(request, rnd, form), status=400)
    if request.method not in ("GET", "HEAD"):
        raise Http404
    return render(request, "governance/vote.html", _vote_context(request, rnd, forms.VoteForm()))


# --- a member's own page, publication, the public list --------------------------------------


@requires("governance.my")
@require_safe
def my(request):
    language = get_language()
    upcoming = list(
        selectors_meetings.meetings_for(request.user)
        .filter(status__in=(MeetingStatus.CONVENED, MeetingStatus.HELD))
        .order_by("starts_at", "id")[:50]
    )
    for meeting in upcoming:
        meeting.body_name = meeting.body.text("name", language)
    waiting = list(selectors_meetings.awaiting_ballot(request.user)[:50])
    for rnd in waiting:
        rnd.title = rnd.item.title(language)
        rnd.body_name = rnd.item.meeting.body.text("name", language)
    cast = list(ballots_of(request.user)[:50])
    for ballot in cast:
        ballot.title = ballot.round.item.title(language)
    terms = list(memberships_of(request.user))
    for term in terms:
        term.body_name = term.body.text("name", language)
    return render(
        request,
        "governance/my.html",
        {"upcoming": upcoming, "waiting": waiting, "cast": cast, "terms": terms},
    )


@requires("governance.public")
@require_safe
def public_resolutions(request):
    language = get_language()
    rows = list(selectors_meetings.published_resolutions()[:200])
    for row in rows:
        row.body_name = row.body.text("name", language)
        row.shown = row.text(language)
    return render(request, "governance/public_resolutions.html", {"rows": rows})
