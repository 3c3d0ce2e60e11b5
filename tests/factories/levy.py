"""Levy data for tests: subsoil users, contracts (joint ones too), declarations and assessed
obligations, all made through the levy's services so audit, postings and references are real."""

import datetime as dt
from decimal import Decimal

import factory

from innocluster.levy.models import Contract
from innocluster.levy.services import assessment, contracts, declarations
from innocluster.parties.models import Activity, Region
from tests.factories.finance import party
from tests.factories.registry import TINY_PDF  # noqa: F401  (re-exported: evidence and documents)


def subsoil_user(**overrides):
    return party(subsoil_user=True, activity=Activity.objects.get(oked="B"), **overrides)


class ContractFactory(factory.Factory):
    """``ContractFactory(holders=[(org, "0.6"), (org2, "0.4")])``; one fresh subsoil user by default."""

    class Meta:
        model = dict

    number = factory.Sequence(lambda n: f"KZ-SU-{n + 1:04d}")
    date = dt.date(2019, 3, 1)
    mineral = "oil"
    stage = Contract.Stage.PRODUCTION
    basis = Contract.Basis.INCOME
    production_start_year = 2019
    holders = None

    @classmethod
    def _create(cls, model_class, **fields):
        holders = fields.pop("holders", None) or [(subsoil_user(), Decimal(1))]
        region = fields.pop("region", None) or Region.objects.order_by("kato").first()
        contract, _outcome = contracts.save_contract(
            holders=[(org, Decimal(str(share))) for org, share in holders], region=region, **fields
        )
        return contract

    _build = _create


def declared(contract, year: int = 2025, amount: str = "100000000.00", **kwargs):
    return declarations.declare(contract, year, amount, **kwargs)


def assessed(contract, year: int = 2026, amount: str = "100000000.00"):
    """A contract declared for ``year − 1`` and assessed for ``year``: its obligations."""
    declared(contract, year - 1, amount)
    assessment.assess(year)
    return list(contract.obligations.filter(year=year).order_by("reference"))
