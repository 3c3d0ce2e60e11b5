"""Reads of the decision record that views, the API, reports and other apps share."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet

from innocluster.core.access.roles import body_members, fund_staff
from innocluster.core.audit.models import AuditEvent

from .models import Decision, DecisionDocument


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


# --- the staff pages ----------------------------------------------------------------------------


@dataclass
class DecisionFilter:
    """What the staff list narrows by; every criterion optional (blank means any)."""

    body: str = ""
    outcome: str = ""
    status: str = ""
    year: int | None = None
    text: str = ""


def search_decisions(criteria: DecisionFilter | None = None) -> QuerySet[Decision]:
    """Decisions matching ``criteria``, newest first (decision date, then entry order).

    ``text`` looks in the number, the summary and the body's name. Each row carries
    ``document_count`` so a list shows it without a query per row.
    """
    f = criteria or DecisionFilter()
    rows = _decisions()
    if f.body:
        rows = rows.filter(body=f.body)
    if f.outcome:
        rows = rows.filter(outcome=f.outcome)
    if f.status:
        rows = rows.filter(status=f.status)
    if f.year is not None:
        rows = rows.filter(decided_on__year=f.year)
    text = (f.text or "").strip()
    if text:
        rows = rows.filter(
            Q(number__icontains=text) | Q(summary__icontains=text) | Q(body_name__icontains=text)
        )
    return rows.annotate(document_count=Count("documents")).order_by("-decided_on", "-id")


def decision_years() -> list[int]:
    """The years that have decisions, newest first (for a year filter)."""
    return [d.year for d in Decision.objects.dates("decided_on", "year", order="DESC")]


def get_decision(pk: int) -> Decision | None:
    """One decision (with who recorded it, who decided and what it corrects), or ``None``."""
    return _decisions().filter(pk=pk).first()


def decision_detail(pk: int) -> Decision | None:
    """One decision with what its page shows (documents and their uploaders, the decisions that
    correct it), or ``None`` when there is no such decision."""
    return (
        _decisions()
        .prefetch_related(
            Prefetch("documents", queryset=DecisionDocument.objects.select_related("uploaded_by")),
            Prefetch("corrections", queryset=Decision.objects.order_by("decided_on", "id")),
        )
        .filter(pk=pk)
        .first()
    )


def decision_history(decision: Decision) -> QuerySet[AuditEvent]:
    """The audit events about ``decision`` (recorded, documents attached or downloaded,
    published, revoked), newest first."""
    return AuditEvent.objects.filter(
        object_type=Decision._meta.label_lower, object_id=str(decision.pk)
    ).order_by("-occurred_at", "-id")


def get_document(pk: int) -> DecisionDocument | None:
    """A filed document with its decision, or ``None`` when there is no such document."""
    return DecisionDocument.objects.select_related("decision").filter(pk=pk).first()


def correctable_decisions() -> QuerySet[Decision]:
    """Decisions a new record may point at as the one it corrects, newest first."""
    return Decision.objects.order_by("-decided_on", "-id")


def possible_deciders() -> QuerySet:
    """People who may have taken a one-person decision: holders of an active Fund staff or
    governing-body role, by name."""
    roles = sorted(fund_staff() | body_members())
    users = get_user_model().objects.filter(
        role_assignments__role__in=roles, role_assignments__revoked_at__isnull=True
    )
    return users.distinct().order_by("last_name", "first_name", "username")
