"""Reads the workforce pages and API need beyond ``selectors.requests``: the employers a user files
for (the organisations it represents, and the Fund itself for the HR officer), the queue's rows
with their working days left, counts by status, a request's revision rounds and history, all in a
fixed number of queries whatever the number of rows."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from innocluster.core.access.selectors import roles_of
from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import irregular_days
from innocluster.parties import selectors as parties
from innocluster.parties.models import Organisation
from innocluster.workforce.models import EngagementRequest, RequestDocument, RevisionItem, Specialist
from innocluster.workforce.permissions import fund_bin
from innocluster.workforce.roles import HR_OFFICER
from innocluster.workforce.selectors.requests import AWAITING_DECISION, requests_for, specialists_for

S = EngagementRequest.Status
# The queue shows what was sent to the Fund: a draft is the employer's until submitted.
QUEUE_STATES = [s for s in S.values if s != S.DRAFT]


def employers_of(user) -> QuerySet[Organisation]:
    """The organisations ``user`` files for: those it represents (confirmed), and the Fund itself
    for the HR officer."""
    only = Q(pk__in=parties.organisations_of(user).values("pk"))
    if HR_OFFICER in roles_of(user) and fund_bin():
        only |= Q(bin=fund_bin())
    return Organisation.objects.filter(only).order_by("name_ru", "pk")


def employer_requests(user) -> QuerySet[EngagementRequest]:
    """The requests of the employers ``user`` files for (the portal's list)."""
    return requests_for(user).filter(employer__in=employers_of(user).values("pk"))


def employer_specialists(user) -> QuerySet[Specialist]:
    return specialists_for(user).filter(employer__in=employers_of(user).values("pk"))


def working_days_left(today: dt.date, deadlines) -> dict[dt.date, int]:
    """For each deadline, the working days from ``today`` to it (negative once past): one query
    for the whole range, however many rows share the page."""
    days = sorted({d for d in deadlines if d is not None})
    if not days:
        return {}
    first, last = min(days[0], today), max(days[-1], today)
    irregular = {d: working for d, working, _name in irregular_days(first, last)}

    def working(d: dt.date) -> bool:
        return irregular.get(d, d.weekday() < 5)

    def between(a: dt.date, b: dt.date) -> int:
        if b < a:
            return -between(b, a)
        return sum(working(a + dt.timedelta(days=i)) for i in range(1, (b - a).days + 1))

    return {d: between(today, d) for d in days}


def status_counts(rows: QuerySet[EngagementRequest], today: dt.date) -> dict[str, int]:
    """Requests by status and the overdue ones (waiting for a decision past the deadline), in one
    query."""
    aggregates = {s: Count("id", filter=Q(status=s)) for s in S.values}
    aggregates["overdue"] = Count("id", filter=Q(status__in=AWAITING_DECISION, deadline__lt=today))
    return rows.aggregate(**aggregates)


@dataclass(frozen=True)
class Round:
    number: int
    items: list[RevisionItem]


def revision_rounds(request: EngagementRequest) -> list[Round]:
    """Every return for revision, the latest first, with the employer's answers."""
    rounds: dict[int, list[RevisionItem]] = {}
    for item in (
        RevisionItem.objects.filter(request=request).select_related("created_by").order_by("-round", "id")
    ):
        rounds.setdefault(item.round, []).append(item)
    return [Round(number, items) for number, items in rounds.items()]


def open_items(request: EngagementRequest) -> list[RevisionItem]:
    """The comments of the last return, while the employer revises (else none)."""
    if request.status != S.RETURNED:
        return []
    return list(RevisionItem.objects.filter(request=request, round=request.round).order_by("id"))


def all_documents(request: EngagementRequest) -> list[RequestDocument]:
    """Every version of every document, by kind then newest first."""
    return list(
        RequestDocument.objects.filter(request=request)
        .select_related("kind", "uploaded_by")
        .order_by("kind__code", "-version")
    )


def history(request: EngagementRequest) -> QuerySet[AuditEvent]:
    """The audit events about the request and its specialist, oldest first."""
    about = Q(object_type=EngagementRequest._meta.label_lower, object_id=str(request.pk)) | Q(
        object_type=Specialist._meta.label_lower, object_id=str(request.specialist_id)
    )
    return AuditEvent.objects.filter(about).order_by("occurred_at", "id")
