"""Demo bodies and members, through the governance services: the shipped bodies of every regime,
and the Board of Trustees and the Managing Committee in force today with their chairs, deputies,
secretaries and members (one term ended on each), the demo ``trustee`` and ``committee-member``
accounts sitting on them and the corporate secretary keeping their minutes; and the development
strategy 2025–2029, its first version approved on a decision of the Board of Trustees, with three
goals and six KPIs (five read from the platform's metrics, one entered by hand) and their targets.

The people are invented (realistic Kazakh names and organisations, no real office holder).
Needs ``seed_foundation`` (the regimes and the demo accounts). Idempotent: when any membership
exists, no member is added; when any strategy exists, no strategy is added."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from innocluster.core.decisions.services import record_decision
from innocluster.core.policy import values as policy
from innocluster.governance import selectors
from innocluster.governance.models import Membership, Position, Strategy
from innocluster.governance.roles import BOARD_OF_TRUSTEES
from innocluster.governance.services import bodies, members
from innocluster.governance.services import strategy as strategy_services

P = Position
# body code -> (full name, position, organisation, demo username or "", ended?)
PEOPLE = {
    "board_of_trustees": (
        ("Сәрсенбаев Ерлан Болатұлы", P.CHAIR, "Администрация Президента Республики Казахстан", "", False),
        (
            "Жақсыбекова Айгүл Маратқызы",
            P.DEPUTY,
            "Министерство цифрового развития, инноваций и аэрокосмической промышленности РК",
            "",
            False,
        ),
        ("Омаров Данияр Серікұлы", P.SECRETARY, "Автономный кластерный фонд", "corporate-secretary", False),
        ("Нұрланова Динара Асқарқызы", P.MEMBER, "Назарбаев Университет", "trustee", False),
        ("Ибраев Тимур Қайратұлы", P.MEMBER, "Национальная палата предпринимателей «Атамекен»", "", False),
        ("Ли Виктор Алексеевич", P.MEMBER, "Ассоциация IT-компаний Казахстана", "", False),
        ("Ахметов Бауыржан Серікұлы", P.MEMBER, "АО «Самрук-Казына»", "", True),
    ),
    "managing_committee": (
        (
            "Бекмұхамбетов Арман Ержанұлы",
            P.CHAIR,
            "Канцелярия Премьер-Министра Республики Казахстан",
            "",
            False,
        ),
        (
            "Сұлтанова Гүлнар Ерланқызы",
            P.DEPUTY,
            "Министерство цифрового развития, инноваций и аэрокосмической промышленности РК",
            "",
            False,
        ),
        ("Омаров Данияр Серікұлы", P.SECRETARY, "Автономный кластерный фонд", "corporate-secretary", False),
        (
            "Қасымов Ержан Талғатұлы",
            P.MEMBER,
            "Министерство науки и высшего образования РК",
            "committee-member",
            False,
        ),
        ("Әбдірахманова Мадина Нұрланқызы", P.MEMBER, "Министерство финансов РК", "", False),
        (
            "Ким Олег Владимирович",
            P.MEMBER,
            "АО «Казахстанский центр индустрии и экспорта «QazIndustry»»",
            "",
            False,
        ),
        ("Жұмабаев Нұрлан Әскерұлы", P.MEMBER, "Министерство национальной экономики РК", "", True),
    ),
}
ENDED_REASON = "Отозван в связи с переходом на другую работу"


@dataclass
class GovernanceDemo:
    skipped: bool = False
    bodies_added: int = 0
    members: int = 0
    ended: int = 0
    kpis: int = 0  # KPIs of the strategy added (0: a strategy was there already, or no secretary)


@transaction.atomic
def seed_governance_demo(today: dt.date | None = None) -> GovernanceDemo:
    loaded = bodies.load_bodies()
    if Membership.objects.exists():
        return GovernanceDemo(skipped=True, bodies_added=loaded.added, kpis=seed_strategy_demo(today))
    today = today or policy.today()
    result = GovernanceDemo(bodies_added=loaded.added)
    users = get_user_model().objects
    for code, people in PEOPLE.items():
        body = selectors.body_in_force(code, today)
        if body is None:
            continue
        start = body.exists_from
        ended_on = max(start, today - dt.timedelta(days=60))
        for full_name, position, organisation, username, ended in people:
            user = users.filter(username=username).first() if username else None
            membership = members.appoint(
                body,
                full_name=full_name,
                position=position,
                organisation=organisation,
                term_start=start,
                user=user,
                reason="demo",
            )
            result.members += 1
            if ended:
                members.end_term(membership, on=ended_on, reason=ENDED_REASON)
                result.ended += 1
    result.kpis = seed_strategy_demo(today)
    return result


# --- the development strategy ---------------------------------------------------------------

STRATEGY_TITLE = {
    "title_en": "Development strategy of the innovation cluster",
    "title_kk": "Инновациялық кластердің даму стратегиясы",
    "title_ru": "Стратегия развития инновационного кластера",
}
YEARS = (2025, 2029)
# (goal titles en/kk/ru, [(KPI titles en/kk/ru, metric or "", unit, higher is better, targets 2025-2029)])
GOALS = (
    (
        ("Grow the innovation cluster", "Инновациялық кластерді өсіру", "Рост инновационного кластера"),
        (
            (
                ("Participants in the register", "Тізілімдегі қатысушылар", "Участники в реестре"),
                "registry.participants",
                "count",
                True,
                ("150", "200", "260", "320", "400"),
            ),
            (
                (
                    "Applications decided within the deadline",
                    "Мерзімінде шешім қабылданған өтінімдер",
                    "Заявки, решённые в срок",
                ),
                "registry.applications_decided_on_time",
                "ratio",
                True,
                ("0.90", "0.92", "0.95", "0.95", "0.95"),
            ),
        ),
    ),
    (
        (
            "Finance innovation from the subsoil users' levy",
            "Инновацияларды жер қойнауын пайдаланушылардың аударымдарынан қаржыландыру",
            "Финансирование инноваций за счёт отчислений недропользователей",
        ),
        (
            (
                ("Levy collected", "Жиналған аударымдар", "Собранные отчисления"),
                "levy.collected",
                "KZT",
                True,
                ("2000000000", "2500000000", "3000000000", "3500000000", "4000000000"),
            ),
            (
                ("Funds committed", "Резервтелген қаражат", "Зарезервированные средства"),
                "finance.committed",
                "KZT",
                True,
                ("500000000", "800000000", "1200000000", "1500000000", "1800000000"),
            ),
        ),
    ),
    (
        ("Attract talent and knowledge", "Таланттар мен білімді тарту", "Привлечение талантов и знаний"),
        (
            (
                (
                    "Foreign specialists working",
                    "Жұмыс істеп жүрген шетелдік мамандар",
                    "Работающие иностранные специалисты",
                ),
                "workforce.active",
                "count",
                True,
                ("10", "20", "30", "40", "50"),
            ),
            (
                (
                    "Patent applications filed by participants",
                    "Қатысушылар берген патенттік өтінімдер",
                    "Патентные заявки, поданные участниками",
                ),
                "",
                "count",
                True,
                ("15", "20", "25", "30", "35"),
            ),
        ),
    ),
)
# The KPI entered by hand: (year, value, source) as the secretary would enter them.
PATENTS = (
    (2025, "18", "Письмо НИИС № 12-03/118 от 20.01.2026 (сводные данные по заявкам участников за 2025 год)"),
    (2026, "9", "Отчёты участников за I полугодие 2026 года, свод Фонда"),
)


def seed_strategy_demo(today: dt.date | None = None) -> int:
    """The strategy 2025–2029 through the services, approved on a Board of Trustees' decision;
    returns how many KPIs it added (0 when a strategy exists or the demo secretary is missing)."""
    if Strategy.objects.exists():
        return 0
    today = today or policy.today()
    by = get_user_model().objects.filter(username="corporate-secretary").first()
    if by is None:
        return 0
    first, last = YEARS
    found = strategy_services.create_strategy(first_year=first, last_year=last, by=by, **STRATEGY_TITLE)
    version = found.versions.get()
    added = 0
    for (goal_en, goal_kk, goal_ru), kpis in GOALS:
        goal = strategy_services.add_goal(
            version, title_en=goal_en, title_kk=goal_kk, title_ru=goal_ru, by=by
        )
        for (en, kk, ru), metric, unit, higher, targets in kpis:
            kpi = strategy_services.add_kpi(
                goal,
                title_en=en,
                title_kk=kk,
                title_ru=ru,
                metric=metric,
                unit=unit,
                higher_is_better=higher,
                by=by,
            )
            added += 1
            for year, value in zip(range(first, last + 1), targets, strict=True):
                strategy_services.set_target(kpi, year=year, value=Decimal(value), by=by)
            if not metric:
                for year, value, source in PATENTS:
                    if year <= today.year:
                        strategy_services.record_manual_value(
                            kpi, year=year, value=Decimal(value), source=source, by=by
                        )
    decided_on = min(dt.date(2025, 3, 14), today)
    decision = record_decision(
        body=BOARD_OF_TRUSTEES,
        number="ПС-2025/01",
        decided_on=decided_on,
        basis="Устав Фонда, пункт 31: Попечительский совет утверждает стратегию развития Фонда",
        outcome="approved",
        summary="Утвердить Стратегию развития инновационного кластера на 2025–2029 годы",
        meeting_reference="Протокол заседания Попечительского совета № 1",
        by=by,
    )
    strategy_services.approve_version(version, decision=decision, by=by)
    return added
