"""Searching the audit log for the staff page and the API."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent


@dataclass
class EventFilter:
    q: str = ""
    action: str = ""
    actor: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def search_events(f: EventFilter) -> QuerySet[AuditEvent]:
    """Newest first; every filter optional. Dates are Almaty days, inclusive."""
    qs = AuditEvent.objects.all()
    if f.q:
        qs = qs.filter(Q(object_repr__icontains=f.q) | Q(reason__icontains=f.q) | Q(action__icontains=f.q))
    if f.action:
        qs = qs.filter(action__startswith=f.action)
    if f.actor:
        qs = qs.filter(actor_repr__iexact=f.actor)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.date_from:
        qs = qs.filter(occurred_at__gte=_start(f.date_from))
    if f.date_to:
        qs = qs.filter(occurred_at__lt=_start(date.fromordinal(f.date_to.toordinal() + 1)))
    return qs.order_by("-id").only(
        "id", "occurred_at", "actor_repr", "action", "object_type", "object_id", "object_repr", "changes",
        "reason", "ip", "seq",
    )  # fmt: skip


def action_names() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


@dataclass
class AuditStatus:
    sealed: int
    last_sealed_at: object


def audit_status() -> AuditStatus:
    """From the chain head: constant time however long the log grows."""
    from .models import ChainHead

    head = ChainHead.objects.filter(pk=1).values("last_seq", "sealed_at").first()
    if head is None:
        return AuditStatus(0, None)
    return AuditStatus(head["last_seq"], head["sealed_at"])
