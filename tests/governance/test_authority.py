"""The authority matrix: policy data read per regime and day, amount bands, the platform's
``require_authority`` (with and without the matrix installed), the agenda's check of decision
types, the majority the matrix gives a vote, its law cases and its page."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from innocluster.core.calendar import ALMATY
from innocluster.core.decisions import executors as core_executors
from innocluster.core.decisions.executors import authority_for, require_authority
from innocluster.core.decisions.services import record_decision
from innocluster.core.policy import lawcases
from innocluster.core.policy.services import clean_value
from innocluster.governance import authority
from innocluster.governance.models import AttendanceMode, ItemStatus, Position
from innocluster.governance.services import ballots as ballots_svc
from innocluster.governance.services import meetings as svc
from innocluster.governance.services.members import appoint
from tests.factories.accounts import login_with_2fa, user_with_role

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)
START = dt.date(2025, 10, 10)


# --- the matrix as data --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "body", "majority"),
    [
        ("governance.strategy", "board_of_trustees", "two_thirds_members"),
        ("governance.annual_budget", "managing_committee", "simple_present"),
        ("governance.fund_rules", "managing_committee", "two_thirds_present"),
        ("registry.admission", "selection_commission", "simple_present"),
        ("registry.exclusion", "managing_committee", "simple_present"),
    ],
)
def test_each_kind_has_its_body_and_majority_in_both_regimes(policy_loaded, kind, body, majority):
    for on in (dt.date(2020, 3, 2), DAY):
        found = authority.deciding(kind, on)
        assert (found.body, found.majority, found.max_amount) == (body, majority, None)
        assert found.reference and found.reference_kk and found.reference_ru
    assert "art. 5" in authority.deciding("governance.strategy", DAY).reference


@pytest.mark.parametrize(
    ("amount", "body"),
    [
        ("49999999.99", "fund_executive"),
        ("50000000.00", "fund_executive"),
        ("50000000.01", "managing_committee"),
        ("1.00", "fund_executive"),
        (None, "managing_committee"),  # no amount: the body that may decide any amount
    ],
)
def test_grants_are_banded_by_amount(policy_loaded, amount, body):
    found = authority.deciding("grants.award", DAY, None if amount is None else Decimal(amount))
    assert found.body == body
    assert authority_for("grants.award", DAY, None if amount is None else Decimal(amount)).body == body


def test_the_cap_is_the_fund_executives_and_only_grants_are_banded(policy_loaded):
    found = authority.deciding("grants.award", DAY, Decimal("50000000.00"))
    assert found.max_amount == Decimal("50000000.00")
    assert authority.is_banded("grants.award", DAY)
    assert not authority.is_banded("registry.exclusion", DAY)


def test_an_unknown_kind_or_a_day_before_the_timeline_has_no_authority(policy_loaded):
    assert authority.deciding("levy.write_off", DAY) is None
    assert authority.deciding("registry.exclusion", dt.date(2014, 6, 22)) is None
    assert authority_for("levy.write_off", DAY) is None


def test_rows_are_stored_as_a_table_and_refused_when_malformed():
    row = {"decision_type": "x.y", "body": "b", "max_amount": None}
    assert clean_value("list", [row]) == [row]
    assert clean_value("list", [{"max_amount": "5.00"}]) == [{"max_amount": "5.00"}]
    assert clean_value("list", ["a", "b"]) == ["a", "b"]
    for bad in ([row, "code"], [{"max_amount": 5.0}], [{"nested": {"a": 1}}], "x.y"):
        with pytest.raises(ValidationError) as exc:
            clean_value("list", bad)
        assert "value" in exc.value.message_dict


def test_the_law_cases_pass_and_cover_the_matrix_in_both_regimes(policy_loaded):
    folder = Path(authority.__file__).parent / "lawcases" / "authority.yaml"
    results = lawcases.run([folder])
    assert results and all(r.passed for r in results), [r for r in results if not r.passed]
    read = set().union(*(r.reads for r in results))
    assert {("pit-2014", authority.KEY), ("astana-hub-2025", authority.KEY)} <= read
    assert not [pair for pair in lawcases.uncovered(lawcases.run()) if pair[1] == authority.KEY]


# --- require_authority ---------------------------------------------------------------------------


def _decision(body: str, number: str = "1", on: dt.date = DAY):
    return record_decision(
        body=body,
        number=number,
        decided_on=on,
        basis="Rules of the Fund",
        outcome="approved",
        by=user_with_role("fund_admin", f"recorder-{body}-{number}"),
    )


def test_require_authority_refuses_the_wrong_body_and_names_the_right_one(policy_loaded):
    require_authority(_decision("managing_committee"), "registry.exclusion")
    with pytest.raises(ValidationError) as exc:
        require_authority(_decision("selection_commission"), "registry.exclusion")
    assert "Managing Committee" in exc.value.message_dict["decision"][0]
    require_authority(_decision("fund_executive", "2"), "grants.award", amount=Decimal("50000000.00"))
    with pytest.raises(ValidationError):
        require_authority(_decision("fund_executive", "3"), "grants.award", amount=Decimal("50000000.01"))


def test_without_a_matrix_the_declared_bodies_decide_and_an_unrestricted_kind_passes(
    policy_loaded, monkeypatch
):
    real = core_executors.hooks
    monkeypatch.setattr(
        core_executors, "hooks", lambda point: [] if point == core_executors.AUTHORITY else real(point)
    )
    assert authority_for("registry.exclusion", DAY) is None
    require_authority(_decision("fund_executive"), "registry.exclusion")  # no body declared: accepted
    require_authority(_decision("selection_commission"), "registry.admission")
    with pytest.raises(ValidationError) as exc:
        require_authority(_decision("managing_committee"), "registry.admission")
    assert "Selection commission" in exc.value.message_dict["decision"][0]


# --- the agenda and the vote ---------------------------------------------------------------------


def _in_days(days: int) -> dt.datetime:
    today = timezone.localdate(timezone.now(), timezone=ALMATY)
    return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(15), tzinfo=ALMATY)


@pytest.fixture
def secretary():
    return user_with_role("corporate_secretary", "corpsec")


@pytest.fixture
def members(committee):
    people = []
    for n in range(9):
        position = Position.CHAIR if n == 0 else Position.MEMBER
        people.append(appoint(committee, full_name=f"Member {n}", position=position, term_start=START))
    return people


@pytest.fixture
def meeting(committee, members, secretary):
    planned = svc.plan_meeting(committee, starts_at=_in_days(10), by=secretary)
    return svc.convene_meeting(planned, by=secretary)


def _fields(exc) -> set[str]:
    return set(exc.value.message_dict)


def test_the_agenda_refuses_a_kind_the_body_does_not_decide(meeting, secretary, committee):
    with pytest.raises(ValidationError) as exc:
        svc.add_item(meeting, title_en="Strategy 2030", decision_type="governance.strategy", by=secretary)
    assert _fields(exc) == {"decision_type"}
    assert "Board of Trustees" in exc.value.message_dict["decision_type"][0]
    with pytest.raises(ValidationError) as exc:
        svc.add_item(meeting, title_en="Write off", decision_type="levy.write_off", by=secretary)
    assert "names no body" in exc.value.message_dict["decision_type"][0]
    # Grants are banded: the amount decides the body, and is required.
    with pytest.raises(ValidationError) as exc:
        svc.add_item(meeting, title_en="Grant", decision_type="grants.award", by=secretary)
    assert _fields(exc) == {"amount"}
    with pytest.raises(ValidationError) as exc:
        svc.add_item(
            meeting,
            title_en="Grant",
            decision_type="grants.award",
            amount=Decimal("50000000.00"),
            by=secretary,
        )
    assert "Fund executive" in exc.value.message_dict["decision_type"][0]
    with pytest.raises(ValidationError) as exc:
        svc.add_item(meeting, title_en="Item", amount="-5", by=secretary)
    assert _fields(exc) == {"amount"}
    assert not meeting.items.exists()
    # Above the band the Managing Committee decides; the grants app carries the award out, so the
    # item names the application it awards.
    with pytest.raises(ValidationError) as exc:
        svc.add_item(
            meeting,
            title_en="Grant",
            decision_type="grants.award",
            amount=Decimal("50000000.01"),
            by=secretary,
        )
    assert _fields(exc) == {"linked"}
    rules = svc.add_item(meeting, title_en="Rules", decision_type="governance.fund_rules", by=secretary)
    assert rules.decision_type == "governance.fund_rules"


def test_an_executed_kind_needs_a_record_of_the_executors_model(meeting, secretary, committee):
    with pytest.raises(ValidationError) as exc:
        svc.add_item(meeting, title_en="Exclude", decision_type="registry.exclusion", by=secretary)
    assert _fields(exc) == {"linked"}
    with pytest.raises(ValidationError) as exc:
        svc.add_item(
            meeting, title_en="Exclude", decision_type="registry.exclusion", linked=committee, by=secretary
        )
    assert _fields(exc) == {"linked"}
    assert not meeting.items.exists()


def _vote(meeting, members, item, choices, secretary):
    rnd = ballots_svc.open_round(item, by=secretary)
    for member, choice in zip(members, choices, strict=True):
        ballots_svc.record_ballot(rnd, member, choice=choice, by=secretary, mode=AttendanceMode.IN_ROOM)
    return ballots_svc.close_round(rnd, by=secretary)


def test_the_vote_uses_the_matrix_majority_unless_the_item_sets_its_own(meeting, members, secretary):
    present = members[:7]
    for member in present:
        svc.record_attendance(meeting, member, present=True, by=secretary)
    rules = svc.add_item(meeting, title_en="Rules", decision_type="governance.fund_rules", by=secretary)
    plain = svc.add_item(
        meeting,
        title_en="Rules again",
        decision_type="governance.fund_rules",
        majority="simple_present",
        by=secretary,
    )
    assert ballots_svc.rule_for(rules).majority == "two_thirds_present"
    assert ballots_svc.rule_for(plain).majority == "simple_present"
    # 4 for, 3 against of 7 present: more than half, but short of two thirds (5).
    choices = ["for"] * 4 + ["against"] * 3
    rnd = _vote(meeting, present, rules, choices, secretary)
    assert rnd.outcome == "not adopted" and any("two thirds" in s for s in rnd.steps["en"])
    rnd = _vote(meeting, present, plain, choices, secretary)
    assert rnd.outcome == "adopted"
    plain.refresh_from_db()
    assert plain.status == ItemStatus.ADOPTED
    # An item without a decision type keeps the body's default.
    other = svc.add_item(meeting, title_en="Other", by=secretary)
    assert ballots_svc.rule_for(other).majority == meeting.body.majority


# --- the page ------------------------------------------------------------------------------------


def test_the_matrix_page_reads_the_day_and_says_what_is_installed(client, policy_loaded):
    login_with_2fa(client, user_with_role("corporate_secretary", "corpsec"))
    response = client.get("/staff/governance/authority/?on=2026-03-02")
    assert response.status_code == 200
    rows = {(r["code"], r["body"]): r for r in response.context["rows"]}
    assert len(rows) == 7
    grant = rows[("grants.award", "Fund executive")]
    # The grants app declares the kind and carries it out (grants/executors.py).
    assert str(grant["label"]) == "Grant award" and grant["executor"] is True
    assert "50" in grant["band"] and grant["band"].startswith("up to")
    assert rows[("grants.award", "Managing Committee")]["band"].startswith("above")
    exclusion = rows[("registry.exclusion", "Managing Committee")]
    assert exclusion["executor"] is True and str(exclusion["label"]) == "Exclusion from the register"
    assert rows[("governance.strategy", "Board of Trustees")]["executor"] is True
    html = response.content.decode()
    assert "two thirds of all members" in html
    empty = client.get("/staff/governance/authority/?on=2014-06-22")
    assert empty.status_code == 200 and empty.context["rows"] == []


def test_the_matrix_page_is_refused_to_a_participant_representative(client, policy_loaded):
    login_with_2fa(client, user_with_role("participant_rep", "rep1", enrolled=False))
    assert client.get("/staff/governance/authority/").status_code == 403


def test_every_body_of_the_data_and_of_the_matrix_can_record_a_decision(bodies_loaded):
    from innocluster.core.decisions.models import body_codes
    from innocluster.governance.models import Body
    from innocluster.governance.roles import BODIES

    known = set(body_codes())
    assert set(Body.objects.values_list("code", flat=True)) <= known
    assert {body.code for body in BODIES} <= set(Body.objects.values_list("code", flat=True))
    for on in (dt.date(2020, 3, 2), DAY):
        assert {row.body for row in authority.rows(on)} <= known
