"""The levy back office under ``/staff/levy/``: the overview of a year, subsoil users, contracts
(and their import), declarations on a company's behalf, the assessment (dry run, then apply), the
National Bank's rates, direct R&D spending (four eyes above the threshold: the service decides,
the page says who approves next), credits applied and refunded. Finance officers act; the chief
accountant approves; auditors and executives read (``levy.read``)."""

from innocluster.levy.views.staff.assessment import assess, rate_list
from innocluster.levy.views.staff.contracts import (
    amend,
    contract,
    contract_import,
    contract_list,
    declare,
    document,
    home,
    subsoil_user,
    subsoil_users,
)
from innocluster.levy.views.staff.settlements import (
    credit,
    credit_apply,
    credit_list,
    credit_refund,
    obligation,
    rnd_action,
    rnd_evidence,
    rnd_record,
)

__all__ = [
    "amend",
    "assess",
    "contract",
    "contract_import",
    "contract_list",
    "credit",
    "credit_apply",
    "credit_list",
    "credit_refund",
    "declare",
    "document",
    "home",
    "obligation",
    "rate_list",
    "rnd_action",
    "rnd_evidence",
    "rnd_record",
    "subsoil_user",
    "subsoil_users",
]
