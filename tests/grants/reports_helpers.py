"""An award placed directly (decision, commitment, agreement v1, milestones, tranches) for the
reporting stage's tests; the lead switches it to the award command at merge."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from innocluster.core.decisions.services import record_decision
from innocluster.finance.models import Budget
from innocluster.finance.services import budgets
from innocluster.grants.models import AgreementVersion, Award, AwardMilestone, Tranche
from tests.factories.grants import application, publish_now
from tests.factories.registry import registered_participant
from tests.grants.conftest import ready_call

D = Decimal


def make_award(
    programme, people, *, rep=None, number="AG-1", code="C1", call=None, status="active", participant=None
):
    """An award of 15 million to the rep's company: milestones at the application's dates, an advance
    and one tranche per milestone."""
    rep = rep or people["rep"]
    pm = people["pm"]
    if call is None:
        call = publish_now(ready_call(programme, pm, code=code), people["pm2"])
    participant = participant or registered_participant(rep)
    app = application(call, participant.organisation, rep, status="awarded", participant=participant,
                      number=f"{call.code}-{number}")  # fmt: skip
    year = timezone.now().year
    decision = record_decision(
        body="fund_executive",
        number=f"D-{number}",
        decided_on=timezone.localdate(),
        basis="Rules of financing, item 12",
        outcome="approved",
        by=people["executive"],
    )
    budget = Budget.objects.get(line=programme.budget_line, year=year)
    commitment = budgets.commit(
        budget,
        app.requested_amount,
        reference=number,
        description=f"Grant {number}",
        party=participant.organisation,
        by=people["pm"],
    )
    award = Award.objects.create(
        application=app,
        number=number,
        amount=app.requested_amount,
        decision=decision,
        commitment=commitment,
        status=status,
        awarded_by=people["executive"],
    )
    AgreementVersion.objects.create(
        award=award,
        version=1,
        status=AgreementVersion.Status.APPROVED,
        starts_on=app.starts_on,
        ends_on=app.ends_on,
        proposed_by=pm,
        approved_by=people["executive"],
        approved_at=timezone.now(),
    )
    milestones = [
        AwardMilestone.objects.create(
            award=award, position=m.position, title=m.title, deliverable=m.deliverable, due_on=m.due_on
        )
        for m in app.milestones.order_by("position")
    ]
    Tranche.objects.create(award=award, position=1, amount=D("3000000.00"), planned_on=app.starts_on)
    Tranche.objects.create(award=award, position=2, milestone=milestones[0], amount=D("6000000.00"),
                           planned_on=milestones[0].due_on + dt.timedelta(days=20))  # fmt: skip
    Tranche.objects.create(award=award, position=3, milestone=milestones[1], amount=D("6000000.00"),
                           planned_on=milestones[1].due_on + dt.timedelta(days=20))  # fmt: skip
    return award
