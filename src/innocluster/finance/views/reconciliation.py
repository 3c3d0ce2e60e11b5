"""The reconciliation queue and a statement line's page: match by hand (one target or a split),
send to unidentified receipts, undo a match, and the same in bulk."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innocluster.core.access.permissions import can
from innocluster.core.access.views import requires
from innocluster.core.errors import DomainError
from innocluster.core.http import see_other
from innocluster.finance.errors import LedgerError
from innocluster.finance.forms import BulkForm, PartFormSet, QueueFilterForm, ReasonForm
from innocluster.finance.matchers import Part
from innocluster.finance.models import StatementLine
from innocluster.finance.selectors import banking as selectors
from innocluster.finance.services import reconciliation
from innocluster.finance.views.common import query_without
from innocluster.parties import selectors as parties

PAGE_SIZE = 50


@requires("finance.read")
@require_safe
def queue(request):
    """Lines waiting to be accounted for (by default), oldest first, 50 a page, in a fixed number of
    queries; filters by status, account, direction, dates and text; bulk actions for officers."""
    form = QueueFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(selectors.queue(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/queue.html",
        {
            "form": form,
            "page": page,
            "query": query_without(request),
            "counts": selectors.status_counts(),
            "statuses": StatementLine.Status,
            "can_reconcile": can(request.user, "finance.reconcile").allowed,
        },
    )


@requires("finance.reconcile")
@require_POST
def bulk(request):
    ids = [int(pk) for pk in request.POST.getlist("lines") if pk.isdigit()]
    lines = selectors.lines_by_ids(ids)
    form = BulkForm(request.POST, line_ids=[line.pk for line in lines])
    back = request.POST.get("next") or ""
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return see_other(_queue_url(back))
    chosen = [line for line in lines if line.pk in set(form.cleaned_data["lines"])]
    done, refused = 0, []
    if form.cleaned_data["action"] == "suspense":
        for line in chosen:
            try:
                reconciliation.to_suspense(line, reason=form.cleaned_data["reason"], by=request.user)
                done += 1
            except DomainError as error:
                refused.append(f"{line.booked_on:%d.%m.%Y} {line.amount}: {error}")
    else:
        done = reconciliation.auto_match(
            [line for line in chosen if line.status == line.Status.UNMATCHED], by=request.user
        )
    messages.success(request, _("%(n)s lines done.") % {"n": done})
    for text in refused:
        messages.error(request, text)
    return see_other(_queue_url(back))


def _queue_url(query: str) -> str:
    from django.urls import reverse

    url = reverse("finance:queue")
    return f"{url}?{query}" if query and "\n" not in query and "//" not in query else url


def _line_or_404(pk: int) -> StatementLine:
    line = selectors.line_detail(pk)
    if line is None:
        raise Http404(_("There is no such statement line."))
    return line


def _suggested_party(line: StatementLine):
    return parties.organisation_by_bin(line.counterparty_id) if line.counterparty_id else None


def _render_line(
    request,
    line: StatementLine,
    *,
    parts=None,
    suspense=None,
    undo=None,
    candidate_error="",
    status: int = 200,
):
    suggested = _suggested_party(line)
    if parts is None:
        initial = [{"amount": abs(line.amount), "party": suggested.bin if suggested else ""}]
        parts = PartFormSet(initial=initial, prefix="parts")
    current = next((m for m in line.matches.all() if m.undone_at is None), None)
    return render(
        request,
        "finance/line.html",
        {
            "line": line,
            "current": current,
            "history": [m for m in line.matches.all() if m.undone_at is not None],
            "parts": parts,
            "suspense": suspense or ReasonForm(prefix="suspense"),
            "undo": undo or ReasonForm(prefix="undo"),
            "suggested": suggested,
            "candidate_error": candidate_error,
            "can_reconcile": can(request.user, "finance.reconcile").allowed,
        },
        status=status,
    )


@requires("finance.read")
@require_safe
def line(request, pk: int):
    return _render_line(request, _line_or_404(pk))


@requires("finance.reconcile")
@require_http_methods(["POST"])
def line_action(request, pk: int, action: str):
    """``match`` (one part or a split), ``suspense`` or ``undo``; a refusal is shown on the page
    (422) beside the form it concerns, and nothing is written."""
    line = _line_or_404(pk)
    if action == "match":
        parts = PartFormSet(request.POST, prefix="parts")
        if parts.is_valid():
            try:
                chosen = [
                    Part(
                        account=f.cleaned_data["account"],
                        amount=f.cleaned_data["amount"],
                        party=f.cleaned_data["party"],
                        memo=f.cleaned_data["memo"],
                    )
                    for f in parts.forms
                    if f.cleaned_data
                ]
                reconciliation.match(line, chosen, by=request.user, note=request.POST.get("note", "")[:500])
                messages.success(request, _("The line is matched."))
                return see_other("finance:line", pk)
            except DomainError as error:
                parts._non_form_errors = parts.error_class([str(error)])
        return _render_line(request, line, parts=parts, status=422)
    if action == "candidate":
        # One of the candidates the matchers offer, chosen by its target; worked out again now, so
        # an offer that no longer fits (paid meanwhile) is refused rather than posted.
        wanted = request.POST.get("target", "")
        chosen = next((c for c in getattr(line, "candidates", []) if c.key and c.key == wanted), None)
        try:
            if chosen is None or chosen.part.amount != line.amount:
                raise LedgerError(_("That choice no longer fits this line: the page shows what fits now."))
            reconciliation.match(
                line,
                [chosen.part],
                by=request.user,
                matcher=chosen.matcher,
                note=_("chosen from the candidates"),
            )
            messages.success(request, _("The line is matched."))
            return see_other("finance:line", pk)
        except DomainError as error:
            return _render_line(request, line, candidate_error=str(error), status=422)
    if action in {"suspense", "undo"}:
        form = ReasonForm(request.POST, prefix=action)
        if form.is_valid():
            try:
                if action == "suspense":
                    reconciliation.to_suspense(line, reason=form.cleaned_data["reason"], by=request.user)
                    messages.success(request, _("The receipt is in unidentified receipts."))
                else:
                    reconciliation.unmatch(line, reason=form.cleaned_data["reason"], by=request.user)
                    messages.success(request, _("The match is undone: its entry is reversed."))
                return see_other("finance:line", pk)
            except DomainError as error:
                form.add_error(None, str(error))
        return _render_line(request, line, **{action: form}, status=422)
    raise Http404(_("There is no such action."))
