"""The one reading of a meeting's record for its minutes: the minutes page, the PDFs and the
SHA-256 of locked minutes are all built from :func:`minutes_content`, so the three cannot disagree."""

import copy
import datetime as dt
import hashlib
import json

from django.utils import timezone

from innocluster.core.calendar import ALMATY
from innocluster.governance.models import Meeting, Membership
from innocluster.governance.selectors import voting_members

# --- minutes --------------------------------------------------------------------------------
# ``minutes_content`` is the one reading of a meeting's record: the minutes page, the PDFs and the
# SHA-256 of locked minutes are all built from it, so the three cannot disagree. It holds facts
# and codes, never catalogue labels (``minutes_labels`` adds those for display): the hash is then
# recomputed to the same value from the stored record whatever later happens to a translation.
# The arithmetic is the text stored when each round closed (``BallotRound.steps``).

MINUTES_LANGUAGES = ("kk", "ru")


def _day(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _local(value) -> dt.datetime:
    return timezone.localtime(value, ALMATY)


def _items_in_order(meeting: Meeting) -> list:
    """The agenda tree depth first, each item with its printed number (``2``, ``2.1``) and depth."""
    items = list(
        meeting.items.select_related("resolution")
        .prefetch_related("rounds", "recusals")
        .order_by("position", "id")
    )
    children: dict = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    ordered = []

    def walk(parent_id, prefix: str, depth: int) -> None:
        for item in children.get(parent_id, []):
            number = f"{prefix}{item.position}"
            ordered.append((number, depth, item))
            walk(item.pk, number + ".", depth + 1)

    walk(None, "", 0)
    return ordered


def _attendance(meeting: Meeting) -> list[dict]:
    """Who was recorded present or absent, and the members with a vote on the day not recorded
    (the secretary keeps the minutes and is not counted among those present or absent)."""
    rows = {a.membership_id: a for a in meeting.attendance.select_related("membership")}
    people = list(voting_members(meeting.body, meeting.date))
    known = {m.pk for m in people}
    people += [a.membership for a in rows.values() if a.membership_id not in known]
    out = []
    for member in people:
        row = rows.get(member.pk)
        out.append(
            {
                "name": member.full_name,
                "position": member.position,
                "organisation": member.organisation,
                "present": bool(row and row.present),
                "mode": row.mode if row and row.present else "",
            }
        )
    return out


def minutes_content(meeting: Meeting, language: str) -> dict:
    """The record of ``meeting`` in ``language`` (``en``, ``kk``, ``ru``): the body, the meeting,
    attendance, every agenda item with its recusals, rounds (counts, outcome, the stored
    arithmetic) and resolution, the resolutions, and the minutes' summary and notes. Plain JSON
    values only (dates as dd.mm.yyyy)."""
    from innocluster.governance.models import Minutes

    body = meeting.body
    minutes = Minutes.objects.filter(meeting=meeting).first()
    notes = {n.item_id: n.text(language) for n in minutes.notes.all()} if minutes else {}
    names = dict(Membership.objects.filter(body=body).values_list("pk", "full_name"))
    items, resolutions = [], []
    for number, depth, item in _items_in_order(meeting):
        rounds = [
            {
                "number": rnd.number,
                "closed": _local(rnd.closed_at).strftime("%d.%m.%Y %H:%M"),
                "outcome": rnd.outcome,
                "quorum_met": rnd.quorum_met,
                "members": rnd.members,
                "present": rnd.present,
                "recused": rnd.recused,
                "for": rnd.votes_for,
                "against": rnd.votes_against,
                "abstain": rnd.votes_abstain,
                "steps": list((rnd.steps or {}).get(language) or []),
            }
            for rnd in sorted(item.rounds.all(), key=lambda r: r.number)
            if rnd.closed_at is not None
        ]
        resolution = getattr(item, "resolution", None)
        entry = None
        if resolution is not None:
            entry = {
                "number": resolution.number,
                "year": resolution.year,
                "adopted_on": _day(resolution.adopted_on),
                "text": resolution.text(language),
                "item": number,
            }
            resolutions.append(entry)
        items.append(
            {
                "number": number,
                "depth": depth,
                "title": item.title(language),
                "status": item.status,
                "majority": item.majority or body.majority,
                "linked": item.linked_label,
                "recusals": [
                    {"name": names.get(r.membership_id, ""), "reason": r.reason}
                    for r in sorted(item.recusals.all(), key=lambda r: (r.declared_at, r.pk))
                ],
                "rounds": rounds,
                "resolution": entry,
                "note": notes.get(item.pk, ""),
            }
        )
    starts = _local(meeting.starts_at)
    return {
        "language": language,
        "body": {"code": body.code, "name": body.text("name", language)},
        "meeting": {
            "number": meeting.number,
            "year": meeting.year,
            "kind": meeting.kind,
            "date": _day(starts.date()),
            "time": starts.strftime("%H:%M"),
            "place": meeting.place,
            "convened_on": _day(_local(meeting.convened_at).date()) if meeting.convened_at else "",
            "notice_late": meeting.notice_late,
            "notice_days_given": meeting.notice_days_given,
            "notice_days_required": meeting.notice_days_required,
        },
        "attendance": _attendance(meeting),
        "items": items,
        "resolutions": resolutions,
        "summary": minutes.summary(language) if minutes else "",
    }


def minutes_canonical(meeting: Meeting) -> bytes:
    """The bytes the SHA-256 of locked minutes covers: the content in Kazakh and Russian (the
    languages the minutes are issued in) as JSON with sorted keys and no spaces, UTF-8."""
    content = {language: minutes_content(meeting, language) for language in MINUTES_LANGUAGES}
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def minutes_sha256(meeting: Meeting) -> str:
    return hashlib.sha256(minutes_canonical(meeting)).hexdigest()


def minutes_intact(minutes) -> bool | None:
    """For locked minutes: does the record read today still give the SHA-256 stored at locking?
    ``None`` for minutes not locked yet."""
    if not minutes.sha256:
        return None
    return minutes_sha256(minutes.meeting) == minutes.sha256


def minutes_labels(content: dict) -> dict:
    """The display labels of the codes in ``content``, in the active language (the page uses the
    reader's, the PDF its own)."""
    from innocluster.governance.models import AttendanceMode, ItemStatus, Majority, MeetingKind, Position

    outcomes = {
        "adopted": ItemStatus.ADOPTED.label,
        "not adopted": ItemStatus.REJECTED.label,
        "no quorum": ItemStatus.NO_QUORUM.label,
    }

    def label(choices, value) -> str:
        try:
            return str(choices(value).label)
        except ValueError:
            return str(value or "")

    out = copy.deepcopy(content)
    out["meeting"]["kind_label"] = label(MeetingKind, content["meeting"]["kind"])
    for row in out["attendance"]:
        row["position_label"] = label(Position, row["position"])
        row["mode_label"] = label(AttendanceMode, row["mode"]) if row["mode"] else ""
    out["present"] = [row for row in out["attendance"] if row["present"]]
    out["absent"] = [row for row in out["attendance"] if not row["present"]]
    for item in out["items"]:
        item["status_label"] = label(ItemStatus, item["status"])
        item["majority_label"] = label(Majority, item["majority"])
        item["indent"] = item["depth"] * 6
        for rnd in item["rounds"]:
            rnd["outcome_label"] = str(outcomes.get(rnd["outcome"], rnd["outcome"]))
    return out


def resolution_content(resolution, language: str) -> dict | None:
    """The item of ``resolution`` as the minutes read it (its rounds, counts and arithmetic), with
    the meeting and body: the extract from the minutes. ``None`` if the item has left the agenda."""
    content = minutes_content(resolution.item.meeting, language)
    for item in content["items"]:
        found = item["resolution"]
        if found and (found["year"], found["number"]) == (resolution.year, resolution.number):
            return {**content, "item": item, "resolution": item["resolution"]}
