"""The one rule deciding whether a tranche can be paid now, as a pure function of facts read
beforehand.

The payment service (``services/tranches.py``) reads the facts for one locked tranche and refuses
the payment with the rule's answer; the award page's selector (``selectors/awards.py``) reads them
for every tranche of the award in a constant number of queries and shows the pay form only where
the answer is empty. Neither keeps a copy of the rule."""

from django.utils.translation import gettext as _

from innocluster.grants.models import AwardStatus, Tranche


def tranche_problem(tranche: Tranche, *, award, in_force: bool, earlier_unpaid: bool, accepted: set) -> str:
    """Why ``tranche`` of ``award`` cannot be paid now (empty: it can).

    ``in_force``: the award has an approved agreement version; ``earlier_unpaid``: a tranche at an
    earlier position is not paid; ``accepted``: the ids of the milestones whose report is accepted.
    """
    if tranche.status != Tranche.Status.PLANNED:
        return _("This tranche is %(status)s.") % {"status": tranche.get_status_display()}
    if award.status != AwardStatus.ACTIVE:
        return _("The award is %(status)s: no tranche is paid.") % {"status": award.get_status_display()}
    if not in_force:
        return _("The agreement is not in force.")
    if earlier_unpaid:
        return _("The earlier tranches are paid first.")
    milestone = tranche.milestone
    if milestone is not None and milestone.pk not in accepted:
        return _("The report on milestone %(position)s (%(title)s) is not accepted yet.") % {
            "position": milestone.position,
            "title": milestone.title,
        }
    return ""
