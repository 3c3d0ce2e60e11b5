"""The register seeders: the audited demo path and the bulk path used by benchmarks."""

import time

import pytest

from innocluster.core.audit.chain import seal_pending, verify
from innocluster.core.audit.models import AuditEvent
from innocluster.core.identifiers import validate_bin, validate_iin
from innocluster.parties.models import Individual, Organisation
from innocluster.registry.models import Participant, ParticipantCategory, RegisterCounter, StatusChange
from innocluster.registry.services import register as services
from innocluster.seed.registry import (
    FIRST_REGISTRATION,
    LAST_REGISTRATION,
    seed_registry_demo,
)
from innocluster.seed.registry_bulk import seed_registry_bulk

MISSING = [name for name in services.REFERENCE if not (services.DATA / name).exists()]
pytestmark = pytest.mark.skipif(
    bool(MISSING), reason=f"registry reference data not shipped yet: {', '.join(MISSING)} missing"
)


@pytest.fixture
def demo(db):
    services.load_reference_data()
    return seed_registry_demo()


def test_demo_organisations_cover_every_category_and_several_regions(demo):
    organisations = Organisation.objects.all()
    assert organisations.count() >= 200
    for bin_ in organisations.values_list("bin", flat=True):
        assert validate_bin(bin_) == bin_
    org_categories = set(
        ParticipantCategory.objects.filter(kind=ParticipantCategory.Kind.ORGANISATION).values_list(
            "code", flat=True
        )
    )
    used = set(
        Participant.objects.filter(organisation__isnull=False).values_list("category__code", flat=True)
    )
    assert used == org_categories
    assert organisations.values("region").distinct().count() >= 5
    assert {"LLP", "JSC"} <= set(organisations.values_list("legal_form", flat=True))
    assert organisations.filter(state_share__gt=0.5).exists()
    assert organisations.filter(state_share=0).count() > organisations.count() * 0.8
    assert organisations.filter(subsoil_user=True).exists()


def test_demo_register_has_every_kind_of_entry(demo):
    statuses = set(Participant.objects.values_list("status", flat=True))
    assert {
        Participant.Status.REGISTERED,
        Participant.Status.SUSPENDED,
        Participant.Status.EXCLUDED,
    } <= statuses
    assert (
        Participant.objects.filter(status=Participant.Status.REGISTERED).count()
        > Participant.objects.count() / 2
    )
    dates = Participant.objects.values_list("registered_on", flat=True)
    assert min(dates) >= FIRST_REGISTRATION
    assert max(dates) <= LAST_REGISTRATION
    assert {d.year for d in dates} >= set(range(FIRST_REGISTRATION.year, LAST_REGISTRATION.year + 1))
    # Every change of status went through change_status: it has grounds and a history row.
    for participant in Participant.objects.exclude(status=Participant.Status.REGISTERED):
        last = participant.history.order_by("effective_on", "id").last()
        assert last.status == participant.status and last.reason.strip()
    individuals = Individual.objects.all()
    assert 1 <= individuals.count() <= 10
    for iin in individuals.values_list("iin", flat=True):
        assert validate_iin(iin) == iin


def test_demo_is_audited_and_the_chain_verifies(demo):
    assert (
        AuditEvent.objects.filter(action="parties.organisation.created").count()
        == Organisation.objects.count()
    )
    assert (
        AuditEvent.objects.filter(action="registry.participant.registered").count()
        == Participant.objects.count()
    )
    changes = StatusChange.objects.count() - Participant.objects.count()
    assert AuditEvent.objects.filter(action="registry.participant.status_changed").count() == changes
    seal_pending()
    result = verify()
    assert result.ok, result.summary()


def test_demo_is_idempotent(demo):
    counts = [m.objects.count() for m in (Organisation, Individual, Participant, StatusChange, AuditEvent)]
    again = seed_registry_demo()
    assert again.participants == 0 and again.skipped == demo.participants
    assert [
        m.objects.count() for m in (Organisation, Individual, Participant, StatusChange, AuditEvent)
    ] == counts


def test_bulk_creates_exactly_n_quickly(db):
    services.load_reference_data()
    events = AuditEvent.objects.count()
    started = time.perf_counter()
    result = seed_registry_bulk(2_000, individuals=0)
    elapsed = time.perf_counter() - started
    assert Organisation.objects.count() == result.organisations == 2_000
    assert Participant.objects.count() == 2_000
    assert StatusChange.objects.count() == result.status_changes >= 2_000
    assert elapsed < 30, f"bulk seeding 2,000 organisations took {elapsed:.1f} s"
    assert AuditEvent.objects.count() == events  # benchmark data: deliberately not audited
    for bin_ in Organisation.objects.values_list("bin", flat=True)[:200]:
        validate_bin(bin_)
    # Register numbers continue the yearly counters, as the service would issue them next.
    for counter in RegisterCounter.objects.all():
        assert Participant.objects.filter(registered_on__year=counter.year).count() == counter.last
        assert Participant.objects.filter(number=f"{counter.year}-{counter.last:05d}").exists()


def test_bulk_after_demo_keeps_numbers_and_bins_unique(demo):
    before = Participant.objects.count()
    seed_registry_bulk(500)
    assert Participant.objects.count() == before + 500 + min(8, 500 // 25)
    assert Organisation.objects.values("bin").distinct().count() == Organisation.objects.count()
