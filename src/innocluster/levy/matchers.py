"""The levy's bank-line matcher, registered with finance through the manifest
(``hooks={"finance.matchers": (LevyMatcher(),)}``), and the listener that records a match's
levy settlements (``finance.match_listeners``).

A receipt is recognised by an obligation reference anywhere in its purpose (``LEVY-2026-000123``,
also in lower case or with spaces); its money goes to the referenced obligations up to what each
has outstanding, any rest to overpayments owed (the holder's credit). Without a reference, the
payer's BIN and an amount equal to exactly one obligation's outstanding balance match it; two or
more such obligations: no proposal (the line waits in the manual queue, where ``candidates`` shows
them)."""

from decimal import Decimal

from innocluster.finance.matchers import Candidate, Part, Proposal
from innocluster.levy.selectors import obligations as selectors

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _outstanding(obligation) -> Decimal:
    """An obligation's outstanding balance in tiyn. ``selectors.with_balances`` computes it in the
    database, where SQLite's arithmetic on decimals is binary floating point: 9918684.78 left after
    six part-payments reads back as 9918684.77999999, which would propose a part no entry takes
    (and miss an exact BIN + amount fit)."""
    return Decimal(obligation.outstanding).quantize(CENT)


def _named(refs, named) -> list:
    """The obligations ``refs`` name, in the order written (unknown references left out)."""
    return [named[ref] for ref in refs if ref in named]


def _part(obligation, amount: Decimal) -> Part:
    return Part(
        account="levy_receivable",
        amount=amount,
        party=obligation.holder,
        target=obligation,
        memo=obligation.reference,
    )


class LevyMatcher:
    code = "levy.obligation"
    priority = 100

    def propose(self, lines):
        """Two queries for the whole batch (the obligations its lines name, the open obligations
        of its payers without a reference), when the generator starts; then the balances kept
        here as the proposals are accepted (``auto_match`` marks a line matched before asking
        for the next, and writes them in batches; a refused batch closes this generator and
        starts a fresh one, which reads the balances again): two lines paying the same
        obligation see what the first left."""
        lines = [line for line in lines if line.amount > 0 and line.currency == "KZT"]
        refs = {line.pk: selectors.references_in(line.purpose) for line in lines}
        named = selectors.by_references({ref for found in refs.values() for ref in found})
        payers = {
            line.counterparty_id
            for line in lines
            if line.counterparty_id and not _named(refs[line.pk], named)
        }
        by_bin = selectors.open_obligations_of_bins(payers)
        left = {o.pk: _outstanding(o) for o in named.values()}
        for group in by_bin.values():
            left.update((o.pk, _outstanding(o)) for o in group)
        for line in lines:
            proposal = self.proposal(line, refs[line.pk], named, by_bin, left)
            if proposal is None:
                continue
            yield proposal
            if line.status != "unmatched":  # matched: what it paid is no longer outstanding
                for part in proposal.parts:
                    if part.account == "levy_receivable":
                        left[part.target.pk] -= part.amount

    def proposal(self, line, refs=None, named=None, by_bin=None, left=None) -> Proposal | None:
        """The proposal for one line (alone: its own queries; in a batch: the batch's lookups)."""
        if named is None:
            refs = selectors.references_in(line.purpose)
            named = selectors.by_references(set(refs))
            by_bin = selectors.open_obligations_of_bins({line.counterparty_id} - {""})
            left = {o.pk: _outstanding(o) for o in named.values()}
            for group in by_bin.values():
                left.update((o.pk, _outstanding(o)) for o in group)
        found = _named(refs, named)
        if found:
            return self._by_reference(line, found, left)
        if not line.counterparty_id:
            return None
        fits = [o for o in by_bin.get(line.counterparty_id, ()) if left[o.pk] == line.amount]
        if len(fits) != 1:
            return None
        obligation = fits[0]
        return Proposal(
            line=line,
            parts=(_part(obligation, line.amount),),
            note=f"{self.code}: {obligation.reference} (BIN + amount)",
        )

    def _by_reference(self, line, obligations, outstanding) -> Proposal:
        left = line.amount
        parts = []
        for obligation in obligations:
            take = min(left, max(outstanding[obligation.pk], ZERO))
            if take > 0:
                parts.append(_part(obligation, take))
                left -= take
        if left > 0:
            first = obligations[0]
            parts.append(
                Part(
                    account="overpayments",
                    amount=left,
                    party=first.holder,
                    target=first,
                    memo=f"{first.reference}: overpayment",
                )
            )
        refs = ", ".join(o.reference for o in obligations)
        return Proposal(line=line, parts=tuple(parts), note=f"{self.code}: {refs} (reference)")

    def candidates(self, line) -> list[Candidate]:
        """The obligations the line may pay, each with the part a match would post."""
        if line.amount <= 0:
            return []
        return [
            Candidate(
                label=f"{o.reference} · {o.contract.number} · {o.holder.bin} {o.holder.name}",
                amount=max(_outstanding(o), ZERO),
                part=_part(o, min(line.amount, max(_outstanding(o), ZERO)) or line.amount),
                matcher=self.code,
            )
            for o in selectors.candidates_for(line)
        ]


class LevyMatchListener:
    """Records what a match did to the levy: a payment of an obligation (a part on the levy
    receivable for an obligation), an overpayment credit (a part on overpayments owed for an
    obligation), a refund (an outgoing part on overpayments owed for a credit)."""

    def matched(self, match, by=None) -> None:
        self.matched_many([match], by=by)

    def matched_many(self, matches, by=None) -> None:
        """What a batch of matches did to the levy: their payments recorded together
        (``settlements.record_payments``: one lock of their obligations, one INSERT), each
        overpayment credit and refund as for one match."""
        from innocluster.levy.services import settlements

        payments, others = [], []
        for match in matches:
            incoming = match.line.amount > 0
            parts = getattr(match, "part_rows", None) or match.parts.select_related("account", "party")
            for part in parts:
                key = part.account.key
                if incoming and key == "levy_receivable" and part.target_type == "levy.obligation":
                    payments.append(settlements.Payment(int(part.target_id), part.amount, match))
                elif key == "overpayments":
                    others.append((match, incoming, part))
        settlements.record_payments(payments, by=by)
        for match, incoming, part in others:
            if incoming:
                obligation = selectors.obligation_for_part(part.target_type, part.target_id)
                if obligation is not None and part.party_id is not None:
                    settlements.record_overpayment(obligation, part.party, part.amount, match=match, by=by)
            else:
                credit = selectors.credit_for_part(part.target_type, part.target_id)
                if credit is not None:
                    settlements.record_refund(credit, part.amount, match=match, by=by)

    def unmatched(self, match, by=None) -> None:
        from innocluster.levy.services import settlements

        settlements.undo_match(match, by=by)
