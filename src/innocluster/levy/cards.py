"""The levy's home cards (declared in ``manifest.py``): for the Fund's staff, this year's collection
and what waits (R&D spending to approve); for a representative, what its companies owe."""

from datetime import date

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innocluster.core.manifest import Card
from innocluster.core.money import format_kzt
from innocluster.levy.selectors import obligations as selectors
from innocluster.levy.views.common import status_counts, visible_obligations, year_totals


def staff_card(user, today: date) -> list[Card]:
    """Three queries whatever the volume: the year's totals, its counts, the approvals waiting."""
    year = today.year
    rows = selectors.obligations(year=year)
    sums = year_totals(rows)
    counts = status_counts(rows, today)
    pending = selectors.pending_rnd().count()
    text = _("%(year)s: due %(due)s, collected %(settled)s, outstanding %(outstanding)s.") % {
        "year": year,
        "due": format_kzt(sums["due"]),
        "settled": format_kzt(sums["settled"]),
        "outstanding": format_kzt(sums["outstanding"]),
    }
    if counts["arrears"]:
        text += " " + ngettext(
            "%(n)d obligation is in arrears.", "%(n)d obligations are in arrears.", counts["arrears"]
        ) % {"n": counts["arrears"]}
    if pending:
        text += " " + ngettext(
            "%(n)d R&D spending awaits approval.", "%(n)d R&D spendings await approval.", pending
        ) % {"n": pending}
    return [
        Card(
            title=_("Subsoil users' levy"),
            text=text,
            url=reverse("levy:home") + f"?year={year}",
            link=_("Open the levy overview"),
            warn=bool(counts["arrears"]),
        )
    ]


def portal_card(user, today: date) -> list[Card]:
    rows = visible_obligations(user)
    owed = rows.filter(outstanding__gt=0).aggregate(t=Sum("outstanding"))["t"]
    if owed:
        text = _("Outstanding: %(amount)s.") % {"amount": format_kzt(owed)}
    else:
        text = _("Nothing is outstanding.")
    return [
        Card(
            title=_("Levy to the Fund"),
            text=text,
            url=reverse("levy_portal:home"),
            link=_("Your contracts, declarations and obligations"),
            warn=rows.filter(outstanding__gt=0, due_date__lt=today).exists(),
        )
    ]
