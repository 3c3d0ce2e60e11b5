"""The levy's own entries and locks, shared by its services: an obligation locked for a change, an
entry naming the obligation and its holder, and the last day a credit may be carried to."""

import datetime as dt

from innocluster.core.policy import values as policy
from innocluster.finance.services.journal import post
from innocluster.levy import rules
from innocluster.levy.models import Obligation, Settlement


def carry_forward_until(source_year: int) -> dt.date | None:
    """The last day a credit of ``source_year`` may be used; ``None`` when the regime sets no cap
    (``levy.carry_forward_years`` null). A missing value raises ``NoValueInForce``."""
    years = policy.value("levy.carry_forward_years", on=dt.date(source_year, 12, 31))
    return rules.carry_forward_until(source_year, years)


def lock_obligation(obligation: Obligation | int) -> Obligation:
    pk = obligation if isinstance(obligation, int) else obligation.pk
    return Obligation.objects.select_for_update().select_related("holder", "contract").get(pk=pk)


def levy_entry(description: str, obligation: Obligation, legs, day: dt.date, by, source=None):
    return post(
        date=day,
        description=f"{description}: {obligation.reference}, {obligation.holder.bin} {obligation.holder.name_ru}"[
            :500
        ],
        reference=obligation.reference,
        source=source or obligation,
        by=by,
        legs=legs,
    )


# The settlements that moved money (what an excess is refunded from first).
MONEY_KINDS = (Settlement.Kind.PAYMENT,)
