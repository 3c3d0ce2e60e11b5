"""Matchers: code that recognises what a bank line pays for and proposes how to account for it.

A module registers its matchers through its manifest, at the extension point
``finance.matchers`` (``hooks={"finance.matchers": (LevyMatcher(),)}``); finance never imports
them. After an import the matchers run in ``priority`` order (lowest first) over the lines still
unmatched; the first proposal for a line wins and is posted through the reconciliation commands
like a match made by hand. A matcher reads; it never writes.

A matcher may also offer ``candidates(line) -> list[Candidate]``: what a line *might* pay when it
proposed nothing (two obligations fit the payer and the amount), shown on the line's page so an
officer picks one. The method is optional (asked through ``getattr``).

A second point, ``finance.match_listeners``, is for modules that keep their own record of what a
line settled: after a match is written (its parts name their ``target``) each listener's
``matched(match, by)`` runs in the same transaction, and ``unmatched(match, by)`` when a match is
undone; a listener's domain error refuses the match or the undo as a whole. After an import the
matches are written in batches: a listener may offer ``matched_many(matches, by)`` to record a
batch at once (asked through ``getattr``; without it ``matched`` runs per match). It must do for
the batch what ``matched`` would do for each match in turn — the later matches seeing what the
earlier ones did — and its domain error refuses the whole batch (``auto_match`` then posts the
batch's lines one at a time)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from innocluster.core import manifest

POINT = "finance.matchers"
LISTENERS = "finance.match_listeners"


@dataclass(frozen=True)
class Part:
    """Where (part of) a line's money goes: an account (object, key or code), with its party and
    the domain object it settles (``target``: a model instance or ``("app.model", id)``)."""

    account: Any
    amount: Decimal
    party: Any = None
    target: Any = None
    memo: str = ""


@dataclass(frozen=True)
class Proposal:
    line: Any
    parts: tuple[Part, ...]
    note: str = ""
    extra: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Candidate:
    """Something a line may pay, for an officer to choose: a label (e.g. a reference and a holder),
    the amount still owed, and the part a match to it would post."""

    label: str
    amount: Decimal
    part: Part
    matcher: str = ""

    @property
    def key(self) -> str:
        """What the officer's choice names on the page: the part's target (``app.model:id``)."""
        target = self.part.target
        if isinstance(target, tuple):
            return f"{target[0]}:{target[1]}"
        return f"{target._meta.label_lower}:{target.pk}" if target is not None else ""


class Matcher(Protocol):
    code: str
    priority: int

    def propose(self, lines: Sequence[Any]) -> Iterable[Proposal]:
        """Proposals for some of ``lines`` (unmatched statement lines), at most one per line, in
        the order of ``lines``. A generator is resumed only once its last proposal was accepted
        or refused: the line's ``status`` then says which (``"matched"`` or still
        ``"unmatched"``), so a matcher may keep balances across the batch.

        Accepted means checked (the parts add up, the accounts exist) and queued: ``auto_match``
        writes the accepted proposals in batches (``reconciliation.CHUNK``), after the generator
        has moved on. If the database or a listener then refuses a batch, nothing of it is
        written, the generator is closed (its balances counted on that batch), its lines are
        ``"unmatched"`` again, and ``auto_match`` calls ``propose`` afresh: over the lines from the
        one after the last batch written to the last line of the refused one — that generator's
        proposals posted one at a time, each before the next is asked for — and then over the
        lines after them. So a matcher reads the balances it keeps when its generator starts
        (not earlier), and proposes in the order of ``lines``: the lines up to the last batch
        written are not offered again in that run."""

    # Optional: def candidates(self, line) -> list[Candidate]


class MatchListener(Protocol):
    def matched(self, match: Any, by: Any = None) -> None: ...

    def unmatched(self, match: Any, by: Any = None) -> None: ...

    # Optional: def matched_many(self, matches: Sequence[Any], by: Any = None) -> None
    # (each match carries its line and, as ``match.part_rows``, its parts: nothing to read back)


class BankChargesMatcher:
    """An outgoing line from the bank itself whose purpose says it is a commission: bank charges."""

    code = "finance.bank_charges"
    priority = 900
    WORDS = ("комисси", "commission", "комиссия", "банк қызметі", "bank charge", "bank fee")

    def propose(self, lines):
        for line in lines:
            text = (line.purpose or "").casefold()
            own_bank = not line.counterparty_iban or line.counterparty_bic == line.bank_account.bic
            if line.amount < 0 and own_bank and any(word in text for word in self.WORDS):
                yield Proposal(
                    line=line, parts=(Part(account="bank_charges", amount=-line.amount),), note=self.code
                )


BUILT_IN: tuple[Matcher, ...] = (BankChargesMatcher(),)


def candidates(line) -> list[Candidate]:
    """What the registered matchers offer for ``line`` (those that offer candidates at all)."""
    found: list[Candidate] = []
    for matcher in registered():
        offer = getattr(matcher, "candidates", None)
        if offer is not None:
            found.extend(offer(line))
    return found


def listeners() -> list[MatchListener]:
    return list(manifest.hooks(LISTENERS))


def registered() -> list[Matcher]:
    """Every matcher, the built-in ones and those the installed apps declare, by priority."""
    return sorted([*BUILT_IN, *manifest.hooks(POINT)], key=lambda m: (m.priority, m.code))
