"""Demo meetings, through the governance services: a Managing Committee meeting held about six
weeks ago (entered from its paper record) with attendance, two items — one adopted, one failing
the two-thirds majority of the Fund's rules — and its minutes circulated, approved and locked;
and a coming meeting of each body, convened, with its agenda.

Needs ``seed_governance_demo`` (bodies and members). Idempotent: when any meeting exists,
nothing is added."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from innocluster.core.calendar import ALMATY
from innocluster.core.policy import values as policy
from innocluster.governance import selectors
from innocluster.governance.models import Majority, Meeting, MeetingKind, Position
from innocluster.governance.services import ballots, meetings, minutes

SECRETARY = "corporate-secretary"


@dataclass
class MeetingsDemo:
    skipped: bool = False
    meetings: int = 0
    resolutions: int = 0


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ALMATY)


def _items(meeting, by, rows):
    found = []
    for title_en, title_kk, title_ru, majority in rows:
        found.append(
            meetings.add_item(
                meeting, title_en=title_en, title_kk=title_kk, title_ru=title_ru, majority=majority, by=by
            )
        )
    return found


def _past_committee_meeting(body, by, today: dt.date, result: MeetingsDemo) -> None:
    day = today - dt.timedelta(days=45)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    meeting = meetings.record_held_meeting(
        body,
        starts_at=_at(day, 11),
        kind=MeetingKind.IN_PERSON,
        place="Астана, Астана Хаб, зал заседаний",
        reason="Протокол на бумаге, внесён корпоративным секретарём",
        by=by,
    )
    result.meetings += 1
    report, rules = _items(
        meeting,
        by,
        (
            (
                "Report of the Fund on the financing of participants' projects for the first half of the year",
                "Қордың қатысушылардың жобаларын қаржыландыру туралы жарты жылдық есебі",
                "Отчёт Фонда о финансировании проектов участников за первое полугодие",
                "",
            ),
            (
                "Amendment of the Fund's rules of project expertise (a second round of review)",
                "Қордың жобалық сараптама қағидаларына өзгерістер (қайта қараудың екінші кезеңі)",
                "Изменения в правила проектной экспертизы Фонда (второй тур рассмотрения)",
                Majority.TWO_THIRDS_PRESENT,
            ),
        ),
    )
    voters = list(selectors.voting_members(body, meeting.date))
    for member in voters:
        meetings.record_attendance(meeting, member, present=True, by=by)
    for item, choices in (
        (report, ("for",) * len(voters)),
        (rules, ("for", "for", "for", "against", "against")),
    ):
        rnd = ballots.open_round(item, by=by)
        for member, choice in zip(voters, choices, strict=False):
            ballots.record_ballot(rnd, member, choice=choice, by=by)
        closed = ballots.close_round(rnd, by=by)
        result.resolutions += closed.outcome == "adopted"
    meetings.close_meeting(meeting, by=by)
    draft = minutes.draft_minutes(meeting, by)
    minutes.edit_minutes(
        draft,
        by,
        summary_en="The Fund's director reported on the projects financed; the committee discussed "
        "the expertise rules and asked the Fund to prepare a revised draft.",
        summary_kk="Қор директоры қаржыландырылған жобалар туралы баяндады; комитет сараптама "
        "қағидаларын талқылап, Қорға қайта қаралған жобаны дайындауды тапсырды.",
        summary_ru="Директор Фонда доложил о профинансированных проектах; комитет обсудил правила "
        "экспертизы и поручил Фонду подготовить доработанный проект.",
    )
    minutes.circulate_minutes(draft, by, comments_due=today)
    minutes.approve_minutes(draft, by)
    minutes.lock_minutes(draft, by)


def _coming(body, by, today: dt.date, days: int, kind: str, rows, result: MeetingsDemo) -> None:
    meeting = meetings.plan_meeting(
        body, starts_at=_at(today + dt.timedelta(days=days), 15), kind=kind, place="Астана, Астана Хаб", by=by
    )
    _items(meeting, by, rows)
    meetings.convene_meeting(meeting, by=by)
    result.meetings += 1


@transaction.atomic
def seed_meetings_demo(today: dt.date | None = None) -> MeetingsDemo:
    if Meeting.objects.exists():
        return MeetingsDemo(skipped=True)
    today = today or policy.today()
    by = get_user_model().objects.filter(username=SECRETARY).first()
    committee = selectors.body_in_force("managing_committee", today)
    board = selectors.body_in_force("board_of_trustees", today)
    result = MeetingsDemo()
    if by is None or committee is None or board is None:
        return result
    if not committee.memberships.exclude(position=Position.SECRETARY).exists():
        return result
    _past_committee_meeting(committee, by, today, result)
    _coming(
        committee,
        by,
        today,
        10,
        MeetingKind.REMOTE,
        (
            (
                "The Fund's budget for next year",
                "Қордың келесі жылға арналған бюджеті",
                "Бюджет Фонда на следующий год",
                "",
            ),
            (
                "Report on the levy of subsoil users collected",
                "Жер қойнауын пайдаланушылардан жиналған аударымдар туралы есеп",
                "Отчёт о собранных отчислениях недропользователей",
                "",
            ),
        ),
        result,
    )
    _coming(
        board,
        by,
        today,
        21,
        MeetingKind.IN_PERSON,
        (
            (
                "Progress of the development strategy: key performance indicators for the year",
                "Даму стратегиясының орындалуы: жылдың негізгі көрсеткіштері",
                "Ход реализации стратегии развития: ключевые показатели за год",
                "",
            ),
        ),
        result,
    )
    return result
