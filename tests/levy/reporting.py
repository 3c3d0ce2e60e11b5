"""Levy books for the report, statement and notice tests, made through the levy's services and a
bank statement (so every figure is in the ledger as the application writes it).

Three subsoil users, assessed for 2026 (today is 4 May 2026, the due date 1 July 2026):
- A holds KZ-R-1 alone (oil, first region; base 100,000,000 → 1,000,000.00) and 60 % of the joint
  KZ-R-2 (gold, second region; base 50,000,000 → 500,000.00: A 300,000.00, B 200,000.00);
  A's KZ-R-1 is settled by 400,000.00 of approved R&D spending and a payment of 600,000.00;
- B holds 40 % of KZ-R-2 and pays nothing;
- C holds KZ-R-3 (copper, first region; 20,000,000 → 200,000.00) and pays 250,000.00: the
  50,000.00 above becomes an overpayment credit."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile

from innocluster.levy.services import assessment
from innocluster.levy.services import rnd as rnd_spending
from innocluster.parties.models import Region
from tests.factories import finance as f
from tests.factories.levy import TINY_PDF, ContractFactory, declared, subsoil_user
from tests.levy.bank import pay

D = Decimal


@dataclass
class LevyBooks:
    a: object
    b: object
    c: object
    a1: object  # A's obligation on KZ-R-1
    a2: object  # A's part of KZ-R-2
    b2: object
    c3: object
    bank: object


def build(officer) -> LevyBooks:
    first, second = list(Region.objects.order_by("kato")[:2])
    a, b, c = subsoil_user(), subsoil_user(), subsoil_user()
    k1 = ContractFactory(number="KZ-R-1", mineral="oil", region=first, holders=[(a, "1")])
    k2 = ContractFactory(number="KZ-R-2", mineral="gold", region=second, holders=[(a, "0.6"), (b, "0.4")])
    k3 = ContractFactory(number="KZ-R-3", mineral="copper", region=first, holders=[(c, "1")])
    declared(k1, 2025, "100000000.00")
    declared(k2, 2025, "50000000.00")
    declared(k3, 2025, "20000000.00")
    assessment.assess(2026)
    a1 = k1.obligations.get(holder=a)
    a2 = k2.obligations.get(holder=a)
    b2 = k2.obligations.get(holder=b)
    c3 = k3.obligations.get(holder=c)
    rnd = rnd_spending.record_rnd(
        a1, "400000.00", evidence=ContentFile(TINY_PDF, name="act.pdf"), description="Lab study", by=None
    )
    rnd_spending.approve_rnd(rnd, by=officer)
    bank = f.bank_account(f.IBANS[1], fund_source="levy", name="Levy account")
    pay(
        bank.iban,
        [
            ("600000.00", a.bin, f"Отчисления на НИОКР за 2026 г., {a1.reference}"),
            ("250000.00", c.bin, f"Отчисления {c3.reference}"),
        ],
    )
    return LevyBooks(a, b, c, a1, a2, b2, c3, bank)


def more_debtors(count: int) -> None:
    """``count`` more subsoil users assessed for 2026 and unpaid (for the query-count tests)."""
    for _ in range(count):
        holder = subsoil_user()
        contract = ContractFactory(mineral="coal", holders=[(holder, "1")])
        declared(contract, 2025, "1000000.00")
    assessment.assess(2026)
