"""Who may employ a foreign specialist under the simplified procedure: the Fund itself (always),
or a participant in good standing, read live from the register (``registry.selectors.register
.status_on``: registered on the day, not suspended, excluded or gone). A participant that falls out
of good standing keeps its active specialists, flagged for the HR officer's review
(:func:`flag_for_review`, :func:`flagged_for_review`): the register sends no signal on suspension or
exclusion, so the flag is read, not stored."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from innocluster.core.policy import values as policy
from innocluster.parties.models import Organisation
from innocluster.registry.selectors.register import participant_of, status_on
from innocluster.workforce.models import EngagementRequest
from innocluster.workforce.permissions import fund_bin


@dataclass(frozen=True)
class Standing:
    """An employer's standing on a day: ``eligible``, and why not (``reason``, for people)."""

    eligible: bool
    fund: bool
    status: str | None  # the register status in force, None for the Fund or an unregistered one
    reason: str = ""


def is_fund(organisation: Organisation) -> bool:
    return bool(fund_bin()) and organisation.bin == fund_bin()


def employer_standing(organisation: Organisation, on: dt.date | None = None) -> Standing:
    on = on or policy.today()
    if is_fund(organisation):
        return Standing(True, True, None)
    participant = participant_of(organisation)
    if participant is None:
        return Standing(
            False,
            False,
            None,
            str(_("%(name)s is not a participant of the cluster.") % {"name": organisation.name}),
        )
    today = status_on(participant, on)
    if today.valid:
        return Standing(True, False, today.status)
    if today.status is None:
        reason = _("%(name)s is not yet a participant of the cluster on %(date)s.") % {
            "name": organisation.name,
            "date": on.isoformat(),
        }
    else:
        reason = _("%(name)s is %(status)s in the register and cannot engage foreign specialists.") % {
            "name": organisation.name,
            "status": today.label,
        }
    return Standing(False, False, today.status, str(reason))


def flag_for_review(employer: Organisation, on: dt.date | None = None) -> list[EngagementRequest]:
    """The employer's active specialists when it is not in good standing (else none): what the HR
    officer reviews after a suspension or an exclusion."""
    if employer_standing(employer, on).eligible:
        return []
    return list(
        EngagementRequest.objects.filter(employer=employer, status=EngagementRequest.Status.ACTIVE)
        .select_related("specialist", "employer")
        .order_by("contract_end", "id")
    )


def flagged_for_review(on: dt.date | None = None) -> list[EngagementRequest]:
    """Every active specialist whose employer is not in good standing on ``on``."""
    employers: QuerySet[Organisation] = Organisation.objects.filter(
        engagement_requests__status=EngagementRequest.Status.ACTIVE
    ).distinct()
    found: list[EngagementRequest] = []
    for employer in employers.order_by("pk"):
        found.extend(flag_for_review(employer, on))
    return found
