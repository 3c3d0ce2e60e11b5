"""Appointing members to a body and ending their terms: validated (errors name the field), in a
transaction, audited. ``term_end`` is the last day of a term."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from innocluster.core.audit.services import record_event
from innocluster.governance.models import Body, Membership, Position


def _overlapping(body: Body, start: dt.date, end: dt.date | None, exclude: int | None = None):
    """Terms on ``body`` that share a day with [start, end] (``end`` None: open-ended)."""
    found = Membership.objects.filter(body=body).filter(Q(term_end__isnull=True) | Q(term_end__gte=start))
    if end is not None:
        found = found.filter(term_start__lte=end)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found


def check_appointment(body: Body, *, user, full_name: str, position: str, start, end, exclude=None) -> None:
    errors: dict[str, list[str]] = {}
    if not (full_name or "").strip():
        errors.setdefault("full_name", []).append(_("Enter the member's full name."))
    if position not in Position.values:
        errors.setdefault("position", []).append(
            _("Choose a position: chair, deputy chair, secretary or member.")
        )
    if start is None:
        errors.setdefault("term_start", []).append(_("Enter the day the term starts."))
    if end is not None and start is not None and end < start:
        errors.setdefault("term_end", []).append(_("The term cannot end before it starts."))
    if errors:
        raise ValidationError(errors)
    if start < body.exists_from:
        errors.setdefault("term_start", []).append(
            _("The body exists from %(start)s: the term cannot start earlier.")
            % {"start": body.exists_from.isoformat()}
        )
    elif body.exists_until is not None and start >= body.exists_until:
        errors.setdefault("term_start", []).append(
            _("The body ceases to exist on %(until)s: the term must start before that day.")
            % {"until": body.exists_until.isoformat()}
        )
    if body.exists_until is not None and (end is None or end >= body.exists_until):
        errors.setdefault("term_end", []).append(
            _("The body ceases to exist on %(until)s: the term must end before that day.")
            % {"until": body.exists_until.isoformat()}
        )
    overlapping = _overlapping(body, start, end, exclude)
    if position == Position.CHAIR and overlapping.filter(position=Position.CHAIR).exists():
        errors.setdefault("position", []).append(
            _("The body already has a chair for part of this term: end that chair's term first.")
        )
    if user is not None:
        same_person = overlapping.filter(user=user).exists()
    else:  # no account: the same name, compared in Python (SQLite folds the case of ASCII only)
        name = " ".join(full_name.split()).casefold()
        same_person = any(
            " ".join(other.split()).casefold() == name
            for other in overlapping.filter(user__isnull=True).values_list("full_name", flat=True)
        )
    if same_person:
        errors.setdefault("term_start", []).append(
            _("%(name)s already holds a term on this body that overlaps this one.")
            % {"name": full_name.strip()}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def appoint(
    body: Body,
    *,
    full_name: str,
    position: str = Position.MEMBER,
    term_start: dt.date,
    term_end: dt.date | None = None,
    organisation: str = "",
    user=None,
    by=None,
    reason: str = "",
) -> Membership:
    """Put a person on ``body`` for a term. Refused (``ValidationError`` by field) when the term
    ends before it starts, lies outside the body's existence, gives the body a second chair at
    the same time, or overlaps the same person's other term on the body."""
    body = Body.objects.select_for_update().get(pk=body.pk)  # serialises appointments to one body
    check_appointment(body, user=user, full_name=full_name, position=position, start=term_start, end=term_end)
    membership = Membership.objects.create(
        body=body,
        user=user,
        full_name=full_name.strip(),
        organisation=organisation.strip(),
        position=position,
        term_start=term_start,
        term_end=term_end,
    )
    record_event(
        action="governance.member.appointed",
        actor=by,
        obj=membership,
        changes={
            "body": [None, body.code],
            "full_name": [None, membership.full_name],
            "position": [None, position],
            "term_start": [None, term_start.isoformat()],
            "term_end": [None, term_end.isoformat() if term_end else None],
            "user": [None, user.get_username() if user is not None else None],
        },
        reason=reason,
    )
    return membership


@transaction.atomic
def end_term(membership: Membership, *, on: dt.date, by=None, reason: str) -> Membership:
    """End a term with ``on`` as its last day (resignation, recall, expiry). Refused when the
    term would end before it started, already ended earlier, or no reason is given."""
    locked = Membership.objects.select_for_update().select_related("body").get(pk=membership.pk)
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["end_reason"] = [_("Say why the term ends.")]
    if on is None:
        errors["term_end"] = [_("Enter the last day of the term.")]
    elif on < locked.term_start:
        errors["term_end"] = [_("The term cannot end before it starts.")]
    elif locked.term_end is not None and locked.term_end <= on:
        errors["term_end"] = [
            _("This term already ends on %(end)s; it can only be shortened.")
            % {"end": locked.term_end.isoformat()}
        ]
    if errors:
        raise ValidationError(errors)
    before = locked.term_end
    locked.term_end = on
    locked.end_reason = reason.strip()
    locked.save(update_fields=["term_end", "end_reason"])
    record_event(
        action="governance.member.term_ended",
        actor=by,
        obj=locked,
        changes={"term_end": [before.isoformat() if before else None, on.isoformat()]},
        reason=locked.end_reason,
    )
    return locked
