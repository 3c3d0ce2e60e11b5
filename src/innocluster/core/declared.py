"""What the ``core`` app itself adds to the platform (its manifest): the working-day calendar cards.

The collector lives in :mod:`innocluster.core.manifest`; this module is the core app's own entry,
like any other app's ``manifest.py``.
"""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innocluster.core.manifest import Card, CardSource, Manifest


def calendar_card(user, today: date) -> list[Card]:
    """The administrator enters next year's decree transfers of days off: deadlines depend on them."""
    from innocluster.core.access.permissions import can
    from innocluster.core.models import DecreeOverride

    if not can(user, "admin.site").allowed:
        return []
    year = today.year + 1
    entered = DecreeOverride.objects.filter(date__year=year).count()
    if entered:
        text = ngettext(
            "%(n)d decree transfer of days off is entered for %(year)s.",
            "%(n)d decree transfers of days off are entered for %(year)s.",
            entered,
        ) % {"n": entered, "year": year}
    else:
        text = _(
            "No decree transfers are entered for %(year)s yet. When the Government adopts its "
            "decree on days off, enter them: deadlines depend on it."
        ) % {"year": year}
    return [
        Card(
            title=_("Working-day calendar %(year)s") % {"year": year},
            text=text,
            url=reverse("admin:core_decreeoverride_changelist"),
            link=_("Decree overrides"),
            warn=not entered and today.month >= 10,
        )
    ]


def calendar_check_card(user, today: date) -> list[Card]:
    """The administrator confirms the current and the next year's days off (Almaty ``today``):
    until a year is checked, deadlines counted across it are shown with a warning."""
    from innocluster.core.access.permissions import can
    from innocluster.core.models import CalendarYearCheck

    if not can(user, "admin.site").allowed:
        return []
    years = (today.year, today.year + 1)
    checked = set(CalendarYearCheck.objects.filter(year__in=years).values_list("year", flat=True))
    missing = [year for year in years if year not in checked]
    if not missing:
        return []
    return [
        Card(
            title=_("Days off not confirmed"),
            text=ngettext(
                "The days off of %(years)s are not confirmed: deadlines counted across it are shown "
                "with a warning. Check the Government's acts moving days off and the official "
                "Kurban ait date, enter them as decree overrides, then mark the year checked.",
                "The days off of %(years)s are not confirmed: deadlines counted across them are "
                "shown with a warning. Check the Government's acts moving days off and the official "
                "Kurban ait dates, enter them as decree overrides, then mark each year checked.",
                len(missing),
            )
            % {"years": ", ".join(str(year) for year in missing)},
            url=reverse("admin:core_calendaryearcheck_changelist"),
            link=_("Checked calendar years"),
            warn=True,
        )
    ]


MANIFEST = Manifest(
    cards=(
        CardSource("staff", calendar_check_card, order=690),
        CardSource("staff", calendar_card, order=700),
    ),
    admin=("innocluster.core.admin",),
)
