"""Awarding (or declining) an application the expert commission found expedient.

An award is made in one transaction, all or nothing: the application is locked and must be
awaiting the decision with an expedient opinion; the amount is above zero and within the amount
requested and the call's maximum; the decision record is of the body the authority matrix names
for the amount (``require_authority``: a Fund executive's decision above its band is refused,
naming the Managing Committee) and approves; the funds are committed on the programme's budget
for the call's year (a short budget is a refusal naming ``amount`` with the figure available);
then the award (``GA-<year>-<4-digit sequence>``), the agreement's version 1 in force, the
milestones copied from the application and the planned tranches.

**The tranche plan** (a design decision, see :func:`plan_tranches`): tranche 1 is an advance equal
to milestone 1's amount, paid once the agreement is in force; tranche k (k ≥ 2) equals milestone
k's amount and is paid once the report on milestone k − 1 is accepted. When the award is below the
milestones' total (an award below the amount requested) every tranche is scaled down in proportion,
rounded to the tiyn, and the last tranche takes the rounding.

The Fund executive records its decision and awards from the staff page
(:func:`decide_and_award`); a Managing Committee's resolution reaches :func:`award` through the
executor (``grants/executors.py``) with the agenda item's amount."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.core.decisions.executors import carries_out, require_authority
from innocluster.core.decisions.models import Outcome
from innocluster.core.decisions.services import record_decision
from innocluster.core.notifications.services import notify
from innocluster.core.policy import values as policy
from innocluster.finance.errors import InsufficientFunds
from innocluster.finance.services import budgets
from innocluster.grants import selectors
from innocluster.grants.models import (
    AgreementVersion,
    ApplicationStatus,
    Award,
    AwardMilestone,
    Opinion,
    ProjectApplication,
    Tranche,
)
from innocluster.grants.services.reports import schedule_reports

DECISION_TYPE = "grants.award"
DECIDE = "grants.award.decide"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def locked_award(award: Award) -> Award:
    """``award`` locked for a change, with what its agreement, enforcement and ledger steps read
    (the grantee, its applicant, the commitment's budget line)."""
    return (
        Award.objects.select_for_update()
        .select_related("application__organisation", "application__applicant", "commitment__budget__line")
        .get(pk=award.pk)
    )


def _require_decider(by) -> None:
    """The Fund executive decides; inside ``carry_out`` of a grants.award decision, whoever may
    carry decisions out (the corporate secretary after a Managing Committee resolution)."""
    if not carries_out(by, DECISION_TYPE):
        require(by, DECIDE)


def _amount(value, field: str = "amount") -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter an amount in tenge.")}) from None
    if not number.is_finite() or number != number.quantize(CENT):
        raise ValidationError({field: _("Enter an amount in tenge and tiyn (two decimal places).")})
    return number.quantize(CENT)


def _check_awaiting(application: ProjectApplication) -> None:
    if application.status != ApplicationStatus.DECISION:
        raise ValidationError(
            {
                "status": _(
                    "Only an application awaiting the decision can be decided; this one is %(status)s."
                )
                % {"status": application.get_status_display()}
            }
        )
    if application.opinion != Opinion.EXPEDIENT:
        raise ValidationError(
            {"opinion": _("The expert commission did not find this project expedient: it cannot be awarded.")}
        )


def check_awardable(application: ProjectApplication) -> None:
    """Refuse (``ValidationError``) unless the application awaits the decision with an expedient
    opinion (the executor's check, before a resolution is carried out)."""
    _check_awaiting(ProjectApplication.objects.get(pk=application.pk))


def plan_tranches(amount: Decimal, milestone_amounts: list[Decimal]) -> list[tuple[int | None, Decimal]]:
    """The planned tranches as ``(index of the milestone whose report releases it, amount)``:
    ``None`` for the advance. See the module's docstring for the rule."""
    amounts = [Decimal(a) for a in milestone_amounts]
    total = sum(amounts, ZERO)
    if not amounts or total <= 0:
        return [(None, amount)]
    if total != amount:
        scaled = [(a * amount / total).quantize(CENT, rounding=ROUND_HALF_UP) for a in amounts]
        scaled[-1] = amount - sum(scaled[:-1], ZERO)
        amounts = scaled
    return [(None if k == 0 else k - 1, a) for k, a in enumerate(amounts)]


def _next_number(year: int) -> str:
    prefix = f"GA-{year}-"
    numbers = Award.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    highest = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{highest + 1:04d}"


def _commit(application, amount, *, by, reference):
    call = application.call
    budget = selectors.programme_budget(call.programme, call.year)
    if budget is None:
        raise ValidationError(
            {
                "amount": _("The programme has no budget for %(year)s: nothing can be committed.")
                % {"year": call.year}
            }
        )
    try:
        return budgets.commit(
            budget,
            amount,
            reference=reference,
            description=f"{application.number}: {application.project.title}"[:500],
            party=application.organisation,
            source=application,
            by=by,
        )
    except InsufficientFunds:
        budget.refresh_from_db()
        raise ValidationError(
            {
                "amount": _(
                    "The programme's budget for %(year)s has only %(available)s KZT available: %(amount)s KZT cannot be committed."
                )
                % {"year": call.year, "available": budget.available, "amount": amount}
            }
        ) from None


def award(application: ProjectApplication, *, amount, decision, by) -> Award:
    """Award ``amount`` to ``application`` on ``decision`` (see the module's docstring)."""
    _require_decider(by)
    amount = _amount(amount)
    with transaction.atomic():
        app = (
            ProjectApplication.objects.select_for_update()
            .select_related("call__programme", "project", "organisation")
            .get(pk=application.pk)
        )
        _check_awaiting(app)
        if amount <= 0:
            raise ValidationError({"amount": _("The amount awarded is above zero.")})
        if amount > app.requested_amount:
            raise ValidationError(
                {
                    "amount": _("The amount awarded cannot exceed the amount requested (%(requested)s KZT).")
                    % {"requested": app.requested_amount}
                }
            )
        if app.call.max_amount and amount > app.call.max_amount:
            raise ValidationError(
                {
                    "amount": _("The amount awarded cannot exceed the call's maximum (%(maximum)s KZT).")
                    % {"maximum": app.call.max_amount}
                }
            )
        if decision.outcome != Outcome.APPROVED:
            raise ValidationError({"decision": _("The decision does not approve the award.")})
        require_authority(decision, DECISION_TYPE, amount=amount)
        number = _next_number(policy.today().year)
        commitment = _commit(app, amount, by=by, reference=number)
        now = timezone.now()
        made = Award.objects.create(
            application=app,
            number=number,
            amount=amount,
            decision=decision,
            commitment=commitment,
            awarded_at=now,
            awarded_by=by,
        )
        AgreementVersion.objects.create(
            award=made,
            version=1,
            status=AgreementVersion.Status.APPROVED,
            starts_on=app.starts_on or policy.today(),
            ends_on=app.ends_on or app.starts_on or policy.today(),
            reason="",  # the first version: pages say "Agreement as awarded" in the reader's language
            proposed_by=by,
            proposed_at=now,
            approved_by=by,
            approved_at=now,
        )
        source = list(app.milestones.order_by("position"))
        milestones = [
            AwardMilestone.objects.create(
                award=made, position=m.position, title=m.title, deliverable=m.deliverable, due_on=m.due_on
            )
            for m in source
        ]
        start = app.starts_on or policy.today()
        position = 0
        for index, tranche_amount in plan_tranches(amount, [m.amount for m in source]):
            if tranche_amount <= 0:
                continue
            position += 1
            milestone = milestones[index] if index is not None else None
            Tranche.objects.create(
                award=made,
                position=position,
                milestone=milestone,
                amount=tranche_amount,
                planned_on=milestone.due_on if milestone is not None else start,
            )
        before = app.status
        app.status = ApplicationStatus.AWARDED
        app.decided_at = now
        app.save(update_fields=["status", "decided_at"])
        record_event(
            action="grants.award.made",
            actor=by,
            obj=made,
            changes={
                "application": [None, app.number],
                "status": [before, app.status],
                "amount": [None, str(amount)],
                "decision": [None, decision.pk],
                "commitment": [None, commitment.pk],
            },
        )
        notify(
            recipients=[app.applicant],
            key="grants.award.made",
            context={
                "number": number,
                "amount": amount,
                "application": app.number,
                "title": app.project.title,
            },
            obj=made,
            actor=by,
        )
        schedule_reports(made, by)  # the milestone, periodic and final reports the grantee owes
        return made


def decline(application: ProjectApplication, *, decision, by, reason: str) -> ProjectApplication:
    """Decide not to finance the application (the decision record says so); the applicant is told."""
    _require_decider(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the project is not financed.")})
    with transaction.atomic():
        app = ProjectApplication.objects.select_for_update().select_related("project").get(pk=application.pk)
        if app.status != ApplicationStatus.DECISION:
            raise ValidationError(
                {
                    "status": _(
                        "Only an application awaiting the decision can be decided; this one is %(status)s."
                    )
                    % {"status": app.get_status_display()}
                }
            )
        require_authority(decision, DECISION_TYPE, amount=app.requested_amount)
        before = app.status
        app.status = ApplicationStatus.DECLINED
        app.decided_at = timezone.now()
        app.save(update_fields=["status", "decided_at"])
        record_event(
            action="grants.award.declined",
            actor=by,
            obj=app,
            reason=reason,
            changes={"status": [before, app.status], "decision": [None, decision.pk]},
        )
        notify(
            recipients=[app.applicant],
            key="grants.award.declined",
            context={"application": app.number, "title": app.project.title, "reason": reason},
            obj=app,
            actor=by,
        )
        return app


def decide_and_award(
    application: ProjectApplication, *, amount, number: str, decided_on: dt.date, basis: str, by
) -> Award:
    """The Fund executive's own decision, recorded and carried out at once: a refused award leaves
    no decision record behind."""
    require(by, DECIDE)
    amount = _amount(amount)
    with transaction.atomic():
        app = ProjectApplication.objects.select_related("project").get(pk=application.pk)
        decision = record_decision(
            body="fund_executive",
            number=number,
            decided_on=decided_on,
            basis=basis,
            outcome=Outcome.APPROVED,
            summary=_("Grant award: %(application)s, %(title)s, %(amount)s KZT")
            % {"application": app.number, "title": app.project.title, "amount": amount},
            decided_by=by,
            by=by,
        )
        return award(app, amount=amount, decision=decision, by=by)


def decide_and_decline(
    application: ProjectApplication, *, number: str, decided_on: dt.date, reason: str, by
) -> ProjectApplication:
    """The Fund executive's decision not to finance, recorded and carried out at once."""
    require(by, DECIDE)
    with transaction.atomic():
        decision = record_decision(
            body="fund_executive",
            number=number,
            decided_on=decided_on,
            basis=reason,
            outcome=Outcome.REJECTED,
            summary=reason,
            decided_by=by,
            by=by,
        )
        return decline(application, decision=decision, by=by, reason=reason)
