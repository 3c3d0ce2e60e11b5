"""The project of an application, as Law 207-V art. 1 defines a participant's project: "a set of
measures to create or improve production, technologies, goods, works and services, carried out
within a defined period".

The applicant enters it on the "project" step of the form (or through the API): the period, the
measures with their dates, the budget by year, and the priority activities (OKED codes) the
participation agreement will bind the participant to. A draft may be saved incomplete; what is
still missing is listed by :func:`missing` and refuses the submission (``services.applications``).
What is typed is checked here, by row, so every refusal names the row and the field it is about.

Money is ``Decimal`` throughout: a float is refused, never rounded.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from innocluster.parties.models import Activity
from innocluster.registry.models import Application, ProjectBudgetLine, ProjectMeasure

CENT = Decimal("0.01")
# ProjectBudgetLine.amount holds 18 digits, 2 of them after the point.
MONEY_LIMIT = Decimal(10) ** 16
MAX_ROWS = 50
TITLE_LENGTH = 300


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _text(row: Mapping[str, Any], name: str) -> str:
    return str(row.get(name) or "").strip()


def _date(row: Mapping[str, Any], name: str) -> date | None:
    value = row.get(name)
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _amount(raw: Any) -> Decimal | None:
    if isinstance(raw, float):
        raise TypeError("a budget amount is a float; pass a Decimal (money is never a float)")
    if raw is None or isinstance(raw, bool):
        return None
    try:
        amount = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def check_period(starts_on: date | None, ends_on: date | None) -> dict[str, list[str]]:
    if starts_on and ends_on and ends_on <= starts_on:
        return {"project_ends_on": [_("The project must end after the day it starts.")]}
    return {}


def clean_measures(
    rows: Iterable[Mapping[str, Any]], *, starts_on: date | None, ends_on: date | None
) -> tuple[list[dict], dict[str, list[str]]]:
    """The measures as rows to store, and the errors keyed ``measures.<index>.<field>`` (index from
    0, as the API reports nested errors), each message naming the measure by its number."""
    cleaned: list[dict] = []
    errors: dict[str, list[str]] = {}
    rows = list(rows)
    if len(rows) > MAX_ROWS:
        return [], {"measures": [_("A project has at most %(n)s measures.") % {"n": MAX_ROWS}]}
    for index, row in enumerate(rows):
        number = index + 1

        def refuse(field: str, message: str, index=index, number=number) -> None:
            errors.setdefault(f"measures.{index}.{field}", []).append(
                _("Measure %(n)s: %(problem)s") % {"n": number, "problem": message}
            )

        title, result = _text(row, "title"), _text(row, "expected_result")
        first, last = _date(row, "starts_on"), _date(row, "ends_on")
        if not title:
            refuse("title", _("name the measure."))
        elif len(title) > TITLE_LENGTH:
            refuse("title", _("the name is longer than %(n)s characters.") % {"n": TITLE_LENGTH})
        if first is None:
            refuse("starts_on", _("give the date it starts."))
        if last is None:
            refuse("ends_on", _("give the date it ends."))
        if first and last:
            if last < first:
                refuse("ends_on", _("it ends before it starts."))
            if starts_on and first < starts_on:
                refuse(
                    "starts_on",
                    _("it starts before the project does (%(date)s).") % {"date": _day(starts_on)},
                )
            if ends_on and last > ends_on:
                refuse("ends_on", _("it ends after the project does (%(date)s).") % {"date": _day(ends_on)})
        if not result:
            refuse("expected_result", _("say what result is expected."))
        cleaned.append({"title": title, "starts_on": first, "ends_on": last, "expected_result": result})
    return cleaned, errors


def clean_budget(
    rows: Iterable[Mapping[str, Any]], *, starts_on: date | None, ends_on: date | None
) -> tuple[list[dict], dict[str, list[str]]]:
    """The budget lines as rows to store, and the errors keyed ``budget.<index>.<field>``. A line's
    year falls within the project's period; its amount is tenge with at most two places, zero or
    more."""
    cleaned: list[dict] = []
    errors: dict[str, list[str]] = {}
    rows = list(rows)
    if len(rows) > MAX_ROWS:
        return [], {"budget": [_("A budget has at most %(n)s lines.") % {"n": MAX_ROWS}]}
    for index, row in enumerate(rows):
        number = index + 1

        def refuse(field: str, message: str, index=index, number=number) -> None:
            errors.setdefault(f"budget.{index}.{field}", []).append(
                _("Budget line %(n)s: %(problem)s") % {"n": number, "problem": message}
            )

        item = _text(row, "item")
        if not item:
            refuse("item", _("name the item."))
        elif len(item) > TITLE_LENGTH:
            refuse("item", _("the name is longer than %(n)s characters.") % {"n": TITLE_LENGTH})
        year = row.get("year")
        if isinstance(year, str) and year.strip().isdigit():
            year = int(year)
        if isinstance(year, bool) or not isinstance(year, int):
            refuse("year", _("give the year."))
            year = None
        elif starts_on and ends_on and not (starts_on.year <= year <= ends_on.year):
            refuse(
                "year",
                _("%(year)s is outside the project's period (%(first)s–%(last)s).")
                % {"year": year, "first": starts_on.year, "last": ends_on.year},
            )
        amount = _amount(row.get("amount"))
        if amount is None:
            refuse("amount", _("enter the amount in tenge."))
        elif amount < 0:
            refuse("amount", _("an amount cannot be negative."))
        elif amount != amount.quantize(CENT):
            refuse("amount", _("enter the amount with at most two decimal places."))
        elif amount >= MONEY_LIMIT:
            refuse("amount", _("this amount is too large."))
        else:
            amount = amount.quantize(CENT)
        cleaned.append({"item": item, "year": year, "amount": amount})
    return cleaned, errors


def clean_activities(values: Iterable[Any]) -> tuple[list[Activity], dict[str, list[str]]]:
    """Activities given as ``Activity`` rows or OKED codes; an unknown code is refused by name."""
    chosen: dict[str, Activity] = {}
    codes = []
    for value in values:
        if isinstance(value, Activity):
            chosen[value.oked] = value
        else:
            codes.append(str(value).strip())
    found = {a.oked: a for a in Activity.objects.filter(oked__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        return [], {
            "priority_activities": [
                _("No activity in the OKED reference has the code %(codes)s.") % {"codes": ", ".join(unknown)}
            ]
        }
    chosen.update(found)
    return sorted(chosen.values(), key=lambda a: a.oked), {}


def replace_measures(application: Application, rows: list[dict]) -> None:
    application.measures.all().delete()
    ProjectMeasure.objects.bulk_create(
        ProjectMeasure(application=application, position=n, **row) for n, row in enumerate(rows, start=1)
    )


def replace_budget(application: Application, rows: list[dict]) -> None:
    application.budget_lines.all().delete()
    ProjectBudgetLine.objects.bulk_create(
        ProjectBudgetLine(application=application, position=n, **row) for n, row in enumerate(rows, start=1)
    )


def audit_rows(application: Application) -> dict[str, Any]:
    """What the audit log keeps of the project's rows (compared before and after a save)."""
    return {
        "measures": [
            f"{m.position}. {m.title} ({m.starts_on.isoformat()}–{m.ends_on.isoformat()}): {m.expected_result}"
            for m in application.measures.order_by("position")
        ],
        "budget": [f"{b.year} {b.item}: {b.amount}" for b in application.budget_lines.order_by("position")],
        "priority_activities": sorted(application.priority_activities.values_list("oked", flat=True)),
    }


def missing(application: Application) -> dict[str, list[str]]:
    """What the project still lacks for a submission, by field."""
    found: dict[str, list[str]] = {}
    if application.project_starts_on is None:
        found["project_starts_on"] = [_("Give the date the project starts.")]
    if application.project_ends_on is None:
        found["project_ends_on"] = [_("Give the date the project ends.")]
    if not application.measures.exists():
        found["measures"] = [_("Add at least one measure of the project.")]
    if not application.budget_lines.exists():
        found["budget"] = [_("Add the project's budget: at least one line.")]
    if not application.priority_activities.exists():
        found["priority_activities"] = [
            _("Choose at least one priority activity (OKED) the project carries out.")
        ]
    return found


def refuse_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)
