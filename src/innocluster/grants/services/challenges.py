"""Open-innovation challenges: the cluster's interaction between industry and innovators.

An organisation (a subsoil user or another industrial participant) posts a challenge as a draft,
edits the draft (checked as at creation), publishes it (its deadline still ahead), closes it or
withdraws it with a reason (its proposals are then no longer decided on). A participant in
good standing answers an open challenge before its deadline, once per organisation; the poster
cannot answer its own. The poster shortlists or declines each answer with a comment, and converts a
shortlisted answer into a draft project application in the challenge's call (open at the time):
the pre-selection is then done, the poster financing the call and interested in the project for
the amount the answer needs. The answering participant completes and submits the draft.

Refusals are ``ValidationError``s naming the field; nothing changes on a refusal. The people
concerned are told through ``grants.notices`` inside each transaction (a refusal tells nobody)."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.core.calendar import ALMATY
from innocluster.grants import notices
from innocluster.grants.models import (
    ApplicationStatus,
    CallFinancer,
    CallStatus,
    Challenge,
    ChallengeAnswer,
    PreselectionMark,
    Project,
    ProjectApplication,
)
from innocluster.grants.selectors import challenges as selectors
from innocluster.parties import selectors as parties
from innocluster.registry.selectors.register import participant_of

POST = "grants.challenge.post"
ANSWER = "grants.challenge.answer"
CENT = Decimal("0.01")
TEXT_FIELDS = ("title", "problem", "constraints", "data_offered")
EDITABLE = (*TEXT_FIELDS, "budget", "deadline", "call")


def _amount(value, field: str, errors: dict) -> Decimal | None:
    try:
        number = Decimal(str(value if value not in (None, "") else "0"))
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = _("Enter a number.")
        return None
    if not number.is_finite():
        errors[field] = _("Enter a number.")
        return None
    number = number.quantize(CENT)
    if number < 0:
        errors[field] = _("An amount cannot be negative.")
    return number


def almaty(moment) -> str:
    """An instant as people in Astana read it: 31.12.2026 18:00 (Astana time)."""
    return _("%(moment)s (Astana time)") % {"moment": moment.astimezone(ALMATY).strftime("%d.%m.%Y %H:%M")}


def _poster_only(challenge: Challenge, by) -> None:
    if not parties.represents(by, challenge.poster_id):
        raise ValidationError(
            {"poster": _("You do not act for the organisation that posted this challenge.")}
        )


# --- posting -------------------------------------------------------------------------------------


def _validated(poster, by, values: Mapping) -> dict:
    """The fields of a challenge as saved, checked alike when it is created and each time its draft
    is edited: refusals name their fields."""
    errors = {}
    if poster is None or not parties.represents(by, poster.pk):
        errors["poster"] = _("You do not act for this organisation.")
    texts = {name: (values.get(name) or "").strip() for name in TEXT_FIELDS}
    if not texts["title"]:
        errors["title"] = _("Give the challenge a title.")
    if not texts["problem"]:
        errors["problem"] = _("Describe the problem.")
    amount = _amount(values.get("budget"), "budget", errors)
    deadline, call = values.get("deadline"), values.get("call")
    if deadline is None:
        errors["deadline"] = _("Give the deadline for proposals.")
    elif timezone.is_naive(deadline):
        errors["deadline"] = _("Give the time with its time zone.")
    elif deadline <= timezone.now():
        errors["deadline"] = _("The deadline for proposals must be in the future.")
    if call is not None and (call.status != CallStatus.PUBLISHED or call.is_closed()):
        errors["call"] = _("Choose a published call that is not closed.")
    if errors:
        raise ValidationError(errors)
    return {**texts, "budget": amount, "deadline": deadline, "call": call}


def _audited(name: str, value):
    """A field's value as the audit log keeps it: money and instants as text, the call by code."""
    if value is None or isinstance(value, str):
        return value
    if name == "call":
        return value.code
    return value.isoformat() if name == "deadline" else str(value)


def create_challenge(
    poster,
    *,
    by,
    title: str,
    problem: str,
    constraints: str = "",
    data_offered: str = "",
    budget=None,
    deadline=None,
    call=None,
) -> Challenge:
    """A draft challenge of ``poster`` (an organisation ``by`` acts for)."""
    require(by, POST, poster)
    fields = _validated(
        poster,
        by,
        {"title": title, "problem": problem, "constraints": constraints, "data_offered": data_offered,
         "budget": budget, "deadline": deadline, "call": call},
    )  # fmt: skip
    with transaction.atomic():
        challenge = Challenge.objects.create(poster=poster, posted_by=by, **fields)
        record_event(
            action="grants.challenge.created",
            actor=by,
            obj=challenge,
            changes={name: _audited(name, value) for name, value in fields.items()},
        )
        return challenge


def _locked(challenge: Challenge, by, *statuses) -> Challenge:
    locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
    _poster_only(locked, by)
    if statuses and locked.status not in statuses:
        raise ValidationError(
            {
                "status": _("This challenge is %(status)s: it cannot be changed so.")
                % {"status": locked.get_status_display()}
            }
        )
    return locked


def publish_challenge(challenge: Challenge, *, by) -> Challenge:
    """Open a draft for proposals (its deadline must still be ahead)."""
    require(by, POST, challenge)
    with transaction.atomic():
        challenge = _locked(challenge, by, Challenge.Status.DRAFT)
        now = timezone.now()
        if challenge.deadline <= now:
            raise ValidationError(
                {"deadline": _("The deadline for proposals has passed: move it to a later date.")}
            )
        challenge.status = Challenge.Status.OPEN
        challenge.published_at = now
        challenge.save(update_fields=["status", "published_at"])
        record_event(action="grants.challenge.published", actor=by, obj=challenge, changes={"status": "open"})
        return challenge


def close_challenge(challenge: Challenge, *, by) -> Challenge:
    """Stop taking proposals (the poster still shortlists and converts the answers)."""
    require(by, POST, challenge)
    with transaction.atomic():
        challenge = _locked(challenge, by, Challenge.Status.OPEN)
        challenge.status = Challenge.Status.CLOSED
        challenge.save(update_fields=["status"])
        record_event(action="grants.challenge.closed", actor=by, obj=challenge, changes={"status": "closed"})
        notices.challenge_ended(challenge, by=by)
        return challenge


def withdraw_challenge(challenge: Challenge, *, by, reason: str) -> Challenge:
    require(by, POST, challenge)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    with transaction.atomic():
        challenge = _locked(challenge, by, Challenge.Status.DRAFT, Challenge.Status.OPEN)
        old = challenge.status
        challenge.status = Challenge.Status.WITHDRAWN
        challenge.save(update_fields=["status"])
        record_event(
            action="grants.challenge.withdrawn",
            actor=by,
            obj=challenge,
            changes={"status": [old, "withdrawn"]},
            reason=reason,
        )
        notices.challenge_ended(challenge, by=by, reason=reason)
        return challenge


def not_a_draft(challenge: Challenge) -> dict:
    """The refusal to edit a challenge that is no longer a draft (the page says it before trying)."""
    return {
        "status": _("Only a draft can be edited: this challenge is %(status)s.")
        % {"status": challenge.get_status_display()}
    }


def update_draft(challenge: Challenge, data: Mapping, *, by) -> Challenge:
    """Change a draft before it is published: the fields ``data`` gives (of ``EDITABLE``; the
    others keep their values), checked as at creation. Only a draft is edited, and only by its
    poster's representatives. The audit entry keeps each changed field as [before, after]; when
    nothing changes, nothing is saved nor recorded."""
    require(by, POST, challenge)
    unknown = sorted(set(data) - set(EDITABLE))
    if unknown:
        raise ValidationError({name: _("This cannot be changed in a draft challenge.") for name in unknown})
    with transaction.atomic():
        locked = _locked(challenge, by)
        if locked.status != Challenge.Status.DRAFT:
            raise ValidationError(not_a_draft(locked))
        before = {name: getattr(locked, name) for name in EDITABLE}
        after = _validated(locked.poster, by, {**before, **data})
        changed = [name for name in EDITABLE if after[name] != before[name]]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, after[name])
        locked.save(update_fields=changed)
        record_event(
            action="grants.challenge.edited",
            actor=by,
            obj=locked,
            changes={name: [_audited(name, before[name]), _audited(name, after[name])] for name in changed},
        )
        return locked


# --- answering -----------------------------------------------------------------------------------


def answer_challenge(
    challenge: Challenge, organisation, *, by, title: str, approach: str, amount=None, months=None
) -> ChallengeAnswer:
    """``organisation``'s proposal (a participant in good standing ``by`` acts for)."""
    require(by, ANSWER, challenge)
    errors = {}
    if organisation is None or not parties.represents(by, organisation.pk):
        raise ValidationError({"organisation": _("You do not act for this organisation.")})
    if organisation.pk == challenge.poster_id:
        raise ValidationError({"organisation": _("The poster cannot answer its own challenge.")})
    if not selectors.in_good_standing(organisation):
        raise ValidationError(
            {"organisation": _("Only a participant in good standing may answer a challenge.")}
        )
    title, approach = (title or "").strip(), (approach or "").strip()
    if not title:
        errors["title"] = _("Give the proposal a title.")
    if not approach:
        errors["approach"] = _("Describe the proposed solution.")
    number = _amount(amount, "amount", errors)
    try:
        months = int(months)
    except (TypeError, ValueError):
        errors["months"] = _("Enter a whole number.")
    else:
        if months < 1:
            errors["months"] = _("The duration is at least one month.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        if locked.status != Challenge.Status.OPEN:
            raise ValidationError({"status": _("This challenge is not open for proposals.")})
        if timezone.now() >= locked.deadline:
            raise ValidationError(
                {
                    "deadline": _("Proposals were accepted until %(deadline)s.")
                    % {"deadline": almaty(locked.deadline)}
                }
            )
        if ChallengeAnswer.objects.filter(challenge=locked, organisation=organisation).exists():
            raise ValidationError(
                {"organisation": _("Your organisation has already answered this challenge.")}
            )
        answer = ChallengeAnswer.objects.create(
            challenge=locked,
            organisation=organisation,
            submitted_by=by,
            title=title,
            approach=approach,
            amount=number,
            months=months,
        )
        record_event(
            action="grants.challenge.answered",
            actor=by,
            obj=answer,
            changes={"challenge": locked.pk, "organisation": organisation.bin, "title": title,
                     "amount": str(number), "months": months},
        )  # fmt: skip
        notices.answer_received(answer, by=by)
        return answer


# --- the poster's decisions ----------------------------------------------------------------------


def _locked_answer(answer: ChallengeAnswer, by, *statuses) -> ChallengeAnswer:
    locked = ChallengeAnswer.objects.select_for_update().select_related("challenge").get(pk=answer.pk)
    _poster_only(locked.challenge, by)
    if locked.challenge.status == Challenge.Status.WITHDRAWN:
        raise ValidationError(
            {"status": _("The challenge is withdrawn: its proposals are no longer decided on.")}
        )
    if locked.status not in statuses:
        raise ValidationError(
            {
                "status": _("This proposal is %(status)s: it cannot be changed so.")
                % {"status": locked.get_status_display()}
            }
        )
    return locked


def _decide(answer, *, by, comment: str, status: str, statuses) -> ChallengeAnswer:
    with transaction.atomic():
        answer = _locked_answer(answer, by, *statuses)
        old = answer.status
        answer.status = status
        answer.poster_comment = comment
        answer.decided_at = timezone.now()
        answer.save(update_fields=["status", "poster_comment", "decided_at"])
        record_event(
            action=f"grants.challenge_answer.{status}",
            actor=by,
            obj=answer,
            changes={"status": [old, status], "comment": comment},
        )
        notices.answer_decided(answer, by=by)
        return answer


def shortlist_answer(answer: ChallengeAnswer, *, by, comment: str = "") -> ChallengeAnswer:
    require(by, POST, answer)
    return _decide(
        answer,
        by=by,
        comment=(comment or "").strip(),
        status=ChallengeAnswer.Status.SHORTLISTED,
        statuses=(ChallengeAnswer.Status.SUBMITTED, ChallengeAnswer.Status.DECLINED),
    )


def decline_answer(answer: ChallengeAnswer, *, by, comment: str) -> ChallengeAnswer:
    require(by, POST, answer)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Tell the participant why the proposal is not shortlisted.")})
    return _decide(
        answer,
        by=by,
        comment=comment,
        status=ChallengeAnswer.Status.DECLINED,
        statuses=(ChallengeAnswer.Status.SUBMITTED, ChallengeAnswer.Status.SHORTLISTED),
    )


def convert(answer: ChallengeAnswer, *, by) -> ProjectApplication:
    """A shortlisted answer becomes a draft project application of the answering organisation in
    the challenge's (open) call, with the pre-selection done: the poster finances the call (added
    with nothing pledged if it did not) and is interested in the project for the amount the
    answer needs. The answering participant completes and submits the draft."""
    require(by, POST, answer)
    with transaction.atomic():
        answer = _locked_answer(answer, by, ChallengeAnswer.Status.SHORTLISTED)
        challenge = answer.challenge
        call = challenge.call
        if call is None:
            raise ValidationError({"call": _("The challenge names no call for its projects.")})
        if not call.is_open():
            raise ValidationError({"call": _("The challenge's call is not open for applications.")})
        project = Project.objects.create(
            organisation_id=answer.organisation_id, title=answer.title, created_by=answer.submitted_by
        )
        application = ProjectApplication.objects.create(
            call=call,
            project=project,
            organisation_id=answer.organisation_id,
            participant=participant_of(answer.organisation),
            applicant=answer.submitted_by,
            status=ApplicationStatus.DRAFT,
            summary=answer.approach,
            requested_amount=answer.amount,
            challenge_answer=answer,
        )
        financer, added = CallFinancer.objects.get_or_create(
            call=call,
            organisation_id=challenge.poster_id,
            defaults={"pledged": Decimal("0.00"), "added_by": by},
        )
        if added:
            record_event(
                action="grants.financer.added",
                actor=by,
                obj=call,
                changes={"organisation": challenge.poster.bin, "pledged": "0.00", "challenge": challenge.pk},
            )
        PreselectionMark.objects.create(
            application=application,
            financer=financer,
            interested=True,
            amount=answer.amount,
            comment=answer.poster_comment,
            marked_by=by,
        )
        answer.status = ChallengeAnswer.Status.CONVERTED
        answer.decided_at = timezone.now()
        answer.save(update_fields=["status", "decided_at"])
        record_event(
            action="grants.challenge_answer.converted",
            actor=by,
            obj=answer,
            changes={
                "status": [ChallengeAnswer.Status.SHORTLISTED, ChallengeAnswer.Status.CONVERTED],
                "application": application.pk,
                "call": call.code,
                "project": project.title,
                "requested_amount": str(answer.amount),
                "preselection_mark": {"financer": challenge.poster.bin, "amount": str(answer.amount)},
            },
        )
        notices.answer_converted(answer, application, by=by)
        return application
