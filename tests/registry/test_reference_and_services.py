"""Registry services: shipped reference data, organisations and the register's numbering and history."""

from datetime import date
from itertools import count

import pytest
import yaml
from django.core.exceptions import ValidationError

from innocluster.core.audit.models import AuditEvent
from innocluster.core.identifiers import bin_check_digit, iin_check_digit, is_valid_bin
from innocluster.core.policy import value
from innocluster.parties.models import Activity, Organisation, Region
from innocluster.parties.services import register as party_services
from innocluster.registry.models import Participant, ParticipantCategory, StatusChange
from innocluster.registry.services import register as services

ACTIVITIES = len(yaml.safe_load((party_services.DATA / "activities.yaml").read_text(encoding="utf-8")))
_serials = count(1)


def valid_bin(prefix: str = "150340") -> str:
    """A BIN with a correct check digit: registered March 2015, resident legal entity, head office."""
    while True:
        first11 = f"{prefix}{next(_serials):05d}"
        digit = bin_check_digit(first11)
        if digit is not None:
            return f"{first11}{digit}"


def valid_iin() -> str:
    while True:
        first11 = f"9001013{next(_serials):04d}"  # born 1 January 1990, male
        digit = iin_check_digit(first11)
        if digit is not None:
            return f"{first11}{digit}"


@pytest.fixture
def reference(db):
    return services.load_reference_data()


def organisation(**fields) -> Organisation:
    defaults = {
        "bin": valid_bin(),
        "name_kk": "«Тест» ЖШС",
        "name_ru": "ТОО «Тест»",
        "legal_form": "LLP",
        "region": Region.objects.get(kato="710000000"),
        "activity": Activity.objects.get(oked="62"),
    }
    return party_services.create_organisation(**(defaults | fields))


def category(code: str) -> ParticipantCategory:
    return ParticipantCategory.objects.get(code=code)


def register(member: Organisation, on: date = date(2026, 3, 2)) -> Participant:
    return services.register_participant(
        category=category("company"), registered_on=on, organisation=member, reason="Commission decision"
    )


# --- reference data ------------------------------------------------------------------------------


def test_reference_data_loads_once(reference):
    assert reference == {
        "regions.yaml": 20,
        "activities.yaml": ACTIVITIES,
        "categories.yaml": 8,
        "documents.yaml": 8,
    }
    assert Region.objects.count() == 20
    assert Region.objects.filter(kind=Region.Kind.CITY).count() == 3
    assert ParticipantCategory.objects.filter(kind=ParticipantCategory.Kind.INDIVIDUAL).count() == 1
    assert AuditEvent.objects.filter(action="parties.reference.loaded").count() == 2  # regions, activities
    assert AuditEvent.objects.filter(action="registry.reference.loaded").count() == 2  # categories, documents

    events = AuditEvent.objects.count()
    again = services.load_reference_data()
    assert again == {"regions.yaml": 0, "activities.yaml": 0, "categories.yaml": 0, "documents.yaml": 0}
    assert AuditEvent.objects.count() == events


def test_reference_data_content(reference):
    assert {"100000000", "330000000", "620000000"} <= set(Region.objects.values_list("kato", flat=True))
    assert Region.objects.get(kato="100000000").name_en == "Abai Region"
    assert set(Activity.objects.filter(oked__regex=r"^[A-Z]$").values_list("oked", flat=True)) == set(
        "ABCDEFGHIJKLMNOPQRSTU"
    )
    for division in (
        "05",
        "06",
        "07",
        "09",
        "19",
        "20",
        "21",
        "26",
        "27",
        "28",
        "35",
        "58",
        "61",
        "62",
        "63",
    ):
        assert Activity.objects.filter(oked=division).exists(), division
    for division in ("64", "66", "70", "71", "72", "73", "74", "85", "86"):
        assert Activity.objects.filter(oked=division).exists(), division
    sections = set(Activity.objects.filter(oked__regex=r"^[A-Z]$").values_list("section", flat=True))
    assert set(Activity.objects.values_list("section", flat=True)) <= sections
    assert Activity.objects.get(oked="62").section == "J"
    assert Activity.objects.get(oked="72").section == "M"
    for row in Region.objects.all():
        assert row.name_kk and row.name_ru and row.name_en


def test_policy_categories_name_shipped_categories(reference, policy_loaded):
    codes = set(ParticipantCategory.objects.values_list("code", flat=True))
    pit = value("registry.participant_categories", on=date(2020, 1, 1), regime="pit-2014")
    hub = value("registry.participant_categories", on=date(2026, 1, 1), regime="astana-hub-2025")
    assert set(pit) == codes
    assert set(hub) == set(
        ParticipantCategory.objects.filter(kind=ParticipantCategory.Kind.ORGANISATION).values_list(
            "code", flat=True
        )
    )
    assert "individual" not in hub


# --- organisations -------------------------------------------------------------------------------


def test_create_organisation_with_a_bad_bin_stores_nothing(reference):
    good = valid_bin()
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    assert is_valid_bin(good) and not is_valid_bin(bad)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as raised:
        organisation(bin=bad)

    assert "bin" in raised.value.message_dict
    assert not Organisation.objects.exists()
    assert AuditEvent.objects.count() == events


def test_create_organisation_audits(reference):
    org = organisation()
    assert AuditEvent.objects.filter(action="parties.organisation.created", object_id=str(org.pk)).exists()


# --- the register --------------------------------------------------------------------------------


def test_register_numbers_per_year_with_history_and_audit(reference):
    first = register(organisation())
    second = register(organisation())

    assert (first.number, second.number) == ("2026-00001", "2026-00002")
    assert first.status == Participant.Status.REGISTERED
    assert first.status_since == first.registered_on == date(2026, 3, 2)
    assert first.region.kato == "710000000"
    change = StatusChange.objects.get(participant=first)
    assert (change.status, change.effective_on, change.reason) == (
        "registered",
        date(2026, 3, 2),
        "Commission decision",
    )
    event = AuditEvent.objects.get(action="registry.participant.registered", object_id=str(first.pk))
    assert event.changes["number"] == [None, "2026-00001"]
    assert event.changes["category"] == [None, "company"]


def test_numbering_restarts_each_year(reference):
    assert register(organisation(), on=date(2026, 12, 31)).number == "2026-00001"
    assert register(organisation(), on=date(2027, 1, 4)).number == "2027-00001"
    assert register(organisation(), on=date(2026, 12, 31)).number == "2026-00002"
    assert register(organisation(), on=date(2027, 1, 5)).number == "2027-00002"


def test_an_organisation_is_registered_only_once(reference):
    org = organisation()
    register(org)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError):
        register(org, on=date(2026, 4, 1))

    assert Participant.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_an_individual_category_is_refused_for_an_organisation(reference):
    with pytest.raises(ValidationError) as raised:
        services.register_participant(
            category=category("individual"), registered_on=date(2026, 3, 2), organisation=organisation()
        )

    assert "category" in raised.value.message_dict
    assert not Participant.objects.exists()


def test_an_individual_registers_in_the_individual_category(reference):
    person = party_services.create_individual(iin=valid_iin(), last_name="Ахметов", first_name="Ерлан")
    with pytest.raises(ValidationError):
        services.register_participant(
            category=category("company"), registered_on=date(2026, 3, 2), individual=person
        )
    participant = services.register_participant(
        category=category("individual"), registered_on=date(2026, 3, 2), individual=person
    )
    assert participant.number == "2026-00001"
    assert participant.display_name == "Ахметов Ерлан"
    assert participant.region is None


# --- status changes ------------------------------------------------------------------------------


def test_change_status_requires_grounds(reference):
    participant = register(organisation())
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as raised:
            services.change_status(
                participant, status=Participant.Status.SUSPENDED, effective_on=date(2026, 6, 1), reason=reason
            )
        assert "reason" in raised.value.message_dict
    participant.refresh_from_db()
    assert participant.status == Participant.Status.REGISTERED
    assert participant.history.count() == 1


def test_change_status_records_history_and_audit(reference):
    participant = register(organisation())

    services.change_status(
        participant,
        status=Participant.Status.SUSPENDED,
        effective_on=date(2026, 6, 1),
        reason="Report overdue",
    )
    services.change_status(
        participant,
        status=Participant.Status.REGISTERED,
        effective_on=date(2026, 7, 1),
        reason="Report filed",
    )

    participant.refresh_from_db()
    assert (participant.status, participant.status_since) == ("registered", date(2026, 7, 1))
    assert list(participant.history.values_list("status", "effective_on", "reason")) == [
        ("registered", date(2026, 3, 2), "Commission decision"),
        ("suspended", date(2026, 6, 1), "Report overdue"),
        ("registered", date(2026, 7, 1), "Report filed"),
    ]
    changes = AuditEvent.objects.filter(
        action="registry.participant.status_changed", object_id=str(participant.pk)
    )
    assert sorted(tuple(e.changes["status"]) for e in changes) == [
        ("registered", "suspended"),
        ("suspended", "registered"),
    ]


def test_change_status_refuses_the_same_status(reference):
    participant = register(organisation())
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as raised:
        services.change_status(
            participant, status=Participant.Status.REGISTERED, effective_on=date(2026, 6, 1), reason="Again"
        )

    assert "status" in raised.value.message_dict
    assert participant.history.count() == 1
    assert AuditEvent.objects.count() == events


def test_change_status_refuses_an_unknown_status(reference):
    participant = register(organisation())
    with pytest.raises(ValidationError):
        services.change_status(participant, status="dormant", effective_on=date(2026, 6, 1), reason="x")
