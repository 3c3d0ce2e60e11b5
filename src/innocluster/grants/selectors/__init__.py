"""Reads of programmes and calls, shared by the pages, the API and the services."""

from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone

from innocluster.finance.models import Budget
from innocluster.grants.models import Call, CallStatus, Programme
from innocluster.registry.models import ParticipantCategory

ZERO = Decimal("0.00")
# Calls that hold their budget out of the programme's: waiting for approval or published.
LIVE = (CallStatus.SUBMITTED, CallStatus.PUBLISHED)


def categories_by_code(codes) -> list[ParticipantCategory]:
    return list(ParticipantCategory.objects.filter(code__in=list(codes)).order_by("code"))


def all_categories() -> list[ParticipantCategory]:
    return list(ParticipantCategory.objects.order_by("code"))


def programme_budget(programme: Programme, year: int) -> Budget | None:
    return Budget.objects.filter(
        line=programme.budget_line_id, year=year, source=programme.fund_source
    ).first()


def available_for_call(call: Call) -> Decimal:
    """What the programme's budget for the call's year and source has available (neither committed
    nor spent), less the budgets of its other calls of that year waiting for approval or published."""
    budget = programme_budget(call.programme, call.year)
    if budget is None:
        return ZERO
    others = (
        Call.objects.filter(programme=call.programme_id, year=call.year, status__in=LIVE)
        .exclude(pk=call.pk)
        .aggregate(total=Sum("budget"))["total"]
        or ZERO
    )
    return max(budget.available - others, ZERO)


def programmes() -> list[Programme]:
    """Every programme with its calls (newest first) for the staff list."""
    return list(
        Programme.objects.select_related("budget_line").prefetch_related(
            Prefetch("calls", queryset=Call.objects.order_by("-year", "code"))
        )
    )


def programme_by_pk(pk: int) -> Programme | None:
    return Programme.objects.select_related("budget_line").filter(pk=pk).first()


def budgets_of(programme: Programme) -> list[Budget]:
    return list(
        Budget.objects.filter(line=programme.budget_line_id, source=programme.fund_source).order_by("year")
    )


def _full(queryset):
    return queryset.select_related("programme", "created_by", "submitted_by", "approved_by").prefetch_related(
        "eligible_categories", "documents", "criteria"
    )


def call_by_pk(pk: int) -> Call | None:
    return _full(Call.objects.filter(pk=pk)).first()


def published_calls():
    """Every published call (open, coming and closed), soonest closing first."""
    return _full(Call.objects.filter(status=CallStatus.PUBLISHED)).order_by("closes_at", "code")


def public_calls(now=None) -> dict[str, list[Call]]:
    """The public list: published calls open now and those coming (not yet open)."""
    now = now or timezone.now()
    calls = published_calls().filter(closes_at__gt=now)
    found = {"open": [], "coming": []}
    for call in calls:
        found["coming" if call.opens_at > now else "open"].append(call)
    return found


def waiting_for_approval(user) -> list[Call]:
    """Submitted calls ``user`` could approve (entered and submitted by someone else)."""
    return list(
        Call.objects.filter(status=CallStatus.SUBMITTED)
        .exclude(Q(created_by=user) | Q(submitted_by=user))
        .select_related("programme")
    )
