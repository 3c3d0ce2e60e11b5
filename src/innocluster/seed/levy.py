"""Demo levy data, every step through the levy commands.

The finance demo's subsoil users hold six contracts: one joint (60/40), one on the extraction-cost
basis (2018 Subsoil Code), two coal licences of one company with the same base. Their bases are
declared for the past three years (one in US dollars at the National Bank's rate, one amended),
the obligations assessed for each year and paid in the Fund's levy-account statements of those
years, matched by the levy matcher on import. This year's payments go into the finance demo's own
statement (:func:`this_years_payments`): by reference, by BIN and exact amount, one overpaid, one
part-paid, one ambiguous (the two licences owe the same), one not paid at all (in arrears after
the due date). R&D spending: one approved against an old obligation, one awaiting approval.

Called by ``seed.finance`` once the Fund's bank accounts exist and before this year's statement
is imported."""

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from innocluster.finance.services.statements import import_statement
from innocluster.levy.models import Contract, Obligation
from innocluster.levy.services import assessment, contracts, declarations, rates
from innocluster.levy.services import rnd as rnd_spending
from innocluster.parties.models import Organisation, Region, Representative
from innocluster.parties.services import claims
from innocluster.seed.applications import demo_pdf

D = Decimal
PAYER_IBAN, PAYER_BIC = "KZ13925KZT0012345678", "HSBKKZKX"

# number, date, mineral (ru), region KATO, stage, basis, production start, holders (payer index, share)
CONTRACTS = [
    ("№ 1532 от 12.03.2004", dt.date(2004, 3, 12), "нефть", "230000000", "production", "income", None, [(0, "1")]),
    ("№ 2218-ТПИ", dt.date(2009, 6, 30), "уголь", "350000000", "production", "income", None, [(1, "1")]),
    ("№ 2219-ТПИ", dt.date(2009, 6, 30), "уголь", "350000000", "production", "income", None, [(1, "1")]),
    ("№ 48-ТПИ", dt.date(2019, 11, 5), "полиметаллы", "630000000", "production", "extraction_costs", 2021, [(2, "1")]),
    ("№ 3977-УВС", dt.date(2012, 2, 20), "газ", "470000000", "production", "income", None, [(3, "0.6"), (0, "0.4")]),
    ("№ 5120-ТПИ", dt.date(2016, 8, 1), "медь", "150000000", "production", "income", None, [(4, "1")]),
]  # fmt: skip
# Bases by base year offset (Y-3, Y-2, Y-1) per contract; the obligation is 1% of each.
BASES = [
    (D("16500000000.00"), D("17320000000.00"), D("18240000000.00")),
    (D("2150000000.00"), D("2240000000.00"), D("2307500000.00")),
    (D("2150000000.00"), D("2240000000.00"), D("2307500000.00")),
    (D("1980000000.00"), D("2210000000.00"), D("2387000000.00")),
    (D("14200000000.00"), D("15110000000.00"), D("15883333333.33")),
    (D("1120000000.00"), D("1190000000.00"), D("1264000000.00")),
]
USD_CONTRACT, USD_RATE = 3, D("473.52")  # the polymetals contract declares Y-1 in dollars


@dataclass
class Payment:
    """A line of this year's levy-account statement."""

    payer: Organisation
    amount: Decimal
    purpose: str
    bank_reference: str


@dataclass
class LevyDemo:
    contracts: int = 0
    declarations: int = 0
    obligations: int = 0
    opening_balance: Decimal = Decimal("0.00")  # the levy account's balance when this year's statement opens
    payments: list[Payment] = field(default_factory=list)


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", demo_pdf(name), content_type="application/pdf")


def _representative(payer: Organisation) -> None:
    """The demo ``subsoil-rep`` acts for the first subsoil user (claim confirmed by the registrar)."""
    user, registrar = _user("subsoil-rep"), _user("registrar")
    if user is None or registrar is None or payer.representatives.filter(user=user, active=True).exists():
        return
    claim = claims.file_claim(
        payer, by=user, role=Representative.Role.AUTHORISED, uploaded_file=_pdf("доверенность")
    )
    claims.confirm_claim(claim, by=registrar, reason="Доверенность проверена.")


def _statement_csv(iban: str, number: str, opening: Decimal, rows: list[tuple]) -> tuple[str, Decimal]:
    """A statement in the documented CSV format; ``rows``: (day, amount, payer, purpose, reference)."""
    header = (
        "account_iban;statement;booked_on;value_on;amount;currency;counterparty_name;counterparty_id;"
        "counterparty_iban;counterparty_bic;purpose;knp;bank_reference;opening_balance;closing_balance"
    )
    rows = sorted(rows, key=lambda r: r[0])
    closing = opening + sum(r[1] for r in rows)
    out = [header]
    for i, (day, amount, payer, purpose, reference) in enumerate(rows):
        cells = [iban, number, day.isoformat(), day.isoformat(), f"{amount:.2f}", "KZT", payer.name_ru, payer.bin,
                 PAYER_IBAN, PAYER_BIC, purpose, "119", reference, f"{opening:.2f}" if i == 0 else "",
                 f"{closing:.2f}" if i == len(rows) - 1 else ""]  # fmt: skip
        out.append(";".join(c.replace(";", ",") for c in cells))
    return "\n".join(out) + "\n", closing


def _purpose(obligation: Obligation, with_reference: bool = True) -> str:
    text = f"Отчисления на НИОКР за {obligation.year} год по контракту {obligation.contract.number}"
    return f"{text}, {obligation.reference}" if with_reference else text


def seed_levy_demo(payers: list[Organisation], levy_iban: str, today: dt.date) -> LevyDemo:
    """Contracts, rates, declarations, obligations of the past two years paid (mostly) through
    imported statements, and this year's obligations with the payments to put in its statement."""
    officer = _user("finance-officer")
    year = today.year
    result = LevyDemo()
    _representative(payers[0])
    rates.add_rate(
        currency="USD",
        date=dt.date(year - 1, 12, 31),
        rate=USD_RATE,
        source="Национальный Банк РК",
        by=officer,
    )
    found: list[Contract] = []
    for number, signed, mineral, kato, stage, basis, start, holders in CONTRACTS:
        contract, _outcome = contracts.save_contract(
            number=number, date=signed, mineral=mineral, region=Region.objects.get(kato=kato), stage=stage,
            basis=basis, production_start_year=start, holders=[(payers[i], D(share)) for i, share in holders],
            by=officer,
        )  # fmt: skip
        found.append(contract)
    result.contracts = len(found)

    for offset in (3, 2, 1):
        base_year = year - offset
        for n, contract in enumerate(found):
            base = BASES[n][3 - offset]
            if offset == 1 and n == USD_CONTRACT:
                usd = (base / USD_RATE).quantize(D("0.01"))
                declarations.declare(contract, base_year, usd, currency="USD", rate_date=dt.date(year - 1, 12, 31),
                                     by=officer, documents=[_pdf("справка о затратах на добычу")])  # fmt: skip
            elif offset == 1 and n == 0:
                # The company's representative declares its own contract; then corrects it.
                rep = _user("subsoil-rep")
                first = declarations.declare(contract, base_year, base - D("250000000.00"), by=rep,
                                             documents=[_pdf("финансовая отчётность")])  # fmt: skip
                declarations.amend(
                    first, base, by=rep, reason="Уточнён совокупный годовой доход после аудита"
                )
                result.declarations += 1
            else:
                declarations.declare(
                    contract, base_year, base, by=officer, on_behalf_of=contract.holders.first().organisation
                )
            result.declarations += 1
        for contract in found:
            result.obligations += len(
                assessment.assess_contract(
                    contract, base_year + 1, by=officer, day=dt.date(base_year + 1, 3, 16)
                )
            )

    by_year: dict[int, list[Obligation]] = {}
    for obligation in Obligation.objects.select_related("contract", "holder").order_by("year", "reference"):
        by_year.setdefault(obligation.year, []).append(obligation)

    # Past years, from the levy account's statements: everything paid by reference except the copper
    # contract last year (in arrears), and the joint gas contract's operator two years ago partly by
    # its own R&D spending (approved by the officer and, above the threshold, the chief accountant).
    rnd_obligation = next(
        o for o in by_year[year - 2] if o.contract.number == "№ 3977-УВС" and o.holder == payers[3]
    )
    rnd = rnd_spending.record_rnd(rnd_obligation, D("40000000.00"), evidence=_pdf("акт НИОКР"),
                                 description="НИОКР по повышению нефтеотдачи (договор с университетом)", by=officer)  # fmt: skip
    rnd_spending.approve_rnd(rnd, by=officer)
    opening = D("0.00")
    for past in (year - 2, year - 1):
        rows = []
        for k, obligation in enumerate(by_year[past]):
            if past == year - 1 and obligation.contract.number == "№ 5120-ТПИ":
                continue
            amount = obligation.amount - (D("40000000.00") if obligation == rnd_obligation else 0)
            rows.append(
                (
                    dt.date(past, 6, 10 + k),
                    amount,
                    obligation.holder,
                    _purpose(obligation),
                    f"KL{past}{k:04d}",
                )
            )
        csv, opening = _statement_csv(levy_iban, f"{past}-K", opening, rows)
        import_statement(io.BytesIO(csv.encode()), file_name=f"levy-account-{past}.csv", by=officer)
    result.opening_balance = opening

    # This year: the payments for the finance demo's statement.
    current = {(o.contract.number, o.holder_id): o for o in by_year[year]}
    pay = result.payments

    def line(number, payer, amount=None, *, reference=True, ref=""):
        obligation = current[(number, payer.pk)]
        pay.append(Payment(payer, amount or obligation.amount, _purpose(obligation, reference), ref))

    line("№ 1532 от 12.03.2004", payers[0], ref="KSP00001")  # by reference
    line("№ 3977-УВС", payers[0], ref="KSP00002")  # the minority holder's part, by reference
    line("№ 2218-ТПИ", payers[1], reference=False, ref="KSP00003")  # two licences owe this: ambiguous
    overpaid = current[("№ 48-ТПИ", payers[2].pk)].amount + D("1130000.00")
    line("№ 48-ТПИ", payers[2], overpaid, ref="KSP00004")  # overpaid: the excess becomes a credit
    line("№ 3977-УВС", payers[3], D("50000000.00"), ref="KSP00005")  # part-paid
    # The copper company pays nothing this year; its R&D spending awaits the officer's approval.
    rnd_spending.record_rnd(current[("№ 5120-ТПИ", payers[4].pk)], D("6500000.00"), evidence=_pdf("отчёт о НИОКР"),
                           description="Опытно-промышленные испытания флотационного реагента", by=officer)  # fmt: skip
    return result
