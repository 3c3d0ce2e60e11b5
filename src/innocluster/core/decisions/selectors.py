"""Reads of the decision record that views, the API, reports and other apps share."""

from datetime import date

from django.db.models import QuerySet

from .models import Decision


def _decisions() -> QuerySet[Decision]:
    return Decision.objects.select_related("recorded_by", "decided_by", "corrects")


def recent_decisions(limit: int = 20) -> list[Decision]:
    """The ``limit`` latest decisions by decision date (newest first), of every status."""
    if limit < 0:
        raise ValueError("limit must be zero or more")
    return list(_decisions().order_by("-decided_on", "-id")[:limit])


def get_by_number(body: str, number: str, *, decided_on: date | None = None, year: int | None = None):
    """The decision ``body`` issued as ``number``, or ``None`` when there is none.

    Numbering may restart each year, so the same number can belong to several decisions of one
    body: narrow it with ``decided_on`` or ``year``. When it is still ambiguous this raises
    ``Decision.MultipleObjectsReturned`` rather than guessing which one the caller meant.
    """
    rows = _decisions().filter(body=body, number=(number or "").strip())
    if decided_on is not None:
        rows = rows.filter(decided_on=decided_on)
    if year is not None:
        rows = rows.filter(decided_on__year=year)
    found = list(rows[:2])
    if len(found) > 1:
        raise Decision.MultipleObjectsReturned(
            f"{body} has several decisions numbered {number!r}; give decided_on or year"
        )
    return found[0] if found else None
