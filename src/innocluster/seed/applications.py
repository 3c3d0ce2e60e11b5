"""Demo applications in every state of the workflow, made through the services.

Each application has its own applicant account (one application in progress per applicant), so
the plan below is keyed by username and a second run skips what exists. Dates are set relative to
the day the demo is built, so the queues always hold some applications inside their deadlines and
some overdue. The demo's own ``participant-rep`` account gets an application returned for revision
and represents a registered organisation with an annual report, so every portal page has content.

Every applicant claims authority over their organisation with a (demo) charter; the registrar
confirms the claims of applications that went further than a draft, so the drafts' claims wait in
the registrar's queue.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from innocluster.core.access.services import grant_role
from innocluster.core.audit.services import record_event
from innocluster.core.calendar import add_working_days, is_working_day
from innocluster.core.policy import values as policy
from innocluster.parties import selectors as parties
from innocluster.parties.models import Representative
from innocluster.parties.services import claims
from innocluster.registry.models import Application, Participant, ParticipantCategory
from innocluster.registry.services import applications as app_services
from innocluster.registry.services import commission as commission_services
from innocluster.registry.services import moderation
from innocluster.registry.services.documents import required_kinds, upload_document
from innocluster.registry.services.register import load_reference_data

from .foundation import demo_admin_password
from .registry import DEMO_SEED, DEMO_SERIALS, Generator, Reference

S = Application.Status


def demo_pdf(text: str) -> bytes:
    """A small well-formed PDF whose content differs by ``text`` (each upload is its own file)."""
    body = text.encode("ascii", "replace")
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"% " + body + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


# (username, final state, working days ago it was (last) submitted, category code)
PLAN = [
    ("applicant-01", S.DRAFT, None, "company"),
    ("applicant-02", S.DRAFT, None, "science_org"),
    ("applicant-03", S.MODERATION, 1, "company"),
    ("applicant-04", S.MODERATION, 3, "technology_centre"),
    ("applicant-05", S.MODERATION, 9, "company"),  # overdue: 5 working days have passed
    ("participant-rep", S.RETURNED, 4, "company"),
    ("applicant-06", S.RETURNED, 6, "education_org"),
    ("applicant-07", S.COMMISSION, 4, "company"),
    ("applicant-08", S.COMMISSION, 7, "venture_fund"),
    ("applicant-09", S.COMMISSION, 18, "company"),  # overdue: past the 15-day total
    ("applicant-10", S.APPROVED, 12, "company"),
    ("applicant-11", S.APPROVED, 14, "science_org"),
    ("applicant-12", S.REJECTED, 13, "company"),
    ("applicant-13", S.REJECTED, 20, "transnational_corporation"),
    ("applicant-14", S.AGREEMENT_SIGNED, 25, "company"),
    ("applicant-15", S.REGISTERED, 30, "company"),
    ("applicant-16", S.REGISTERED, 40, "foreign_investment_fund"),
]

RETURN_ITEMS = [
    ("Бизнес-план", "Добавьте финансовую модель на три года и источники финансирования проекта."),
    ("Адрес", "Укажите юридический адрес в соответствии со справкой о государственной регистрации."),
]
# Demo projects (Law 207-V art. 1: measures carried out within a defined period): title, summary,
# priority activities (OKED), measures as (title, first month, last month, expected result) counted
# from the project's start, budget lines as (item, year of the project from 0, amount in KZT).
PROJECTS = [
    (
        "Qazaq Speech: обработка обращений граждан на казахском языке",
        "Платформа обработки обращений граждан на казахском и русском языках: распознавание речи, "
        "классификация и маршрутизация обращений в государственные органы. Пилот в Астане.",
        ("62", "63"),
        [
            ("Корпус устных обращений на казахском языке", 0, 5, "1 500 часов размеченной речи"),
            ("Модель распознавания речи", 4, 11, "Доля ошибок в словах не более 12%"),
            ("Пилот в центрах обслуживания населения Астаны", 12, 20, "50 000 обращений без оператора"),
        ],
        [
            ("Оплата труда разработчиков", 0, "86400000.00"),
            ("Аренда вычислительных мощностей (GPU)", 0, "18750000.00"),
            ("Оплата труда разработчиков", 1, "91200000.00"),
            ("Внедрение и обучение операторов", 1, "12300000.00"),
        ],
    ),
    (
        "AgroSat: спутниковый мониторинг посевов Северного Казахстана",
        "Сервис оценки состояния посевов пшеницы по спутниковым снимкам для хозяйств Акмолинской и "
        "Северо-Казахстанской областей: прогноз урожайности и раннее выявление засухи.",
        ("62", "72"),
        [
            ("Набор размеченных снимков и полевых данных", 0, 6, "Данные по 400 полям за три сезона"),
            ("Модель прогноза урожайности", 5, 14, "Ошибка прогноза не более 10%"),
            ("Запуск сервиса для хозяйств", 15, 23, "120 хозяйств-подписчиков"),
        ],
        [
            ("Научные исследования и разработки", 0, "64000000.00"),
            ("Полевые измерения", 0, "9800000.00"),
            ("Научные исследования и разработки", 1, "58500000.00"),
        ],
    ),
    (
        "EduTil: адаптивная платформа изучения казахского языка",
        "Онлайн-платформа для школьников и взрослых, подбирающая упражнения по уровню ученика; "
        "методика разработана вместе с педагогическим университетом.",
        ("62", "85"),
        [
            ("Методика и банк заданий уровней A1–B2", 0, 7, "6 000 заданий, одобренных методистами"),
            ("Адаптивный движок и мобильное приложение", 6, 15, "Приложение в App Store и Google Play"),
        ],
        [
            ("Разработка методики", 0, "21600000.00"),
            ("Разработка программного обеспечения", 0, "38400000.00"),
            ("Разработка программного обеспечения", 1, "27000000.00"),
        ],
    ),
    (
        "GeoCore: цифровая модель месторождения для малых недропользователей",
        "Программный комплекс построения трёхмерной геологической модели по данным бурения и "
        "геофизики для небольших горнорудных компаний Карагандинской области.",
        ("62", "71", "72"),
        [
            ("Модуль загрузки данных бурения и геофизики", 0, 5, "Поддержка 5 форматов данных"),
            ("Ядро трёхмерного моделирования", 3, 13, "Модель месторождения за 1 рабочий день"),
            ("Опытная эксплуатация у двух недропользователей", 14, 20, "Два акта внедрения"),
        ],
        [
            ("Оплата труда инженеров и геологов", 0, "73500000.00"),
            ("Лицензии и оборудование", 0, "15200000.50"),
            ("Оплата труда инженеров и геологов", 1, "69000000.00"),
        ],
    ),
]


def _month(start: date, months: int, *, last: bool = False) -> date:
    """The first (or last) day of the month ``months`` after ``start``'s month."""
    year, month = divmod(start.month - 1 + months, 12)
    first = date(start.year + year, month + 1, 1)
    if not last:
        return first
    year, month = divmod(first.month, 12)
    return date(first.year + year, month + 1, 1) - timedelta(days=1)


def project_fields(number: int, starts: date, *, complete: bool = True) -> dict:
    """A demo project for ``save_project``, starting on the first of ``starts``'s month; an
    incomplete one (a draft's) has its period and activities but no measures or budget yet."""
    title, summary, activities, measures, budget = PROJECTS[number % len(PROJECTS)]
    start = _month(starts, 0)
    end = _month(start, max(m[2] for m in measures), last=True)
    fields = {
        "project_title": title,
        "project_summary": summary,
        "project_starts_on": start,
        "project_ends_on": end,
        "priority_activities": list(activities),
    }
    if complete:
        fields["measures"] = [
            {
                "title": name,
                "starts_on": _month(start, first),
                "ends_on": _month(start, last, last=True),
                "expected_result": result,
            }
            for name, first, last, result in measures
        ]
        fields["budget"] = [
            {"item": item, "year": start.year + year, "amount": Decimal(amount)}
            for item, year, amount in budget
        ]
    return fields


@dataclass
class ApplicationsResult:
    applications: int = 0
    skipped: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def _working_days_before(today: date, n: int) -> date:
    day, left = today, n
    while left > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def _applicant(username: str):
    """The applicant's account: verified e-mail and the participant representative role."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = User.objects.create_user(username, f"{username}@innocluster.example", demo_admin_password())
    record_event(
        action="account.created", obj=user, changes={"username": [None, username]}, reason="demo account"
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    grant_role(user=user, role="participant_rep", reason="demo account")
    return user, True


def _staff(username: str):
    return get_user_model().objects.get(username=username)


@transaction.atomic
def seed_applications_demo(today: date | None = None) -> ApplicationsResult:
    """Applications in every state (see ``PLAN``); needs ``seed_foundation`` and the register first."""
    load_reference_data()
    today = today or timezone.localdate(timezone=policy.ALMATY)
    registrar, commission = _staff("registrar"), _staff("commission-member")
    ref = Reference.load()
    gen = Generator(
        ref,
        seed=DEMO_SEED + 7,
        serials=DEMO_SERIALS,
        taken_bins=parties.taken_bins(),
    )
    result = ApplicationsResult()
    decisions = 0
    for username, state, days_ago, category_code in PLAN:
        category = ParticipantCategory.objects.get(code=category_code)
        organisation_plan = gen.organisation(category)  # drawn every time: the plan stays stable
        applicant, _created = _applicant(username)
        if Application.objects.filter(applicant=applicant).exists():
            result.skipped += 1
            continue
        fields = organisation_plan.fields | {
            "state_share": Decimal(0),
            "subsoil_user": False,
            "sez_participant": False,
            "excisable_goods": False,
            "general_tax_regime": True,
        }
        application = app_services.start_application(by=applicant, category=category)
        app_services.save_organisation(
            application, by=applicant, authority_document=_charter(username), **fields
        )
        if state != S.DRAFT:
            claim = parties.pending_claim(applicant, application.organisation_id)
            claims.confirm_claim(claim, by=registrar, reason="Устав проверен.")
        if state != S.DRAFT or username.endswith("1"):
            # A draft's project is unfinished: its review step lists what is still missing.
            fields = project_fields(
                len(result.by_status) + result.applications, today, complete=state != S.DRAFT
            )
            app_services.save_project(application, by=applicant, **fields)
        if state != S.DRAFT:
            for kind in required_kinds(application):
                upload_document(
                    application,
                    kind.code,
                    SimpleUploadedFile(f"{kind.code}.pdf", demo_pdf(f"{username} {kind.code}")),
                    by=applicant,
                )
            submitted = _working_days_before(today, days_ago)
            app_services.submit(application, by=applicant, on=submitted)
            if state == S.RETURNED:
                moderation.return_for_revision(application, by=registrar, items=RETURN_ITEMS)
            elif state != S.MODERATION:
                accepted = add_working_days(submitted, 2)
                moderation.accept(application, by=registrar, on=min(accepted, today))
                if state != S.COMMISSION:
                    decisions += 1
                    approve = state != S.REJECTED
                    commission_services.decide_batch(
                        [application],
                        by=commission,
                        approve=approve,
                        number=f"ДЕМО-{today.year}-{decisions:03d}-{application.pk}",
                        decided_on=min(add_working_days(submitted, 6), today),
                        # A real provision: the Fund's rules (order 703 of 31.12.2025) are adopted
                        # under art. 9 para 4 subpara 4) of Law 207-V as amended; the law itself
                        # has no article on the commission's decision.
                        basis=(
                            "Закон № 207-V, ст. 9 п. 4 подп. 4); Правила деятельности автономного "
                            "кластерного фонда «Астана Хаб» (приказ № 703 от 31.12.2025)"
                        ),
                        meeting_reference=f"Протокол заседания комиссии № {decisions}",
                        reason="" if approve else "Проект не относится к приоритетным направлениям.",
                    )
                    if state in (S.AGREEMENT_SIGNED, S.REGISTERED):
                        application.refresh_from_db()
                        app_services.sign_agreement(
                            application,
                            by=applicant,
                            uploaded_file=SimpleUploadedFile(
                                "agreement-signed.pdf", demo_pdf(f"{username} signed agreement")
                            ),
                        )
                    if state == S.REGISTERED:
                        moderation.issue_certificate(application, by=registrar, on=today)
        application.refresh_from_db()
        assert application.status == state, (username, application.status, state)
        result.applications += 1
        result.by_status[state] = result.by_status.get(state, 0) + 1
    _give_participant_rep_a_member(today)
    return result


def _charter(username: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("charter.pdf", demo_pdf(f"{username} charter"))


def _give_participant_rep_a_member(today: date) -> None:
    """The demo representative also acts for one registered organisation with an annual report
    (their claim of authority confirmed by the registrar)."""
    from innocluster.registry.services.compliance import file_report

    user = get_user_model().objects.get(username="participant-rep")
    if Participant.objects.filter(
        organisation__in=parties.organisations_of(user), organisation__isnull=False
    ).exists():
        return
    participant = (
        Participant.objects.filter(status=Participant.Status.REGISTERED, organisation__isnull=False)
        .exclude(organisation__representatives__active=True)
        .order_by("number")
        .first()
    )
    if participant is None:
        return
    claim = claims.file_claim(
        participant.organisation,
        by=user,
        role=Representative.Role.HEAD,
        uploaded_file=_charter("participant-rep-2"),
    )
    claims.confirm_claim(claim, by=_staff("registrar"), reason="Устав проверен.")
    year = today.year - 1
    if participant.registered_on.year <= year:
        file_report(
            participant,
            year=year,
            revenue=Decimal("184500000.00"),
            priority_revenue=Decimal("171200000.00"),
            staff_count=38,
            rd_spend=Decimal("22400000.00"),
            exports=Decimal("41750000.00"),
            by=user,
        )
