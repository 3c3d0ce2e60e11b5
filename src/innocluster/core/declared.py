"""What the ``core`` app itself adds to the platform (its manifest): the working-day calendar card.

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


MANIFEST = Manifest(cards=(CardSource("staff", calendar_card, order=700),), admin=("innocluster.core.admin",))
