"""The bodies as regime data: loaded idempotently, never overwritten, and in force along the
timeline of regimes."""

import datetime as dt
from fractions import Fraction

import pytest

from innocluster.core.audit.models import AuditEvent
from innocluster.core.policy.values import NoRegimeInForce
from innocluster.governance import selectors
from innocluster.governance.models import Body
from innocluster.governance.services.bodies import load_bodies, read_bodies

pytestmark = pytest.mark.django_db

CODES = {
    "board_of_trustees",
    "managing_committee",
    "fund_executive",
    "selection_commission",
    "expert_commission",
}


def test_every_body_ships_in_both_regimes_with_its_basis():
    rows = read_bodies()
    assert {(r["regime"], r["code"]) for r in rows} == {
        (g, c) for g in ("pit-2014", "astana-hub-2025") for c in CODES
    }
    for row in rows:
        assert row["reference"] and row["reference_ru"] and row["reference_kk"], row["code"]
        assert row["source"] in {"law", "src", "design"}
        assert row["rules_source"] == "design" and row["quorum"] == "2/3"
    board = next(r for r in rows if r["code"] == "board_of_trustees" and r["regime"] == "pit-2014")
    assert board["source"] == "law" and "art. 5" in board["reference"] and "973" in board["reference"]
    assert "President" in board["chair_en"] and "strategy" in board["powers_en"]


def test_loading_is_idempotent_and_never_overwrites(policy_loaded):
    first = load_bodies()
    assert first.added == 10 and first.present == 0
    events = AuditEvent.objects.filter(action="governance.body.loaded").count()
    assert events == 10
    changed = Body.objects.get(code="managing_committee", regime__code="pit-2014")
    changed.notice_days, changed.quorum = 10, "1/2"
    changed.save()
    again = load_bodies()
    assert (again.added, again.present) == (0, 10)
    assert Body.objects.count() == 10
    assert AuditEvent.objects.filter(action="governance.body.loaded").count() == events
    changed.refresh_from_db()
    assert (changed.notice_days, changed.quorum) == (10, "1/2")  # the administrator's edit is kept


def test_bodies_wait_for_their_regime(db):
    """Before the regimes are loaded (a fresh migrate), nothing is inserted: the rows wait."""
    result = load_bodies()
    assert (result.added, result.waiting) == (0, 10)
    assert not Body.objects.exists()


def test_bodies_in_force_follow_the_timeline(bodies_loaded):
    before = selectors.bodies_in_force(dt.date(2025, 10, 9))
    after = selectors.bodies_in_force(dt.date(2025, 10, 10))
    assert {b.regime.code for b in before} == {"pit-2014"}
    assert {b.regime.code for b in after} == {"astana-hub-2025"}
    assert {b.code for b in before} == {b.code for b in after} == CODES
    with pytest.raises(NoRegimeInForce):
        list(selectors.bodies_in_force(dt.date(2014, 6, 22)))


def test_a_body_that_ends_is_no_longer_in_force(bodies_loaded, committee):
    committee.exists_until = dt.date(2026, 7, 1)
    committee.save()
    assert selectors.body_in_force("managing_committee", dt.date(2026, 6, 30)) == committee
    assert selectors.body_in_force("managing_committee", dt.date(2026, 7, 1)) is None
    assert "managing_committee" not in {b.code for b in selectors.bodies_in_force(dt.date(2026, 7, 1))}


def test_the_rules_read_as_exact_values(committee):
    assert committee.quorum_fraction == Fraction(2, 3)
    assert committee.majority == "simple_present"
    assert committee.abstentions == "present_not_for"
    assert committee.casting_vote is True
    assert committee.absentee_voting is True and committee.notice_days == 7
