"""Grantee reports and project closure.

``schedule_reports`` lays out what the grantee owes under the agreement in force: a milestone report
per milestone, a progress and a financial report per reporting period (the last period's are replaced
by the final report) and the final report; the dates come from ``grants.rules``. The award command
calls it; running it again creates nothing new.

The grantee submits (text, a file, the money spent for a financial report, every project indicator's
value for a progress or final report) and resubmits after a return; the programme manager accepts or
returns with comments. Accepting the final report closes the project: every tranche paid or
cancelled, every other report accepted, the commitment's outstanding released.

Refusals are ``ValidationError``s naming the field; nothing changes on a refusal."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.audit.services import record_event
from innocluster.core.files import fingerprint, original_name, stored
from innocluster.finance.models import Commitment
from innocluster.finance.services import budgets
from innocluster.grants import rules
from innocluster.grants.models import Award, AwardMilestone, GranteeReport, KpiValue, ProjectKpi, Tranche
from innocluster.grants.selectors import reports as selectors
from innocluster.parties import selectors as parties

Kind = GranteeReport.Kind
Status = GranteeReport.Status
CENT = Decimal("0.01")
SUBMITTABLE = (Status.DUE, Status.RETURNED)


def _decimal(value, field: str, errors: dict) -> Decimal | None:
    if value is None or str(value).strip() == "":
        errors[field] = _("Enter a number.")
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = _("Enter a number.")
        return None
    if not number.is_finite():
        errors[field] = _("Enter a number.")
        return None
    return number.quantize(CENT)


# --- the schedule ---------------------------------------------------------------------------------


def planned_reports(award: Award) -> list[tuple[str, int | None, object, object]]:
    """``(kind, milestone id, period end, due)`` of every report the agreement in force asks for."""
    version = selectors.agreement_in_force(award)
    if version is None:
        raise ValidationError({"award": _("The award has no agreement in force.")})
    planned = []
    for milestone in AwardMilestone.objects.filter(award=award).order_by("position"):
        planned.append(
            (Kind.MILESTONE, milestone.pk, milestone.due_on, rules.report_due(period_end=milestone.due_on))
        )
    periods = rules.report_periods(starts_on=version.starts_on, ends_on=version.ends_on)
    for end in periods[:-1]:
        due = rules.report_due(period_end=end)
        planned.append((Kind.PROGRESS, None, end, due))
        planned.append((Kind.FINANCIAL, None, end, due))
    planned.append((Kind.FINAL, None, version.ends_on, rules.report_due(period_end=version.ends_on)))
    return planned


def schedule_reports(award: Award, by) -> list[GranteeReport]:
    """Create the award's reports not yet scheduled; returns those created (none the second time)."""
    with transaction.atomic():
        award = Award.objects.select_for_update().get(pk=award.pk)
        existing = {(r.kind, r.milestone_id, r.period_end) for r in GranteeReport.objects.filter(award=award)}
        created = []
        for kind, milestone, period_end, due in planned_reports(award):
            if (kind, milestone, period_end) in existing:
                continue
            created.append(
                GranteeReport.objects.create(
                    award=award, kind=kind, milestone_id=milestone, period_end=period_end, due_on=due
                )
            )
        if created:
            record_event(
                action="grants.report.scheduled",
                actor=by,
                obj=award,
                changes={"reports": [f"{r.kind} {r.due_on.isoformat()}" for r in created]},
            )
        return created


MOVABLE = (Status.DUE, Status.RETURNED)
PERIODIC = (Kind.PROGRESS, Kind.FINANCIAL)


def reschedule_reports(award: Award, *, by, version=None) -> dict:
    """Bring the reports in line with the agreement in force once an amendment moved a milestone
    or the project's end (called by the amendment's approval, in its transaction).

    A report not yet submitted or accepted (due, or returned for changes) follows: a milestone
    report its milestone, the final report the new end; a progress or financial report keeps its
    period. A periodic report whose period is no longer in the project (the end came earlier) is
    cancelled (kept, with whatever was written in it; nothing is removed), and comes back due if a
    later amendment brings its period back. A submitted one waits for the Fund's acceptance or
    return and the entry says so. A later end adds the new periods' reports. Reports submitted or
    accepted never change. Returns ``{"moved": [...], "cancelled": [...], "restored": [...],
    "kept": [...], "created": [...]}``."""
    with transaction.atomic():
        award = Award.objects.select_for_update().get(pk=award.pk)
        planned = planned_reports(award)
        milestones = {m: (end, due) for kind, m, end, due in planned if kind == Kind.MILESTONE}
        periodic = {(kind, end): due for kind, _m, end, due in planned if kind in PERIODIC}
        final = next((end, due) for kind, _m, end, due in planned if kind == Kind.FINAL)
        done: dict[str, list[str]] = {"moved": [], "cancelled": [], "restored": [], "kept": [], "created": []}
        reports = list(GranteeReport.objects.select_for_update().filter(award=award).order_by("due_on", "id"))

        def label(report, due=None) -> str:
            return f"{report.kind} {(due or report.due_on).isoformat()}"

        remaining = []
        for report in reports:
            if report.kind == Kind.MILESTONE:
                target = milestones.get(report.milestone_id)
            elif report.kind == Kind.FINAL:
                target = final
            else:
                due = periodic.get((report.kind, report.period_end))
                target = (report.period_end, due) if due is not None else None
            if target is None and report.kind in PERIODIC:
                if report.status in MOVABLE:
                    done["cancelled"].append(label(report))
                    report.status = Status.CANCELLED
                    report.save(update_fields=["status"])
                elif report.status == Status.SUBMITTED:
                    done["kept"].append(label(report))
            elif target is not None and report.status == Status.CANCELLED:
                done["restored"].append(f"{label(report)} → {target[1].isoformat()}")
                report.status = Status.DUE
                report.period_end, report.due_on = target
                report.save(update_fields=["status", "period_end", "due_on"])
            elif (
                target is not None
                and report.status in MOVABLE
                and (report.period_end, report.due_on) != target
            ):
                done["moved"].append(f"{label(report)} → {target[1].isoformat()}")
                report.period_end, report.due_on = target
                report.save(update_fields=["period_end", "due_on"])
            remaining.append(report)
        have_milestones = {r.milestone_id for r in remaining if r.kind == Kind.MILESTONE}
        have_periods = {(r.kind, r.period_end) for r in remaining if r.kind in PERIODIC}
        have_final = any(r.kind == Kind.FINAL for r in remaining)
        for kind, milestone, period_end, due in planned:
            missing = (
                (kind == Kind.MILESTONE and milestone not in have_milestones)
                or (kind == Kind.FINAL and not have_final)
                or (kind in PERIODIC and (kind, period_end) not in have_periods)
            )
            if missing:
                made = GranteeReport.objects.create(
                    award=award, kind=kind, milestone_id=milestone, period_end=period_end, due_on=due
                )
                done["created"].append(label(made))
        if any(done.values()):
            record_event(
                action="grants.report.rescheduled",
                actor=by,
                obj=award,
                changes={
                    "version": [None, getattr(version, "version", None)],
                    **{key: [None, items] for key, items in done.items() if items},
                },
            )
        return done


# --- the grantee ----------------------------------------------------------------------------------


def _grantee_report(report: GranteeReport, by) -> GranteeReport:
    require(by, "grants.report.submit", report)
    locked = GranteeReport.objects.select_for_update().select_related("award__application").get(pk=report.pk)
    if not parties.represents(by, locked.award.application.organisation_id):
        raise ValidationError({"award": _("You do not act for this award's organisation.")})
    return locked


def submit_report(
    report: GranteeReport,
    *,
    by,
    text: str,
    file=None,
    spent=None,
    kpi_values: dict | None = None,
) -> GranteeReport:
    """Submit (or resubmit after a return) a report. ``kpi_values`` maps a project indicator's id
    to its value (every indicator, on a progress or final report)."""
    kpi_values = kpi_values or {}
    with transaction.atomic():
        report = _grantee_report(report, by)
        errors = {}
        if report.status not in SUBMITTABLE:
            errors["status"] = _("This report is %(status)s: it cannot be submitted now.") % {
                "status": report.get_status_display()
            }
        if report.award.status != Award.Status.ACTIVE:
            errors["award"] = _("The award is not in progress.")
        text = (text or "").strip()
        if not text:
            errors["text"] = _("Write the report.")
        amount = None
        if report.kind == Kind.FINANCIAL:
            amount = _decimal(spent, "spent", errors)
            if amount is not None and amount < 0:
                errors["spent"] = _("An amount cannot be negative.")
        values = {}
        if report.kind in (Kind.PROGRESS, Kind.FINAL):
            for kpi in ProjectKpi.objects.filter(application=report.award.application_id).order_by("id"):
                field = f"kpi_{kpi.pk}"
                given = kpi_values.get(kpi.pk, kpi_values.get(str(kpi.pk), kpi_values.get(field)))
                number = _decimal(given, field, errors)
                if number is not None:
                    values[kpi] = number
        if errors:
            raise ValidationError(errors)

        def save():
            report.status = Status.SUBMITTED
            report.text = text
            report.spent = amount
            report.submitted_at = timezone.now()
            report.submitted_by = by
            report.save()
            KpiValue.objects.filter(report=report).delete()
            for kpi, number in values.items():
                KpiValue.objects.create(report=report, kpi=kpi, value=number)
            record_event(
                action="grants.report.submitted",
                actor=by,
                obj=report,
                changes={
                    "kind": report.kind,
                    "spent": amount,
                    "kpis": {str(k.pk): str(v) for k, v in values.items()},
                    "file_sha256": report.file_sha256,
                },
            )

        if file is not None:
            print_ = fingerprint(file)
            report.file_name = original_name(file)
            report.file_sha256 = print_.sha256
            with stored(report.file, report.file_name, file):
                save()
        else:
            save()
        return report


# --- the programme manager ------------------------------------------------------------------------


def _submitted(report: GranteeReport, by) -> GranteeReport:
    require(by, "grants.report.review", report)
    locked = GranteeReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != Status.SUBMITTED:
        raise ValidationError(
            {
                "status": _("Only a submitted report is reviewed; this report is %(status)s.")
                % {"status": locked.get_status_display()}
            }
        )
    return locked


def accept_report(report: GranteeReport, *, by, comment: str = "", results: str = "") -> GranteeReport:
    """Accept a submitted report. Accepting a milestone report lets the finance officer pay the
    milestone's tranche; accepting the final report closes the project with ``results``."""
    with transaction.atomic():
        report = _submitted(report, by)
        report.status = Status.ACCEPTED
        report.reviewed_at = timezone.now()
        report.reviewed_by = by
        report.review_comment = (comment or "").strip()
        report.save()
        record_event(
            action="grants.report.accepted",
            actor=by,
            obj=report,
            changes={"kind": report.kind, "comment": report.review_comment},
        )
        if report.kind == Kind.FINAL:
            close_project(report.award, results, by=by)
        return report


def return_report(report: GranteeReport, *, by, comment: str) -> GranteeReport:
    """Send a submitted report back to the grantee with comments (required)."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the grantee must change.")})
    with transaction.atomic():
        report = _submitted(report, by)
        report.status = Status.RETURNED
        report.reviewed_at = timezone.now()
        report.reviewed_by = by
        report.review_comment = comment
        report.save()
        record_event(
            action="grants.report.returned",
            actor=by,
            obj=report,
            changes={"kind": report.kind},
            reason=comment,
        )
        return report


def close_project(award: Award, results: str, *, by) -> Award:
    """Close a project: every tranche paid or cancelled, every report other than the final one
    accepted (the final one is accepted in the same transaction). The commitment's outstanding goes
    back to the budget; the application stays ``awarded``."""
    require(by, "grants.report.review", award)
    results = (results or "").strip()
    with transaction.atomic():
        award = Award.objects.select_for_update().get(pk=award.pk)
        errors = {}
        if award.status != Award.Status.ACTIVE:
            errors["status"] = _("Only an award in progress is closed; this one is %(status)s.") % {
                "status": award.get_status_display()
            }
        if not results:
            errors["results"] = _("Describe the project's results: they are published.")
        planned = award.tranches.filter(status=Tranche.Status.PLANNED).order_by("position")
        if planned.exists():
            errors["tranches"] = _("Tranches not paid: %(positions)s. Pay or cancel them first.") % {
                "positions": ", ".join(str(t.position) for t in planned)
            }
        waiting = award.reports.exclude(status__in=(Status.ACCEPTED, Status.CANCELLED)).exclude(
            kind=Kind.FINAL
        )
        if waiting.exists():
            errors["reports"] = _("Reports not accepted: %(reports)s.") % {
                "reports": ", ".join(f"{r.get_kind_display()} {r.due_on:%d.%m.%Y}" for r in waiting)
            }
        final = award.reports.filter(kind=Kind.FINAL).exclude(status=Status.ACCEPTED)
        if final.exists():
            errors["reports"] = _("The final report is not accepted.")
        if errors:
            raise ValidationError(errors)
        award.status = Award.Status.CLOSED
        award.closed_at = timezone.now()
        award.results = results
        award.save(update_fields=["status", "closed_at", "results"])
        commitment = Commitment.objects.get(pk=award.commitment_id)
        released = commitment.outstanding
        if released > 0:
            budgets.release(
                commitment,
                reason=_("Project %(number)s closed: the unspent award returns to the budget.")
                % {"number": award.number},
                by=by,
            )
        record_event(
            action="grants.award.closed",
            actor=by,
            obj=award,
            changes={"status": ["active", "closed"], "released": released, "results": results},
        )
        return award
