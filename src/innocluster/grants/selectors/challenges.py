"""Reads of open-innovation challenges: the public list, the poster's challenges and their answers,
the open challenges a participant may answer and its own answers.

A poster reaches its challenges and their answers only through the organisations it acts for
(``parties.selectors.organisations_of``); anyone else's are not found (a 404)."""

import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone

from innocluster.grants.models import Call, CallStatus, Challenge, ChallengeAnswer
from innocluster.parties import selectors as parties
from innocluster.registry.models import Participant, StatusChange
from innocluster.registry.selectors.register import participant_of, status_on


def public_challenges(now=None) -> list[Challenge]:
    """Open challenges still taking proposals, soonest deadline first."""
    now = now or timezone.now()
    return list(
        Challenge.objects.filter(status=Challenge.Status.OPEN, deadline__gt=now)
        .select_related("poster", "call")
        .order_by("deadline", "id")
    )


def posted_by(user) -> list[Challenge]:
    """The challenges of the organisations ``user`` acts for, newest first."""
    return list(
        Challenge.objects.filter(poster__in=parties.organisations_of(user))
        .select_related("poster", "call")
        .order_by("-created_at", "-id")
    )


def posted_challenge(user, pk: int) -> Challenge | None:
    """Challenge ``pk`` if one of ``user``'s organisations posted it, else None (a 404)."""
    return (
        Challenge.objects.filter(pk=pk, poster__in=parties.organisations_of(user))
        .select_related("poster", "call", "posted_by")
        .first()
    )


def answers_to(challenge) -> list[ChallengeAnswer]:
    return list(
        ChallengeAnswer.objects.filter(challenge=challenge)
        .select_related("organisation", "submitted_by")
        .order_by("submitted_at", "id")
    )


def answer_for_poster(user, pk: int) -> ChallengeAnswer | None:
    """Answer ``pk`` if it answers a challenge of one of ``user``'s organisations, else None."""
    return (
        ChallengeAnswer.objects.filter(pk=pk, challenge__poster__in=parties.organisations_of(user))
        .select_related("challenge", "challenge__call", "challenge__poster", "organisation")
        .first()
    )


def open_challenge(pk: int) -> Challenge | None:
    """An open challenge (published, not closed nor withdrawn): what an answerer may read."""
    return (
        Challenge.objects.filter(pk=pk, status=Challenge.Status.OPEN).select_related("poster", "call").first()
    )


def answers_of(user) -> list[ChallengeAnswer]:
    """The answers of the organisations ``user`` acts for, newest first."""
    return list(
        ChallengeAnswer.objects.filter(organisation__in=parties.organisations_of(user))
        .select_related("challenge", "challenge__poster", "organisation")
        .order_by("-submitted_at", "-id")
    )


def posting_organisations(user) -> list:
    return list(parties.organisations_of(user).order_by("name_ru"))


def in_good_standing(organisation, day: dt.date | None = None) -> bool:
    """The organisation is a participant whose registration is valid on ``day`` (today)."""
    participant = participant_of(organisation)
    return participant is not None and status_on(participant, day).valid


def answering_organisations(user, day: dt.date | None = None) -> list:
    """The organisations ``user`` acts for that are participants in good standing, in three
    queries however many they are (the register entries and their histories read at once, as
    ``participant_of`` reads one)."""
    organisations = list(parties.organisations_of(user).order_by("name_ru"))
    history = StatusChange.objects.order_by("effective_on", "id")
    entries = {
        p.organisation_id: p
        for p in Participant.objects.filter(organisation__in=[o.pk for o in organisations]).prefetch_related(
            Prefetch("history", queryset=history)
        )
    }
    return [o for o in organisations if o.pk in entries and status_on(entries[o.pk], day).valid]


def organisation_acted_for(user, pk) -> object | None:
    try:
        return parties.organisation_acted_for(user, int(pk))
    except (TypeError, ValueError):
        return None


def calls_for_challenges(now=None) -> list[Call]:
    """Published calls not yet closed: those a challenge's shortlisted answers may go to."""
    now = now or timezone.now()
    return list(
        Call.objects.filter(status=CallStatus.PUBLISHED, closes_at__gt=now)
        .select_related("programme")
        .order_by("closes_at", "code")
    )


def call_by_pk(pk) -> Call | None:
    return Call.objects.filter(pk=pk).first()
