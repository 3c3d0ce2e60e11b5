"""The life of a financing agreement after the award: amendments (here) and the enforcement
measures, suspension, resumption, termination and clawback (``services/enforcement.py``,
re-exported here).

**Amendments** move the project's end, the milestones' due dates and the money between milestones
(milestone k's amount is the amount of tranche k: see ``services/awards.py``). An amendment is a
new agreement version, proposed by a programme manager and approved by another person; it is
refused when the total changes, when it moves (the sum of the increases) more than the policy
tolerance allows (``rules.reallocation_allowed``), when it touches a paid tranche, or when the
dates are inverted. Approval applies it and supersedes the version in force; when it moves a
milestone or the project's end, the reports not yet submitted move with it in the same
transaction (``services.reports.reschedule_reports``).

Who: a programme manager proposes amendments; another programme manager or a Fund executive
(``grants.agreement.approve``) approves them."""

import datetime as dt
from decimal import Decimal
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.core.policy import values as policy
from innocluster.grants import rules
from innocluster.grants.models import AgreementVersion, Award, AwardStatus, Tranche
from innocluster.grants.services.awards import _amount
from innocluster.grants.services.awards import locked_award as _locked
from innocluster.grants.services.enforcement import (  # noqa: F401  (the measures' historical home)
    ENFORCE,
    clawback,
    clawed_back,
    paid,
    resume,
    suspend,
    terminate,
)
from innocluster.grants.services.reports import reschedule_reports

AMEND = "grants.agreement.amend"
APPROVE = "grants.agreement.approve"
ZERO = Decimal("0.00")
V = AgreementVersion.Status


def in_force(award: Award) -> AgreementVersion:
    return award.versions.filter(status=V.APPROVED).order_by("-version").first()


def _date(value, field: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError({field: _("Enter a date.")}) from None
    return value


def _iso(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _plan(award: Award, *, ends_on, milestones: dict) -> tuple[dict, dict]:
    """Check an amendment against the award as stored; return ``(changes, new values)`` where the
    new values are ``{"ends_on": date, "due": {position: date}, "amount": {position: Decimal}}``."""
    current = in_force(award)
    ends_on = _date(ends_on, "ends_on") if ends_on not in (None, "") else current.ends_on
    by_position = {m.position: m for m in award.milestones.all()}
    tranches = {t.position: t for t in award.tranches.all()}
    # Tranche k+1 waits for milestone k's report: moving milestone k moves that tranche.
    gated = {t.milestone.position: t for t in tranches.values() if t.milestone_id is not None}
    errors: dict[str, str] = {}
    due: dict[int, dt.date] = {}
    amounts: dict[int, Decimal] = {}
    changes: dict = {}
    if ends_on <= current.starts_on:
        errors["ends_on"] = _("The project ends after it starts (%(start)s).") % {
            "start": current.starts_on.isoformat()
        }
    elif ends_on != current.ends_on:
        changes["ends_on"] = [current.ends_on.isoformat(), ends_on.isoformat()]
    moved = ZERO
    for key, values in (milestones or {}).items():
        position = int(key)
        milestone = by_position.get(position)
        if milestone is None:
            errors["milestones"] = _("The agreement has no milestone %(position)s.") % {"position": position}
            continue
        entry: dict = {}
        if values.get("due_on") not in (None, ""):
            new_due = _date(values["due_on"], "milestones")
            if new_due != milestone.due_on:
                if new_due < current.starts_on or new_due > ends_on:
                    errors["milestones"] = _(
                        "Milestone %(position)s falls due within the project (%(start)s to %(end)s)."
                    ) % {
                        "position": position,
                        "start": current.starts_on.isoformat(),
                        "end": ends_on.isoformat(),
                    }
                following = gated.get(position)
                if following is not None and following.status == Tranche.Status.PAID:
                    errors["milestones"] = _(
                        "Milestone %(position)s released a tranche already paid: it cannot change."
                    ) % {"position": position}
                due[position] = new_due
                entry["due_on"] = [milestone.due_on.isoformat(), new_due.isoformat()]
        if values.get("amount") not in (None, ""):
            new_amount = _amount(values["amount"], "milestones")
            tranche = tranches.get(position)
            old_amount = tranche.amount if tranche is not None else ZERO
            if new_amount != old_amount:
                if tranche is None or tranche.status != Tranche.Status.PLANNED:
                    errors["milestones"] = _(
                        "The tranche of milestone %(position)s is paid or cancelled: its amount cannot change."
                    ) % {"position": position}
                elif new_amount <= 0:
                    errors["milestones"] = _("A milestone's amount is above zero.")
                else:
                    amounts[position] = new_amount
                    moved += max(new_amount - old_amount, ZERO)
                    entry["amount"] = [str(old_amount), str(new_amount)]
        if entry:
            changes.setdefault("milestones", {})[str(position)] = entry
    # Due dates stay in order of the milestones.
    dates = [due.get(p, m.due_on) for p, m in sorted(by_position.items())]
    if "milestones" not in errors and any(a > b for a, b in pairwise(dates)):
        errors["milestones"] = _("The milestones fall due in their order.")
    if "milestones" not in errors and "ends_on" not in errors and dates and max(dates) > ends_on:
        errors["ends_on"] = _("The project cannot end before its last milestone is due.")
    if amounts and "milestones" not in errors:
        total = sum((amounts.get(p, t.amount) for p, t in tranches.items() if t.status != "cancelled"), ZERO)
        before = sum((t.amount for t in tranches.values() if t.status != "cancelled"), ZERO)
        if total != before:
            errors["milestones"] = _(
                "An amendment moves money between milestones: the total stays %(total)s KZT (now %(new)s KZT)."
            ) % {"total": before, "new": total}
        elif not rules.reallocation_allowed(award=award.amount, moved=moved, on=policy.today()):
            errors["milestones"] = _(
                "The amendment moves %(moved)s KZT, more than the rules allow without a new decision."
            ) % {"moved": moved}
    if not changes and not errors:
        errors["milestones"] = _("The amendment changes nothing.")
    if errors:
        raise ValidationError(errors)
    if moved:
        changes["moved"] = str(moved)
    return changes, {"ends_on": ends_on, "due": due, "amount": amounts}


def propose_amendment(award: Award, *, ends_on=None, milestones=None, reason: str, by) -> AgreementVersion:
    """Propose a new version of the agreement (see the module's docstring)."""
    require(by, AMEND, award)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the agreement changes.")})
    with transaction.atomic():
        award = _locked(award)
        if award.status != AwardStatus.ACTIVE:
            raise ValidationError(
                {
                    "status": _("The award is %(status)s: its agreement cannot be amended.")
                    % {"status": award.get_status_display()}
                }
            )
        if award.versions.filter(status=V.PROPOSED).exists():
            raise ValidationError({"version": _("An amendment is already waiting for approval.")})
        changes, new = _plan(award, ends_on=ends_on, milestones=milestones or {})
        current = in_force(award)
        number = (award.versions.aggregate(top=Max("version"))["top"] or 0) + 1
        version = AgreementVersion.objects.create(
            award=award,
            version=number,
            status=V.PROPOSED,
            starts_on=current.starts_on,
            ends_on=new["ends_on"],
            changes=changes,
            reason=reason,
            proposed_by=by,
        )
        record_event(
            action="grants.agreement.proposed",
            actor=by,
            obj=version,
            reason=reason,
            changes={
                "award": [None, award.number],
                "version": [None, number],
                **{"amendment": [None, changes]},
            },
        )
        return version


def _locked_proposal(version: AgreementVersion) -> tuple[Award, AgreementVersion]:
    award = _locked(version.award)
    version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != V.PROPOSED:
        raise ValidationError(
            {
                "version": _("This version is %(status)s, not waiting for approval.")
                % {"status": version.get_status_display()}
            }
        )
    return award, version


def approve_amendment(version: AgreementVersion, *, by) -> AgreementVersion:
    """Put a proposed version in force (by someone other than its proposer) and apply it."""
    require(by, APPROVE, version)
    with transaction.atomic():
        award, version = _locked_proposal(version)
        if version.proposed_by_id == by.pk:
            raise ValidationError({"version": _("Another person approves the amendment you proposed.")})
        if award.status != AwardStatus.ACTIVE:
            raise ValidationError(
                {
                    "status": _("The award is %(status)s: its agreement cannot be amended.")
                    % {"status": award.get_status_display()}
                }
            )
        proposed = version.changes.get("milestones", {})
        # Checked again: a tranche may have been paid since the proposal.
        _changes, new = _plan(
            award,
            ends_on=version.ends_on,
            milestones={int(p): {k: v[1] for k, v in entry.items()} for p, entry in proposed.items()},
        )
        milestones = {m.position: m for m in award.milestones.all()}
        for position, due_on in new["due"].items():
            milestone = milestones[position]
            milestone.due_on = due_on
            milestone.save(update_fields=["due_on"])
            Tranche.objects.filter(award=award, milestone=milestone, status=Tranche.Status.PLANNED).update(
                planned_on=due_on
            )
        for position, amount in new["amount"].items():
            Tranche.objects.filter(award=award, position=position, status=Tranche.Status.PLANNED).update(
                amount=amount
            )
        previous = in_force(award)
        AgreementVersion.objects.filter(pk=previous.pk).update(status=V.SUPERSEDED)
        version.status = V.APPROVED
        version.approved_by = by
        version.approved_at = timezone.now()
        version.save(update_fields=["status", "approved_by", "approved_at"])
        if new["due"] or version.ends_on != previous.ends_on:
            reschedule_reports(award, by=by, version=version)
        record_event(
            action="grants.agreement.approved",
            actor=by,
            obj=version,
            changes={
                "award": [None, award.number],
                "status": [V.PROPOSED, V.APPROVED],
                "superseded": [None, previous.version],
            },
        )
        return version


def refuse_amendment(version: AgreementVersion, *, reason: str, by) -> AgreementVersion:
    require(by, APPROVE, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the amendment is refused.")})
    with transaction.atomic():
        award, version = _locked_proposal(version)
        version.status = V.REFUSED
        version.save(update_fields=["status"])
        record_event(
            action="grants.agreement.refused",
            actor=by,
            obj=version,
            reason=reason,
            changes={"award": [None, award.number], "status": [V.PROPOSED, V.REFUSED]},
        )
        return version
