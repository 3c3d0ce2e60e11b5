"""Demo bodies and members, through the governance services: the shipped bodies of every regime,
and the Board of Trustees and the Managing Committee in force today with their chairs, deputies,
secretaries and members (one term ended on each), the demo ``trustee`` and ``committee-member``
accounts sitting on them and the corporate secretary keeping their minutes.

The people are invented (realistic Kazakh names and organisations, no real office holder).
Needs ``seed_foundation`` (the regimes and the demo accounts). Idempotent: when any membership
exists, nothing is added."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from innocluster.core.policy import values as policy
from innocluster.governance import selectors
from innocluster.governance.models import Membership, Position
from innocluster.governance.services import bodies, members

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


@transaction.atomic
def seed_governance_demo(today: dt.date | None = None) -> GovernanceDemo:
    loaded = bodies.load_bodies()
    if Membership.objects.exists():
        return GovernanceDemo(skipped=True, bodies_added=loaded.added)
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
    return result
