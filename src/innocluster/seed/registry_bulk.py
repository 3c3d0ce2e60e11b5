"""Benchmark-scale register data: :func:`seed_registry_bulk`, from the same generator as the demo
(:mod:`innocluster.seed.registry`), written with ``bulk_create``.

Benchmarks only. It writes the rows in batches of 5,000 and writes NO audit events: auditing
100,000 synthetic organisations one service call at a time would take far longer than the
benchmark it feeds, and the benchmarks measure reads of the register, not the audit log. Never use
it for demo or real data: the audit chain would not account for these rows. Its BINs use serials
50000-99999, so they never collide with the demo's.
"""

from collections.abc import Iterator

from django.db import transaction

from innocluster.parties import selectors as parties
from innocluster.parties.models import Individual, Organisation
from innocluster.registry.models import Participant, RegisterCounter, StatusChange, search_text_for
from innocluster.seed.registry import (
    Generator,
    IndividualPlan,
    OrganisationPlan,
    Progress,
    Reference,
    SeedResult,
    Status,
    individual_count,
)

BULK_SEED = 20140610
BATCH_SIZE = 5_000
BULK_SERIALS = (50_000, 99_999)


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def seed_registry_bulk(
    n: int, progress: Progress | None = None, *, seed: int = BULK_SEED, individuals: int | None = None
) -> SeedResult:
    """Benchmark data only: ``n`` organisations with participants and history, via ``bulk_create``.

    NO audit events are written (see the module docstring); never call this for a demo or for
    real data. Adds ``n`` organisations on every call; register numbers continue each year's
    counter, and BINs already in the database are avoided.
    """
    ref = Reference.load()
    result = SeedResult()
    gen = Generator(
        ref,
        seed=seed,
        serials=BULK_SERIALS,
        taken_bins=parties.taken_bins().iterator(),
    )
    gen.iins.update(parties.taken_iins())
    plans: list[OrganisationPlan | IndividualPlan] = [gen.organisation() for _ in range(n)]
    count = individual_count(n, ref) if individuals is None else individuals
    if ref.individual_categories:
        plans += [gen.individual() for _ in range(count)]
    plans.sort(key=lambda p: p.registered_on)
    numbers = _take_numbers([p.registered_on.year for p in plans])
    total, done = len(plans), 0
    for batch, batch_numbers in zip(_chunks(plans, BATCH_SIZE), _chunks(numbers, BATCH_SIZE), strict=True):
        with transaction.atomic():
            org_plans = [p for p in batch if isinstance(p, OrganisationPlan)]
            ind_plans = [p for p in batch if isinstance(p, IndividualPlan)]
            orgs = Organisation.objects.bulk_create([Organisation(**p.fields) for p in org_plans])
            people = Individual.objects.bulk_create([Individual(**p.fields) for p in ind_plans])
            members = dict(zip(map(id, org_plans), orgs, strict=True)) | dict(
                zip(map(id, ind_plans), people, strict=True)
            )
            participants = []
            for plan, number in zip(batch, batch_numbers, strict=True):
                member = members[id(plan)]
                steps = getattr(plan, "steps", [])
                last = steps[-1] if steps else None
                is_org = isinstance(plan, OrganisationPlan)
                participants.append(
                    Participant(
                        number=number,
                        organisation=member if is_org else None,
                        individual=None if is_org else member,
                        category=plan.category,
                        status=last.status if last else Status.REGISTERED,
                        registered_on=plan.registered_on,
                        status_since=last.effective_on if last else plan.registered_on,
                        display_name=member.name_ru if is_org else member.name,
                        search_text=search_text_for(member if is_org else None, None if is_org else member),
                        region=member.region if is_org else None,
                    )
                )
            Participant.objects.bulk_create(participants)
            changes = []
            for plan, participant in zip(batch, participants, strict=True):
                changes.append(
                    StatusChange(
                        participant=participant,
                        status=Status.REGISTERED,
                        effective_on=plan.registered_on,
                        reason="Решение комиссии по отбору участников",
                    )
                )
                changes.extend(
                    StatusChange(
                        participant=participant, status=s.status, effective_on=s.effective_on, reason=s.reason
                    )
                    for s in getattr(plan, "steps", [])
                )
                result.by_status[participant.status] = result.by_status.get(participant.status, 0) + 1
            StatusChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)
        result.organisations += len(orgs)
        result.individuals += len(people)
        result.participants += len(participants)
        result.status_changes += len(changes)
        done += len(batch)
        if progress:
            progress(done, total)
    return result


@transaction.atomic
def _take_numbers(years: list[int]) -> list[str]:
    """Register numbers for participants registered in ``years`` (in order), continuing and
    advancing each year's counter exactly as ``next_register_number`` would."""
    counters = {
        c.year: c
        for c in RegisterCounter.objects.select_for_update().filter(year__in=set(years)).order_by("pk")
    }
    numbers = []
    for year in years:
        counter = counters.get(year) or counters.setdefault(year, RegisterCounter(year=year, last=0))
        counter.last += 1
        numbers.append(f"{year}-{counter.last:05d}")
    for counter in counters.values():
        counter.save()
    return numbers
