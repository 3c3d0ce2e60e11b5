"""Appointing members and ending their terms: refusals name the field; a member whose term ended
does not vote."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.governance import selectors
from innocluster.governance.models import Membership, Position
from innocluster.governance.services.members import appoint, end_term
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.django_db

START = dt.date(2025, 10, 10)


def _appoint(body, name="Сұлтанова Гүлнар", position=Position.MEMBER, start=START, end=None, **kwargs):
    return appoint(body, full_name=name, position=position, term_start=start, term_end=end, **kwargs)


def _fields(exc) -> set[str]:
    return set(exc.value.message_dict)


def test_appointment_is_recorded_and_audited(committee):
    secretary = user_with_role("corporate_secretary", "sec")
    member = _appoint(committee, organisation="Министерство финансов РК", by=secretary, reason="order No. 5")
    assert member.body == committee and member.term_end is None
    event = AuditEvent.objects.get(action="governance.member.appointed", object_id=str(member.pk))
    assert event.actor == secretary and event.reason == "order No. 5"
    assert event.changes["body"] == [None, "managing_committee"]


def test_a_term_cannot_end_before_it_starts(committee):
    with pytest.raises(ValidationError) as exc:
        _appoint(committee, start=dt.date(2026, 1, 10), end=dt.date(2026, 1, 9))
    assert _fields(exc) == {"term_end"}
    assert not Membership.objects.exists()


def test_a_term_must_lie_within_the_bodys_existence(committee):
    with pytest.raises(ValidationError) as exc:
        _appoint(committee, start=dt.date(2025, 10, 9))
    assert _fields(exc) == {"term_start"}
    committee.exists_until = dt.date(2027, 1, 1)
    committee.save()
    with pytest.raises(ValidationError) as exc:
        _appoint(committee)  # open-ended, beyond the body's end
    assert _fields(exc) == {"term_end"}
    assert _appoint(committee, end=dt.date(2026, 12, 31)).pk


def test_one_chair_at_a_time(committee):
    first = _appoint(committee, "Бекмұхамбетов Арман", Position.CHAIR)
    with pytest.raises(ValidationError) as exc:
        _appoint(committee, "Ибраев Тимур", Position.CHAIR, start=dt.date(2026, 3, 1))
    assert _fields(exc) == {"position"}
    end_term(first, on=dt.date(2026, 2, 28), reason="resigned")
    successor = _appoint(committee, "Ибраев Тимур", Position.CHAIR, start=dt.date(2026, 3, 1))
    assert selectors.composition(committee, dt.date(2026, 3, 1)).get(position=Position.CHAIR) == successor
    assert selectors.composition(committee, dt.date(2026, 2, 28)).get(position=Position.CHAIR) == first


def test_no_overlapping_terms_for_the_same_person(committee, board):
    trustee = user_with_role("committee_member", "cm")
    _appoint(committee, "Қасымов Ержан", user=trustee, end=dt.date(2026, 6, 30))
    with pytest.raises(ValidationError) as exc:
        _appoint(committee, "Қасымов Ержан Т.", user=trustee, start=dt.date(2026, 6, 30))
    assert _fields(exc) == {"term_start"}
    _appoint(committee, "Ли Виктор")
    with pytest.raises(ValidationError) as exc:  # without an account: the same name, whatever its case
        _appoint(committee, "ли  виктор", start=dt.date(2026, 1, 1))
    assert _fields(exc) == {"term_start"}
    # A new term after the last one, and a seat on another body at the same time, are fine.
    assert _appoint(committee, "Қасымов Ержан", user=trustee, start=dt.date(2026, 7, 1)).pk
    assert _appoint(board, "Қасымов Ержан", user=trustee).pk


def test_ending_a_term_is_validated_and_audited(committee):
    member = _appoint(committee)
    with pytest.raises(ValidationError) as exc:
        end_term(member, on=dt.date(2025, 10, 1), reason="recalled")
    assert _fields(exc) == {"term_end"}
    with pytest.raises(ValidationError) as exc:
        end_term(member, on=dt.date(2026, 3, 31), reason=" ")
    assert _fields(exc) == {"end_reason"}
    ended = end_term(member, on=dt.date(2026, 3, 31), reason="recalled")
    assert ended.term_end == dt.date(2026, 3, 31)
    with pytest.raises(ValidationError) as exc:
        end_term(ended, on=dt.date(2026, 5, 1), reason="again")
    assert _fields(exc) == {"term_end"}
    event = AuditEvent.objects.get(action="governance.member.term_ended")
    assert event.changes == {"term_end": [None, "2026-03-31"]} and event.reason == "recalled"


def test_voting_members_are_current_terms_without_the_secretary(committee):
    chair = _appoint(committee, "Бекмұхамбетов Арман", Position.CHAIR)
    _appoint(committee, "Омаров Данияр", Position.SECRETARY)
    leaving = _appoint(committee, "Жұмабаев Нұрлан")
    later = _appoint(committee, "Ким Олег", start=dt.date(2026, 5, 1))
    end_term(leaving, on=dt.date(2026, 3, 31), reason="recalled")

    def voting(on):
        return set(selectors.voting_members(committee, on).values_list("full_name", flat=True))

    assert voting(dt.date(2026, 3, 31)) == {"Бекмұхамбетов Арман", "Жұмабаев Нұрлан"}  # the last day counts
    assert voting(dt.date(2026, 4, 1)) == {"Бекмұхамбетов Арман"}  # the ended term no longer votes
    assert voting(dt.date(2026, 5, 1)) == {"Бекмұхамбетов Арман", "Ким Олег"}
    assert selectors.composition(committee, dt.date(2026, 5, 1)).first() == chair
    assert later in selectors.composition(committee, dt.date(2026, 5, 1))
