"""Quorum and majority: the arithmetic of a vote on one agenda item, as pure functions.

No models, no database: the services count ballots and attendance, build a :class:`Tally`, take the
body's :class:`VotingRule` for the item's decision type and call :func:`decide`. The
:class:`Result` carries the outcome and ``steps``, short translated sentences that the meeting page
and the minutes print ("show the arithmetic"). The sources are silent on all of this (DOMAIN.md,
workflow 4): the defaults are our design and every part is configurable per body.

All arithmetic is on integers and :class:`~fractions.Fraction`, never float: "two thirds of 9" is
``for * 3 >= 9 * 2``, exactly.

Who counts
----------
``members``
    Members with a right to vote whose term is current on the meeting day (the caller leaves out
    ended terms: :func:`voting_members`).
``present``
    Members taking part, in the room, remotely or by absentee (written or online) ballot: an
    absentee ballot makes its member present. ``absentee`` says how many of ``present`` voted
    that way (it is shown, it changes nothing).
``recused``
    Members present who declared a conflict of interest on this item: they do not vote. Whether
    they still count for the quorum is the rule's explicit choice, ``recused_count_for_quorum``:

    - ``False`` (default): they leave the quorum base: the quorum is counted as ``present -
      recused`` against ``members - recused``;
    - ``True``: the quorum is ``present`` against ``members``.

    Either way they never enter a majority's base: a majority is counted among the members who
    may vote on the item (``members - recused``, or ``present - recused``).
``votes_for``, ``against``, ``abstain``
    The ballots of the voters (``present - recused``). A voter present who cast no ballot is
    counted as abstaining (present, not for): ``abstain`` is what was recorded, the steps say how
    many more were silent.

Quorum
------
Met when ``counted >= needed`` where ``needed`` is the smallest whole number of members at least
``quorum`` of the base (``ceil(base * quorum)``, and at least one). Without a quorum nothing is
adopted, whatever the votes.

Abstentions (``VotingRule.abstentions``)
----------------------------------------
``present_not_for`` (the DOMAIN default)
    An abstention counts as present (for the quorum and in the base of a majority of those
    present) but not as a vote for; it is not a vote against either, so it does not make a tie.
``against``
    An abstention counts as a vote against (base as above; a tie is ``for == against +
    abstentions``).
``excluded``
    Abstentions are left out of the base of a majority of those present: the base is the votes
    for and against. A majority of all members keeps its base (the members), where an abstention
    is simply not a vote for.

Majorities (``VotingRule.majority``); ``base`` as defined above, ``for`` the votes for
----------------------------------------------------------------------------------------
``simple_present``
    More than half of the votes of the members present: ``for * 2 > base`` (strict), base = voters
    present (less abstentions when they are ``excluded``).
``absolute_members``
    More than half of all members who may vote on the item: ``for * 2 > members - recused``.
``two_thirds_present``
    At least two thirds of the votes of the members present: ``for * 3 >= base * 2``.
``two_thirds_members``
    At least two thirds of all members who may vote: ``for * 3 >= (members - recused) * 2``.
``unanimity_present``
    Every vote of the members present is for: ``for == base``.

Every kind needs at least one vote for. ``votes_needed`` is the smallest number of votes for that
carries the item on this tally.

Ties and the chair's casting vote
---------------------------------
Only the two "more than half" majorities can tie: a tie is ``for == against`` (abstentions as the
rule counts them) with ``for * 2 == base``, one vote short of the majority. With
``casting_vote`` and a chair who voted (``chair_for`` is not ``None``), the chair's side decides;
otherwise a tie is not a majority and the item is not adopted. A qualified majority (two thirds,
unanimity) is never reached by a casting vote.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.utils.translation import gettext as _

MAJORITIES = (
    "simple_present",
    "absolute_members",
    "two_thirds_present",
    "two_thirds_members",
    "unanimity_present",
)
ABSTENTIONS = ("present_not_for", "against", "excluded")
# The majorities of "more than half", the only ones a tie (and a casting vote) can decide.
HALF_MAJORITIES = ("simple_present", "absolute_members")
# The majorities counted among the members who may vote, not among those present.
MEMBER_MAJORITIES = ("absolute_members", "two_thirds_members")

ADOPTED = "adopted"
NOT_ADOPTED = "not adopted"
NO_QUORUM = "no quorum"


@dataclass(frozen=True)
class VotingRule:
    """How a body decides an item: see the module's docstring for each part's exact meaning."""

    quorum: Fraction
    majority: str
    abstentions: str
    casting_vote: bool
    recused_count_for_quorum: bool = False

    def __post_init__(self):
        if isinstance(self.quorum, bool) or not isinstance(self.quorum, (Fraction, int)):
            raise ValueError(f"quorum: an exact fraction such as Fraction(2, 3), not {self.quorum!r}")
        if not 0 < self.quorum <= 1:
            raise ValueError(f"quorum: a share of members above 0 and at most 1, not {self.quorum}")
        if self.majority not in MAJORITIES:
            raise ValueError(f"majority: one of {', '.join(MAJORITIES)}, not {self.majority!r}")
        if self.abstentions not in ABSTENTIONS:
            raise ValueError(f"abstentions: one of {', '.join(ABSTENTIONS)}, not {self.abstentions!r}")
        for name in ("casting_vote", "recused_count_for_quorum"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name}: true or false, not {getattr(self, name)!r}")


DEFAULT_RULE = VotingRule(
    quorum=Fraction(2, 3), majority="simple_present", abstentions="present_not_for", casting_vote=True
)


@dataclass(frozen=True)
class Tally:
    """The counts for one item. Inconsistent counts raise ValueError naming the field."""

    members: int
    present: int
    recused: int
    votes_for: int
    against: int
    abstain: int
    chair_for: bool | None = None
    absentee: int = 0

    def __post_init__(self):
        for name in ("members", "present", "recused", "votes_for", "against", "abstain", "absentee"):
            number = getattr(self, name)
            if isinstance(number, bool) or not isinstance(number, int):
                raise ValueError(f"{name}: a whole number, not {number!r}")
            if number < 0:
                raise ValueError(f"{name}: cannot be negative ({number})")
        if self.present > self.members:
            raise ValueError(f"present: {self.present} present but only {self.members} members")
        if self.recused > self.present:
            raise ValueError(
                f"recused: {self.recused} recused but only {self.present} present "
                "(a member recuses at the meeting)"
            )
        if self.cast > self.voters:
            raise ValueError(
                f"votes: {self.cast} ballots but only {self.voters} members present may vote "
                f"({self.present} present, {self.recused} recused)"
            )
        if self.absentee > self.cast:
            raise ValueError(f"absentee: {self.absentee} absentee ballots but only {self.cast} ballots cast")
        if self.chair_for is not None and not isinstance(self.chair_for, bool):
            raise ValueError(f"chair_for: true, false or none, not {self.chair_for!r}")
        if self.chair_for is True and self.votes_for == 0:
            raise ValueError("chair_for: the chair voted for, but no vote for was counted")
        if self.chair_for is False and self.against == 0:
            raise ValueError("chair_for: the chair voted against, but no vote against was counted")

    @property
    def voters(self) -> int:
        """Members present who may vote on the item."""
        return self.present - self.recused

    @property
    def cast(self) -> int:
        return self.votes_for + self.against + self.abstain

    @property
    def silent(self) -> int:
        """Voters present who cast no ballot: counted as abstaining."""
        return self.voters - self.cast


@dataclass(frozen=True)
class Result:
    quorum_met: bool
    quorum_needed: int
    quorum_counted: int
    adopted: bool
    votes_needed: int
    tie: bool
    casting_used: bool
    steps: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """``adopted``, ``not adopted`` or ``no quorum``."""
        if not self.quorum_met:
            return NO_QUORUM
        return ADOPTED if self.adopted else NOT_ADOPTED


def _ceil(number: Fraction) -> int:
    return -(-number.numerator // number.denominator)


def quorum_needed(base: int, quorum: Fraction) -> int:
    """The fewest members present that make ``quorum`` of ``base`` (at least one)."""
    return max(1, _ceil(Fraction(base) * Fraction(quorum)))


def votes_needed(majority: str, base: int) -> int:
    """The fewest votes for that carry ``majority`` over ``base`` (at least one)."""
    if majority in HALF_MAJORITIES:
        needed = base // 2 + 1
    elif majority in ("two_thirds_present", "two_thirds_members"):
        needed = _ceil(Fraction(base * 2, 3))
    elif majority == "unanimity_present":
        needed = base
    else:
        raise ValueError(f"majority: one of {', '.join(MAJORITIES)}, not {majority!r}")
    return max(1, needed)


MAJORITY_STEPS = {
    "simple_present": lambda: _(
        "Needed: more than half of the %(base)s votes of the members present, that is %(needed)s for."
    ),
    "absolute_members": lambda: _(
        "Needed: more than half of all %(base)s members who may vote, that is %(needed)s for."
    ),
    "two_thirds_present": lambda: _(
        "Needed: at least two thirds of the %(base)s votes of the members present, that is %(needed)s for."
    ),
    "two_thirds_members": lambda: _(
        "Needed: at least two thirds of all %(base)s members who may vote, that is %(needed)s for."
    ),
    "unanimity_present": lambda: _(
        "Needed: all %(base)s votes of the members present, that is %(needed)s for."
    ),
}


def decide(rule: VotingRule, tally: Tally) -> Result:
    """Quorum and majority of ``tally`` under ``rule``, with the arithmetic in ``steps``."""
    steps: list[str] = []
    if tally.recused:
        steps.append(
            _("Recused for a conflict of interest (they do not vote): %(recused)s.")
            % {"recused": tally.recused}
        )
    if tally.absentee:
        steps.append(
            _("Voted by absentee or online ballot (counted as present): %(absentee)s.")
            % {"absentee": tally.absentee}
        )

    # --- quorum
    if rule.recused_count_for_quorum:
        quorum_base, counted = tally.members, tally.present
        if tally.recused:
            steps.append(_("Recused members still count for the quorum."))
    else:
        quorum_base, counted = tally.members - tally.recused, tally.present - tally.recused
        if tally.recused:
            steps.append(_("Recused members are left out of the quorum."))
    needed_present = quorum_needed(quorum_base, rule.quorum)
    quorum_met = counted >= needed_present
    steps.append(
        _("Quorum: members present %(counted)s of %(members)s, %(needed)s needed (%(fraction)s).")
        % {
            "counted": counted,
            "members": quorum_base,
            "needed": needed_present,
            "fraction": str(Fraction(rule.quorum)),
        }
    )

    # --- the votes, abstentions as the rule counts them
    abstain = tally.abstain + tally.silent
    steps.append(
        _("Votes: for %(for)s, against %(against)s, abstained %(abstain)s.")
        % {"for": tally.votes_for, "against": tally.against, "abstain": tally.abstain}
    )
    if tally.silent:
        steps.append(
            _("Present but cast no ballot (counted as abstaining): %(silent)s.") % {"silent": tally.silent}
        )
    against = tally.against
    if rule.abstentions == "present_not_for":
        present_base = tally.voters
        if abstain:
            steps.append(_("Abstentions count as present, not as votes for."))
    elif rule.abstentions == "against":
        present_base = tally.voters
        against += abstain
        if abstain:
            steps.append(
                _("Abstentions count as votes against: against %(against)s in all.") % {"against": against}
            )
    else:  # excluded
        present_base = tally.votes_for + tally.against
        if abstain:
            steps.append(_("Abstentions are left out of the count of votes."))

    base = tally.members - tally.recused if rule.majority in MEMBER_MAJORITIES else present_base
    needed = votes_needed(rule.majority, base)
    steps.append(MAJORITY_STEPS[rule.majority]() % {"base": base, "needed": needed})

    if not quorum_met:
        steps.append(_("No quorum: the item cannot be decided and is not adopted."))
        return Result(False, needed_present, counted, False, needed, False, False, steps)

    adopted = tally.votes_for >= needed
    tie = (
        rule.majority in HALF_MAJORITIES
        and tally.votes_for == against
        and tally.votes_for * 2 == base
        and tally.votes_for > 0
    )
    casting_used = False
    if tie:
        steps.append(
            _("Tie: for %(for)s, against %(against)s.") % {"for": tally.votes_for, "against": against}
        )
        if not rule.casting_vote:
            steps.append(_("The chair has no casting vote under this rule: a tie is not a majority."))
        elif tally.chair_for is None:
            steps.append(_("The chair voted neither for nor against: a tie is not a majority."))
        else:
            casting_used, adopted = True, tally.chair_for
            steps.append(
                _("The chair's casting vote decides: the chair voted for.")
                if tally.chair_for
                else _("The chair's casting vote decides: the chair voted against.")
            )
    if adopted:
        steps.append(
            _("Adopted: %(for)s for, %(needed)s needed.") % {"for": tally.votes_for, "needed": needed}
        )
    else:
        steps.append(
            _("Not adopted: %(for)s for, %(needed)s needed.") % {"for": tally.votes_for, "needed": needed}
        )
    return Result(True, needed_present, counted, adopted, needed, tie, casting_used, steps)


def voting_members(memberships: Iterable[tuple[date, date | None]], on: date) -> int:
    """How many of the terms ``(start, end)`` are current on ``on``: the ``members`` of a tally.

    A term covers its first and its last day (``end`` included; ``None``: no end set). A member
    whose term ended the day before the meeting, or starts the day after, cannot vote."""
    count = 0
    for start, end in memberships:
        if end is not None and end < start:
            raise ValueError(f"end: a term cannot end ({end}) before it starts ({start})")
        if start <= on and (end is None or on <= end):
            count += 1
    return count
