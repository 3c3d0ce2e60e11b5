"""Reconciliation: each statement line accounted for once — matched to one target or split across
several, or sent to unidentified receipts (suspense) with a reason. Every match posts its entry
through the journal; undoing one reverses that entry (nothing is deleted)."""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innocluster.core.audit.services import record_event
from innocluster.core.errors import DomainError, lock_failures_as_domain_errors
from innocluster.finance import matchers as matcher_registry
from innocluster.finance.errors import AlreadyMatched, LedgerError
from innocluster.finance.matchers import Part
from innocluster.finance.models import Match, MatchPart, StatementLine
from innocluster.finance.selectors.accounts import account as find_account
from innocluster.finance.services.journal import Leg, document_reference, money, post, reverse

ZERO = Decimal("0.00")


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _lock_unmatched(line: StatementLine) -> StatementLine:
    line = (
        StatementLine.objects.select_for_update()
        .select_related("bank_account__ledger_account")
        .get(pk=line.pk)
    )
    if line.status != StatementLine.Status.UNMATCHED:
        raise AlreadyMatched(
            _("The line of %(date)s for %(amount)s is already %(status)s."),
            params={
                "date": f"{line.booked_on:%d.%m.%Y}",
                "amount": line.amount,
                "status": line.get_status_display(),
            },
        )
    return line


def _post_match(
    line: StatementLine, parts: Sequence[Part], *, kind: str, matcher: str, reason: str, by
) -> Match:
    if not parts:
        raise LedgerError(_("Say where the money goes."))
    total = sum((money(part.amount, _("part %(n)s") % {"n": n}) for n, part in enumerate(parts, 1)), ZERO)
    if any(money(part.amount, "") <= 0 for part in parts):
        raise LedgerError(_("Each part of a split is above zero."))
    if total != abs(line.amount):
        raise LedgerError(
            _("The parts add up to %(total)s but the line is for %(amount)s."),
            params={"total": total, "amount": abs(line.amount)},
            code="split_mismatch",
        )
    bank = line.bank_account
    if line.currency != "KZT":
        raise LedgerError(
            _(
                "The line is in %(currency)s: the ledger is kept in tenge, and converting at the National Bank rate is not supported yet."
            ),
            params={"currency": line.currency},
            code="foreign_currency",
        )
    incoming = line.amount > 0
    legs = [
        Leg(
            account=bank.ledger_account,
            debit=total if incoming else ZERO,
            credit=ZERO if incoming else total,
            fund_source=bank.fund_source,
            memo=line.counterparty_name[:300],
        )
    ]
    for part in parts:
        account = find_account(part.account)
        legs.append(
            Leg(
                account=account,
                debit=ZERO if incoming else money(part.amount, ""),
                credit=money(part.amount, "") if incoming else ZERO,
                party=part.party,
                fund_source=bank.fund_source if not account.fund_source else "",
                memo=part.memo[:300],
            )
        )
    what = _("Bank receipt") if incoming else _("Bank payment")
    entry = post(
        date=line.booked_on,
        description=f"{what}: {line.counterparty_name} — {line.purpose}"[:500],
        reference=line.bank_reference,
        source=line,
        by=by,
        legs=legs,
    )
    try:
        with transaction.atomic():
            match = Match.objects.create(
                line=line, kind=kind, matcher=matcher, reason=reason[:500], entry=entry, by=_user(by)
            )
    except IntegrityError:
        raise AlreadyMatched(_("This line was matched by someone else a moment ago.")) from None
    # Kept on the match for the listeners (``match.part_rows``): they need not read them back.
    match.part_rows = MatchPart.objects.bulk_create(
        [
            MatchPart(
                match=match,
                account=find_account(part.account),
                party=part.party,
                amount=money(part.amount, ""),
                target_type=document_reference(part.target)[0],
                target_id=document_reference(part.target)[1],
                memo=part.memo[:300],
            )
            for part in parts
        ]
    )
    for listener in matcher_registry.listeners():
        listener.matched(match, by=by)
    line.status = (
        StatementLine.Status.SUSPENSE if kind == Match.Kind.SUSPENSE else StatementLine.Status.MATCHED
    )
    StatementLine.objects.filter(pk=line.pk).update(status=line.status)
    record_event(
        action=f"finance.line.{kind}",
        actor=by,
        obj=line,
        object_repr=str(line)[:300],
        reason=reason,
        changes={
            "entry": entry.number,
            "matcher": matcher,
            "parts": [
                [
                    find_account(p.account).code,
                    str(p.amount),
                    getattr(p.party, "pk", None),
                    *document_reference(p.target),
                ]
                for p in parts
            ],
        },
    )
    return match


@lock_failures_as_domain_errors()
def match(
    line: StatementLine, parts: Sequence[Part], *, by=None, matcher: str = "manual", note: str = ""
) -> Match:
    """Match a line to one target, or split it across several (the parts add up to the line)."""
    with transaction.atomic():
        line = _lock_unmatched(line)
        return _post_match(line, parts, kind=Match.Kind.MATCHED, matcher=matcher, reason=note, by=by)


@lock_failures_as_domain_errors()
def to_suspense(line: StatementLine, *, reason: str, by=None) -> Match:
    """Send a receipt nobody can identify yet to unidentified receipts, saying why."""
    if not reason.strip():
        raise LedgerError(_("Say why the receipt cannot be identified."))
    with transaction.atomic():
        line = _lock_unmatched(line)
        if line.amount < 0:
            raise LedgerError(
                _("Only a receipt goes to unidentified receipts; a payment is matched to what it paid.")
            )
        return _post_match(
            line,
            [Part(account="suspense", amount=line.amount)],
            kind=Match.Kind.SUSPENSE,
            matcher="manual",
            reason=reason,
            by=by,
        )


@lock_failures_as_domain_errors()
def unmatch(line: StatementLine, *, reason: str, by=None) -> StatementLine:
    """Undo a line's match: its entry is reversed, the line waits in the queue again."""
    if not reason.strip():
        raise LedgerError(_("Say why the match is undone."))
    with transaction.atomic():
        line = StatementLine.objects.select_for_update().get(pk=line.pk)
        current = (
            Match.objects.select_for_update()
            .filter(line=line, undone_at__isnull=True)
            .select_related("entry")
            .first()
        )
        if current is None:
            raise LedgerError(_("This line is not matched."))
        for listener in matcher_registry.listeners():
            listener.unmatched(current, by=by)
        reverse(current.entry, by=by, reason=reason)
        Match.objects.filter(pk=current.pk).update(
            undone_at=timezone.now(), undone_by=_user(by), undo_reason=reason[:500]
        )
        StatementLine.objects.filter(pk=line.pk).update(status=StatementLine.Status.UNMATCHED)
        line.status = StatementLine.Status.UNMATCHED
        record_event(
            action="finance.line.unmatched",
            actor=by,
            obj=line,
            reason=reason,
            changes={"entry": current.entry.number},
        )
        return line


def auto_match(lines: Iterable[StatementLine], *, by=None) -> int:
    """Run the registered matchers over ``lines`` (unmatched ones); each proposal is posted in its
    own savepoint, so one that no longer fits (the obligation was paid meanwhile, a listener
    refused it) leaves its line in the queue rather than failing the rest. Returns how many lines were matched."""
    pending = {line.pk: line for line in lines if line.status == StatementLine.Status.UNMATCHED}
    matched = 0
    for matcher in matcher_registry.registered():
        if not pending:
            break
        for proposal in matcher.propose(list(pending.values())):
            line = pending.get(proposal.line.pk)
            if line is None:
                continue
            try:
                with transaction.atomic():
                    match(line, proposal.parts, by=by, matcher=matcher.code, note=proposal.note)
            except DomainError:
                continue
            # The matcher resumes after its proposal: the line it holds says it was matched.
            line.status = StatementLine.Status.MATCHED
            del pending[line.pk]
            matched += 1
    return matched
