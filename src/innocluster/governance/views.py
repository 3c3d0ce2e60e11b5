"""The bodies' pages under ``/staff/governance/``: the bodies in force on a day (today by default)
and one body's composition and rules, each with its basis. Staff and the auditor read every body
(``governance.read``); a member of a body reads the bodies they sit on (403 elsewhere)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.policy import values as policy
from innocluster.governance import selectors
from innocluster.governance.models import Abstentions, Majority, Position

ACTION = "governance.read"


def _day(request):
    """The day asked for (``?on=YYYY-MM-DD``), today in Almaty otherwise."""
    raw = request.GET.get("on") or ""
    try:
        found = parse_date(raw) if raw else None
    except ValueError:
        found = None
    return found or policy.today()


def _row(body, language):
    return {
        "body": body,
        "name": body.text("name", language),
        "chair": body.text("chair", language),
        "powers": body.text("powers", language),
        "reference": body.text("reference", language),
        "source": body.get_source_display(),
    }


@requires(ACTION)
@require_safe
def body_list(request):
    on = _day(request)
    language = get_language()
    try:
        found = list(selectors.bodies_in_force(on))
        regime = policy.regime_on(on)
    except policy.NoRegimeInForce:
        found, regime = [], None
    rows = [_row(body, language) for body in found]
    for row in rows:
        row["readable"] = can(request.user, "governance.body.read", row["body"]).allowed
    return render(
        request,
        "governance/bodies.html",
        {"rows": rows, "on": on, "today": policy.today(), "regime": regime},
    )


@requires(ACTION)
@require_safe
def body_detail(request, pk: int):
    body = selectors.body_by_pk(pk)
    if body is None:
        raise Http404
    decision = can(request.user, "governance.body.read", body)
    if not decision.allowed:
        raise PermissionDenied(decision.reason)
    on = _day(request)
    language = get_language()
    members = list(selectors.composition(body, on))
    voting = {m.pk for m in selectors.voting_members(body, on)}
    for member in members:
        member.votes = member.pk in voting
    return render(
        request,
        "governance/body.html",
        {
            **_row(body, language),
            "on": on,
            "today": policy.today(),
            "exists": body.exists_on(on),
            "members": members,
            "past": list(selectors.past_members(body, on)[:20]),
            "majority": Majority(body.majority).label,
            "abstentions": Abstentions(body.abstentions).label,
            "rules_reference": body.text("rules_reference", language),
            "rules_source": body.get_rules_source_display(),
            "positions": Position,
        },
    )
