"""Reads of foreign specialists and their requests, always through the reader: the Fund's readers
(``workforce.read``: the HR officer, the executives, auditors) see every employer's; anyone else
only the employers they act for (confirmed), so another participant never finds a specialist that
is not its own (the pages answer 404 on ``None``). Also the documents a request must carry, the
decision deadlines and the SLA figures the dashboards read."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery

from innocluster.core.access.permissions import can
from innocluster.core.calendar import almaty_date
from innocluster.core.policy import values as policy
from innocluster.parties import selectors as parties
from innocluster.workforce.models import DocumentKind, EngagementRequest, RequestDocument, Specialist
from innocluster.workforce.rules import required_documents

S = EngagementRequest.Status
AWAITING_DECISION = (S.SUBMITTED, S.CHECKED)


def _employer_filter(user, field: str = "employer") -> Q | None:
    """``None`` when ``user`` reads everything, else the filter of the employers it acts for."""
    if can(user, "workforce.read").allowed:
        return None
    return Q(**{f"{field}__in": parties.organisations_of(user).values("pk")})


def requests_for(user) -> QuerySet[EngagementRequest]:
    rows = EngagementRequest.objects.select_related("employer", "specialist")
    if not getattr(user, "is_authenticated", False):
        return rows.none()
    only = _employer_filter(user)
    return rows if only is None else rows.filter(only)


def request_for(user, pk) -> EngagementRequest | None:
    """Request ``pk`` if ``user`` may see it, else ``None`` (a 404 for the pages)."""
    try:
        return requests_for(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def specialists_for(user) -> QuerySet[Specialist]:
    rows = Specialist.objects.select_related("employer")
    if not getattr(user, "is_authenticated", False):
        return rows.none()
    only = _employer_filter(user)
    return rows if only is None else rows.filter(only)


def specialist_for(user, pk) -> Specialist | None:
    try:
        return specialists_for(user).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


# --- documents ---------------------------------------------------------------------------------


def required_kinds(on: dt.date | None = None) -> list[DocumentKind]:
    """The kinds ``workforce.documents.required`` names on ``on`` (default today), in its order."""
    codes = required_documents(on=on or policy.today())
    kinds = DocumentKind.objects.in_bulk(codes, field_name="code")
    unknown = [code for code in codes if code not in kinds]
    if unknown:
        # A rule naming a kind nobody can upload would block every request: say so, loudly.
        raise policy.PolicyError(f"workforce.documents.required names unknown document kinds: {unknown}")
    return [kinds[code] for code in codes]


def current_documents(request: EngagementRequest) -> dict[str, RequestDocument]:
    """The latest version of each kind the request has, by kind code (one query)."""
    latest = (
        RequestDocument.objects.filter(request=OuterRef("request"), kind=OuterRef("kind"))
        .order_by("-version")
        .values("version")[:1]
    )
    rows = RequestDocument.objects.filter(request=request, version=Subquery(latest)).select_related(
        "kind", "uploaded_by"
    )
    return {document.kind.code: document for document in rows}


def missing_documents(request: EngagementRequest, on: dt.date | None = None) -> list[DocumentKind]:
    have = current_documents(request)
    return [kind for kind in required_kinds(on) if kind.code not in have]


# --- deadlines and the SLA ---------------------------------------------------------------------


def decided_on(request: EngagementRequest) -> dt.date | None:
    return almaty_date(request.decided_at) if request.decided_at else None


def is_breached(request: EngagementRequest, today: dt.date | None = None) -> bool:
    """Decided after the deadline, or still undecided and past it. A request returned for revision
    has no deadline (the clock stopped): no breach while the employer revises."""
    if request.deadline is None:
        return False
    decided = decided_on(request)
    if decided is not None:
        return decided > request.deadline
    if request.status in AWAITING_DECISION:
        return (today or policy.today()) > request.deadline
    return False


@dataclass(frozen=True)
class SLA:
    decided: int  # decided on or before the day, with a deadline
    on_time: int  # of those, decided by their deadline
    overdue: int  # undecided on the day and past the deadline

    @property
    def breaches(self) -> int:
        return self.decided - self.on_time + self.overdue

    @property
    def compliance(self):
        """The share of on-time decisions among those due (``None`` when nothing was due)."""
        due = self.decided + self.overdue
        return None if due == 0 else (Decimal(self.on_time) / Decimal(due)).quantize(Decimal("0.0001"))


def sla(on: dt.date | None = None) -> SLA:
    on = on or policy.today()
    decided = on_time = overdue = 0
    rows = EngagementRequest.objects.filter(deadline__isnull=False).values_list(
        "status", "deadline", "decided_at"
    )
    for status, deadline, decided_at in rows:
        if decided_at is not None:
            day = almaty_date(decided_at)
            if day <= on:
                decided += 1
                on_time += day <= deadline
                continue
        # Undecided on ``on`` (a decision taken later did not exist yet on that day).
        undecided = status in AWAITING_DECISION or decided_at is not None
        if undecided and on > deadline:
            overdue += 1
    return SLA(decided, on_time, overdue)


def breached_requests(today: dt.date | None = None) -> list[EngagementRequest]:
    """Requests waiting for a decision past their deadline, oldest deadline first."""
    today = today or policy.today()
    return list(
        EngagementRequest.objects.filter(status__in=AWAITING_DECISION, deadline__lt=today)
        .select_related("employer", "specialist")
        .order_by("deadline", "id")
    )


# --- metrics (the manifest's ``Metric.value(on)``) ---------------------------------------------


def active_count(on: dt.date) -> int:
    """Specialists working under an active request whose contract covers ``on``."""
    return EngagementRequest.objects.filter(
        status=S.ACTIVE, contract_start__lte=on, contract_end__gte=on
    ).count()


def pending_count(on: dt.date) -> int:
    """Requests waiting for the Fund's decision (submitted or checked). The states are today's:
    the figure for a past day is today's count (the steps' history is in the audit log)."""
    return EngagementRequest.objects.filter(status__in=AWAITING_DECISION).count()


def sla_compliance(on: dt.date):
    return sla(on).compliance


def sla_breaches(on: dt.date) -> int:
    return sla(on).breaches
