"""Reconciliation: each statement line accounted for once — matched to one target or split across
several, or sent to unidentified receipts (suspense) with a reason. Every match posts its entry
through the journal; undoing one reverses that entry (nothing is deleted)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from innocluster.core import db
from innocluster.core.audit import services as audit
from innocluster.core.audit.services import record_event
from innocluster.core.errors import DomainError, lock_failures_as_domain_errors
from innocluster.finance import matchers as matcher_registry
from innocluster.finance.errors import AlreadyMatched, LedgerError
from innocluster.finance.matchers import Part
from innocluster.finance.models import Match, MatchPart, StatementLine
from innocluster.finance.selectors.accounts import account as find_account
from innocluster.finance.services.journal import (
    Leg,
    Posting,
    document_reference,
    money,
    post,
    post_many,
    reverse,
)

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


@dataclass
class _Planned:
    """One match checked and laid out, not yet written: what :func:`_post_match` (one line) and
    :func:`_post_matches` (a batch) both write for it."""

    line: StatementLine
    kind: str
    matcher: str
    reason: str
    posting: Posting
    part_rows: list[MatchPart]  # without their match yet
    audit_parts: list[list]

    @property
    def status(self) -> str:
        return (
            StatementLine.Status.SUSPENSE
            if self.kind == Match.Kind.SUSPENSE
            else StatementLine.Status.MATCHED
        )

    def match_row(self, entry, by) -> Match:
        return Match(
            line=self.line,
            kind=self.kind,
            matcher=self.matcher,
            reason=self.reason[:500],
            entry=entry,
            by=_user(by),
        )

    def event(self, entry, by):
        return audit.event(
            action=f"finance.line.{self.kind}",
            actor=by,
            obj=self.line,
            object_repr=str(self.line)[:300],
            reason=self.reason,
            changes={"entry": entry.number, "matcher": self.matcher, "parts": self.audit_parts},
        )


def _plan(line: StatementLine, parts: Sequence[Part], *, kind: str, matcher: str, reason: str) -> _Planned:
    """Check a match of ``line`` to ``parts`` (refusals as :class:`LedgerError`) and lay out its
    entry, its parts and its audit content. Reads nothing but the (cached) chart of accounts."""
    if not parts:
        raise LedgerError(_("Say where the money goes."))
    amounts = [money(part.amount, _("part %(n)s") % {"n": n}) for n, part in enumerate(parts, 1)]
    total = sum(amounts, ZERO)
    if any(amount <= 0 for amount in amounts):
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
            account=find_account(bank.ledger_account_id),
            debit=total if incoming else ZERO,
            credit=ZERO if incoming else total,
            fund_source=bank.fund_source,
            memo=line.counterparty_name[:300],
        )
    ]
    part_rows, audit_parts = [], []
    for part, amount in zip(parts, amounts, strict=True):
        account = find_account(part.account)
        target = document_reference(part.target)
        legs.append(
            Leg(
                account=account,
                debit=ZERO if incoming else amount,
                credit=amount if incoming else ZERO,
                party=part.party,
                fund_source=bank.fund_source if not account.fund_source else "",
                memo=part.memo[:300],
            )
        )
        part_rows.append(
            MatchPart(
                account=account,
                party=part.party,
                amount=amount,
                target_type=target[0],
                target_id=target[1],
                memo=part.memo[:300],
            )
        )
        audit_parts.append([account.code, str(part.amount), getattr(part.party, "pk", None), *target])
    what = _("Bank receipt") if incoming else _("Bank payment")
    posting = Posting(
        date=line.booked_on,
        description=f"{what}: {line.counterparty_name} — {line.purpose}"[:500],
        reference=line.bank_reference,
        source=line,
        legs=legs,
    )
    return _Planned(line, kind, matcher, reason, posting, part_rows, audit_parts)


def _post_match(
    line: StatementLine, parts: Sequence[Part], *, kind: str, matcher: str, reason: str, by
) -> Match:
    plan = _plan(line, parts, kind=kind, matcher=matcher, reason=reason)
    p = plan.posting
    entry = post(
        date=p.date, description=p.description, reference=p.reference, source=p.source, by=by, legs=p.legs
    )
    match = plan.match_row(entry, by)
    try:
        with transaction.atomic():
            match.save(force_insert=True)
    except IntegrityError:
        raise AlreadyMatched(_("This line was matched by someone else a moment ago.")) from None
    for row in plan.part_rows:
        row.match = match
    # Kept on the match for the listeners (``match.part_rows``): they need not read them back.
    match.part_rows = MatchPart.objects.bulk_create(plan.part_rows)
    for listener in matcher_registry.listeners():
        listener.matched(match, by=by)
    line.status = plan.status
    StatementLine.objects.filter(pk=line.pk).update(status=line.status)
    audit.record_events([plan.event(entry, by)])
    return match


# Rows per INSERT of a batch of matches (parts and matches): well inside SQLite's parameter limit.
_ROWS = 1000


def _post_matches(plans: Sequence[_Planned], *, by) -> list[Match]:
    """Write many checked matches at once (``auto_match``), the same rows and audit events as
    :func:`_post_match` writes for each: the lines locked in one query (each still unmatched, or
    :class:`AlreadyMatched`), the entries through ``journal.post_many``, the matches and their
    parts in a few INSERTs, the listeners told through ``matched_many(matches, by)`` where they
    offer it (``matched`` per match otherwise), the lines' statuses and the audit events in a few
    statements. Any refusal refuses the whole batch: call it inside a savepoint."""
    lines = {plan.line.pk: plan.line for plan in plans}
    locked = (  # in id order, as every batch locks them: no deadlock between two
        StatementLine.objects.select_for_update()
        .filter(pk__in=list(lines))
        .order_by("pk")
        .values_list("pk", "status")
    )
    for pk, status in locked:
        if status != StatementLine.Status.UNMATCHED:
            line = lines[pk]
            raise AlreadyMatched(
                _("The line of %(date)s for %(amount)s is already %(status)s."),
                params={
                    "date": f"{line.booked_on:%d.%m.%Y}",
                    "amount": line.amount,
                    "status": StatementLine.Status(status).label,
                },
            )
    entries = post_many([plan.posting for plan in plans], by=by)
    matches = [plan.match_row(entry, by) for plan, entry in zip(plans, entries, strict=True)]
    try:
        for start in range(0, len(matches), _ROWS):
            db.insert(matches[start : start + _ROWS])
    except IntegrityError:
        raise AlreadyMatched(_("This line was matched by someone else a moment ago.")) from None
    rows = []
    for plan, match in zip(plans, matches, strict=True):
        for row in plan.part_rows:
            row.match = match
        match.part_rows = plan.part_rows
        rows.extend(plan.part_rows)
    for start in range(0, len(rows), _ROWS):
        db.insert(rows[start : start + _ROWS])
    for listener in matcher_registry.listeners():
        many = getattr(listener, "matched_many", None)
        if many is not None:
            many(matches, by=by)
        else:
            for match in matches:
                listener.matched(match, by=by)
    by_status: dict[str, list[int]] = {}
    for plan in plans:
        by_status.setdefault(plan.status, []).append(plan.line.pk)
    for status, pks in by_status.items():
        StatementLine.objects.filter(pk__in=pks).update(status=status)
    for plan in plans:
        plan.line.status = plan.status
    audit.record_events([plan.event(entry, by) for plan, entry in zip(plans, entries, strict=True)])
    return matches


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


# Proposals posted together by ``auto_match``: one savepoint, a few statements per table.
CHUNK = 500


def auto_match(lines: Iterable[StatementLine], *, by=None) -> int:
    """Run the registered matchers over ``lines`` (unmatched ones) and post what they propose.
    Returns how many lines were matched.

    Each matcher's proposals are checked one by one as they come (a proposal refused there, as
    :func:`match` would refuse it, leaves its line in the queue) and posted in batches of
    :data:`CHUNK`, each batch in its own savepoint. A proposal that no longer fits when its batch
    is written (the line was matched meanwhile, the period is closed, a listener refused it) refuses
    the batch: it is rolled back, and its lines are proposed again and posted one at a time, each
    in its own savepoint, so only the proposals that do not fit leave their lines in the queue.
    The protocol the matchers follow is in :class:`innocluster.finance.matchers.Matcher`."""
    pending = {line.pk: line for line in lines if line.status == StatementLine.Status.UNMATCHED}
    matched = 0
    for matcher in matcher_registry.registered():
        if not pending:
            break
        matched += _run_matcher(matcher, pending, by)
    return matched


def _run_matcher(matcher, pending: dict[int, StatementLine], by) -> int:
    """One matcher over the lines in ``pending`` (in their order); the lines it matches leave it."""
    queue = list(pending.values())
    matched = 0
    while queue:
        position = {line.pk: n for n, line in enumerate(queue)}
        proposals = iter(matcher.propose(queue))
        chunk: list[_Planned] = []
        refused, done = False, -1  # done: the position of the last line of the batches written
        while not refused:
            proposal = next(proposals, None)
            if proposal is not None:
                line = pending.get(proposal.line.pk) if proposal.line.pk in position else None
                if line is None or line.status != StatementLine.Status.UNMATCHED:
                    continue  # not offered, or proposed twice: the first proposal stands
                try:
                    plan = _plan(
                        line,
                        proposal.parts,
                        kind=Match.Kind.MATCHED,
                        matcher=matcher.code,
                        reason=proposal.note,
                    )
                except DomainError:
                    continue  # refused as match() refuses it: the line stays in the queue
                # Provisionally matched: the matcher resumes counting on it (see Matcher.propose).
                line.status = StatementLine.Status.MATCHED
                chunk.append(plan)
                if len(chunk) < CHUNK:
                    continue
            if not chunk:
                break
            if _post_chunk(chunk, by):
                for plan in chunk:
                    del pending[plan.line.pk]
                matched += len(chunk)
                done = max(position[plan.line.pk] for plan in chunk)
                chunk = []
            else:
                refused = True
            if proposal is None:
                break
        if not refused:
            return matched
        # The matcher counted on the refused batch: it stops, and the lines it has passed since the
        # last batch written are proposed again one at a time (by a fresh generator reading the
        # balances as they now are); then a fresh one takes the lines after them, in batches again.
        close = getattr(proposals, "close", None)
        if close is not None:
            close()
        for plan in chunk:
            plan.line.status = StatementLine.Status.UNMATCHED
        last = max(position[plan.line.pk] for plan in chunk)
        again = [line for line in queue[done + 1 : last + 1] if line.pk in pending]
        matched += _one_by_one(matcher, again, pending, by)
        queue = [line for line in queue[last + 1 :] if line.pk in pending]
    return matched


def _post_chunk(chunk: Sequence[_Planned], by) -> bool:
    """Post a batch of proposals in a savepoint; False (nothing written) if anything refused it."""
    try:
        with lock_failures_as_domain_errors(), transaction.atomic():
            _post_matches(chunk, by=by)
    except DomainError:
        return False
    return True


def _one_by_one(matcher, lines: list[StatementLine], pending: dict[int, StatementLine], by) -> int:
    """The matcher's proposals for ``lines``, each posted through :func:`match` in its own
    savepoint before the next is asked for; a refused one leaves its line in the queue."""
    matched, offered = 0, {line.pk for line in lines}
    for proposal in matcher.propose(lines):
        line = pending.get(proposal.line.pk) if proposal.line.pk in offered else None
        if line is None or line.status != StatementLine.Status.UNMATCHED:
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
