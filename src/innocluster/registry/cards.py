"""Home cards of the register (declared in ``manifest.py``): the register's figures for the public
home, what waits for the registrar and the commission on a staff home, and the applicant's own
application on a participant's home."""

from datetime import date

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innocluster.core.access.permissions import can
from innocluster.core.manifest import Card
from innocluster.registry.models import Application

S = Application.Status


def _queue_card(title: str, stage: str, due_field: str, today: date) -> Card:
    """One query: how many applications wait at ``stage`` and how many of them are overdue."""
    counts = Application.objects.filter(status=stage).aggregate(
        total=Count("id"), overdue=Count("id", filter=Q(**{f"{due_field}__lt": today}))
    )
    total, overdue = counts["total"], counts["overdue"]
    text = ngettext("%(n)d application waits.", "%(n)d applications wait.", total) % {"n": total}
    if overdue:
        text += " " + ngettext(
            "%(n)d of them is past its deadline.", "%(n)d of them are past their deadlines.", overdue
        ) % {"n": overdue}
    return Card(
        title=title,
        text=text,
        url=reverse("registry_staff:queue") + f"?stage={stage}" + ("&overdue=on" if overdue else ""),
        link=_("Open the queue"),
        warn=overdue > 0,
    )


def public_cards(user, today: date) -> list[Card]:
    """The register in figures, for everyone: one grouped count."""
    from innocluster.registry.models import Participant
    from innocluster.registry.selectors.register import status_counts

    counts = status_counts()
    registered = counts[Participant.Status.REGISTERED]
    text = ngettext(
        "%(n)d participant is registered in the cluster.",
        "%(n)d participants are registered in the cluster.",
        registered,
    ) % {"n": registered}
    suspended = counts[Participant.Status.SUSPENDED]
    if suspended:
        text += " " + ngettext(
            "%(n)d participant is suspended.", "%(n)d participants are suspended.", suspended
        ) % {"n": suspended}
    return [
        Card(
            title=_("Register of participants"),
            text=text,
            url=reverse("registry:register"),
            link=_("Search the register"),
            items=[(_("How to join: apply in the portal"), reverse("portal:home"))],
        )
    ]


def staff_cards(user, today: date) -> list[Card]:
    """The queues the user works: each card one query, however many applications wait."""
    cards = []
    if can(user, "registry.application.moderate").allowed:
        cards.append(_queue_card(_("Completeness check"), S.MODERATION, "moderation_due", today))
    if can(user, "registry.application.decide").allowed:
        cards.append(_queue_card(_("Selection commission"), S.COMMISSION, "commission_due", today))
    return cards


def participant_cards(user, today: date) -> list[Card]:
    """The applicant's latest open application and when the Fund answers."""
    cards = []
    if can(user, "registry.portal").allowed:
        mine = (
            Application.objects.filter(applicant=user)
            .exclude(status__in=[S.REJECTED, S.REGISTERED])
            .order_by("-id")
            .first()
        )
        if mine is not None:
            due = mine.commission_due or mine.moderation_due or mine.total_due
            text = _("Application No. %(number)s is “%(status)s”.") % {
                "number": mine.pk,
                "status": mine.get_status_display(),
            }
            if mine.status == S.RETURNED:
                text += " " + _("The Fund returned it for revision: answer the comments and submit it again.")
            elif due:
                from django.utils.formats import date_format

                text += " " + _("The Fund answers by %(date)s.") % {"date": date_format(due, "DATE_FORMAT")}
            cards.append(
                Card(
                    title=_("My application"),
                    text=text,
                    url=reverse("portal:application", args=[mine.pk]),
                    link=_("Open the application"),
                    warn=mine.status in (S.RETURNED, S.DRAFT, S.APPROVED),
                )
            )
    return cards


def registry_cards(user, today: date) -> list[Card]:
    """Staff and participant cards together (the older single source, kept for its tests)."""
    return staff_cards(user, today) + participant_cards(user, today)
