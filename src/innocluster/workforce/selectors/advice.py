"""What the simplified procedure asks of an employer and what the normal procedure would have
asked (DOMAIN.md, workflow 5), each item with its policy key, value and legal reference in the
reader's language, so the employer sees what it is spared. Read from the regime in force on the
day (default: today in Almaty)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from innocluster.core.policy import values as policy
from innocluster.workforce.models import EngagementRequest
from innocluster.workforce.rules import REQUIREMENT_KEYS, SHARE_KEYS, latest_contract_end
from innocluster.workforce.selectors.requests import required_kinds


@dataclass(frozen=True)
class AdviceItem:
    key: str
    label: Any
    value: Any
    reference: str
    source: str


@dataclass(frozen=True)
class Advice:
    simplified: list[AdviceItem]  # what this procedure requires
    normal: list[AdviceItem]  # what the normal procedure would have required (advice only)


def _item(key: str, label, value, on: dt.date) -> AdviceItem:
    found = policy.lookup(key, on=on)
    return AdviceItem(
        key, label, found.value if value is None else value, found.localized_reference, found.source
    )


def advice(
    request: EngagementRequest | None = None, *, category: str | None = None, on: dt.date | None = None
) -> Advice:
    """The advice for ``request`` (or a ``category`` before a request exists)."""
    on = on or policy.today()
    category = category or (
        request.category if request is not None else EngagementRequest.Category.SPECIALIST
    )
    simplified = [
        _item("workforce.documents.required", _("Documents"), [kind.name for kind in required_kinds(on)], on),
        _item("workforce.visa_max_years", _("Longest contract and work visa, years"), None, on),
        _item("workforce.decision_days", _("The Fund decides within, working days"), None, on),
    ]
    if request is not None:
        simplified.append(
            _item(
                "workforce.visa_max_years",
                _("This contract may run until"),
                latest_contract_end(contract_start=request.contract_start, on=on),
                on,
            )
        )
    normal = [
        _item(REQUIREMENT_KEYS["quota"], _("Quota for foreign labour"), None, on),
        _item(REQUIREMENT_KEYS["work_permit"], _("Work permit"), None, on),
        _item(SHARE_KEYS[category], _("Minimum share of Kazakh staff in the category"), None, on),
    ]
    return Advice(simplified, normal)
