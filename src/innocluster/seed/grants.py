"""Demo programmes and calls, every step through the grants commands: a grants programme for
industrial innovation (on the ledger's ``GRANTS`` line, levy money) with one published call open
now and one submitted and waiting for approval, and an acceleration programme (``ACCEL``, state
budget) with one draft.

Needs ``seed_foundation`` (the programme manager and the Fund executive, who approves). The budget
lines and this year's budgets are the finance seed's; a line or budget missing is set here.
Idempotent: when the first programme exists, nothing is added."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from innocluster.core.calendar import ALMATY
from innocluster.finance.models import FundSource
from innocluster.finance.services.budgets import revise_budget
from innocluster.grants import selectors
from innocluster.grants.models import Programme
from innocluster.grants.services import calls, programmes

D = Decimal
MANAGER = "programme-manager"
APPROVER = "fund-executive"

PROGRAMMES = (
    {
        "code": "IND-INNOV", "kind": Programme.Kind.GRANT, "fund_source": FundSource.LEVY, "budget_line_code": "GRANTS",
        "title_en": "Grants for industrial innovation",
        "title_ru": "Гранты на индустриальные инновации",
        "title_kk": "Индустриялық инновацияларға арналған гранттар",
        "description_en": "Grants to participants for new products and processes in industry, from the subsoil users' levy.",
        "description_ru": "Гранты участникам на новые продукты и процессы в промышленности за счёт отчислений недропользователей.",
        "description_kk": "Жер қойнауын пайдаланушылардың аударымдары есебінен өнеркәсіптегі жаңа өнімдер мен процестерге қатысушыларға гранттар.",
        "budget": D("600000000.00"),
    },
    {
        "code": "ACCEL", "kind": Programme.Kind.ACCELERATION, "fund_source": FundSource.STATE_BUDGET,
        "budget_line_code": "ACCEL",
        "title_en": "Acceleration programme", "title_ru": "Программа акселерации", "title_kk": "Акселерация бағдарламасы",
        "description_en": "Three to six months of mentoring and a small grant for early-stage teams.",
        "description_ru": "От трёх до шести месяцев менторства и небольшой грант для команд на ранней стадии.",
        "description_kk": "Ерте кезеңдегі командаларға үш айдан алты айға дейін тәлімгерлік және шағын грант.",
        "budget": D("120000000.00"),
    },
)  # fmt: skip

DOCUMENTS = [
    {"code": "application_form", "title_en": "Application form", "title_ru": "Заявка по форме",
     "title_kk": "Нысан бойынша өтінім", "required": True},
    {"code": "business_plan", "title_en": "Business plan", "title_ru": "Бизнес-план", "title_kk": "Бизнес-жоспар",
     "required": True},
    {"code": "cofinancing_proof", "title_en": "Proof of co-financing", "title_ru": "Подтверждение софинансирования",
     "title_kk": "Қоса қаржыландыруды растау", "required": True},
    {"code": "support_letters", "title_en": "Letters of support", "title_ru": "Письма поддержки",
     "title_kk": "Қолдау хаттары", "required": False},
]  # fmt: skip

CRITERIA = [
    {"code": "novelty", "title_en": "Novelty of the technology", "title_ru": "Новизна технологии",
     "title_kk": "Технологияның жаңалығы", "weight": "30", "scale_max": 10},
    {"code": "market", "title_en": "Market and sales", "title_ru": "Рынок и продажи",
     "title_kk": "Нарық және сату", "weight": "25", "scale_max": 10},
    {"code": "team", "title_en": "Team", "title_ru": "Команда", "title_kk": "Команда", "weight": "20",
     "scale_max": 10},
    {"code": "impact", "title_en": "Jobs and impact on the region", "title_ru": "Рабочие места и эффект для региона",
     "title_kk": "Жұмыс орындары және өңірге әсері", "weight": "25", "scale_max": 10},
]  # fmt: skip


@dataclass
class GrantsResult:
    skipped: bool = False
    programmes: int = 0
    by_status: dict = field(default_factory=dict)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=ALMATY)


def _call(
    programme, by, code: str, opens_days: int, length_days: int, budget: str, max_amount: str, **titles
):
    today = timezone.now().astimezone(ALMATY).date()
    opens = _at(today + dt.timedelta(days=opens_days), 10)
    call = calls.create_call(
        programme,
        code=code,
        by=by,
        opens_at=opens,
        closes_at=_at(opens.date() + dt.timedelta(days=length_days), 18),
        year=today.year,
        budget=D(budget),
        max_amount=D(max_amount),
        max_months=24,
        cofinancing_share=D("0.2"),
        eligible_categories=["company", "science_org", "technology_centre"],
        **titles,
    )
    calls.set_documents(call, DOCUMENTS, by=by)
    calls.set_criteria(call, CRITERIA, by=by)
    return call


def seed_grants_demo() -> GrantsResult:
    if Programme.objects.filter(code=PROGRAMMES[0]["code"]).exists():
        return GrantsResult(skipped=True)
    users = get_user_model().objects
    manager, approver = users.get(username=MANAGER), users.get(username=APPROVER)
    year = timezone.now().astimezone(ALMATY).year
    result = GrantsResult()
    with transaction.atomic():
        made = {}
        for spec in PROGRAMMES:
            spec = dict(spec)
            amount = spec.pop("budget")
            programme = programmes.create_programme(by=manager, **spec)
            if selectors.programme_budget(programme, year) is None:
                revise_budget(programme.budget_line, year, programme.fund_source, amount,
                              reason="Бюджет на год утверждён Управляющим комитетом")  # fmt: skip
            made[spec["code"]] = programme
        result.programmes = len(made)
        open_call = _call(
            made["IND-INNOV"], manager, f"{year}-1", -10, 60, "200000000.00", "30000000.00",
            title_en=f"Industrial innovation {year}: first call",
            title_ru=f"Индустриальные инновации {year}: первый конкурс",
            title_kk=f"Индустриялық инновациялар {year}: бірінші конкурс",
            summary_en="Grants of up to 30 million tenge for new products and processes in industry.",
            summary_ru="Гранты до 30 млн тенге на новые продукты и процессы в промышленности.",
            summary_kk="Өнеркәсіптегі жаңа өнімдер мен процестерге 30 млн теңгеге дейінгі гранттар.",
        )  # fmt: skip
        calls.submit_call(open_call, by=manager)
        calls.approve_call(open_call, by=approver)
        waiting = _call(
            made["IND-INNOV"], manager, f"{year}-2", 20, 45, "150000000.00", "50000000.00",
            title_en=f"Industrial innovation {year}: digital plants",
            title_ru=f"Индустриальные инновации {year}: цифровые заводы",
            title_kk=f"Индустриялық инновациялар {year}: цифрлық зауыттар",
        )  # fmt: skip
        calls.submit_call(waiting, by=manager)
        _call(
            made["ACCEL"], manager, f"{year}-A1", 60, 30, "40000000.00", "5000000.00",
            title_en=f"Acceleration {year}: autumn intake",
            title_ru=f"Акселерация {year}: осенний набор",
            title_kk=f"Акселерация {year}: күзгі қабылдау",
        )  # fmt: skip
    from innocluster.grants.models import Call

    for status in Call.objects.values_list("status", flat=True):
        result.by_status[status] = result.by_status.get(status, 0) + 1
    return result
