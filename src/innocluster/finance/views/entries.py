"""Journal entries: one entry's page (with its reversal), a manual entry (four eyes above the
threshold), the chief accountant's approvals, and the monthly periods."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innocluster.core.access.permissions import can, require
from innocluster.core.access.views import requires
from innocluster.core.errors import DomainError
from innocluster.core.http import see_other
from innocluster.core.policy.values import today
from innocluster.finance.forms import EntryForm, LegFormSet, MonthForm, ReasonForm
from innocluster.finance.selectors import journal as selectors
from innocluster.finance.services import journal, manual_entries, periods
from innocluster.finance.services.journal import Leg


def _entry_or_404(pk: int):
    entry = selectors.entry_detail(pk)
    if entry is None:
        raise Http404(_("There is no such journal entry."))
    return entry


def _render_entry(request, entry, *, reverse_form=None, reject_form=None, status=200):
    return render(
        request,
        "finance/entry.html",
        {
            "entry": entry,
            "lines": list(entry.lines.all()),
            "reversed_by": selectors.reversed_by(entry),
            "reverse_form": reverse_form or ReasonForm(prefix="reverse"),
            "reject_form": reject_form or ReasonForm(prefix="reject"),
            "can_reverse": can(request.user, "finance.entry.reverse").allowed
            and entry.status == entry.Status.POSTED,
            "can_approve": can(request.user, "finance.entry.approve").allowed
            and entry.status == entry.Status.PENDING,
        },
        status=status,
    )


@requires("finance.read")
@require_safe
def entry(request, pk: int):
    return _render_entry(request, _entry_or_404(pk))


@requires("finance.read")
@require_POST
def entry_action(request, pk: int, action: str):
    """``reverse`` (chief accountant, with a reason), ``approve`` or ``reject`` (chief accountant,
    not the one who prepared it)."""
    entry = _entry_or_404(pk)
    if action not in {"reverse", "approve", "reject"}:
        raise Http404(_("There is no such action."))
    require(request.user, "finance.entry.reverse" if action == "reverse" else "finance.entry.approve")
    form = ReasonForm(request.POST, prefix=action) if action != "approve" else None
    if form is not None and not form.is_valid():
        return _render_entry(request, entry, **{f"{action}_form": form}, status=422)
    try:
        if action == "reverse":
            reversal = journal.reverse(entry, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Reversed by %(number)s.") % {"number": reversal.number})
            return see_other("finance:entry", reversal.pk)
        if action == "approve":
            manual_entries.approve(entry, by=request.user)
            messages.success(request, _("The entry is approved and posted."))
        else:
            manual_entries.reject(entry, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The entry is rejected."))
    except DomainError as error:
        messages.error(request, str(error))
        return _render_entry(request, _entry_or_404(pk), status=422)
    return see_other("finance:entry", entry.pk)


@requires("finance.entry.propose")
@require_http_methods(["GET", "HEAD", "POST"])
def new_entry(request):
    """A manual entry: posted at once below the four-eyes threshold, otherwise sent to the chief
    accountant for approval."""
    form = EntryForm(request.POST or None, initial={"date": today()})
    legs = LegFormSet(request.POST or None, prefix="legs")
    if request.method == "POST" and form.is_valid() and legs.is_valid():
        try:
            entry = manual_entries.propose_manual(
                date=form.cleaned_data["date"],
                description=form.cleaned_data["description"],
                reference=form.cleaned_data["reference"],
                legs=[
                    Leg(
                        account=f.cleaned_data["account"],
                        debit=f.cleaned_data["debit"] or 0,
                        credit=f.cleaned_data["credit"] or 0,
                        party=f.cleaned_data["party"],
                        memo=f.cleaned_data["memo"],
                    )
                    for f in legs.forms
                    if f.cleaned_data
                ],
                by=request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if entry.status == entry.Status.PENDING:
                messages.success(request, _("The entry awaits the chief accountant's approval."))
            else:
                messages.success(request, _("The entry is posted."))
            return see_other("finance:entry", entry.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "finance/entry_form.html", {"form": form, "legs": legs}, status=status)


@requires("finance.read")
@require_safe
def entries(request):
    return render(
        request,
        "finance/entries.html",
        {
            "pending": selectors.pending_entries(),
            "recent": selectors.recent_entries(),
            "can_propose": can(request.user, "finance.entry.propose").allowed,
        },
    )


@requires("finance.read")
@require_http_methods(["GET", "HEAD", "POST"])
def period_list(request):
    """Months with their status, entries and bank lines waiting; the chief accountant closes a
    month (refused, with the lines named, while any waits), a fund administrator reopens one."""
    form = MonthForm(request.POST or None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        require(request.user, "finance.period.close" if action == "close" else "finance.period.reopen")
        if form.is_valid():
            year, month = form.cleaned_data["year"], form.cleaned_data["month"]
            try:
                if action == "close":
                    periods.close(year, month, by=request.user)
                    messages.success(
                        request, _("The period %(period)s is closed.") % {"period": f"{year}-{month:02d}"}
                    )
                else:
                    periods.reopen(year, month, by=request.user, reason=form.cleaned_data["reason"])
                    messages.success(
                        request, _("The period %(period)s is reopened.") % {"period": f"{year}-{month:02d}"}
                    )
                return see_other("finance:periods")
            except DomainError as error:
                messages.error(request, str(error))
        status = 422
    return render(
        request,
        "finance/periods.html",
        {
            "rows": selectors.periods_with_figures(today()),
            "can_close": can(request.user, "finance.period.close").allowed,
            "can_reopen": can(request.user, "finance.period.reopen").allowed,
        },
        status=status,
    )


@requires("finance.read")
@require_safe
def home(request):
    from innocluster.finance.selectors.banking import recent_imports, status_counts

    return render(
        request,
        "finance/home.html",
        {
            "balances": selectors.bank_balances(),
            "counts": status_counts(),
            "pending": selectors.pending_count(),
            "imports": recent_imports(5),
            "can_import": can(request.user, "finance.statements.import").allowed,
        },
    )
