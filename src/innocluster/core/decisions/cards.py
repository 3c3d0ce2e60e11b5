"""The decisions card of a staff home: what waits to be published, or the latest published."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innocluster.core.access.permissions import can
from innocluster.core.manifest import Card

from .models import Decision


def decisions_card(user, today: date) -> list[Card]:
    if can(user, "decisions.publish").allowed:
        waiting = Decision.objects.filter(status="recorded").count()
        return [
            Card(
                title=_("Decisions"),
                text=ngettext(
                    "%(n)d recorded decision is not published yet.",
                    "%(n)d recorded decisions are not published yet.",
                    waiting,
                )
                % {"n": waiting},
                url=reverse("decisions:list") + "?status=recorded",
                link=_("Review and publish"),
                warn=waiting > 0,
            )
        ]
    if can(user, "decisions.view").allowed:
        latest = list(Decision.objects.filter(status="published").order_by("-decided_on", "-id")[:3])
        return [
            Card(
                title=_("Latest published decisions"),
                text="" if latest else _("No decision has been published yet."),
                url=reverse("decisions:list"),
                link=_("All decisions"),
                items=[(str(d), reverse("decisions:detail", args=[d.pk])) for d in latest],
            )
        ]
    return []
