"""Demo foreign specialists, every step through the workforce commands: specialists of the Fund
itself and of two participants, with requests in several states — approved and active (letters
issued), returned for revision (itemised), refused (grounds), checked, and one past its decision
deadline — so the HR officer's and the employers' pages have data.

Needs ``seed_foundation`` (the HR officer) and ``seed_applications_demo`` (the demo representative
acting for a registered participant). Idempotent: when any request exists, nothing is added."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from innocluster.core.access.services import grant_role
from innocluster.core.audit.services import record_event
from innocluster.core.calendar import is_working_day
from innocluster.core.policy import values as policy
from innocluster.parties import selectors as parties
from innocluster.parties.models import Activity, Organisation, Region, Representative
from innocluster.parties.services import claims
from innocluster.parties.services import register as party_services
from innocluster.registry.models import Participant
from innocluster.seed.applications import demo_pdf
from innocluster.seed.foundation import demo_admin_password
from innocluster.workforce.models import EngagementRequest
from innocluster.workforce.selectors.requests import required_kinds
from innocluster.workforce.services import documents, requests, specialists

S = EngagementRequest.Status
SECOND_EMPLOYER_REP = "employer-rep"

# (employer: fund | first | second, specialist, request, state)
PEOPLE = {
    "fund-active": (
        {"surname_latin": "MUELLER", "given_names_latin": "ANNA MARIA", "full_name_cyrillic": "Мюллер Анна Мария",
         "citizenship": "DE", "date_of_birth": dt.date(1984, 3, 9), "passport_number": "C4F7K2L91",
         "education": "PhD in Computer Science, Technical University of Munich (2012)",
         "qualification": "Research director, natural language processing", "experience_years": 14},
        {"position": "Director of the applied research centre", "occupation_code": "1223-0-001", "category": "manager",
         "monthly_salary": Decimal("3800000.00"),
         "justification": "The Fund's research centre needs a director who has led industrial NLP research."},
    ),
    "fund-overdue": (
        {"surname_latin": "NAKAMURA", "given_names_latin": "KENJI", "full_name_cyrillic": "Накамура Кэндзи",
         "citizenship": "JP", "date_of_birth": dt.date(1990, 11, 21), "passport_number": "TR8841207",
         "education": "MEng Robotics, University of Tokyo (2015)", "qualification": "Robotics engineer",
         "experience_years": 9},
        {"position": "Senior robotics engineer", "occupation_code": "2149-1-004", "category": "specialist",
         "monthly_salary": Decimal("2100000.00"),
         "justification": "The technology park's prototyping workshop has no engineer for industrial manipulators."},
    ),
    "first-returned": (
        {"surname_latin": "SMITH", "given_names_latin": "JOHN", "full_name_cyrillic": "Смит Джон",
         "citizenship": "GB", "date_of_birth": dt.date(1988, 6, 2), "passport_number": "533019284",
         "education": "BSc Software Engineering, University of Manchester (2010)",
         "qualification": "Cloud architect", "experience_years": 13},
        {"position": "Lead cloud architect", "occupation_code": "2511-2-003", "category": "specialist",
         "monthly_salary": Decimal("2600000.00"),
         "justification": "The company migrates public-service systems to its cloud and no local architect applied."},
    ),
    "first-refused": (
        {"surname_latin": "ROSSI", "given_names_latin": "LUCA", "full_name_cyrillic": "Росси Лука",
         "citizenship": "IT", "date_of_birth": dt.date(1995, 1, 17), "passport_number": "YA2210934",
         "education": "Diploma of a technical college, Milan (2015)", "qualification": "Network technician",
         "experience_years": 4},
        {"position": "Network technician", "occupation_code": "3513-1-001", "category": "qualified_worker",
         "monthly_salary": Decimal("650000.00"),
         "justification": "The company needs a technician for its office network."},
    ),
    "second-active": (
        {"surname_latin": "KIM", "given_names_latin": "MINJUN", "full_name_cyrillic": "Ким Минджун",
         "citizenship": "KR", "date_of_birth": dt.date(1987, 8, 30), "passport_number": "M70315592",
         "education": "MS Electrical Engineering, KAIST (2012)", "qualification": "Chip design engineer",
         "experience_years": 11},
        {"position": "Chief chip design engineer", "occupation_code": "2152-1-002", "category": "specialist",
         "monthly_salary": Decimal("3100000.00"),
         "justification": "The company designs sensor chips; the post needs ten years of tape-out experience."},
    ),
    "second-checked": (
        {"surname_latin": "OZTURK", "given_names_latin": "AYSE",
         "full_name_cyrillic": "Озтюрк Айше", "citizenship": "TR", "date_of_birth": dt.date(1992, 4, 5),
         "passport_number": "U18273645", "education": "MSc Data Science, METU (2017)",
         "qualification": "Data engineer", "experience_years": 7},
        {"position": "Data engineer", "occupation_code": "2521-0-002", "category": "specialist",
         "monthly_salary": Decimal("1900000.00"),
         "justification": "The analytics team needs an engineer with streaming data platforms experience."},
    ),
}  # fmt: skip
PLAN = [
    ("fund", "fund-active", S.ACTIVE),
    ("fund", "fund-overdue", "overdue"),
    ("first", "first-returned", S.RETURNED),
    ("first", "first-refused", S.REFUSED),
    ("second", "second-active", S.ACTIVE),
    ("second", "second-checked", S.CHECKED),
]


@dataclass
class WorkforceDemo:
    skipped: bool = False
    specialists: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def _working_days_before(today: dt.date, n: int) -> dt.date:
    day, left = today, n
    while left > 0:
        day -= dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _fund() -> Organisation:
    found = parties.organisation_by_bin(settings.INNOCLUSTER_FUND_BIN)
    if found is not None:
        return found
    region = Region.objects.filter(kato="710000000").first() or Region.objects.order_by("kato").first()
    activity = Activity.objects.filter(oked="72").first() or Activity.objects.order_by("oked").first()
    return party_services.create_organisation(
        bin=settings.INNOCLUSTER_FUND_BIN,
        name_kk=settings.INNOCLUSTER_FUND_NAME["kk"],
        name_ru=settings.INNOCLUSTER_FUND_NAME["ru"],
        name_en=settings.INNOCLUSTER_FUND_NAME["en"],
        legal_form="NJSC",
        region=region,
        activity=activity,
        address="Астана, пр. Мангилик Ел, 55/8",
    )


def _second_employer(registrar):
    """Another registered participant with its own demo representative (``employer-rep``)."""
    User = get_user_model()
    user = User.objects.filter(username=SECOND_EMPLOYER_REP).first()
    if user is None:
        user = User.objects.create_user(
            SECOND_EMPLOYER_REP, f"{SECOND_EMPLOYER_REP}@innocluster.example", demo_admin_password()
        )
        record_event(
            action="account.created",
            obj=user,
            changes={"username": [None, user.username]},
            reason="demo account",
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        grant_role(user=user, role="participant_rep", reason="demo account")
    mine = parties.organisations_of(user).first()
    if mine is not None:
        return user, mine
    participant = (
        Participant.objects.filter(status=Participant.Status.REGISTERED, organisation__isnull=False)
        .exclude(organisation__representatives__active=True)
        .order_by("number")
        .first()
    )
    if participant is None:
        return user, None
    claim = claims.file_claim(
        participant.organisation,
        by=user,
        role=Representative.Role.HEAD,
        uploaded_file=SimpleUploadedFile("charter.pdf", demo_pdf(f"{SECOND_EMPLOYER_REP} charter")),
    )
    claims.confirm_claim(claim, by=registrar, reason="Устав проверен.")
    return user, participant.organisation


def _first_employer():
    user = _user("participant-rep")
    registered = Participant.objects.filter(
        organisation__in=parties.organisations_of(user), status=Participant.Status.REGISTERED
    ).first()
    return user, registered.organisation if registered else None


@transaction.atomic
def seed_workforce_demo(today: dt.date | None = None) -> WorkforceDemo:
    if EngagementRequest.objects.exists():
        return WorkforceDemo(skipped=True)
    today = today or policy.today()
    hr, registrar = _user("hr-officer"), _user("registrar")
    employers = {"fund": (hr, _fund()), "first": _first_employer(), "second": _second_employer(registrar)}
    result = WorkforceDemo()
    start = today + dt.timedelta(days=30)
    for employer_key, person_key, state in PLAN:
        by, employer = employers[employer_key]
        if employer is None:
            continue
        person_fields, request_fields = PEOPLE[person_key]
        person = specialists.register_specialist(
            by=by,
            employer=employer,
            passport_expiry=today.replace(year=today.year + 7, day=1),
            **person_fields,
        )
        result.specialists += 1
        request = requests.start_request(
            by=by,
            specialist=person,
            contract_start=start,
            contract_end=start.replace(year=start.year + 2, day=1) - dt.timedelta(days=1),
            **request_fields,
        )
        for kind in required_kinds(today):
            name = f"{person_key}-{kind.code}"
            upload = SimpleUploadedFile(f"{kind.code}.pdf", demo_pdf(name), content_type="application/pdf")
            documents.upload_document(request, kind.code, upload, by=by)
        if state == "overdue":
            requests.submit(request, by=by, on=_working_days_before(today, 8))
        else:
            requests.submit(request, by=by, on=_working_days_before(today, 4))
        if state == S.RETURNED:
            requests.return_for_revision(
                request,
                by=hr,
                items=[
                    ("cv_experience", "Приложите рекомендательные письма с предыдущих мест работы."),
                    ("employment_offer", "В проекте договора не указан размер заработной платы."),
                ],
            )
        elif state == S.REFUSED:
            requests.refuse(
                request,
                by=hr,
                grounds="Должность не требует привлечения иностранного специалиста: квалификация доступна на рынке труда.",
                on=_working_days_before(today, 2),
            )
        elif state in (S.CHECKED, S.ACTIVE):
            requests.check(request, by=hr, on=_working_days_before(today, 3))
            if state == S.ACTIVE:
                requests.approve(request, by=hr, on=_working_days_before(today, 2))
                requests.activate(request, by=hr, visa_valid_until=request.contract_end)
        request.refresh_from_db()
        result.by_status[request.status] = result.by_status.get(request.status, 0) + 1
    return result
