"""Participants' annual reports and the regime's tests on them.

A report covers a year that has ended: it is filed from 1 January of the next year (Almaty's date),
never for the running year, and not for a year before the participant's entry.

The income-share test reads ``registry.compliance.min_priority_income_share`` in force on
31 December of the reporting year, so a dated value (or a null one: the test ends) changes the
outcome without a code change. Each check carries the legal reference of the value it applied and
is stored with the report, so a result stays explainable after the policy changes. Money is
``Decimal`` throughout: a float is refused, never rounded.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from innocluster.core.access.permissions import require
from innocluster.core.access.selectors import users_with_role
from innocluster.core.audit.services import record_event
from innocluster.core.calendar import add_working_days
from innocluster.core.notifications.reminders import Reminder
from innocluster.core.notifications.services import notify
from innocluster.core.policy import values as policy
from innocluster.core.policy.display import percent
from innocluster.core.policy.formulas import formula
from innocluster.parties.selectors import representative_users
from innocluster.registry.models import ComplianceReport, Participant

Result = ComplianceReport.Result
SHARE_KEY = "registry.compliance.min_priority_income_share"
DUE_KEY = "registry.compliance.report_due"
NON_NEGATIVE = "registry.compliance.non_negative"
WITHIN_REVENUE = "registry.compliance.priority_within_revenue"
# Checks of the report's own arithmetic, which no regime sets; they can fail a report, never pass it.
CONSISTENCY_KEYS = frozenset({NON_NEGATIVE, WITHIN_REVENUE})
MONEY_FIELDS = ("revenue", "priority_revenue", "rd_spend", "exports")
CENT = Decimal("0.01")
# ComplianceReport's DecimalFields hold 18 digits, 2 of them after the point.
MONEY_LIMIT = Decimal(10) ** 16
NOTIFICATION_KEY = "workflow.transition"
REMINDER_KEY = "reminder.deadline"


def _today() -> date:
    return policy.today()


def _label(name: str) -> str:
    return str(ComplianceReport._meta.get_field(name).verbose_name)


def _consistency_reference() -> str:
    return _("innocluster consistency check of the reported figures")


def _figure(figures: Any, name: str) -> Decimal | None:
    raw = figures.get(name) if isinstance(figures, Mapping) else getattr(figures, name, None)
    if raw is None:
        return None
    if isinstance(raw, float):
        raise TypeError(f"{name} is a float; pass a Decimal (money is never a float)")
    return raw if isinstance(raw, Decimal) else Decimal(raw)


def _check(key: str, passed: bool | None, message: str, reference: str, value: Any = None) -> dict:
    return {"key": key, "passed": passed, "message": message, "reference": reference, "value": value}


def _rule(key: str, on: date, regime: str | None) -> policy.InForce:
    """The rule in force; a regime with no such test ships an explicit null row, so a missing row
    raises ``NoValueInForce`` (absence never waives the test)."""
    return policy.lookup(key, on=on, regime=regime)


def evaluate(report_figures: Any, *, year: int, regime: str | None = None) -> list[dict]:
    """The checks on a report's figures (a mapping or a report), as ``{key, passed, message,
    reference, value}``. ``passed`` is ``None`` for a test that does not apply: the regime sets no
    share for that year, or there was no revenue to take a share of."""
    revenue = _figure(report_figures, "revenue")
    priority = _figure(report_figures, "priority_revenue")
    if revenue is None or priority is None:
        raise ValueError("revenue and priority_revenue are required")
    checks = []

    negative = [
        name
        for name in (*MONEY_FIELDS, "staff_count")
        if (amount := _figure(report_figures, name)) is not None and amount < 0
    ]
    checks.append(
        _check(
            NON_NEGATIVE,
            not negative,
            _("Figures cannot be negative: %(fields)s.") % {"fields": ", ".join(_label(n) for n in negative)}
            if negative
            else _("No reported figure is negative."),
            _consistency_reference(),
            negative or None,
        )
    )
    within = priority <= revenue
    checks.append(
        _check(
            WITHIN_REVENUE,
            within,
            _("Income from priority activities does not exceed revenue.")
            if within
            else _("Income from priority activities (%(p)s) exceeds revenue (%(r)s).")
            % {"p": priority, "r": revenue},
            _consistency_reference(),
            str(priority),
        )
    )

    rule = _rule(SHARE_KEY, date(year, 12, 31), regime)
    if rule.value is None:
        checks.append(
            _check(
                SHARE_KEY,
                None,
                _("No test of the share of income from priority activities applies to %(year)s.")
                % {"year": year},
                rule.localized_reference,
            )
        )
    elif revenue <= 0:
        checks.append(
            _check(
                SHARE_KEY,
                None,
                _("There was no revenue in %(year)s, so no share of it can be tested.") % {"year": year},
                rule.localized_reference,
            )
        )
    else:
        # Compared without division, so the test is exact whatever the amounts.
        passed = priority >= rule.value * revenue
        share = (priority / revenue).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
        message = (
            _("%(share)s of income is from priority activities; at least %(min)s is required.")
            if passed
            else _("Only %(share)s of income is from priority activities; at least %(min)s is required.")
        )
        checks.append(
            _check(
                SHARE_KEY,
                passed,
                message % {"share": percent(share), "min": percent(rule.value)},
                rule.localized_reference,
                str(share),
            )
        )
    return checks


def outcome(checks: Iterable[dict]) -> str:
    """A report fails on any failed check and passes only if a regime test applied and passed."""
    checks = list(checks)
    if any(c["passed"] is False for c in checks):
        return Result.FAILED
    if any(c["passed"] is True and c["key"] not in CONSISTENCY_KEYS for c in checks):
        return Result.PASSED
    return Result.NOT_APPLICABLE


def _money(name: str, raw: Any, errors: dict) -> Decimal | None:
    if isinstance(raw, float):
        raise TypeError(f"{name} is a float; pass a Decimal (money is never a float)")
    try:
        amount = raw if isinstance(raw, Decimal) else Decimal(str(raw))
    except (InvalidOperation, TypeError, ValueError):
        amount = None
    if raw is None or isinstance(raw, bool) or amount is None or not amount.is_finite():
        errors[name] = _("Enter an amount.")
        return None
    if amount < 0:
        errors[name] = _("An amount cannot be negative.")
    elif amount != amount.quantize(CENT):
        errors[name] = _("Enter the amount with at most two decimal places.")
    elif amount >= MONEY_LIMIT:
        errors[name] = _("This amount is too large.")
    else:
        return amount.quantize(CENT)
    return None


def _validate(participant: Participant, year: Any, money: dict, staff_count: Any) -> dict[str, Decimal]:
    errors: dict[str, str] = {}
    if isinstance(year, bool) or not isinstance(year, int):
        errors["year"] = _("Enter the reporting year.")
    elif year >= _today().year:
        errors["year"] = _(
            "A report is filed only for a year that has ended: the report for %(year)s can be filed "
            "from 1 January %(next)s."
        ) % {"year": year, "next": year + 1}
    elif year < participant.registered_on.year:
        errors["year"] = _(
            "The participant was registered in %(year)s: no report is due for an earlier year."
        ) % {"year": participant.registered_on.year}
    amounts = {name: _money(name, raw, errors) for name, raw in money.items()}
    if isinstance(staff_count, bool) or not isinstance(staff_count, int) or staff_count < 0:
        errors["staff_count"] = _("Enter the staff count as a whole number, zero or more.")
    revenue, priority = amounts["revenue"], amounts["priority_revenue"]
    if revenue is not None and priority is not None and priority > revenue:
        errors["priority_revenue"] = _("Income from priority activities cannot exceed revenue.")
    if errors:
        raise ValidationError(errors)
    return amounts


def reportable_years(participant: Participant, today: date | None = None) -> list[int]:
    """The years a report may be filed for, newest first: every year that has ended (Almaty's
    today is in a later year) from the year of entry on. Empty in the year of entry."""
    today = today or _today()
    return list(range(today.year - 1, participant.registered_on.year - 1, -1))


def _failures_text(figures: dict, year: int):
    """The failed checks, evaluated again when rendered, so each registrar reads them in their language."""
    return lazy(
        lambda: " ".join(c["message"] for c in evaluate(figures, year=year) if c["passed"] is False), str
    )()


@transaction.atomic
def file_report(
    participant: Participant,
    *,
    year: int,
    revenue,
    priority_revenue,
    staff_count: int,
    rd_spend,
    exports,
    by,
) -> ComplianceReport:
    """File (or correct, as a new version) a participant's report for ``year``; a failure goes to
    the registrars' attention."""
    require(by, "registry.compliance.file", participant)
    money = {
        "revenue": revenue,
        "priority_revenue": priority_revenue,
        "rd_spend": rd_spend,
        "exports": exports,
    }
    amounts = _validate(participant, year, money, staff_count)
    # The lock serialises filings for the participant, so two corrections never take one version.
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if locked.status not in (Participant.Status.REGISTERED, Participant.Status.SUSPENDED):
        raise ValidationError(
            {
                "year": _("%(number)s is “%(status)s”: a report is filed only while in the cluster.")
                % {"number": locked.number, "status": locked.get_status_display()}
            }
        )
    latest = ComplianceReport.objects.filter(participant=locked, year=year).aggregate(v=Max("version"))["v"]
    figures = {**amounts, "staff_count": staff_count}
    checks = evaluate(figures, year=year)
    result = outcome(checks)
    report = ComplianceReport.objects.create(
        participant=locked,
        year=year,
        version=(latest or 0) + 1,
        staff_count=staff_count,
        result=result,
        checks=checks,
        submitted_by=by,
        **amounts,
    )
    record_event(
        action="registry.compliance.filed",
        actor=by,
        obj=report,
        changes={
            "year": [None, year],
            "version": [None, report.version],
            "result": [None, result],
            **{name: [None, str(amount)] for name, amount in amounts.items()},
            "staff_count": [None, staff_count],
        },
    )
    if result == Result.FAILED:
        notify(
            recipients=users_with_role("registrar"),
            key=NOTIFICATION_KEY,
            context={"state": Result.FAILED.label, "reason": _failures_text(figures, year)},
            obj=report,
            actor=by,
            url=reverse("registry:participant", args=[locked.number]),
        )
    return report


def latest_reports() -> QuerySet[ComplianceReport]:
    """The version that counts of each participant's report for each year."""
    newer = ComplianceReport.objects.filter(
        participant=OuterRef("participant"), year=OuterRef("year"), version__gt=OuterRef("version")
    )
    return ComplianceReport.objects.filter(~Exists(newer))


def failed_reports() -> QuerySet[ComplianceReport]:
    """The staff queue: latest versions that fail, oldest filing first."""
    return (
        latest_reports()
        .filter(result=Result.FAILED)
        .select_related("participant")
        .order_by("submitted_at", "id")
    )


def reports_due(year: int) -> QuerySet[Participant]:
    """Registered participants, registered by the end of ``year``, with no report for it."""
    filed = ComplianceReport.objects.filter(participant=OuterRef("pk"), year=year)
    return Participant.objects.filter(
        status=Participant.Status.REGISTERED, registered_on__lte=date(year, 12, 31)
    ).filter(~Exists(filed))


def report_due_date(year: int, regime: str | None = None) -> date | None:
    """When the report for ``year`` is due: ``registry.compliance.report_due`` (MM-DD) of the next
    year, as in force when the year closes; ``None`` if the regime sets no date (an explicit null
    row; a missing one raises ``NoValueInForce``)."""
    rule = _rule(DUE_KEY, date(year + 1, 1, 1), regime)
    if not rule.value:
        return None
    month, day = (int(part) for part in str(rule.value).split("-"))
    try:
        return date(year + 1, month, day)
    except ValueError:  # 29 February in a common year
        return date(year + 1, month, 28)


@formula("registry.compliance.report_due_date")
def report_due_date_formula(*, year: int, on: date | None = None, regime: str | None = None) -> date | None:
    """Law cases: when the annual report for ``year`` is due (``on`` is ignored: the rule in force
    on 1 January after the year applies)."""
    return report_due_date(year, regime=regime)


def _what(year: int):
    return lazy(lambda: _("annual report for %(year)s") % {"year": year}, str)()


def report_reminders(today: date) -> Iterable[Reminder]:
    """``innocluster tick``: on the last working day before the report date (and, should that run be
    missed, on any later day up to the date itself) remind the representatives of participants
    who have not filed. Deduplicated per participant, year and date, so they hear it once."""
    year = today.year - 1
    due = report_due_date(year)
    if due is None or not (today <= due <= add_working_days(today, 1)):
        return
    for participant in reports_due(year).filter(organisation__isnull=False).order_by("number"):
        for person in representative_users(participant.organisation_id):
            yield Reminder(
                recipient=person,
                key=REMINDER_KEY,
                context={"deadline": due, "what": _what(year), "days_left": (due - today).days},
                obj=participant,
                dedupe_key=f"registry.compliance:{participant.pk}:{year}:{due.isoformat()}:due",
            )


@formula("registry.compliance.passes")
def passes_formula(
    *, year: int, revenue: str, priority_revenue: str, on: date | None = None, regime: str | None = None
) -> bool | None:
    """Law cases: does a report with these figures meet the regime's tests for ``year``? ``None``
    when no test applies. (``on`` is ignored: the reporting year decides which rule applies.)"""
    checks = evaluate(
        {"revenue": Decimal(str(revenue)), "priority_revenue": Decimal(str(priority_revenue))},
        year=year,
        regime=regime,
    )
    result = outcome(checks)
    return None if result == Result.NOT_APPLICABLE else result == Result.PASSED
