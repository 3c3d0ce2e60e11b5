"""The demo's grants cycle: a call in each stage, scored applications, awards with tranches.

Every step goes through the grants commands of its stage (applications, intake, pre-selection,
expertise, awards, tranches, reports, challenges), acting as the user who holds the role:

- a second published call of ``IND-INNOV`` that closed about 40 days ago, financed by two subsoil
  users of the levy seed (``subsoil-rep`` marks for the first), with applications from registered
  participants in every stage after the window: submitted (awaiting the intake), returned with
  itemised comments, refused at the intake, not pre-selected, with the expert commission (two
  scored reviews that disagree beyond the threshold and one recused expert), awaiting the decision
  (expedient), declined (inexpedient) and two awarded, their advances paid; the first award's
  milestone report is accepted and its second tranche paid, the second award's milestone report is
  late;
- on the open call of ``seed_grants_demo``: two drafts and one submitted application;
- an open-innovation challenge posted by the first subsoil user, with two answers, one shortlisted;
- three experts (``expert-1`` … ``expert-3``) enrolled for TOTP as ``seed_foundation`` does; the
  foundation's ``expert-chair`` chairs the commission and ``finance-officer`` pays.

The window cannot be closed through a command (a call is published only with a window ahead, and
an application is started only while the call is open): the call is published open, the
applications are started and submitted, then the window and the submission instants are moved ~40
days back in one update. Needs ``seed_foundation``, the register and applications seeds (the
participants), the finance seed (the subsoil users) and ``seed_grants_demo``. Idempotent: when the
closed call exists, nothing is added."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import generate_totp_secret
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from innocluster.core.access.selectors import users_with_role
from innocluster.core.access.services import grant_role
from innocluster.core.accounts.services import enrol_totp, totp_secret
from innocluster.core.audit.services import record_event
from innocluster.core.decisions.models import Decision
from innocluster.core.policy import values as policy
from innocluster.grants import rules
from innocluster.grants.models import (
    ApplicationFile,
    ApplicationStatus,
    Call,
    CallStatus,
    GranteeReport,
    Programme,
    ProjectApplication,
    Tranche,
)
from innocluster.grants.selectors.portal import standing
from innocluster.grants.services import (
    application_steps,
    applications,
    awards,
    calls,
    challenges,
    expertise,
    intake,
    preselection,
    reports,
    tranches,
)
from innocluster.parties import selectors as parties
from innocluster.parties.models import Organisation, Representative
from innocluster.parties.services import claims
from innocluster.registry.models import Participant

from . import grants as grants_seed
from .applications import _applicant, demo_pdf
from .foundation import demo_admin_password

D = Decimal
S = ApplicationStatus
MANAGER, APPROVER, CHAIR, SUBSOIL_REP = "programme-manager", "fund-executive", "expert-chair", "subsoil-rep"
EXPERTS = ("expert-1", "expert-2", "expert-3")
GRANTEES = tuple(f"grantee-{n:02d}" for n in range(1, 9))
REQUESTED, COFINANCED = D("20000000.00"), D("5000000.00")
CLOSED_DAYS_AGO = 40
BASIS = "Правила предоставления грантов автономного кластерного фонда «Астана Хаб», п. 12"

# The closed call's applications in the order they are made: (key, project title, final status).
PLAN = [
    ("submitted", "Датчики износа футеровки мельниц", S.SUBMITTED),
    ("returned", "Цифровой двойник дожимной компрессорной станции", S.RETURNED),
    ("refused", "Мобильное приложение для учёта рабочего времени", S.INELIGIBLE),
    ("not_preselected", "Переработка попутного газа в метанол малой мощности", S.NOT_PRESELECTED),
    ("expertise", "Предиктивное обслуживание буровых насосов", S.EXPERTISE),
    ("decision", "Беспилотный мониторинг хвостохранилищ", S.DECISION),
    ("declined", "Биореактор для очистки пластовых вод", S.DECLINED),
    ("award_a", "Система машинного зрения для сортировки руды", S.AWARDED),
    ("award_b", "Цифровая модель обогатительной фабрики", S.AWARDED),
]
RETURN_ITEMS = [
    ("budget", "Разбейте статью «услуги сторонних организаций» по договорам и исполнителям."),
    ("cofinancing_proof", "Приложите выписку банка, подтверждающую наличие средств софинансирования."),
]
# Weighted totals (0 to 100): 9s → 90, 4s → 40; the spread of 50 points is a disagreement.
HIGH, LOW, MID = 9, 4, 7


@dataclass
class GrantsCycleResult:
    skipped: bool = False
    call: str = ""
    by_status: dict = field(default_factory=dict)
    open_call: dict = field(default_factory=dict)
    awards: int = 0
    disbursed: Decimal = field(default_factory=lambda: D("0.00"))
    reviews: int = 0
    recused: int = 0
    challenge_answers: int = 0
    logins: list = field(default_factory=list)  # role, username, TOTP secret or "-"


def _users():
    return get_user_model().objects


def _expert(username: str, role: str, logins: list):
    """An expert account as ``seed_foundation`` makes one: verified e-mail, the role, TOTP."""
    existing = _users().filter(username=username).first()
    if existing is not None:
        logins.append((role, username, totp_secret(existing) or "-"))
        return existing
    user = _users().create_user(username, f"{username}@innocluster.example", demo_admin_password())
    record_event(
        action="account.created", obj=user, changes={"username": [None, username]}, reason="demo account"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    grant_role(user=user, role=role, reason="demo account")
    secret = generate_totp_secret()
    enrol_totp(user, secret)
    logins.append((role, username, secret))
    return user


def known_logins() -> list[tuple[str, str, str]]:
    """The cycle's accounts that exist (printed by the demo on every run)."""
    found = []
    for username in (*EXPERTS, *GRANTEES):
        user = _users().filter(username=username).first()
        if user is not None:
            role = "expert" if username in EXPERTS else "participant_rep"
            found.append((role, username, totp_secret(user) or "-"))
    return found


def _finance_officer(logins: list):
    found = users_with_role("finance_officer")
    if found:
        return found[0]
    return _expert("finance-officer", "finance_officer", logins)


def _representatives(call: Call, count: int, logins: list) -> list[tuple]:
    """``count`` (user, organisation) pairs of registered participants eligible for ``call``: the
    demo ``participant-rep``'s organisation first, then registered participants nobody acts for,
    each claimed (head, charter) by a new ``grantee-NN`` account and confirmed by the registrar."""
    today = policy.today()
    pairs = []
    rep = _users().filter(username="participant-rep").first()
    if rep is not None:
        for organisation in parties.organisations_of(rep).order_by("pk"):
            if standing(organisation, call, today).eligible:
                pairs.append((rep, organisation))
                break
    registrar = _users().get(username="registrar")
    candidates = (
        Participant.objects.filter(status=Participant.Status.REGISTERED, organisation__isnull=False)
        .exclude(organisation__representatives__active=True)
        .exclude(organisation__subsoil_user=True)
        .select_related("organisation")
        .order_by("number")
    )
    names = iter(GRANTEES)
    for participant in candidates:
        if len(pairs) >= count:
            break
        organisation = participant.organisation
        if not standing(organisation, call, today).eligible:
            continue
        username = next(names)
        user, _created = _applicant(username)
        logins.append(("participant_rep", username, "-"))
        claim = claims.file_claim(
            organisation,
            by=user,
            role=Representative.Role.HEAD,
            uploaded_file=SimpleUploadedFile("charter.pdf", demo_pdf(f"{username} charter")),
        )
        claims.confirm_claim(claim, by=registrar, reason="Устав проверен.")
        pairs.append((user, organisation))
    if len(pairs) < count:
        raise RuntimeError(
            f"the register has {len(pairs)} eligible participants for the demo; {count} needed"
        )
    return pairs


def _complete(app, user, *, starts: dt.date, first_due: dt.date, year: int):
    """Fill every step of a draft through the application commands (12 months, two milestones)."""
    ends = rules.add_months(starts, 12) - dt.timedelta(days=1)
    second = (REQUESTED * D("0.6")).quantize(D("0.01"))
    application_steps.save_project(
        app,
        by=user,
        summary="Проект внедряет отечественную технологию на производстве недропользователя.",
        starts_on=starts,
        ends_on=ends,
        requested_amount=REQUESTED,
        cofinancing_amount=COFINANCED,
        cofinancing_source="Собственные средства заявителя",
        expected_results="Опытно-промышленная эксплуатация на одном предприятии; снижение простоев на 10%.",
    )
    application_steps.save_plan(
        app,
        [
            {"title": "Разработка и лабораторные испытания", "starts_on": starts, "due_on": first_due,
             "deliverable": "Отчёт об испытаниях", "amount": REQUESTED - second},
            {"title": "Опытно-промышленная эксплуатация", "starts_on": first_due + dt.timedelta(days=1),
             "due_on": ends, "deliverable": "Акт внедрения", "amount": second},
        ],
        by=user,
    )  # fmt: skip
    application_steps.save_budget(
        app,
        [
            {"kind": "salaries", "year": year, "requested": REQUESTED - D("6000000.00"), "cofinanced": COFINANCED},
            {"kind": "equipment", "year": year, "requested": D("6000000.00"), "cofinanced": D("0.00")},
        ],
        by=user,
    )  # fmt: skip
    application_steps.save_team(
        app,
        [{"name": "А. Сейткали", "role": "Руководитель проекта", "qualification": "PhD", "share": "1"}],
        [{"name": "Снижение внеплановых простоев", "unit": "%", "target": "10", "year": ends.year}],
        by=user,
    )
    application_steps.save_note(
        app,
        by=user,
        research_state="Пилотная модель проверена на исторических данных.",
        industrial_readiness="УГТ 5",
        prototype="Лабораторный образец",
        novelty="Аналогов на предприятиях Казахстана нет.",
        patent_search="Поиск по KZ, RU, EP, US: блокирующих патентов нет.",
        ip_owner=str(app.organisation),
    )
    codes = [
        ApplicationFile.PASSPORT,
        *app.call.documents.filter(required=True).values_list("code", flat=True),
    ]
    for code in codes:
        upload = SimpleUploadedFile(f"{code}.pdf", demo_pdf(f"{app.pk} {code}"))
        applications.upload_file(app, code, upload, by=user)


def _next_decision(body: str, prefix: str) -> str:
    taken = Decision.objects.filter(body=body, number__startswith=prefix).count()
    return f"{prefix}{taken + 1}"


def _review(assignment, expert_user, value: int):
    expertise.declare_conflict(assignment, by=expert_user, has_conflict=False)
    criteria = assignment.application.call.criteria.order_by("position")
    scores = {
        c.code: {"value": min(value, c.scale_max), "comment": "Оценка по материалам заявки."}
        for c in criteria
    }
    expertise.submit_review(
        assignment,
        by=expert_user,
        scores=scores,
        opinion="expedient" if value >= 6 else "inexpedient",
        opinion_text="Вывод сделан по критериям конкурса.",
    )


def _open_call_applications(open_call: Call, pairs: list, result: GrantsCycleResult, today: dt.date) -> None:
    """Two drafts (one half-filled) and one submitted application on the open call."""
    starts = today + dt.timedelta(days=90)
    for index, (user, organisation) in enumerate(pairs[:3]):
        app = application_steps.start_application(
            open_call, organisation, by=user, title=f"Энергоэффективная насосная станция, версия {index + 1}"
        )
        if index == 0:
            application_steps.save_project(app, by=user, summary="Черновик: описание будет дополнено.")
            continue
        _complete(app, user, starts=starts, first_due=starts + dt.timedelta(days=150), year=starts.year)
        if index == 2:
            applications.submit_application(app, by=user)
    for status in ProjectApplication.objects.filter(call=open_call).values_list("status", flat=True):
        result.open_call[status] = result.open_call.get(status, 0) + 1


def _challenge(poster, open_call: Call, pairs: list, result: GrantsCycleResult, now) -> None:
    subsoil_rep = _users().get(username=SUBSOIL_REP)
    challenge = challenges.create_challenge(
        poster,
        by=subsoil_rep,
        title="Снижение потерь при транспортировке пульпы",
        problem="На пульпопроводе обогатительной фабрики теряется до 3% концентрата; нужен способ раннего "
        "обнаружения утечек и износа труб.",
        constraints="Работа при температуре до −40 °C, без остановки пульпопровода.",
        data_offered="Данные датчиков давления и расхода за два года.",
        budget=D("25000000.00"),
        deadline=now + dt.timedelta(days=30),
        call=open_call,
    )
    challenges.publish_challenge(challenge, by=subsoil_rep)
    answers = []
    for (user, organisation), (title, amount) in zip(
        pairs[3:5],
        [("Акустический контроль пульпопровода", "18000000.00"), ("Волоконно-оптический мониторинг труб", "24000000.00")],
        strict=True,
    ):  # fmt: skip
        answers.append(
            challenges.answer_challenge(
                challenge, organisation, by=user, title=title,
                approach="Датчики на опорах трубопровода и модель, обученная на данных фабрики.",
                amount=D(amount), months=12,
            )
        )  # fmt: skip
    challenges.shortlist_answer(answers[0], by=subsoil_rep, comment="Интересно: обсудим пилот на фабрике.")
    result.challenge_answers = len(answers)


def seed_grants_cycle() -> GrantsCycleResult:
    programme = Programme.objects.filter(code=grants_seed.PROGRAMMES[0]["code"]).first()
    if programme is None:
        return GrantsCycleResult(skipped=True)
    today = policy.today()
    year = today.year
    code = f"{year}-3"
    if Call.objects.filter(programme=programme, code=code).exists():
        return GrantsCycleResult(skipped=True, call=code, logins=known_logins())
    users = _users()
    manager, executive = users.get(username=MANAGER), users.get(username=APPROVER)
    chair, subsoil_rep = users.get(username=CHAIR), users.get(username=SUBSOIL_REP)
    result = GrantsCycleResult(call=code)
    with transaction.atomic():
        experts = [_expert(name, "expert", result.logins) for name in EXPERTS]
        officer = _finance_officer(result.logins)
        # The call, replayed at its dates through the commands: entered and published five days
        # before its window opened ~100 days ago, closed ~40 days ago.
        call = grants_seed._call(
            programme, manager, code, -(CLOSED_DAYS_AGO + 60), 60, "100000000.00", "30000000.00",
            title_en=f"Industrial innovation {year}: mining and processing",
            title_ru=f"Индустриальные инновации {year}: добыча и переработка",
            title_kk=f"Индустриялық инновациялар {year}: өндіру және қайта өңдеу",
        )  # fmt: skip
        calls.submit_call(call, by=manager, now=call.opens_at - dt.timedelta(days=5))
        calls.approve_call(call, by=executive, now=call.opens_at - dt.timedelta(days=4))
        financers = list(Organisation.objects.filter(subsoil_user=True).order_by("pk"))
        represented = [o for o in financers if parties.represents(subsoil_rep, o.pk)]
        poster = represented[0]
        others = [o for o in financers if o.pk != poster.pk][:1]
        financer = preselection.add_financer(call, bin=poster.bin, pledged=D("60000000.00"), by=manager)
        for other in others:
            preselection.add_financer(call, bin=other.bin, pledged=D("40000000.00"), by=manager)

        pairs = _representatives(call, len(PLAN), result.logins)
        # Projects started 35 days ago: award A's first milestone fell due 3 days ago (its report
        # is accepted), award B's 20 days ago (its report is late).
        starts = today - dt.timedelta(days=35)
        apps = {}
        for offset, ((key, title, _status), (user, organisation)) in enumerate(zip(PLAN, pairs, strict=True)):
            app = application_steps.start_application(
                call, organisation, by=user, title=title, now=call.opens_at + dt.timedelta(days=3)
            )
            first_due = today - dt.timedelta(days=20 if key == "award_b" else 3)
            _complete(app, user, starts=starts, first_due=first_due, year=starts.year)
            # Submitted two days before the close, an hour apart.
            submitted = call.closes_at - dt.timedelta(days=2, hours=offset)
            apps[key] = applications.submit_application(app, by=user, now=submitted)

        # The intake.
        intake.return_for_revision(apps["returned"], by=manager, items=RETURN_ITEMS)
        intake.refuse(
            apps["refused"], by=manager,
            reason="Проект не относится к индустриальным инновациям: программа финансирует технологии для "
            "промышленности, а не учётные приложения.",
        )  # fmt: skip
        later = [k for k, _t, status in PLAN if status not in (S.SUBMITTED, S.RETURNED, S.INELIGIBLE)]
        for key in later:
            intake.accept(apps[key], by=manager)
        # The pre-selection by the financing subsoil user.
        for key in later:
            interested = key != "not_preselected"
            preselection.mark(
                apps[key], financer, by=subsoil_rep, interested=interested,
                amount=REQUESTED if interested else D("0"),
                comment="Готовы финансировать пилот." if interested else "Не соответствует нашим задачам.",
            )  # fmt: skip
        preselection.close_preselection(call, by=manager)
        # The expert commission.
        for key in ("expertise", "decision", "declined", "award_a", "award_b"):
            app = apps[key]
            # The third expert is assigned only where they declare a conflict (recused).
            for number, user in enumerate(experts if key == "expertise" else experts[:2]):
                assignment = expertise.assign(app, user, by=manager)
                if number == 2:
                    expertise.declare_conflict(
                        assignment, by=user, has_conflict=True,
                        details="Работал в организации заявителя в прошлом году.",
                    )  # fmt: skip
                    result.recused += 1
                    continue
                if key == "expertise":
                    value = HIGH if number == 0 else LOW
                elif key == "declined":
                    value = LOW
                else:
                    value = HIGH if number == 0 else MID
                _review(assignment, user, value)
                result.reviews += 1
            if key == "expertise":
                continue
            opinion = "inexpedient" if key == "declined" else "expedient"
            expertise.give_opinion(
                app, opinion=opinion, by=chair, number=_next_decision("expert_commission", f"ЭК-{year}/"),
                decided_on=today, basis=BASIS,
            )  # fmt: skip
        # The awards: the Fund executive's decisions, the advances paid.
        made = []
        for key in ("award_a", "award_b"):
            made.append(
                awards.decide_and_award(
                    apps[key], amount=REQUESTED, number=_next_decision("fund_executive", f"ФД-{year}/"),
                    decided_on=today, basis=BASIS, by=executive,
                )
            )  # fmt: skip
        for award in made:
            tranches.pay(award.tranches.get(position=1), on=today, by=officer)
        # Award A: the first milestone's report submitted, accepted; the second tranche paid.
        award_a = made[0]
        report = award_a.reports.get(kind=GranteeReport.Kind.MILESTONE, milestone__position=1)
        reports.submit_report(
            report, by=pairs[[key for key, _t, _s in PLAN].index("award_a")][0],
            text="Лабораторные испытания завершены: точность сортировки 94%, отчёт приложен.",
        )  # fmt: skip
        reports.accept_report(report, by=manager, comment="Этап выполнен.")
        tranches.pay(Tranche.objects.get(award=award_a, milestone=report.milestone), on=today, by=officer)
        result.awards = len(made)
        for award in made:
            award.commitment.refresh_from_db()
            result.disbursed += award.commitment.disbursed

        # The open call and the challenge.
        open_call = Call.objects.filter(
            programme=programme, code=f"{year}-1", status=CallStatus.PUBLISHED
        ).first()
        if open_call is not None and open_call.is_open():
            _open_call_applications(open_call, pairs, result, today)
            _challenge(poster, open_call, pairs, result, timezone.now())
    for status in ProjectApplication.objects.filter(call=call).values_list("status", flat=True):
        result.by_status[status] = result.by_status.get(status, 0) + 1
    return result
