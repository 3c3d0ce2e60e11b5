"""Benchmark-scale levy data: :func:`seed_levy_bulk` writes N contracts of a few thousand subsoil
users (one in ten joint, 60/40; one in ten on the extraction-cost basis), with current
declarations for two base years, and the Fund's levy bank account.

Benchmarks only. Seeding BYPASSES THE COMMANDS (bulk inserts, NO audit events): declaring fifteen
thousand contracts one command at a time measures the declaration, not what ``bench/levy.py``
times (assessment and matching, which do run through the commands). Never use it for demo or
real data. The organisations come from the register's generator, as ``seed.finance_bulk``'s do.
Deterministic for a given ``seed``."""

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

Progress = Callable[[int, int], None]

BULK_SEED = 20261207
LEVY_ACCOUNT = ("KZ18722S000012345678", "CASPKZKA", "Kaspi Bank: levy account", "levy")
MINERALS = ["нефть", "газ", "уголь", "медь", "золото", "полиметаллы", "уран", "железная руда"]


def seed_levy_bulk(
    contracts: int, base_years: tuple[int, ...], progress: Progress | None = None, seed=BULK_SEED
) -> dict:
    """``contracts`` contracts with a current declaration for each of ``base_years``."""
    from innocluster.finance.services.banking import add_bank_account
    from innocluster.levy.models import Contract, ContractHolder, Declaration
    from innocluster.parties.models import Organisation, Region
    from innocluster.seed.finance_bulk import _organisations

    rng = random.Random(seed)
    account, _added = add_bank_account(
        LEVY_ACCOUNT[0], bic=LEVY_ACCOUNT[1], name=LEVY_ACCOUNT[2], fund_source=LEVY_ACCOUNT[3]
    )
    holders = _organisations(max(10, contracts // 5), seed)
    Organisation.objects.filter(pk__in=holders).update(subsoil_user=True)
    regions = list(Region.objects.values_list("pk", flat=True))
    done, total = 0, contracts * (1 + len(base_years))
    with transaction.atomic():
        for start in range(0, contracts, 5_000):
            batch = range(start, min(contracts, start + 5_000))
            rows = [
                Contract(
                    number=f"BENCH-{i:06d}",
                    date=dt.date(2000 + i % 20, 1 + i % 12, 1 + i % 28),
                    mineral=MINERALS[i % len(MINERALS)],
                    region_id=regions[i % len(regions)],
                    stage="production",
                    basis="extraction_costs" if i % 10 == 7 else "income",
                    production_start_year=2015 if i % 10 == 7 else None,
                )
                for i in batch
            ]
            Contract.objects.bulk_create(rows)
            shares = []
            for i, contract in zip(batch, rows, strict=True):
                first = holders[i // 5 % len(holders)]
                if i % 10 == 3:
                    other = holders[(i // 5 + 1) % len(holders)]
                    shares += [(contract, first, Decimal("0.6")), (contract, other, Decimal("0.4"))]
                else:
                    shares.append((contract, first, Decimal("1")))
            ContractHolder.objects.bulk_create(
                [ContractHolder(contract=c, organisation_id=o, share=s) for c, o, s in shares]
            )
            first_holder = {}
            for c, o, _s in shares:
                first_holder.setdefault(c.pk, o)
            declarations = []
            for year in base_years:
                for contract in rows:
                    base = Decimal(rng.randrange(10_000_000_000, 5_000_000_000_000)).scaleb(-2)
                    declarations.append(
                        Declaration(
                            contract=contract,
                            year=year,
                            base_amount=base,
                            original_amount=base,
                            on_behalf_of_id=first_holder[contract.pk],
                        )
                    )
            Declaration.objects.bulk_create(declarations)
            done += len(rows) * (1 + len(base_years))
            if progress:
                progress(done, total)
    return {"contracts": contracts, "organisations": len(holders), "levy_account": account.pk}
