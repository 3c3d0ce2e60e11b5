"""Paying a tranche (the finance officer).

A tranche is paid only while its award is active (not suspended, terminated or closed), in order
(every earlier tranche paid), once the agreement is in force, and, for a tranche tied to a
milestone, once that milestone's report is accepted. The payment goes through the ledger's
disbursement command (debit the programme's expense account, credit grants payable to the
grantee), drawing on the award's commitment, and never beyond what the commitment has
outstanding."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.finance.errors import LedgerError
from innocluster.finance.models import Commitment
from innocluster.finance.services import budgets
from innocluster.grants.models import AgreementVersion, Award, GranteeReport, Tranche
from innocluster.grants.tranche_rule import tranche_problem

PAY = "grants.tranche.pay"


def payable_problem(tranche: Tranche) -> str:
    """Why ``tranche`` cannot be paid now (empty: it can). Reads the rows as stored and asks
    ``tranche_rule.tranche_problem``, the rule the award page uses too."""
    award = tranche.award
    milestone_id = tranche.milestone_id
    accepted = set()
    if milestone_id is not None:
        reports = GranteeReport.objects.filter(
            award=award,
            kind=GranteeReport.Kind.MILESTONE,
            milestone_id=milestone_id,
            status=GranteeReport.Status.ACCEPTED,
        )
        if reports.exists():
            accepted.add(milestone_id)
    return tranche_problem(
        tranche,
        award=award,
        in_force=award.versions.filter(status=AgreementVersion.Status.APPROVED).exists(),
        earlier_unpaid=award.tranches.filter(position__lt=tranche.position)
        .exclude(status=Tranche.Status.PAID)
        .exists(),
        accepted=accepted,
    )


def pay(tranche: Tranche, *, on: dt.date, by) -> Tranche:
    """Pay ``tranche`` on ``on`` (see the module's docstring)."""
    require(by, PAY)
    if isinstance(on, dt.datetime) or not isinstance(on, dt.date):
        raise ValidationError({"on": _("Give the payment date.")})
    with transaction.atomic():
        award = Award.objects.select_for_update().get(pk=tranche.award_id)
        locked = (
            Tranche.objects.select_for_update(of=("self",)).select_related("milestone").get(pk=tranche.pk)
        )
        locked.award = award
        problem = payable_problem(locked)
        if problem:
            raise ValidationError({"tranche": problem})
        commitment = Commitment.objects.select_for_update().get(pk=award.commitment_id)
        if locked.amount > commitment.outstanding:
            raise ValidationError(
                {
                    "amount": _(
                        "The commitment has %(outstanding)s KZT outstanding: %(amount)s KZT cannot be paid."
                    )
                    % {"outstanding": commitment.outstanding, "amount": locked.amount}
                }
            )
        try:
            entry = budgets.disburse(
                commitment,
                locked.amount,
                date=on,
                description=_("Grant %(number)s, tranche %(position)s")
                % {"number": award.number, "position": locked.position},
                reference=award.number,
                source=locked,
                by=by,
            )
        except LedgerError as exc:
            raise ValidationError({"on": str(exc)}) from None
        locked.status = Tranche.Status.PAID
        locked.entry = entry
        locked.paid_on = on
        locked.paid_by = by
        locked.save(update_fields=["status", "entry", "paid_on", "paid_by"])
        record_event(
            action="grants.tranche.paid",
            actor=by,
            obj=locked,
            changes={
                "award": [None, award.number],
                "position": [None, locked.position],
                "amount": [None, str(locked.amount)],
                "status": [Tranche.Status.PLANNED, Tranche.Status.PAID],
                "entry": [None, entry.pk],
                "paid_on": [None, on.isoformat()],
            },
        )
        return locked
