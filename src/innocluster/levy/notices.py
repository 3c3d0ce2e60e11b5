"""The levy's notices to a subsoil user, as PDF: the **assessment notice** (what an obligation is
and how to pay it), the **reminder** (what is still outstanding before or on the due date) and the
**arrears notice** (outstanding after the due date, with the days past due).

Official papers: Kazakh and Russian side by side (as ``registry.pdf``), the wording in the template
(``levy/notices/notice.html``), not in the catalogues, so a notice does not follow the reader's UI
language. Each carries the Fund's payment details (``settings.INNOCLUSTER_LEVY_PAYEE``: BIN, IBAN,
BIC, bank, КБе, КНП), the payment reference ``LEVY-Y-NNNNNN`` to write in the purpose of payment,
the amount in figures and in words (kk and ru, ``core.money.amount_in_words``), the rate and the
holder's share as percentages (``core.templatetags.money.format_percent``) and the due date.
Its help paragraph says whether the regime defines a penalty (``levy.penalty_rate_per_day``: none
today, and the notice says so rather than threaten one)."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from innocluster.core.money import amount_in_words, format_kzt
from innocluster.core.policy import values as policy
from innocluster.core.policy.formulas import formula
from innocluster.core.templatetags.money import format_percent
from innocluster.levy.selectors.obligations import outstanding

ASSESSMENT = "assessment"
REMINDER = "reminder"
ARREARS = "arrears"
KINDS = (ASSESSMENT, REMINDER, ARREARS)
TITLES = {
    ASSESSMENT: {"kk": "Аударымдарды есептеу туралы хабарлама", "ru": "Уведомление о начислении отчислений"},
    REMINDER: {"kk": "Аударымдарды төлеу туралы еске салу", "ru": "Напоминание об уплате отчислений"},
    ARREARS: {
        "kk": "Аударымдар бойынша берешек туралы хабарлама",
        "ru": "Уведомление о задолженности по отчислениям",
    },
}


def _date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def payee() -> dict[str, str]:
    """The Fund's payment details with its name in both languages."""
    names = getattr(settings, "INNOCLUSTER_FUND_NAME", {})
    return {**settings.INNOCLUSTER_LEVY_PAYEE, "name_kk": names.get("kk", ""), "name_ru": names.get("ru", "")}


def penalty_rate(on: dt.date, regime: str | None = None) -> Decimal | None:
    """The regime's penalty per day on ``on``; None when it defines none (an explicit null row,
    today's case). A missing row raises ``NoValueInForce``: absence never means "no penalty"."""
    value = policy.value("levy.penalty_rate_per_day", on=on, regime=regime)
    return Decimal(str(value)) if value is not None else None


@formula("levy.penalty_rate")
def penalty_rate_formula(*, on: dt.date, regime: str | None = None) -> Decimal | None:
    """Law cases: the penalty per day a notice dated ``on`` states (None: the regime defines none)."""
    return penalty_rate(on, regime=regime)


def context(obligation, kind: str, *, today: dt.date | None = None) -> dict:
    """What a notice prints. The assessment notice states the obligation's amount; the reminder
    and the arrears notice what is outstanding today."""
    if kind not in KINDS:
        raise ValueError(f"notice kind {kind!r} is not one of {KINDS}")
    today = today or policy.today()
    owed = outstanding(obligation)
    amount = obligation.amount if kind == ASSESSMENT else owed
    holder, contract = obligation.holder, obligation.contract
    rate = penalty_rate(today)
    return {
        "kind": kind,
        "title": TITLES[kind],
        "obligation": obligation,
        "holder": {"name_kk": holder.name_kk or holder.name_ru, "name_ru": holder.name_ru, "bin": holder.bin},
        "contract": contract,
        "payee": payee(),
        "reference": obligation.reference,
        "amount": amount,
        "amount_kk": format_kzt(amount, "kk"),
        "amount_ru": format_kzt(amount, "ru"),
        "words_kk": amount_in_words(amount, "kk"),
        "words_ru": amount_in_words(amount, "ru"),
        "obligation_amount_kk": format_kzt(obligation.amount, "kk"),
        "obligation_amount_ru": format_kzt(obligation.amount, "ru"),
        "settled_kk": format_kzt(obligation.amount - owed + obligation.released, "kk"),
        "settled_ru": format_kzt(obligation.amount - owed + obligation.released, "ru"),
        "base_kk": format_kzt(obligation.base, "kk"),
        "base_ru": format_kzt(obligation.base, "ru"),
        "rate_percent_kk": format_percent(obligation.rate, language="kk"),
        "rate_percent_ru": format_percent(obligation.rate, language="ru"),
        "share_percent_kk": format_percent(obligation.share, language="kk"),
        "share_percent_ru": format_percent(obligation.share, language="ru"),
        "due_date": _date(obligation.due_date),
        "days_past_due": max((today - obligation.due_date).days, 0),
        "overdue": today > obligation.due_date,
        "penalty_rate": rate,
        "penalty_percent_kk": format_percent(rate, language="kk"),
        "penalty_percent_ru": format_percent(rate, language="ru"),
        "issued": _date(today),
        "base_year": obligation.year - 1,
    }


def available(obligation, kind: str, *, today: dt.date | None = None) -> bool:
    """Whether ``obligation`` has a notice of ``kind``: the assessment notice and the reminder
    always; the arrears notice only past the due date with something outstanding."""
    if kind not in KINDS:
        return False
    if kind != ARREARS:
        return True
    return (today or policy.today()) > obligation.due_date and outstanding(obligation) > 0


def notice_pdf(obligation, kind: str, *, today: dt.date | None = None) -> bytes:
    html = render_to_string("levy/notices/notice.html", context(obligation, kind, today=today))
    # No base URL: the template is self-contained and nothing is fetched while rendering.
    return HTML(string=html).write_pdf()


def filename(obligation, kind: str) -> str:
    return f"{obligation.reference}-{kind}.pdf"
