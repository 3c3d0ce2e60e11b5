"""Notices about open-innovation challenges, sent by the challenge services inside their
transactions (a refused or rolled-back action sends nothing; the e-mail leaves after commit).

- the poster's representatives, when a new proposal arrives (linked to the challenge's page);
- the answering organisation's representatives, when their proposal is shortlisted, not
  shortlisted (with the poster's reason), made a draft project application (linked to the draft),
  or when the challenge is closed or withdrawn while their proposal is still pending (submitted or
  shortlisted).

Each text is rendered from ``templates/notifications/<key>/<language>/`` in the recipient's
language (``core.notifications``) and stored so."""

from django.urls import reverse

from innocluster.core.notifications.services import notify
from innocluster.grants.models import Challenge, ChallengeAnswer
from innocluster.parties.selectors import representative_users

# Proposals that still wait for the poster's last word: told when the challenge closes or goes.
PENDING = (ChallengeAnswer.Status.SUBMITTED, ChallengeAnswer.Status.SHORTLISTED)


def _proposals_page() -> str:
    return reverse("grants_challenges:index")


def _about(answer: ChallengeAnswer) -> dict:
    challenge = answer.challenge
    return {
        "challenge": challenge.title,
        "poster": challenge.poster.name,
        "proposal": answer.title,
        "organisation": answer.organisation.name,
    }


def answer_received(answer: ChallengeAnswer, *, by) -> None:
    """The poster's representatives: a proposal has arrived, with a link to the challenge."""
    notify(
        recipients=representative_users(answer.challenge.poster_id),
        key="grants.challenge.answered",
        context={**_about(answer), "amount": answer.amount, "months": answer.months},
        obj=answer,
        actor=by,
        url=reverse("grants_challenges:challenge", args=[answer.challenge_id]),
    )


def answer_decided(answer: ChallengeAnswer, *, by) -> None:
    """The answering organisation's representatives: shortlisted, or not (with the reason)."""
    declined = answer.status == ChallengeAnswer.Status.DECLINED
    notify(
        recipients=representative_users(answer.organisation_id),
        key="grants.challenge_answer.declined" if declined else "grants.challenge_answer.shortlisted",
        context={
            **_about(answer),
            "comment": answer.poster_comment,
            "call": answer.challenge.call,
        },
        obj=answer,
        actor=by,
        url=_proposals_page(),
    )


def answer_converted(answer: ChallengeAnswer, application, *, by) -> None:
    """The answering organisation's representatives: the proposal is now a draft application in
    the call, to complete and submit; the link opens the draft."""
    notify(
        recipients=representative_users(answer.organisation_id),
        key="grants.challenge_answer.converted",
        context={**_about(answer), "call": application.call, "amount": application.requested_amount},
        obj=answer,
        actor=by,
        url=reverse("grants_portal:application", args=[application.pk]),
    )


def challenge_ended(challenge: Challenge, *, by, reason: str = "") -> None:
    """After ``challenge`` is closed or withdrawn: the representatives of each organisation whose
    proposal is still pending (one notice per proposal, naming it)."""
    closed = challenge.status == Challenge.Status.CLOSED
    pending = (
        ChallengeAnswer.objects.filter(challenge=challenge, status__in=PENDING)
        .select_related("challenge__poster", "organisation")
        .order_by("id")
    )
    for answer in pending:
        notify(
            recipients=representative_users(answer.organisation_id),
            key="grants.challenge.closed" if closed else "grants.challenge.withdrawn",
            context={
                **_about(answer),
                "status": ChallengeAnswer.Status(answer.status).label,
                "reason": reason,
            },
            obj=challenge,
            actor=by,
            url=_proposals_page(),
        )
