"""The later life of a register entry: every step, every refusal, and the answer period's dates."""

from datetime import date, timedelta
from itertools import count

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.core.decisions.services import record_decision
from innocluster.core.identifiers import bin_check_digit
from innocluster.core.notifications.models import Notification
from innocluster.core.workflow import IllegalTransition
from innocluster.parties.models import Activity, Region
from innocluster.parties.services import register as party_services
from innocluster.parties.services.representatives import add_representative
from innocluster.registry.models import Participant, ParticipantCategory, StatusChange
from innocluster.registry.services import membership
from innocluster.registry.services import register as services
from tests.factories.accounts import Person, user_with_role

pytestmark = pytest.mark.django_db

S = Participant.Status
_serials = count(1)


def make_organisation(name: str = "ТОО «Тест»"):
    while True:
        first11 = f"150340{next(_serials):05d}"
        digit = bin_check_digit(first11)
        if digit is not None:
            break
    return party_services.create_organisation(
        bin=f"{first11}{digit}",
        name_kk=name,
        name_ru=name,
        legal_form="LLP",
        region=Region.objects.get(kato="710000000"),
        activity=Activity.objects.get(oked="62"),
    )


def make_participant(head=None, *, registered_on: date = date(2026, 3, 2), name: str = "ТОО «Тест»"):
    """A registered company; ``head`` (a participant_rep) becomes its first representative."""
    organisation = make_organisation(name)
    if head is not None:
        add_representative(organisation, user=head, role="head", by=None)
    return services.register_participant(
        category=ParticipantCategory.objects.get(code="company"),
        registered_on=registered_on,
        organisation=organisation,
        reason="Commission decision No. 7",
    )


# The people these tests act as (``people`` fixture, tests/conftest.py); this registrar has no 2FA.
PEOPLE = {"registrar": Person("registrar", "reg", enrolled=False), "rep": "rep", "stranger": "stranger"}


@pytest.fixture
def participant(people):
    return make_participant(people["rep"])


def decision_on(day: date, by, number: str = "1"):
    return record_decision(
        body="managing_committee",
        number=number,
        decided_on=day,
        basis="Rules of the register, item 20",
        outcome="approved",
        by=by,
    )


def put_in(participant: Participant, status: str) -> Participant:
    """Move an entry to ``status`` directly, to test what each step refuses from there."""
    if participant.status != status:
        services.change_status(participant, status=status, effective_on=date(2026, 3, 5), reason="test")
    return participant


# --- suspension and its answer period ------------------------------------------------------------


def test_a_suspension_gives_ten_working_days_to_answer_across_nauryz(people, participant):
    on = date(2026, 3, 19)  # a Thursday; 21-25 March 2026 are Nauryz with its carried days off
    days_off = {date(2026, 3, d) for d in (21, 22, 23, 24, 25)}
    working, day = [], on
    while len(working) < 10:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in days_off:
            working.append(day)
    expected = working[-1]
    assert expected == date(2026, 4, 7)

    membership.suspend(participant, by=people["registrar"], grounds="Report not filed", on=on)

    assert (participant.status, participant.status_since) == (S.SUSPENDED, on)
    participant.refresh_from_db()
    assert participant.status == S.SUSPENDED
    row = participant.history.order_by("-id").first()
    assert (row.status, row.effective_on, row.response_due) == (S.SUSPENDED, on, expected)
    assert row.reason == "Report not filed" and row.recorded_by == people["registrar"]
    assert membership.current_response_due(participant) == expected
    event = AuditEvent.objects.filter(action="registry.participant.status_changed").latest("id")
    assert event.changes == {"status": ["registered", "suspended"]}
    note = Notification.objects.get(recipient=people["rep"])
    assert "suspended" in note.subject
    assert "Report not filed" in note.body and "April 7, 2026" in note.body
    assert not Notification.objects.filter(recipient=people["stranger"]).exists()


def test_reinstatement_ends_the_suspension(people, participant):
    membership.suspend(participant, by=people["registrar"], grounds="Report not filed", on=date(2026, 3, 19))
    membership.reinstate(participant, by=people["registrar"], grounds="Report filed", on=date(2026, 3, 27))
    participant.refresh_from_db()
    assert (participant.status, participant.status_since) == (S.REGISTERED, date(2026, 3, 27))
    assert list(participant.history.values_list("status", flat=True)) == [
        S.REGISTERED,
        S.SUSPENDED,
        S.REGISTERED,
    ]
    assert membership.current_response_due(participant) is None
    assert Notification.objects.filter(recipient=people["rep"]).count() == 2


# --- exclusion -----------------------------------------------------------------------------------


def test_an_exclusion_needs_a_decision(people, participant):
    with pytest.raises(ValidationError) as exc:
        membership.exclude(participant, by=people["registrar"], grounds="Gross breach", decision=None)
    assert "decision" in exc.value.error_dict
    participant.refresh_from_db()
    assert participant.status == S.REGISTERED


def test_a_registered_participant_is_excluded_on_a_decision(people, participant):
    decision = decision_on(date(2026, 4, 1), people["registrar"])
    membership.exclude(
        participant, by=people["registrar"], grounds="Gross breach", decision=decision, on=date(2026, 4, 2)
    )
    participant.refresh_from_db()
    assert (participant.status, participant.status_since) == (S.EXCLUDED, date(2026, 4, 2))
    row = participant.history.order_by("-id").first()
    assert row.decision == decision and row.reason == "Gross breach"


def test_no_exclusion_before_the_answer_period_is_over(people, participant):
    membership.suspend(participant, by=people["registrar"], grounds="Report not filed", on=date(2026, 3, 19))
    too_early = decision_on(date(2026, 4, 7), people["registrar"], number="1")
    with pytest.raises(ValidationError) as exc:
        membership.exclude(
            participant,
            by=people["registrar"],
            grounds="No answer",
            decision=too_early,
            on=date(2026, 4, 7),
        )
    assert "April 7, 2026" in exc.value.message_dict["decision"][0]
    participant.refresh_from_db()
    assert participant.status == S.SUSPENDED

    after = decision_on(date(2026, 4, 8), people["registrar"], number="2")
    membership.exclude(
        participant, by=people["registrar"], grounds="No answer", decision=after, on=date(2026, 4, 8)
    )
    participant.refresh_from_db()
    assert participant.status == S.EXCLUDED


def test_an_exclusion_does_not_take_effect_before_its_decision(people, participant):
    decision = decision_on(date(2026, 4, 10), people["registrar"])
    with pytest.raises(ValidationError) as exc:
        membership.exclude(
            participant, by=people["registrar"], grounds="Breach", decision=decision, on=date(2026, 4, 9)
        )
    assert "on" in exc.value.error_dict


# --- voluntary exit --------------------------------------------------------------------------------


@pytest.mark.parametrize("start", [S.REGISTERED, S.SUSPENDED])
def test_a_representative_takes_the_participant_out(people, participant, start):
    put_in(participant, start)
    membership.exit_voluntarily(participant, by=people["rep"], reason="Company closing", on=date(2026, 5, 4))
    participant.refresh_from_db()
    assert (participant.status, participant.status_since) == (S.EXITED, date(2026, 5, 4))
    assert participant.history.order_by("-id").first().recorded_by == people["rep"]


def test_only_the_participants_own_representative_takes_it_out(people, participant):
    for outsider in (people["stranger"], people["registrar"], None):
        with pytest.raises(PermissionDenied):
            membership.exit_voluntarily(participant, by=outsider, reason="Closing")
    participant.refresh_from_db()
    assert participant.status == S.REGISTERED


# --- refusals ------------------------------------------------------------------------------------

ILLEGAL = [
    ("suspend", S.SUSPENDED),
    ("suspend", S.EXCLUDED),
    ("suspend", S.EXITED),
    ("reinstate", S.REGISTERED),
    ("reinstate", S.EXCLUDED),
    ("reinstate", S.EXITED),
    ("exclude", S.EXCLUDED),
    ("exclude", S.EXITED),
    ("exit_voluntarily", S.EXCLUDED),
    ("exit_voluntarily", S.EXITED),
]


@pytest.mark.parametrize(("step", "status"), ILLEGAL)
def test_illegal_steps_are_refused_naming_the_current_status(people, participant, step, status):
    put_in(participant, status)
    before = StatusChange.objects.count()
    if step == "exit_voluntarily":
        call = {"by": people["rep"], "reason": "Closing"}
    else:
        call = {"by": people["registrar"], "grounds": "Grounds"}
    if step == "exclude":
        call["decision"] = decision_on(date(2026, 3, 10), people["registrar"])
        call["on"] = date(2026, 3, 10)
    with pytest.raises(IllegalTransition) as exc:  # the workflow table's refusal, as from the dispatcher
        getattr(membership, step)(participant, **call)
    assert f"“{S(status).label}”" in str(exc.value)
    participant.refresh_from_db()
    assert participant.status == status
    assert StatusChange.objects.count() == before


@pytest.mark.parametrize("who", ["rep", "stranger", None])
def test_only_a_registrar_suspends_reinstates_and_excludes(people, participant, who):
    by = people[who] if who else None
    decision = decision_on(date(2026, 4, 1), people["registrar"])
    with pytest.raises(PermissionDenied):
        membership.suspend(participant, by=by, grounds="Grounds")
    with pytest.raises(PermissionDenied):
        membership.exclude(participant, by=by, grounds="Grounds", decision=decision)
    put_in(participant, S.SUSPENDED)
    with pytest.raises(PermissionDenied):
        membership.reinstate(participant, by=by, grounds="Grounds")
    participant.refresh_from_db()
    assert participant.status == S.SUSPENDED


def test_grounds_are_required(people, participant):
    with pytest.raises(ValidationError) as exc:
        membership.suspend(participant, by=people["registrar"], grounds="  ")
    assert "grounds" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        membership.exit_voluntarily(participant, by=people["rep"], reason="")
    assert "reason" in exc.value.error_dict
    participant.refresh_from_db()
    assert participant.status == S.REGISTERED
    assert participant.history.count() == 1


def test_a_contact_person_cannot_take_the_participant_out(people, participant):
    contact = user_with_role("participant_rep", "contact", enrolled=False)
    add_representative(participant.organisation, user=contact, role="contact", by=people["rep"])
    with pytest.raises(PermissionDenied):
        membership.exit_voluntarily(participant, by=contact, reason="Closing")
    assert Participant.objects.get(pk=participant.pk).status == S.REGISTERED


def test_a_change_cannot_be_backdated_before_the_current_status(people, participant):
    with pytest.raises(ValidationError) as exc:
        membership.suspend(participant, by=people["registrar"], grounds="Late report", on=date(2026, 3, 1))
    assert "on" in exc.value.error_dict
    assert participant.history.count() == 1
