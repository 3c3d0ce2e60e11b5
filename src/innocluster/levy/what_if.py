"""The levy under another regime: what a base of year Y−1 would owe for year Y, and by when.

Offered to ``policy compare`` and the rules comparison page through the ``policy.what_ifs`` hook.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innocluster.core.money import format_kzt
from innocluster.core.policy import values as policy
from innocluster.core.policy.compare import Outcome, WhatIf
from innocluster.core.policy.display import percent

from . import rules


def _parse(subject: str) -> tuple[Decimal, int, str]:
    parts = subject.replace(",", " ").split()
    if len(parts) not in (2, 3):
        raise ValueError(
            _("Write the base, the obligation year and (optionally) the basis: 123456789.00 2026")
        )
    try:
        base = Decimal(parts[0])
        year = int(parts[1])
    except (InvalidOperation, ValueError):
        raise ValueError(
            _("Write the base, the obligation year and (optionally) the basis: 123456789.00 2026")
        ) from None
    if not base.is_finite() or base < 0:
        raise ValueError(_("A base is an amount in tenge of zero or more."))
    basis = parts[2] if len(parts) == 3 else rules.INCOME
    rules.rate_key(basis)  # ValueError naming the known bases
    return base, year, basis


def levy_base(subject: str, on: dt.date, regime: str) -> list[Outcome]:
    """The obligation for a base under ``regime`` (the rate of 1 January of the year, as always)."""
    base, year, basis = _parse(subject)
    rate = rules.levy_rate(basis, year, regime=regime)
    owed = rules.obligation_amount(base, rate)
    due = policy.value("levy.due_date", on=rules.rate_day(year), regime=regime)
    due_text = formats.date_format(dt.date(year, int(due[:2]), int(due[3:])), "DATE_FORMAT") if due else "—"
    return [
        Outcome(_("Rate"), _("none") if rate is None else percent(rate)),
        Outcome(_("Obligation"), format_kzt(owed)),
        Outcome(_("Due by"), due_text),
    ]


WHAT_IFS = (
    WhatIf(
        name="levy.base",
        label=gettext_lazy("A subsoil user's levy"),
        prompt=gettext_lazy("base (tenge), obligation year, basis (income or extraction_costs)"),
        run=levy_base,
        action="levy.read",
        example="123456789.00 2026",
    ),
)
