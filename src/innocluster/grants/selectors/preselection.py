"""Reads of pre-selection: the calls a subsoil user finances, the shortlist it sees (without
personal data), its marks, and the programme manager's summary of the marks per call.

A representative reaches a call or an application only through the organisations it acts for
(``parties.selectors.organisations_of``): for anyone else the lookup finds nothing (a 404)."""

from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum

from innocluster.grants.models import (
    ApplicationStatus,
    Call,
    CallFinancer,
    CallStatus,
    Milestone,
    PreselectionMark,
    ProjectApplication,
    ProjectKpi,
)
from innocluster.parties import selectors as parties

ZERO = Decimal("0.00")

# --- the subsoil user's side -------------------------------------------------------------------


def financers_of(user):
    """The user's organisations' places as financers, over every call."""
    return CallFinancer.objects.filter(organisation__in=parties.organisations_of(user))


def financed_calls(user) -> list[Call]:
    """The calls financed by an organisation ``user`` acts for, newest first."""
    return list(
        Call.objects.filter(pk__in=financers_of(user).values("call_id"))
        .exclude(status=CallStatus.WITHDRAWN)
        .select_related("programme")
        .annotate(
            in_preselection=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.PRESELECTION)
            )
        )
        .order_by("-year", "code")
    )


def financed_call(user, pk: int) -> Call | None:
    return (
        Call.objects.filter(pk=pk, pk__in=financers_of(user).values("call_id"))
        .select_related("programme")
        .first()
    )


def financer_for(user, call) -> CallFinancer | None:
    """The user's organisation financing ``call`` (the first, should it act for several)."""
    return financers_of(user).filter(call=call).select_related("organisation").order_by("id").first()


def _shortlist(queryset):
    return (
        queryset.filter(status=ApplicationStatus.PRESELECTION)
        .select_related("project", "organisation")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.only(
                    "id", "application_id", "position", "title", "starts_on", "due_on"
                ),
            ),
            Prefetch("kpis", queryset=ProjectKpi.objects.all()),
        )
        .order_by("number")
    )


def shortlist(call) -> list[ProjectApplication]:
    """The call's applications in pre-selection."""
    return list(_shortlist(ProjectApplication.objects.filter(call=call)))


def shortlisted_application(user, pk: int) -> ProjectApplication | None:
    """Application ``pk`` if it is in pre-selection in a call one of ``user``'s organisations
    finances, else None (a 404)."""
    calls = financers_of(user).values("call_id")
    return _shortlist(ProjectApplication.objects.filter(pk=pk, call_id__in=calls)).first()


def marks_by(financer) -> dict[int, PreselectionMark]:
    """The financer's marks by application id."""
    if financer is None:
        return {}
    return {m.application_id: m for m in PreselectionMark.objects.filter(financer=financer)}


def mark_of(financer, application) -> PreselectionMark | None:
    if financer is None:
        return None
    return PreselectionMark.objects.filter(financer=financer, application=application).first()


# --- the programme manager's side ----------------------------------------------------------------


def calls_for_preselection() -> list[Call]:
    """Published calls, with the number of financers and of applications in pre-selection."""
    return list(
        Call.objects.filter(status=CallStatus.PUBLISHED)
        .select_related("programme")
        .annotate(
            financer_count=Count("financers", distinct=True),
            in_preselection=Count(
                "applications",
                filter=Q(applications__status=ApplicationStatus.PRESELECTION),
                distinct=True,
            ),
        )
        .order_by("-year", "code")
    )


def call_by_pk(pk: int) -> Call | None:
    return Call.objects.filter(pk=pk).select_related("programme").first()


def financers(call) -> list[CallFinancer]:
    """The call's financers with their number of marks (one with marks cannot be removed)."""
    return list(
        CallFinancer.objects.filter(call=call)
        .select_related("organisation", "added_by")
        .annotate(mark_count=Count("marks"))
        .order_by("id")
    )


def financer_of_call(call, pk: int) -> CallFinancer | None:
    return CallFinancer.objects.filter(call=call, pk=pk).first()


def marks_summary(call) -> list[ProjectApplication]:
    """The call's applications in pre-selection, not pre-selected, or marked (and moved on), each
    with ``interested`` (the number of interested marks), ``would_fund`` (the total amount they
    would fund) and ``mark_count``."""
    marked = PreselectionMark.objects.filter(application__call=call).values("application_id")
    applications = list(
        ProjectApplication.objects.filter(call=call)
        .filter(
            Q(status__in=(ApplicationStatus.PRESELECTION, ApplicationStatus.NOT_PRESELECTED))
            | Q(pk__in=marked)
        )
        .select_related("project", "organisation")
        .order_by("number")
    )
    totals = {
        row["application_id"]: row
        for row in PreselectionMark.objects.filter(application__call=call)
        .order_by()
        .values("application_id")
        .annotate(
            interested_count=Count("id", filter=Q(interested=True)),
            interested_amount=Sum("amount", filter=Q(interested=True)),
            all_count=Count("id"),
        )
    }
    for item in applications:
        row = totals.get(item.pk, {})
        item.interested = row.get("interested_count", 0)
        item.would_fund = row.get("interested_amount") or ZERO
        item.mark_count = row.get("all_count", 0)
    return applications


def in_preselection(call):
    return ProjectApplication.objects.filter(call=call, status=ApplicationStatus.PRESELECTION)
