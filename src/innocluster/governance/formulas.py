"""The vote's arithmetic as a policy formula, so that the law cases (``innocluster policy test``,
``governance/lawcases/``) run exactly what the meeting pages and the minutes run
(:mod:`innocluster.governance.voting`).

The parts of the rule a body does not set are read from the regime's defaults in force on the
meeting day: ``governance.default.quorum`` (a fraction), ``governance.default.majority``,
``governance.default.abstentions`` (text) and ``governance.default.casting_vote`` (yes / no).
"""

from datetime import date
from fractions import Fraction
from typing import Any

from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula

from .voting import Tally, VotingRule, decide

DEFAULT_KEYS = {
    "quorum": "governance.default.quorum",
    "majority": "governance.default.majority",
    "abstentions": "governance.default.abstentions",
    "casting_vote": "governance.default.casting_vote",
}


def _fraction(raw: Any) -> Fraction:
    if isinstance(raw, float):
        raise ValueError(f'quorum: write a fraction as text ("2/3"), not as a float ({raw!r})')
    try:
        return Fraction(str(raw))
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"quorum: not a fraction such as 2/3: {raw!r}") from None


def rule_on(
    *,
    on: date | None = None,
    regime: str | None = None,
    quorum: Any = None,
    majority: str | None = None,
    abstentions: str | None = None,
    casting_vote: bool | None = None,
    recused_count_for_quorum: bool = False,
) -> VotingRule:
    """The rule given, each missing part read from the regime's defaults in force on ``on``."""
    given = {
        "quorum": quorum,
        "majority": majority,
        "abstentions": abstentions,
        "casting_vote": casting_vote,
    }
    parts = {
        name: value if value is not None else policy.value(DEFAULT_KEYS[name], on=on, regime=regime)
        for name, value in given.items()
    }
    return VotingRule(
        quorum=_fraction(parts["quorum"]),
        majority=parts["majority"],
        abstentions=parts["abstentions"],
        casting_vote=parts["casting_vote"],
        recused_count_for_quorum=recused_count_for_quorum,
    )


@formula("governance.result")
def result(
    *,
    members: int,
    present: int,
    votes_for: int,
    against: int,
    abstain: int,
    recused: int = 0,
    absentee: int = 0,
    chair_for: bool | None = None,
    quorum: Any = None,
    majority: str | None = None,
    abstentions: str | None = None,
    casting_vote: bool | None = None,
    recused_count_for_quorum: bool = False,
    on: date | None = None,
    regime: str | None = None,
) -> str:
    """``"adopted"``, ``"not adopted"`` or ``"no quorum"`` for the tally under the rule (the
    regime's defaults where a part is not given)."""
    tally = Tally(
        members=members,
        present=present,
        recused=recused,
        votes_for=votes_for,
        against=against,
        abstain=abstain,
        chair_for=chair_for,
        absentee=absentee,
    )
    rule = rule_on(
        on=on,
        regime=regime,
        quorum=quorum,
        majority=majority,
        abstentions=abstentions,
        casting_vote=casting_vote,
        recused_count_for_quorum=recused_count_for_quorum,
    )
    return decide(rule, tally).outcome
