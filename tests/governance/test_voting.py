"""Quorum and majority (issue 14, deliverable 4): the pure arithmetic of governance/voting.py, table
by table, its invariants, and the law cases that run it through the regime's default rule."""

from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innocluster.governance import formulas as governance_formulas
from innocluster.governance.voting import (
    ABSTENTIONS,
    DEFAULT_RULE,
    MAJORITIES,
    Tally,
    VotingRule,
    decide,
    quorum_needed,
    voting_members,
)


def rule(**parts) -> VotingRule:
    return replace(DEFAULT_RULE, **parts)


def tally(members=9, present=6, recused=0, votes_for=0, against=0, abstain=0, chair_for=None, absentee=0):
    return Tally(members, present, recused, votes_for, against, abstain, chair_for, absentee)


def outcome(rule_, tally_) -> str:
    return decide(rule_, tally_).outcome


# --- quorum -----------------------------------------------------------------------------------

QUORUM = [
    # (id, rule, tally, quorum_met, needed, counted)
    ("9 members, 6 present: 2/3 met (6 >= 6)", rule(), tally(present=6, votes_for=6), True, 6, 6),
    ("9 members, 5 present: 2/3 not met", rule(), tally(present=5, votes_for=5), False, 6, 5),
    (
        "10 members: 2/3 is 6.67, so 7 are needed",
        rule(),
        tally(members=10, present=6, votes_for=6),
        False,
        7,
        6,
    ),
    ("10 members, 7 present: met", rule(), tally(members=10, present=7, votes_for=7), True, 7, 7),
    (
        "quorum 1/2 of 9 is 4.5: 5 needed",
        rule(quorum=Fraction(1, 2)),
        tally(present=5, votes_for=5),
        True,
        5,
        5,
    ),
    (
        "quorum 1/2 of 8 is exactly 4",
        rule(quorum=Fraction(1, 2)),
        tally(members=8, present=4, votes_for=4),
        True,
        4,
        4,
    ),
    (
        "quorum of all members: 8 of 9 is short",
        rule(quorum=Fraction(1)),
        tally(present=8, votes_for=8),
        False,
        9,
        8,
    ),
    (
        "absentee ballots count as present: 4 in the room + 2 by ballot = 6",
        rule(),
        tally(present=6, absentee=2, votes_for=4, against=2),
        True,
        6,
        6,
    ),
    (
        "recused left out of the quorum: 5 of 8, 6 needed",
        rule(),
        tally(present=6, recused=1, votes_for=5),
        False,
        6,
        5,
    ),
    (
        "recused counted for the quorum: 6 of 9, 6 needed",
        rule(recused_count_for_quorum=True),
        tally(present=6, recused=1, votes_for=5),
        True,
        6,
        6,
    ),
    (
        "3 recused left out: 4 of 6 is exactly 2/3",
        rule(),
        tally(present=7, recused=3, votes_for=4),
        True,
        4,
        4,
    ),
    (
        "3 recused counted: 7 of 9 is met too",
        rule(recused_count_for_quorum=True),
        tally(present=7, recused=3, votes_for=4),
        True,
        6,
        7,
    ),
    (
        "4 recused left out: 2 of 5 is short of 4",
        rule(),
        tally(present=6, recused=4, votes_for=2),
        False,
        4,
        2,
    ),
    (
        "4 recused counted: 6 of 9 holds the quorum",
        rule(recused_count_for_quorum=True),
        tally(present=6, recused=4, votes_for=2),
        True,
        6,
        6,
    ),
]


@pytest.mark.parametrize(
    ("rule_", "tally_", "met", "needed", "counted"), [c[1:] for c in QUORUM], ids=[c[0] for c in QUORUM]
)
def test_quorum(rule_, tally_, met, needed, counted):
    result = decide(rule_, tally_)
    assert (result.quorum_met, result.quorum_needed, result.quorum_counted) == (met, needed, counted)
    if not met:
        assert result.outcome == "no quorum" and not result.adopted
        assert "No quorum: the item cannot be decided and is not adopted." in result.steps


def test_the_quorum_step_shows_the_arithmetic():
    steps = decide(rule(), tally(present=6, votes_for=4, against=1, abstain=1)).steps
    assert "Quorum: members present 6 of 9, 6 needed (2/3)." in steps
    assert "Votes: for 4, against 1, abstained 1." in steps
    assert "Needed: more than half of the 6 votes of the members present, that is 4 for." in steps
    assert steps[-1] == "Adopted: 4 for, 4 needed."


def test_the_steps_name_recusals_and_absentee_ballots():
    steps = decide(rule(), tally(present=7, recused=1, absentee=2, votes_for=4, against=2)).steps
    assert "Recused for a conflict of interest (they do not vote): 1." in steps
    assert "Voted by absentee or online ballot (counted as present): 2." in steps
    assert "Recused members are left out of the quorum." in steps
    assert "Quorum: members present 6 of 8, 6 needed (2/3)." in steps
    counted = decide(rule(recused_count_for_quorum=True), tally(present=7, recused=1, votes_for=4, against=2))
    assert "Recused members still count for the quorum." in counted.steps


# --- majorities at their boundaries -------------------------------------------------------------

MAJORITY = [
    # (id, rule, tally, outcome, votes_needed)
    ("simple: 4 of 6 present is more than half", rule(), tally(votes_for=4, against=2), "adopted", 4),
    ("simple: 3 of 6 present is not", rule(), tally(votes_for=3, against=1, abstain=2), "not adopted", 4),
    ("simple: 4 of 7 present (odd base)", rule(), tally(present=7, votes_for=4, against=3), "adopted", 4),
    (
        "simple: silent members count as present, not for (3 of 6)",
        rule(),
        tally(votes_for=3, against=1),
        "not adopted",
        4,
    ),
    (
        "absolute: 5 of 9 members, 6 present",
        rule(majority="absolute_members"),
        tally(votes_for=5, against=1),
        "adopted",
        5,
    ),
    (
        "absolute: 4 of 9 members is short though 4 of 6 present",
        rule(majority="absolute_members"),
        tally(votes_for=4, against=2),
        "not adopted",
        5,
    ),
    (
        "absolute: recused leave the base, 4 of 8 is short",
        rule(majority="absolute_members", recused_count_for_quorum=True),
        tally(present=7, recused=1, votes_for=4, against=2),
        "not adopted",
        5,
    ),
    (
        "two thirds present: 6 of 9 exactly",
        rule(majority="two_thirds_present"),
        tally(present=9, votes_for=6, against=3),
        "adopted",
        6,
    ),
    (
        "two thirds present: 5 of 9 one short",
        rule(majority="two_thirds_present"),
        tally(present=9, votes_for=5, against=4),
        "not adopted",
        6,
    ),
    (
        "two thirds present: 5 of 7 (4.67 needed, so 5)",
        rule(majority="two_thirds_present"),
        tally(present=7, votes_for=5, against=2),
        "adopted",
        5,
    ),
    (
        "two thirds present: 4 of 7",
        rule(majority="two_thirds_present"),
        tally(present=7, votes_for=4, against=3),
        "not adopted",
        5,
    ),
    (
        "two thirds of members: 6 of 9 with 6 present",
        rule(majority="two_thirds_members"),
        tally(votes_for=6),
        "adopted",
        6,
    ),
    (
        "two thirds of members: 5 of 9 with 6 present",
        rule(majority="two_thirds_members"),
        tally(votes_for=5, abstain=1),
        "not adopted",
        6,
    ),
    (
        "unanimity: all 6 present for",
        rule(majority="unanimity_present"),
        tally(votes_for=6),
        "adopted",
        6,
    ),
    (
        "unanimity: one abstention breaks it",
        rule(majority="unanimity_present"),
        tally(votes_for=5, abstain=1),
        "not adopted",
        6,
    ),
    (
        "unanimity with abstentions excluded: 5 for, 1 abstention holds",
        rule(majority="unanimity_present", abstentions="excluded"),
        tally(votes_for=5, abstain=1),
        "adopted",
        5,
    ),
    (
        "unanimity: one against breaks it even with abstentions excluded",
        rule(majority="unanimity_present", abstentions="excluded"),
        tally(votes_for=5, against=1),
        "not adopted",
        6,
    ),
    (
        "nobody votes for: never adopted, even if all abstain under 'excluded'",
        rule(abstentions="excluded", majority="two_thirds_present"),
        tally(abstain=6),
        "not adopted",
        1,
    ),
]


@pytest.mark.parametrize(
    ("rule_", "tally_", "expected", "needed"), [c[1:] for c in MAJORITY], ids=[c[0] for c in MAJORITY]
)
def test_majority(rule_, tally_, expected, needed):
    result = decide(rule_, tally_)
    assert result.outcome == expected
    assert result.votes_needed == needed
    assert not result.tie and not result.casting_used


# --- abstentions under each handling -----------------------------------------------------------

# 6 present: 3 for, 2 against, 1 abstains; the chair voted for.
ABSTAIN_TALLY = tally(votes_for=3, against=2, abstain=1, chair_for=True)
ABSTENTION_CASES = [
    # (id, abstentions, outcome, tie, casting_used, votes_needed)
    (
        "present_not_for: 3 of 6 is not more than half, and no tie",
        "present_not_for",
        "not adopted",
        False,
        False,
        4,
    ),
    ("against: 3 for, 3 against is a tie the chair carries", "against", "adopted", True, True, 4),
    ("excluded: 3 of 5 votes is more than half", "excluded", "adopted", False, False, 3),
]


@pytest.mark.parametrize(
    ("abstentions", "expected", "tie", "casting", "needed"),
    [c[1:] for c in ABSTENTION_CASES],
    ids=[c[0] for c in ABSTENTION_CASES],
)
def test_abstentions_change_the_outcome(abstentions, expected, tie, casting, needed):
    result = decide(rule(abstentions=abstentions), ABSTAIN_TALLY)
    assert (result.outcome, result.tie, result.casting_used, result.votes_needed) == (
        expected,
        tie,
        casting,
        needed,
    )


def test_each_abstention_handling_says_so_in_the_steps():
    said = {
        "present_not_for": "Abstentions count as present, not as votes for.",
        "against": "Abstentions count as votes against: against 3 in all.",
        "excluded": "Abstentions are left out of the count of votes.",
    }
    for abstentions, sentence in said.items():
        assert sentence in decide(rule(abstentions=abstentions), ABSTAIN_TALLY).steps


def test_abstentions_count_for_the_quorum():
    """DOMAIN default: 6 present of whom 3 abstain still make the quorum."""
    result = decide(rule(), tally(votes_for=3, abstain=3))
    assert result.quorum_met and result.outcome == "not adopted"


# --- ties and the casting vote -----------------------------------------------------------------

TIES = [
    # (id, rule, tally, outcome, tie, casting_used, sentence)
    (
        "3-3, casting vote, chair for: adopted",
        rule(),
        tally(votes_for=3, against=3, chair_for=True),
        "adopted",
        True,
        True,
        "The chair's casting vote decides: the chair voted for.",
    ),
    (
        "3-3, casting vote, chair against: not adopted",
        rule(),
        tally(votes_for=3, against=3, chair_for=False),
        "not adopted",
        True,
        True,
        "The chair's casting vote decides: the chair voted against.",
    ),
    (
        "3-3, no casting vote: a tie fails",
        rule(casting_vote=False),
        tally(votes_for=3, against=3, chair_for=True),
        "not adopted",
        True,
        False,
        "The chair has no casting vote under this rule: a tie is not a majority.",
    ),
    (
        "3-3, casting vote but the chair did not vote: a tie fails",
        rule(),
        tally(present=7, votes_for=3, against=3, abstain=0, recused=1),
        "not adopted",
        True,
        False,
        "The chair voted neither for nor against: a tie is not a majority.",
    ),
    (
        "absolute majority of 8 members, 4-4: the chair decides",
        rule(majority="absolute_members"),
        tally(members=8, present=8, votes_for=4, against=4, chair_for=True),
        "adopted",
        True,
        True,
        "The chair's casting vote decides: the chair voted for.",
    ),
    (
        "abstentions excluded, 2-2 with 2 abstentions: a tie the chair carries",
        rule(abstentions="excluded"),
        tally(votes_for=2, against=2, abstain=2, chair_for=True),
        "adopted",
        True,
        True,
        "Tie: for 2, against 2.",
    ),
    (
        "present_not_for, 2-2 with 2 abstentions: 2 of 6 is no majority, no tie to break",
        rule(),
        tally(votes_for=2, against=2, abstain=2, chair_for=True),
        "not adopted",
        False,
        False,
        "Not adopted: 2 for, 4 needed.",
    ),
    (
        "two thirds: 3-3 is no tie, a qualified majority has no casting vote",
        rule(majority="two_thirds_present"),
        tally(votes_for=3, against=3, chair_for=True),
        "not adopted",
        False,
        False,
        "Not adopted: 3 for, 4 needed.",
    ),
    (
        "no quorum: a tie among 5 present is never broken",
        rule(),
        tally(members=9, present=4, votes_for=2, against=2, chair_for=True),
        "no quorum",
        False,
        False,
        "No quorum: the item cannot be decided and is not adopted.",
    ),
]


@pytest.mark.parametrize(
    ("rule_", "tally_", "expected", "tie", "casting", "sentence"),
    [c[1:] for c in TIES],
    ids=[c[0] for c in TIES],
)
def test_ties(rule_, tally_, expected, tie, casting, sentence):
    result = decide(rule_, tally_)
    assert (result.outcome, result.tie, result.casting_used) == (expected, tie, casting)
    assert sentence in result.steps


# --- recusals changing the outcome -------------------------------------------------------------


def test_a_recusal_can_cost_the_quorum_or_not_depending_on_the_rule():
    votes = tally(present=6, recused=1, votes_for=4, against=1)
    assert outcome(rule(), votes) == "no quorum"
    assert outcome(rule(recused_count_for_quorum=True), votes) == "adopted"


def test_recused_members_never_vote_and_leave_the_majority_base():
    # 7 present, 1 recused: 6 may vote; 4 of 6 is more than half.
    result = decide(rule(), tally(members=9, present=7, recused=1, votes_for=4, against=2))
    assert result.adopted and result.votes_needed == 4


# --- inconsistent tallies ----------------------------------------------------------------------

BAD_TALLIES = [
    ("negative members", {"members": -1, "present": 0}, "members"),
    ("negative votes for", {"votes_for": -1}, "votes_for"),
    ("negative abstentions", {"abstain": -2}, "abstain"),
    ("more present than members", {"members": 5, "present": 6}, "present"),
    ("more recused than present", {"present": 2, "recused": 3}, "recused"),
    ("more ballots than voters", {"present": 6, "votes_for": 5, "against": 2}, "votes"),
    ("recused members voting", {"present": 6, "recused": 2, "votes_for": 4, "against": 1}, "votes"),
    ("more absentee ballots than ballots", {"votes_for": 2, "absentee": 3}, "absentee"),
    ("the chair for but nobody for", {"against": 3, "chair_for": True}, "chair_for"),
    ("the chair against but nobody against", {"votes_for": 3, "chair_for": False}, "chair_for"),
    ("a float for a count", {"present": 6.0}, "present"),
    ("a boolean for a count", {"votes_for": True}, "votes_for"),
]


@pytest.mark.parametrize(("fields", "named"), [c[1:] for c in BAD_TALLIES], ids=[c[0] for c in BAD_TALLIES])
def test_inconsistent_tallies_are_refused_naming_the_field(fields, named):
    with pytest.raises(ValueError, match=rf"^{named}:"):
        tally(**fields)


BAD_RULES = [
    ("a float quorum", {"quorum": 0.66}, "quorum"),
    ("a quorum above all members", {"quorum": Fraction(4, 3)}, "quorum"),
    ("a zero quorum", {"quorum": Fraction(0)}, "quorum"),
    ("an unknown majority", {"majority": "plurality"}, "majority"),
    ("an unknown abstention handling", {"abstentions": "ignored"}, "abstentions"),
    ("a casting vote that is not yes or no", {"casting_vote": "yes"}, "casting_vote"),
]


@pytest.mark.parametrize(("parts", "named"), [c[1:] for c in BAD_RULES], ids=[c[0] for c in BAD_RULES])
def test_unknown_rules_are_refused_naming_the_part(parts, named):
    with pytest.raises(ValueError, match=rf"^{named}:"):
        rule(**parts)


# --- members whose term is current ---------------------------------------------------------------

TERMS = [
    (date(2024, 1, 1), date(2026, 12, 31)),  # current
    (date(2022, 1, 1), date(2026, 3, 1)),  # ended the day before the meeting
    (date(2026, 3, 2), None),  # starts on the meeting day, no end set
    (date(2026, 3, 3), None),  # starts the day after
    (date(2020, 1, 1), date(2026, 3, 2)),  # last day is the meeting day
]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 3, 2), 3),  # the current term, the one starting, the one ending that day
        (date(2026, 3, 1), 3),  # the current term and the two still running (one ends that day)
        (date(2026, 3, 3), 3),  # the current term and the two that have started
        (date(2019, 12, 31), 0),
    ],
    ids=["meeting day", "day before", "day after", "before every term"],
)
def test_voting_members_counts_current_terms_only(on, expected):
    assert voting_members(TERMS, on) == expected


def test_a_member_whose_term_ended_cannot_make_the_quorum():
    meeting = date(2026, 3, 2)
    terms = [(date(2024, 1, 1), None)] * 6 + [(date(2022, 1, 1), date(2026, 3, 1))] * 3
    members = voting_members(terms, meeting)
    assert members == 6
    # the 6 current members, 4 of them present: 4 of 6 is exactly two thirds.
    assert outcome(rule(), tally(members=members, present=4, votes_for=3, against=1)) == "adopted"
    # counting the ended terms would have made it 4 of 9: no quorum.
    assert outcome(rule(), tally(members=9, present=4, votes_for=3, against=1)) == "no quorum"


def test_a_term_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match=r"^end:"):
        voting_members([(date(2026, 1, 2), date(2026, 1, 1))], date(2026, 1, 1))


# --- invariants --------------------------------------------------------------------------------

rules = st.builds(
    VotingRule,
    quorum=st.fractions(min_value=Fraction(1, 10), max_value=Fraction(1), max_denominator=10),
    majority=st.sampled_from(MAJORITIES),
    abstentions=st.sampled_from(ABSTENTIONS),
    casting_vote=st.booleans(),
    recused_count_for_quorum=st.booleans(),
)


@st.composite
def tallies(draw):
    members = draw(st.integers(min_value=1, max_value=25))
    # often a quorum (two thirds or more present), sometimes anything
    present = draw(st.integers(min_value=(2 * members) // 3, max_value=members) | st.integers(0, members))
    recused = draw(st.integers(min_value=0, max_value=present))
    voters = present - recused
    # often a majority of the voters, sometimes anything
    votes_for = draw(st.integers(min_value=voters // 2, max_value=voters) | st.integers(0, voters))
    against = draw(st.integers(min_value=0, max_value=voters - votes_for))
    abstain = draw(st.integers(min_value=0, max_value=voters - votes_for - against))
    sides = [None] + ([True] if votes_for else []) + ([False] if against else [])
    chair_for = draw(st.sampled_from(sides))
    absentee = draw(st.integers(min_value=0, max_value=votes_for + against + abstain))
    return Tally(members, present, recused, votes_for, against, abstain, chair_for, absentee)


@settings(max_examples=300, deadline=None)
@given(rules, tallies())
def test_without_a_quorum_nothing_is_adopted(rule_, tally_):
    result = decide(rule_, tally_)
    assert result.quorum_met == (result.quorum_counted >= result.quorum_needed)
    if not result.quorum_met:
        assert not result.adopted and result.outcome == "no quorum"


@settings(max_examples=300, deadline=None)
@given(rules, tallies())
def test_the_quorum_is_exact(rule_, tally_):
    """Met exactly when counted / base >= quorum, compared as fractions (never floats)."""
    result = decide(rule_, tally_)
    if rule_.recused_count_for_quorum:
        base, counted = tally_.members, tally_.present
    else:
        base, counted = tally_.members - tally_.recused, tally_.present - tally_.recused
    assert result.quorum_needed == quorum_needed(base, rule_.quorum)
    if base:
        assert result.quorum_met == (counted >= 1 and Fraction(counted, base) >= rule_.quorum)


@settings(max_examples=300, deadline=None)
@given(rules, tallies())
def test_adopted_needs_the_votes_or_the_casting_vote(rule_, tally_):
    result = decide(rule_, tally_)
    if result.adopted:
        assert tally_.votes_for >= 1
        assert tally_.votes_for >= result.votes_needed or result.casting_used
    if result.casting_used:
        assert result.tie and rule_.casting_vote and result.adopted == tally_.chair_for
    if result.tie:
        assert rule_.majority in ("simple_present", "absolute_members")
    assert result.steps and result.steps[-1].startswith(("Adopted", "Not adopted", "No quorum"))


@settings(max_examples=300, deadline=None)
@given(rules, tallies())
def test_one_more_vote_for_never_undoes_an_adoption(rule_, tally_):
    if not decide(rule_, tally_).adopted:
        return
    changed = []
    if tally_.abstain:
        changed.append(replace(tally_, votes_for=tally_.votes_for + 1, abstain=tally_.abstain - 1))
    if tally_.against > (1 if tally_.chair_for is False else 0):
        changed.append(replace(tally_, votes_for=tally_.votes_for + 1, against=tally_.against - 1))
    if tally_.cast < tally_.voters:  # a silent member present now votes for
        changed.append(replace(tally_, votes_for=tally_.votes_for + 1))
    for after in changed:
        assert decide(rule_, after).adopted, after


@settings(max_examples=300, deadline=None)
@given(rules, tallies())
def test_one_more_vote_against_never_turns_a_rejection_into_an_adoption(rule_, tally_):
    """Except through the casting vote: see the next test."""
    if decide(rule_, tally_).adopted or not tally_.abstain:
        return
    after = replace(tally_, against=tally_.against + 1, abstain=tally_.abstain - 1)
    result = decide(rule_, after)
    assert not result.adopted or (result.casting_used and after.votes_for == after_against(rule_, after))


def after_against(rule_, tally_) -> int:
    """The votes against as the rule counts them (abstentions as votes against under "against")."""
    return tally_.against + (tally_.abstain if rule_.abstentions == "against" else 0)


def test_an_abstention_turned_against_can_make_the_equality_the_chair_decides():
    """The rules read "on an equality of votes the chair's vote decides": under abstentions that
    count as present but not for, 2 for, 1 against, 1 abstention is no majority of 4 and no
    equality; the abstainer voting against makes 2-2, an equality the chair (who voted for)
    carries. The one case where a vote against helps adoption, as those rules have it."""
    voting = rule(quorum=Fraction(1, 10))
    before = tally(members=4, present=4, votes_for=2, against=1, abstain=1, chair_for=True)
    after = replace(before, against=2, abstain=0)
    assert decide(voting, before).outcome == "not adopted" and not decide(voting, before).tie
    result = decide(voting, after)
    assert result.outcome == "adopted" and result.tie and result.casting_used


# --- the policy formula and the law cases ------------------------------------------------------

LAWCASES = Path(governance_formulas.__file__).with_name("lawcases")
POLICY = Path(governance_formulas.__file__).with_name("policy.yaml")


@pytest.fixture
def governance_policy(policy_loaded):
    """The governance defaults loaded like a deployment does (a no-op once the app is installed)."""
    from innocluster.core.policy.services import load_defaults

    load_defaults(POLICY)


def test_the_formula_reads_the_default_rule_in_force(governance_policy):
    from innocluster.core.policy.values import recording_reads

    with recording_reads() as reads:
        rule_ = governance_formulas.rule_on(on=date(2026, 3, 2), regime="astana-hub-2025")
    assert rule_ == DEFAULT_RULE
    assert reads == {("astana-hub-2025", key) for key in governance_formulas.DEFAULT_KEYS.values()}


def test_the_formula_reads_only_the_parts_not_given(governance_policy):
    from innocluster.core.policy.values import recording_reads

    with recording_reads() as reads:
        rule_ = governance_formulas.rule_on(
            on=date(2026, 3, 2), regime="pit-2014", quorum="1/2", majority="two_thirds_present"
        )
    assert (rule_.quorum, rule_.majority, rule_.abstentions) == (
        Fraction(1, 2),
        "two_thirds_present",
        "present_not_for",
    )
    assert reads == {
        ("pit-2014", "governance.default.abstentions"),
        ("pit-2014", "governance.default.casting_vote"),
    }


def test_the_formula_refuses_a_float_quorum(governance_policy):
    with pytest.raises(ValueError, match=r"^quorum:"):
        governance_formulas.rule_on(on=date(2026, 3, 2), regime="pit-2014", quorum=0.5)


def test_the_governance_law_cases_pass_and_read_every_default_in_both_regimes(governance_policy):
    from innocluster.core.policy import lawcases

    results = lawcases.run([LAWCASES])
    failed = [r.as_json() for r in results if not r.passed]
    assert results and not failed
    covered = set().union(*(r.reads for r in results if r.passed))
    for regime in ("pit-2014", "astana-hub-2025"):
        for key in governance_formulas.DEFAULT_KEYS.values():
            assert (regime, key) in covered, (regime, key)
