"""The authority matrix and a resolution's page, under ``/staff/governance/``.

- ``authority/`` (``?on=YYYY-MM-DD``): which body decides which kind of decision on that day, for
  which amounts, by which majority and on which basis, and whether an installed app carries the
  decision out. A kind no installed app declares (grants before that app lands) says so.
- ``resolutions/<pk>/``: the resolution's text in the reader's language, its body, number and
  date, the agenda item and the record it decides on, each attempt to carry it out with its
  error, and a "Retry" button for whoever may run the body's meetings.

Access: the matrix is ``governance.read``; a resolution is ``governance.resolution.read`` (staff,
the auditor, the members of its body), 403 otherwise; retrying is ``governance.meeting.run``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.decisions.executors import body_label, executor_for
from innocluster.core.manifest import decision_types
from innocluster.core.money import format_kzt
from innocluster.core.policy import values as policy
from innocluster.core.policy.models import SOURCES
from innocluster.governance import authority, selectors
from innocluster.governance.models import ExecutionStatus, Majority, ResolutionStatus
from innocluster.governance.services import execution
from innocluster.governance.views import _day

READ = "governance.read"
RUN = "governance.meeting.run"


def _band(row, capped: list) -> str:
    """The amounts a row decides, among its kind's caps (sorted)."""
    if not capped:
        return _("any amount")
    if row.max_amount is None:
        return _("above %(min)s") % {"min": format_kzt(capped[-1])}
    below = [cap for cap in capped if cap < row.max_amount]
    if not below:
        return _("up to %(max)s") % {"max": format_kzt(row.max_amount)}
    return _("above %(min)s, up to %(max)s") % {
        "min": format_kzt(below[-1]),
        "max": format_kzt(row.max_amount),
    }


def matrix_rows(on, language: str) -> list[dict]:
    """The matrix in force on ``on`` as the page shows it (empty when none is in force)."""
    try:
        found = authority.rows(on)
    except policy.PolicyError:
        return []
    labels = {kind.code: kind.label for kind in decision_types()}
    sources = dict(SOURCES)
    shown = []
    for row in found:
        capped = sorted(r.max_amount for r in found if r.decision_type == row.decision_type and r.max_amount)
        shown.append(
            {
                "code": row.decision_type,
                "label": labels.get(row.decision_type),
                "band": _band(row, capped),
                "body": body_label(row.body),
                "majority": Majority(row.majority).label if row.majority in Majority.values else row.majority,
                "reference": row.text(language),
                "source": sources.get(row.source, row.source),
                "executor": executor_for(row.decision_type) is not None,
            }
        )
    return shown


@requires(READ)
@require_safe
def authority_matrix(request):
    on = _day(request)
    try:
        regime = policy.regime_on(on)
    except policy.NoRegimeInForce:
        regime = None
    return render(
        request,
        "governance/authority.html",
        {"rows": matrix_rows(on, get_language()), "on": on, "today": policy.today(), "regime": regime},
    )


def _resolution(request, pk: int):
    resolution = selectors.resolution_by_pk(pk)
    if resolution is None:
        raise Http404
    decision = can(request.user, "governance.resolution.read", resolution)
    if not decision.allowed:
        raise PermissionDenied(decision.reason)
    return resolution


def _linked(item) -> dict | None:
    if item.linked_type_id is None:
        return None
    model = item.linked_type.model_class()
    found = model._default_manager.filter(pk=item.linked_id).first() if model is not None else None
    url = found.get_absolute_url() if found is not None and hasattr(found, "get_absolute_url") else ""
    return {
        "kind": model._meta.verbose_name if model is not None else item.linked_type.model,
        "label": str(found) if found is not None else item.linked_label,
        "url": url,
        "exists": found is not None,
    }


@requires(READ)
@require_safe
def resolution_detail(request, pk: int):
    resolution = _resolution(request, pk)
    language = get_language()
    item = resolution.item
    labels = {kind.code: kind.label for kind in decision_types()}
    executor = execution.executor_of(item)
    return render(
        request,
        "governance/resolution.html",
        {
            "resolution": resolution,
            "reference": execution.reference(resolution),
            "number": f"{resolution.year}/{resolution.number}",
            "meeting_number": f"{item.meeting.year}/{item.meeting.number}",
            "text": resolution.text(language),
            "body_name": resolution.body.text("name", language),
            "item": item,
            "item_title": item.title(language),
            "meeting": item.meeting,
            "decision_type": labels.get(item.decision_type, item.decision_type),
            "executor": executor,
            "linked": _linked(item),
            "executions": list(selectors.executions_of(resolution)),
            "failed": ExecutionStatus.FAILED,
            "may_retry": resolution.status == ResolutionStatus.EXECUTION_FAILED
            and can(request.user, RUN, resolution.body).allowed,
        },
    )


@requires(RUN)
@require_POST
def resolution_retry(request, pk: int):
    resolution = _resolution(request, pk)
    try:
        attempt = execution.retry_execution(resolution, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if attempt.status == ExecutionStatus.SUCCEEDED:
            messages.success(request, _("The resolution has been carried out."))
        else:
            messages.error(
                request, _("The resolution could not be carried out: %(error)s") % {"error": attempt.error}
            )
    return redirect("governance:resolution", pk=resolution.pk)
