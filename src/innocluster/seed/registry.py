"""Register data: realistic organisations, a few individuals and their register entries.

One deterministic generator (a seeded ``random.Random``, fixed date range) feeds two writers:

* :func:`seed_registry_demo` (here) writes THROUGH THE SERVICES (``create_organisation``,
  ``create_individual``, ``register_participant``, ``change_status``), so every row is validated
  and audited and ``innocluster audit verify`` passes. It is idempotent: the plan is the same on
  every run, and organisations (by BIN) and individuals (by IIN) already present are skipped.
* :func:`innocluster.seed.registry_bulk.seed_registry_bulk` is for benchmarks only (unaudited
  ``bulk_create``; see that module).

BIN serials are split so that the two paths can never produce the same number: the demo uses
serials 00001-49999, the bulk path 50000-99999.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from innocluster.core.identifiers import check_digit
from innocluster.parties import selectors as parties
from innocluster.parties.models import Activity, Individual, Organisation, Region
from innocluster.parties.services import register as party_services
from innocluster.registry.models import (
    Participant,
    ParticipantCategory,
)
from innocluster.registry.services import register as services

Progress = Callable[[int, int], None]

DEMO_SEED = 20260101
# Fixed, so that the plan (and so the BINs) does not depend on the day the seeder runs.
FIRST_REGISTRATION = date(2015, 1, 1)
LAST_REGISTRATION = date(2026, 10, 31)
DEMO_SERIALS = (1, 49_999)

Status = Participant.Status

# (Kazakh, Russian, English): proper names and places that companies are named after ...
ROOTS = [
    ("Сарыарқа", "Сарыарка", "Saryarka"),
    ("Алатау", "Алатау", "Alatau"),
    ("Есіл", "Есиль", "Yesil"),
    ("Тұран", "Туран", "Turan"),
    ("Ұлытау", "Улытау", "Ulytau"),
    ("Каспий", "Каспий", "Caspian"),
    ("Бәйтерек", "Байтерек", "Baiterek"),
    ("Көкшетау", "Кокшетау", "Kokshetau"),
    ("Жетісу", "Жетысу", "Zhetysu"),
    ("Алтын Орда", "Алтын Орда", "Altyn Orda"),
    ("Номад", "Номад", "Nomad"),
    ("Дала", "Дала", "Dala"),
    ("Шаңырақ", "Шанырак", "Shanyrak"),
    ("Қыран", "Кыран", "Kyran"),
    ("Тарлан", "Тарлан", "Tarlan"),
    ("Сұңқар", "Сункар", "Sunkar"),
    ("Атамекен", "Атамекен", "Atameken"),
    ("Мерей", "Мерей", "Merey"),
    ("Ақжол", "Акжол", "Akzhol"),
    ("Кемел", "Кемел", "Kemel"),
    ("Астана", "Астана", "Astana"),
    ("Алматы", "Алматы", "Almaty"),
    ("Аққу", "Акку", "Akku"),
    ("Жұлдыз", "Жулдыз", "Zhuldyz"),
    ("Іле", "Иле", "Ile"),
    ("Балқаш", "Балхаш", "Balkhash"),
    ("Хан Тәңірі", "Хан Тенгри", "Khan Tengri"),
    ("Қазығұрт", "Казыгурт", "Kazygurt"),
    ("Вектор", "Вектор", "Vector"),
    ("Квант", "Квант", "Quantum"),
    ("Орбита", "Орбита", "Orbita"),
    ("Синтез", "Синтез", "Synthesis"),
    ("Альфа", "Альфа", "Alpha"),
    ("Меридиан", "Меридиан", "Meridian"),
    ("Горизонт", "Горизонт", "Horizon"),
    ("Арман", "Арман", "Arman"),
]
# ... and what they do (the Kazakh form takes the possessive ending after the name).
FIELDS = [
    ("Инновациялары", "Инновации", "Innovations"),
    ("Технологиялары", "Технологии", "Technologies"),
    ("Жүйелері", "Системы", "Systems"),
    ("Шешімдері", "Решения", "Solutions"),
    ("Зертханасы", "Лаборатория", "Lab"),
    ("Софт", "Софт", "Soft"),
    ("Дата", "Дата", "Data"),
    ("Инжиниринг", "Инжиниринг", "Engineering"),
    ("Робототехникасы", "Робототехника", "Robotics"),
    ("Биотех", "Биотех", "Biotech"),
    ("Энергетикасы", "Энергетика", "Energy"),
    ("Консалтинг", "Консалтинг", "Consulting"),
    ("Телеком", "Телеком", "Telecom"),
    ("Аналитикасы", "Аналитика", "Analytics"),
    ("Геодеректері", "Геоданные", "Geodata"),
    ("Цифрлық Шешімдері", "Цифровые Решения", "Digital Solutions"),
    ("Кванттық Есептеулері", "Квантовые Вычисления", "Quantum Computing"),
]
FUND_FIELDS = [
    ("Венчурлары", "Венчурс", "Ventures"),
    ("Капитал", "Капитал", "Capital"),
    ("Инвест", "Инвест", "Invest"),
    ("Партнерс", "Партнерс", "Partners"),
]
# Most participants are companies; the other categories named by the law are rarer (weight 1 if absent).
CATEGORY_WEIGHTS = {
    "company": 24,
    "technology_centre": 3,
    "science_org": 3,
    "education_org": 3,
    "venture_fund": 2,
}
FUND_CATEGORIES = {"venture_fund", "foreign_investment_fund"}
# Categories that are mostly foreign (non-resident) legal entities.
FOREIGN_CATEGORIES = {"foreign_investment_fund", "transnational_corporation"}
# (code stored in Organisation.legal_form, Kazakh, Russian, English abbreviation, weight)
LEGAL_FORMS = [
    ("LLP", "ЖШС", "ТОО", "LLP", 85),
    ("JSC", "АҚ", "АО", "JSC", 15),
]
FOREIGN_FORMS = ["Ltd", "GmbH", "Inc.", "B.V.", "LLC"]
STREETS = [
    "Мангилик Ел",
    "Кабанбай батыра",
    "Абая",
    "Достык",
    "Аль-Фараби",
    "Сыганак",
    "Туран",
    "Толе би",
    "Желтоксан",
    "Республики",
    "Сатпаева",
    "Назарбаева",
]
GROUNDS = {
    Status.SUSPENDED: [
        "Не представлен годовой отчёт участника в установленный срок.",
        "Выявлено несоответствие условиям участия: доля дохода от приоритетных видов деятельности.",
        "Неисполнение обязательств по договору об участии (уведомление направлено).",
    ],
    Status.EXCLUDED: [
        "Повторное неисполнение обязательств по договору об участии.",
        "Представлены недостоверные сведения в заявке.",
        "Ликвидация юридического лица.",
        "Не устранены причины приостановления в установленный срок.",
    ],
    Status.EXITED: ["Заявление участника о добровольном выходе."],
    Status.REGISTERED: ["Причины приостановления устранены, отчёт представлен."],
}
MALE = [
    ("Серік", "Серікұлы"),
    ("Нұрлан", "Нұрланұлы"),
    ("Ерлан", "Ерланұлы"),
    ("Дәурен", "Дәуренұлы"),
    ("Арман", "Арманович"),
    ("Тимур", "Маратович"),
]
FEMALE = [
    ("Айгерім", "Серікқызы"),
    ("Дана", "Нұрланқызы"),
    ("Әлия", "Ерланқызы"),
    ("Жанар", "Болатовна"),
    ("Мадина", "Маратовна"),
]
SURNAMES = [
    ("Ахметов", "Ахметова"),
    ("Сейітов", "Сейітова"),
    ("Жұмабаев", "Жұмабаева"),
    ("Омаров", "Омарова"),
]


@dataclass
class Reference:
    """The loaded reference rows the generator picks from, in a stable order."""

    regions: list[Region]
    region_weights: list[int]
    activities: list[Activity]
    activity_weights: list[int]
    org_categories: list[ParticipantCategory]
    category_weights: list[int]
    individual_categories: list[ParticipantCategory]

    @classmethod
    def load(cls) -> "Reference":
        # Sorted in Python: database collations differ, and the plan must not.
        regions = sorted(parties.regions(), key=lambda r: r.kato)
        activities = sorted(parties.activities(), key=lambda a: a.oked)
        # Codes (numeric) are what a company declares; the bare section letters are a fallback.
        coded = [a for a in activities if not a.oked.isalpha()] or activities
        categories = sorted(ParticipantCategory.objects.all(), key=lambda c: c.code)
        ref = cls(
            regions=regions,
            # Most participants sit in Astana and Almaty (the cities of national significance).
            region_weights=[6 if r.kind == Region.Kind.CITY else 1 for r in regions],
            activities=coded,
            activity_weights=[5 if a.section == "J" else 1 for a in coded],
            org_categories=(
                org := [c for c in categories if c.kind == ParticipantCategory.Kind.ORGANISATION]
            ),
            category_weights=[CATEGORY_WEIGHTS.get(c.code, 1) for c in org],
            individual_categories=[c for c in categories if c.kind == ParticipantCategory.Kind.INDIVIDUAL],
        )
        if not (ref.regions and ref.activities and ref.org_categories):
            raise RuntimeError(
                "registry reference data is missing: run innocluster.registry.services.register.load_reference_data()"
            )
        return ref


@dataclass
class StatusStep:
    status: str
    effective_on: date
    reason: str


@dataclass
class OrganisationPlan:
    fields: dict
    category: ParticipantCategory
    registered_on: date
    steps: list[StatusStep] = field(default_factory=list)


@dataclass
class IndividualPlan:
    fields: dict
    category: ParticipantCategory
    registered_on: date


@dataclass
class SeedResult:
    organisations: int = 0
    individuals: int = 0
    participants: int = 0
    status_changes: int = 0
    skipped: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "organisations": self.organisations,
            "individuals": self.individuals,
            "participants": self.participants,
            "status_changes": self.status_changes,
            "skipped": self.skipped,
            "by_status": self.by_status,
        }


class Generator:
    """Deterministic source of organisations, individuals and their register history."""

    def __init__(self, ref: Reference, *, seed: int, serials: tuple[int, int], taken_bins=()):
        self.ref = ref
        self.rng = random.Random(seed)
        self.serials = serials
        self.bins: set[str] = set(taken_bins)
        self.iins: set[str] = set()
        self._days = (LAST_REGISTRATION - FIRST_REGISTRATION).days

    # --- identifiers -----------------------------------------------------------------------------
    def bin(self, founded: date, entity_type: str) -> str:
        """YYMM of registration + entity type + division 0 (head office) + serial + check digit;
        prefixes whose check digit does not exist (both weightings give 10) are skipped."""
        while True:
            serial = self.rng.randint(*self.serials)
            first11 = f"{founded:%y%m}{entity_type}0{serial:05d}"
            digit = check_digit(first11)
            if digit is None:
                continue
            number = f"{first11}{digit}"
            if number not in self.bins:
                self.bins.add(number)
                return number

    def iin(self, born: date, male: bool) -> str:
        while True:
            century = 3 if born.year < 2000 else 5
            first11 = f"{born:%y%m%d}{century + (0 if male else 1)}{self.rng.randint(0, 9999):04d}"
            digit = check_digit(first11)
            if digit is None:
                continue
            number = f"{first11}{digit}"
            if number not in self.iins:
                self.iins.add(number)
                return number

    # --- dates -----------------------------------------------------------------------------------
    def registration_date(self) -> date:
        # Registrations grew over the years: the power skews the spread towards recent years.
        return FIRST_REGISTRATION + timedelta(days=int(self._days * self.rng.random() ** 0.7))

    def founding_date(self, registered_on: date) -> date:
        first = date(1995, 1, 1)
        return first + timedelta(days=self.rng.randint(0, (registered_on - first).days))

    # --- rows ------------------------------------------------------------------------------------
    def organisation(self, category: ParticipantCategory | None = None) -> OrganisationPlan:
        rng = self.rng
        category = category or rng.choices(self.ref.org_categories, self.ref.category_weights)[0]
        registered_on = self.registration_date()
        resident = rng.random() > (0.6 if category.code in FOREIGN_CATEGORIES else 0.03)
        founded = self.founding_date(registered_on)
        root = rng.choice(ROOTS)
        trade = rng.choice(FUND_FIELDS if category.code in FUND_CATEGORIES else FIELDS)
        region = rng.choices(self.ref.regions, self.ref.region_weights)[0]
        if resident:
            code, kk_form, ru_form, en_form, _w = rng.choices(LEGAL_FORMS, [f[4] for f in LEGAL_FORMS])[0]
            names = {
                "name_kk": f"«{root[0]} {trade[0]}» {kk_form}",
                "name_ru": f"{ru_form} «{root[1]} {trade[1]}»",
                "name_en": f"{root[2]} {trade[2]} {en_form}",
            }
        else:
            code = rng.choice(FOREIGN_FORMS)
            english = f"{root[2]} {trade[2]} {code}"
            names = {"name_kk": english, "name_ru": english, "name_en": english}
        roll = rng.random()
        if roll < 0.03:  # state-owned or quasi-state companies
            state_share = Decimal(rng.randint(5100, 10000)) / 10000
        elif roll < 0.07:
            state_share = Decimal(rng.randint(100, 4900)) / 10000
        else:
            state_share = Decimal(0)
        fields = {
            "bin": self.bin(founded, "4" if resident else "5"),
            **names,
            "legal_form": code,
            "resident": resident,
            "region": region,
            "activity": rng.choices(self.ref.activities, self.ref.activity_weights)[0],
            "address": f"{region.name_ru}, ул. {rng.choice(STREETS)}, {rng.randint(1, 180)}",
            "state_share": state_share,
            "subsoil_user": rng.random() < 0.03,
            "sez_participant": rng.random() < 0.05,
            "excisable_goods": rng.random() < 0.01,
            "general_tax_regime": rng.random() < 0.93,
        }
        plan = OrganisationPlan(
            fields=fields,
            category=category,
            registered_on=registered_on,
        )
        plan.steps = self.history(registered_on)
        return plan

    def history(self, registered_on: date) -> list[StatusStep]:
        """Most stay registered; some are suspended (a few of them reinstated or then excluded),
        some excluded outright, a few leave voluntarily."""
        rng = self.rng
        room = (LAST_REGISTRATION - registered_on).days
        if room < 90:
            return []

        def later(after: date) -> date:
            left = (LAST_REGISTRATION - after).days
            return after + timedelta(days=rng.randint(min(30, left), max(min(30, left), min(left, 720))))

        def step(status: str, after: date) -> StatusStep:
            return StatusStep(status, later(after), rng.choice(GROUNDS[status]))

        roll = rng.random()
        steps: list[StatusStep] = []
        if roll < 0.08:
            steps.append(step(Status.SUSPENDED, registered_on))
        elif roll < 0.12:
            steps.append(step(Status.SUSPENDED, registered_on))
            steps.append(step(Status.REGISTERED, steps[-1].effective_on))
        elif roll < 0.15:
            steps.append(step(Status.SUSPENDED, registered_on))
            steps.append(step(Status.EXCLUDED, steps[-1].effective_on))
        elif roll < 0.19:
            steps.append(step(Status.EXCLUDED, registered_on))
        elif roll < 0.21:
            steps.append(step(Status.EXITED, registered_on))
        return steps

    def individual(self) -> IndividualPlan:
        rng = self.rng
        male = rng.random() < 0.5
        first, middle = rng.choice(MALE if male else FEMALE)
        last = rng.choice(SURNAMES)[0 if male else 1]
        born = date(1960, 1, 1) + timedelta(days=rng.randint(0, 365 * 45))
        return IndividualPlan(
            fields={
                "iin": self.iin(born, male),
                "last_name": last,
                "first_name": first,
                "middle_name": middle,
            },
            category=rng.choice(self.ref.individual_categories),
            registered_on=self.registration_date(),
        )


def individual_count(n: int, ref: Reference) -> int:
    return min(8, max(1, n // 25)) if ref.individual_categories else 0


def plan_demo(n: int, ref: Reference) -> tuple[list[OrganisationPlan], list[IndividualPlan]]:
    """The demo's organisations (every organisation category at least twice) and individuals."""
    gen = Generator(ref, seed=DEMO_SEED, serials=DEMO_SERIALS)
    categories = ref.org_categories * 2
    organisations = [gen.organisation(categories[i] if i < len(categories) else None) for i in range(n)]
    people = Generator(ref, seed=DEMO_SEED + 1, serials=DEMO_SERIALS)
    individuals = [people.individual() for _ in range(individual_count(n, ref))]
    return organisations, individuals


def seed_registry_demo(
    n: int = 220, progress: Progress | None = None, *, reference: Path = services.DATA
) -> SeedResult:
    """Demo register through the services (validated, audited). Idempotent: what exists is kept.

    Loads the shipped reference data first (inserting only what is missing), so it can be called
    on its own after ``seed_foundation``.
    """
    services.load_reference_data(reference)
    ref = Reference.load()
    organisations, individuals = plan_demo(n, ref)
    result = SeedResult()
    have_bins = _existing(Organisation, "bin", [p.fields["bin"] for p in organisations])
    have_iins = _existing(Individual, "iin", [p.fields["iin"] for p in individuals])
    # Register numbers follow the registration date within each year, as a real register's do.
    todo: list[OrganisationPlan | IndividualPlan] = [
        p for p in organisations if p.fields["bin"] not in have_bins
    ] + [p for p in individuals if p.fields["iin"] not in have_iins]
    result.skipped = len(organisations) + len(individuals) - len(todo)
    todo.sort(key=lambda p: p.registered_on)
    total = len(todo)
    with transaction.atomic():
        for done, plan in enumerate(todo, 1):
            if isinstance(plan, OrganisationPlan):
                organisation = party_services.create_organisation(**plan.fields)
                participant = services.register_participant(
                    category=plan.category,
                    registered_on=plan.registered_on,
                    organisation=organisation,
                    reason="Решение комиссии по отбору участников",
                )
                result.organisations += 1
                for step in plan.steps:
                    services.change_status(
                        participant, status=step.status, effective_on=step.effective_on, reason=step.reason
                    )
                    result.status_changes += 1
            else:
                individual = party_services.create_individual(**plan.fields)
                participant = services.register_participant(
                    category=plan.category,
                    registered_on=plan.registered_on,
                    individual=individual,
                    reason="Решение комиссии по отбору участников",
                )
                result.individuals += 1
            result.participants += 1
            result.status_changes += 1
            result.by_status[participant.status] = result.by_status.get(participant.status, 0) + 1
            if progress:
                progress(done, total)
    return result


def _existing(model, key: str, values: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(values), 900):
        chunk = values[start : start + 900]
        found.update(model.objects.filter(**{f"{key}__in": chunk}).values_list(key, flat=True))
    return found
