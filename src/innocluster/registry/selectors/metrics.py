"""The register's figures for the dashboards and the strategy's KPIs (the manifest's ``Metric``
values): how many participants are in the register on a day, in all and by category, and how the
applications decided in a year kept their deadlines.

**In the register on a day**: entered on or before the day and, by the register's history
(``StatusChange``), registered or suspended on that day (a suspended participant stays in the
register; an excluded one or one that left does not).

**Decided within the deadline**: an application is decided when the selection commission approves
or rejects it (the workflow's ``approve``/``reject`` events in the audit log, dated by the Almaty
day they were recorded). Its deadline is the one running at that moment, the commission's (capped
by the total), which the decision clears from the row and the event keeps as its value before.
The share counts the applications decided from 1 January of the day's year to the day; one
decided without a running deadline is left out of both sides."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import yaml
from django.db.models import Count, OuterRef, Subquery

from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import ALMATY, almaty_date
from innocluster.registry.models import Application, Participant, StatusChange
from innocluster.registry.selectors.staff import overdue_count

IN_REGISTER = (Participant.Status.REGISTERED, Participant.Status.SUSPENDED)
DECIDED = ("registry.application.approve", "registry.application.reject")
CATEGORIES = Path(__file__).resolve().parents[1] / "data" / "categories.yaml"


def shipped_categories() -> list[dict]:
    """The participant categories the register ships (``data/categories.yaml``): code and names.
    Read when the manifest is built, so each category has its metric before the database exists."""
    return yaml.safe_load(CATEGORIES.read_text(encoding="utf-8")) or []


def _status_on(on: dt.date) -> Subquery:
    return Subquery(
        StatusChange.objects.filter(participant=OuterRef("pk"), effective_on__lte=on)
        .order_by("-effective_on", "-id")
        .values("status")[:1]
    )


def participants_by_category(on: dt.date) -> dict[str, int]:
    """How many participants are in the register on ``on``, by category code (categories with
    none are absent)."""
    rows = (
        Participant.objects.filter(registered_on__lte=on)
        .annotate(day_status=_status_on(on))
        .filter(day_status__in=IN_REGISTER)
        .order_by()
        .values_list("category__code")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def participants(on: dt.date) -> int:
    """Participants in the register on ``on``."""
    return sum(participants_by_category(on).values())


def participants_in(category: str):
    """``value(on)`` of the metric of one category: its participants in the register on ``on``."""

    def value(on: dt.date) -> int:
        return participants_by_category(on).get(category, 0)

    value.__name__ = f"participants_{category}"
    return value


def _decisions_in_year(on: dt.date):
    start = dt.datetime.combine(dt.date(on.year, 1, 1), dt.time(), tzinfo=ALMATY)
    end = dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), tzinfo=ALMATY)
    return AuditEvent.objects.filter(
        action__in=DECIDED,
        object_type=Application._meta.label_lower,
        occurred_at__gte=start,
        occurred_at__lt=end,
    ).values_list("object_id", "occurred_at", "changes")


def _deadline(changes: dict) -> dt.date | None:
    for field in ("commission_due", "total_due"):
        pair = (changes or {}).get(field)
        if isinstance(pair, list) and pair and pair[0]:
            try:
                return dt.date.fromisoformat(str(pair[0])[:10])
            except ValueError:
                continue
    return None


def decided_with_deadline(on: dt.date) -> tuple[int, int]:
    """(decided on time, decided with a deadline) among the applications decided from 1 January of
    ``on``'s year to ``on``; each application counted once (its first decision)."""
    seen: set[str] = set()
    on_time = due = 0
    for object_id, occurred_at, changes in _decisions_in_year(on).order_by("occurred_at", "id"):
        if object_id in seen:
            continue
        seen.add(object_id)
        deadline = _deadline(changes)
        if deadline is None:
            continue
        due += 1
        on_time += almaty_date(occurred_at) <= deadline
    return on_time, due


def decided_on_time_share(on: dt.date) -> Decimal | None:
    """The share of the applications decided in the year to ``on`` that were decided within their
    deadline (None when none was decided)."""
    on_time, due = decided_with_deadline(on)
    return None if due == 0 else (Decimal(on_time) / Decimal(due)).quantize(Decimal("0.0001"))


def decided_count(on: dt.date) -> int:
    """Applications decided from 1 January of ``on``'s year to ``on``."""
    return len({object_id for object_id, _at, _changes in _decisions_in_year(on)})


def overdue_applications(on: dt.date) -> int:
    """Applications waiting for the Fund past their running deadline. The states are today's:
    for a past day, the applications then waiting are those waiting now (the steps' history is in
    the audit log)."""
    return overdue_count(on)
