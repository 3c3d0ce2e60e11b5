"""Demo finance data, every tenge through the finance commands: the Fund's bank accounts, budgets,
the subsoil users' levy (``seed.levy``: contracts, declarations, obligations, past years' payments),
grant commitments and tranches, bank statements imported from a generated CSV file, levy payments
matched by the levy matcher on import, lines matched by hand, sent to suspense or left for the
officer, a manual entry awaiting the chief accountant, a closed month.

Idempotent: when the Fund already has bank accounts, nothing is added."""

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from innocluster.core.identifiers import check_digit
from innocluster.core.policy.values import today as almaty_today
from innocluster.finance.matchers import Part
from innocluster.finance.models import BankAccount, FundSource, StatementLine
from innocluster.finance.services import banking, budgets, journal, manual_entries, periods, reconciliation
from innocluster.finance.services.journal import Leg
from innocluster.finance.services.statements import import_statement
from innocluster.parties.models import Activity, Organisation, Region
from innocluster.parties.services.register import create_organisation
from innocluster.seed.levy import LevyDemo, seed_levy_demo

D = Decimal
HALYK = ("KZ78601A861001234567", "HSBKKZKX", "Народный банк: текущий счёт", "")
KASPI = (
    "KZ18722S000012345678",
    "CASPKZKA",
    "Kaspi Bank: счёт отчислений недропользователей",
    FundSource.LEVY,
)
BUDGET = (
    "KZ86125KZT5004100100",
    "HSBKKZKX",
    "Народный банк: счёт бюджетных средств",
    FundSource.STATE_BUDGET,
)

# Subsoil users of the demo (names invented, BINs with valid check digits).
SUBSOIL_USERS = [
    ("«Каспий Мұнай Өндіру» АҚ", "АО «Каспий Мунай Ондиру»", "Caspian Munai Ondiru JSC", "230000000", "06"),
    ("«Сарыарқа Көмір» ЖШС", "ТОО «Сарыарка Комир»", "Saryarka Komir LLP", "350000000", "05"),
    ("«Алтай Металл» ЖШС", "ТОО «Алтай Металл»", "Altai Metal LLP", "630000000", "07"),
    ("«Маңғыстау Газ» АҚ", "АО «Мангистау Газ»", "Mangystau Gas JSC", "470000000", "06"),
    ("«Ақтөбе Мыс» ЖШС", "ТОО «Актобе Мыс»", "Aktobe Copper LLP", "150000000", "07"),
]


@dataclass
class FinanceDemo:
    skipped: bool = False
    bank_accounts: int = 0
    lines: int = 0
    matched: int = 0
    unmatched: int = 0
    entries: list[str] = field(default_factory=list)
    levy: LevyDemo | None = None


def _bin(serial: int, month: str) -> str:
    while True:
        first11 = f"{month}40{serial:05d}"
        digit = check_digit(first11)
        if digit is not None:
            return f"{first11}{digit}"
        serial += 1


def _subsoil_users() -> list[Organisation]:
    found = []
    for n, (kk, ru, en, kato, oked) in enumerate(SUBSOIL_USERS):
        bin_ = _bin(80000 + n * 7, "0904")
        existing = Organisation.objects.filter(bin=bin_).first()
        found.append(
            existing
            or create_organisation(
                bin=bin_,
                name_kk=kk,
                name_ru=ru,
                name_en=en,
                legal_form="JSC" if "АҚ" in kk else "LLP",
                region=Region.objects.get(kato=kato),
                activity=Activity.objects.get(oked=oked),
                subsoil_user=True,
            )
        )
    return found


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


class _Statement:
    """Rows of the demo CSV statement for one account (balances computed as rows are added)."""

    HEADER = (
        "account_iban;statement;booked_on;value_on;amount;currency;counterparty_name;counterparty_id;"
        "counterparty_iban;counterparty_bic;purpose;knp;bank_reference;opening_balance;closing_balance"
    )

    def __init__(self, iban: str, number: str, opening: Decimal):
        self.iban, self.number, self.opening, self.rows = iban, number, opening, []

    def add(
        self,
        day: dt.date,
        amount: Decimal,
        name: str,
        bin_: str,
        purpose: str,
        ref: str,
        iban: str = "",
        bic: str = "",
    ):
        self.rows.append([day.isoformat(), f"{amount:.2f}", name, bin_, iban, bic, purpose, ref])

    def text(self) -> str:
        self.rows.sort(key=lambda r: r[0])
        closing = self.opening + sum(D(r[1]) for r in self.rows)
        out = []
        for i, (day, amount, name, bin_, iban, bic, purpose, ref) in enumerate(self.rows):
            opening = f"{self.opening:.2f}" if i == 0 else ""
            close = f"{closing:.2f}" if i == len(self.rows) - 1 else ""
            cells = [
                self.iban,
                self.number,
                day,
                day,
                amount,
                "KZT",
                name,
                bin_,
                iban,
                bic,
                purpose,
                "",
                ref,
                opening,
                close,
            ]
            out.append(";".join(c.replace(";", ",") for c in cells))
        return "\n".join(out)


def seed_finance_demo(on: dt.date | None = None) -> FinanceDemo:
    if BankAccount.objects.exists():
        return FinanceDemo(skipped=True)
    today = on or almaty_today()
    start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # first day of last month
    start = (start - dt.timedelta(days=1)).replace(day=1)  # two months back
    officer, chief = _user("finance-officer"), _user("chief-accountant")
    result = FinanceDemo()
    with transaction.atomic():
        halyk, _ = banking.add_bank_account(HALYK[0], bic=HALYK[1], name=HALYK[2])
        kaspi, _ = banking.add_bank_account(KASPI[0], bic=KASPI[1], name=KASPI[2], fund_source=KASPI[3])
        state, _ = banking.add_bank_account(BUDGET[0], bic=BUDGET[1], name=BUDGET[2], fund_source=BUDGET[3])
        result.bank_accounts = 3
        opening = journal.post(
            date=start,
            description="Остатки на начало периода внедрения (перенесены из прежней учётной системы)",
            reference="OPEN-1",
            legs=[
                Leg(halyk.ledger_account, debit=D("250000000.00")),
                Leg("target_financing_own_income", credit=D("250000000.00")),
            ],
        )
        result.entries.append(opening.number)
        year = today.year
        grants = budgets.add_budget_line(
            code="GRANTS", name_kk="Қатысушылардың жобаларына гранттар", name_ru="Гранты на проекты участников",
            name_en="Grants for participants' projects", kind="programme", expense_account="programme_expenses",
        )  # fmt: skip
        accel = budgets.add_budget_line(
            code="ACCEL", name_kk="Акселерация бағдарламасы", name_ru="Программа акселерации",
            name_en="Acceleration programme", kind="programme", expense_account="acceleration_expenses",
        )  # fmt: skip
        ops = budgets.add_budget_line(
            code="OPS", name_kk="Қордың операциялық шығыстары", name_ru="Операционные расходы Фонда",
            name_en="The Fund's operating costs", kind="cost_centre", expense_account="operating_expenses",
        )  # fmt: skip
        reason = "Бюджет на год утверждён Управляющим комитетом"
        levy_budget = budgets.revise_budget(
            grants, year, FundSource.LEVY, D("600000000.00"), reason=reason, decision_reference="УК-2026/3"
        )
        budgets.revise_budget(
            accel,
            year,
            FundSource.STATE_BUDGET,
            D("120000000.00"),
            reason=reason,
            decision_reference="УК-2026/3",
        )
        ops_budget = budgets.revise_budget(
            ops,
            year,
            FundSource.STATE_BUDGET,
            D("180000000.00"),
            reason=reason,
            decision_reference="УК-2026/3",
        )
        budgets.revise_budget(
            ops, year, FundSource.OWN_INCOME, D("30000000.00"), reason=reason, decision_reference="УК-2026/3"
        )

        payers = _subsoil_users()
        levy = seed_levy_demo(payers, kaspi.iban, today)
        result.levy = levy

        winners = list(Organisation.objects.filter(subsoil_user=False).order_by("id")[:3])
        tranches = []
        for n, (winner, amount) in enumerate(
            zip(winners, (D("48000000.00"), D("35500000.00"), D("22750000.00")), strict=False), 1
        ):
            commitment = budgets.commit(
                levy_budget, amount, reference=f"GR-{year}-{n:03d}",
                description=f"Грант на проект участника: {winner.name_ru}", party=winner, by=chief,
            )  # fmt: skip
            first = (amount * D("0.4")).quantize(D("0.01"))
            budgets.disburse(
                commitment,
                first,
                date=start + dt.timedelta(days=9 + n),
                description=f"Первый транш гранта {commitment.reference}",
                by=chief,
            )
            tranches.append((winner, first, commitment.reference))

        # Statements of the three accounts from the first day of the demo period to yesterday.
        day = lambda k: min(start + dt.timedelta(days=k), today - dt.timedelta(days=1))  # noqa: E731
        s_halyk = _Statement(halyk.iban, f"{start:%Y%m}-H", D("250000000.00"))
        s_kaspi = _Statement(kaspi.iban, f"{start:%Y%m}-K", levy.opening_balance)
        s_state = _Statement(state.iban, f"{start:%Y%m}-B", D("0.00"))
        for n, payment in enumerate(levy.payments, 1):
            s_kaspi.add(
                day(5 + 4 * n),
                payment.amount,
                payment.payer.name_ru,
                payment.payer.bin,
                payment.purpose,
                payment.bank_reference,
                "KZ13925KZT0012345678",
                "HSBKKZKX",
            )
        s_kaspi.add(
            day(33), D("1750000.00"), "ТОО «Белгісіз Төлеуші»", "", "Перечисление по договору б/н", "KSP00099"
        )
        for n, (winner, first, reference) in enumerate(tranches, 1):
            s_kaspi.add(
                day(14 + n),
                -first,
                winner.name_ru,
                winner.bin,
                f"Выплата первого транша гранта {reference}",
                f"KSPOUT{n:03d}",
                "KZ75125KZT2069100100",
                "HSBKKZKX",
            )
        s_kaspi.add(
            day(30), D("-4500.00"), "АО «Kaspi Bank»", "", "Комиссия банка за ведение счёта", "KSPFEE1"
        )
        s_state.add(
            day(3),
            D("150000000.00"),
            "ГУ «Министерство цифрового развития, инноваций и аэрокосмической промышленности РК»",
            "",
            "Бюджетная субсидия на реализацию программы Фонда",
            "BDG00001",
        )
        s_state.add(
            day(40),
            D("-1200.00"),
            "АО «Народный Банк Казахстана»",
            "",
            "Комиссия банка за перевод",
            "BDGFEE1",
        )
        s_halyk.add(
            day(12),
            D("5000000.00"),
            "Корпоративный фонд «Болашақ Инновациялары»",
            "",
            "Благотворительная помощь на развитие кластера (пожертвование)",
            "HB000001",
        )
        s_halyk.add(
            day(47),
            D("850000.00"),
            "ТОО «Smart Astana Lab»",
            "",
            "Оплата за аренду коворкинга, счёт № 118",
            "HB000002",
        )
        s_halyk.add(
            day(35),
            D("-2500.00"),
            "АО «Народный Банк Казахстана»",
            "",
            "Комиссия банка за ведение счёта",
            "HBFEE1",
        )
        s_halyk.add(
            day(52), D("320000.00"), "ИП Сейітқали", "", "Оплата за участие в акселераторе", "HB000003"
        )
        csv = "\n".join([_Statement.HEADER, s_halyk.text(), s_kaspi.text(), s_state.text()]) + "\n"
        summary = import_statement(
            io.BytesIO(csv.encode()), file_name=f"demo-statements-{start:%Y%m}.csv", by=officer
        )
        result.lines = summary.new

        lines = {line.bank_reference: line for line in StatementLine.objects.filter(status="unmatched")}
        # The levy payments were matched on import by the levy matcher, but for the one that fits
        # two obligations (left for the officer, with both shown).
        for n, (winner, first, _reference) in enumerate(tranches, 1):
            reconciliation.match(
                lines[f"KSPOUT{n:03d}"], [Part("grants_payable", first, party=winner)], by=officer
            )
        reconciliation.match(lines["BDG00001"], [Part("state_budget_income", D("150000000.00"))], by=officer)
        reconciliation.match(lines["HB000001"], [Part("donations_income", D("5000000.00"))], by=officer)
        reconciliation.to_suspense(
            lines["KSP00099"],
            reason="Плательщик не указал БИН и основание; запрошено письмо банка",
            by=officer,
        )
        # HB000002 (coworking rent) and HB000003 (an accelerator fee) are left for the officer.

        journal.post(
            date=day(25),
            description="Аренда офиса Фонда за месяц",
            reference="АВР-412",
            legs=[
                Leg("operating_expenses", debit=D("7800000.00"), budget=ops_budget),
                Leg(state.ledger_account, credit=D("7800000.00")),
            ],
        )
        pending = manual_entries.propose_manual(
            date=today,
            description="Оснащение переговорных комнат (акт выполненных работ)",
            reference="АВР-518",
            legs=[
                Leg("operating_expenses", debit=D("6400000.00")),
                Leg("suppliers_payable", credit=D("6400000.00"), party=payers[0]),
            ],
            by=officer,
        )
        result.entries.append(pending.number)
        if not periods.unreconciled_lines(journal.period_for(start)).exists():
            periods.close(start.year, start.month, by=chief)
        result.matched = StatementLine.objects.exclude(status="unmatched").count()
        result.unmatched = StatementLine.objects.filter(status="unmatched").count()
    return result
