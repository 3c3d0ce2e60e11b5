"""The levy's tables: subsoil-use contracts and their holders, the National Bank's exchange rates,
declarations of the base (versioned, with documents), obligations per holder and year with their
postings, settlements (payments and direct R&D spending) and credits carried forward."""

from innocluster.levy.models.contracts import Contract, ContractHolder
from innocluster.levy.models.declarations import Declaration, DeclarationDocument
from innocluster.levy.models.obligations import Obligation, ObligationPosting
from innocluster.levy.models.rates import ExchangeRate
from innocluster.levy.models.settlements import Credit, Settlement

__all__ = [
    "Contract",
    "ContractHolder",
    "Credit",
    "Declaration",
    "DeclarationDocument",
    "ExchangeRate",
    "Obligation",
    "ObligationPosting",
    "Settlement",
]
