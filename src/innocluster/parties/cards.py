"""Home cards of parties (declared in ``manifest.py``): the registrar's queue of claims of
authority, oldest first, with how long the oldest has waited."""

from datetime import date

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innocluster.core.manifest import Card
from innocluster.parties.selectors import pending_claims


def claim_queue_card(user, today: date) -> list[Card]:
    """One query: how many claims wait and since when. A claim waiting longer than a week is
    flagged: until it is decided, the applicant cannot submit."""
    found = pending_claims().aggregate(n=Count("id"), oldest=Min("created_at"))
    waiting = found["n"]
    text = ngettext("%(n)d claim waits for a decision.", "%(n)d claims wait for a decision.", waiting) % {
        "n": waiting
    }
    days = 0
    if found["oldest"]:
        days = (today - timezone.localtime(found["oldest"]).date()).days
        text += " " + ngettext(
            "The oldest was made %(days)d day ago.", "The oldest was made %(days)d days ago.", days
        ) % {"days": days}
    return [
        Card(
            title=_("Claims of authority"),
            text=text,
            url=reverse("parties_staff:claims"),
            link=_("Open the queue"),
            warn=days > 7,
        )
    ]
