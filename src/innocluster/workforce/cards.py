"""The workforce's home cards (declared in ``manifest.py``): for the HR officer, the requests
waiting for a decision and the overdue ones; for an employer, its requests needing its action
(drafts and returns). One query each, whatever the volume."""

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innocluster.core.manifest import Card
from innocluster.workforce.models import EngagementRequest
from innocluster.workforce.selectors import pages
from innocluster.workforce.selectors.requests import requests_for

S = EngagementRequest.Status


def staff_card(user, today: date) -> list[Card]:
    counts = pages.status_counts(requests_for(user), today)
    pending = counts[S.SUBMITTED] + counts[S.CHECKED]
    text = ngettext("%(n)d request awaits a decision.", "%(n)d requests await a decision.", pending) % {
        "n": pending
    }
    if counts["overdue"]:
        text += " " + ngettext(
            "%(n)d is past its deadline.", "%(n)d are past their deadline.", counts["overdue"]
        ) % {"n": counts["overdue"]}
    return [
        Card(
            title=_("Foreign specialists"),
            text=text,
            url=reverse("workforce:queue"),
            link=_("Open the queue of requests"),
            warn=bool(counts["overdue"]),
        )
    ]


def portal_card(user, today: date) -> list[Card]:
    rows = pages.employer_requests(user).filter(status__in=(S.DRAFT, S.RETURNED))
    counts = rows.aggregate(
        drafts=Count("id", filter=Q(status=S.DRAFT)), returned=Count("id", filter=Q(status=S.RETURNED))
    )
    if counts["returned"]:
        text = ngettext(
            "%(n)d request is returned for revision: answer the comments and resubmit.",
            "%(n)d requests are returned for revision: answer the comments and resubmit.",
            counts["returned"],
        ) % {"n": counts["returned"]}
    elif counts["drafts"]:
        text = ngettext(
            "%(n)d draft is not submitted yet.", "%(n)d drafts are not submitted yet.", counts["drafts"]
        ) % {"n": counts["drafts"]}
    else:
        text = _("Nothing needs your action.")
    return [
        Card(
            title=_("Foreign specialists"),
            text=text,
            url=reverse("workforce_portal:home"),
            link=_("Your specialists and requests"),
            warn=bool(counts["returned"]),
        )
    ]
