"""Writes to the core tables: the decree overrides of the working-day calendar and the years an
administrator has checked.

Each change runs in a transaction and leaves an audit event, because an override moves every
deadline counted across its date.
"""

from datetime import date
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innocluster.core.audit.services import diff, record_event, signed_in_user

from .calendar import almaty_date, ensure_date
from .models import CalendarYearCheck, DecreeOverride

OVERRIDES_PATH = Path(__file__).parent / "data" / "calendar_overrides.yaml"
_FIELDS = ("date", "is_working", "decree", "name", "note")
_YEAR_FIELDS = ("year", "checked_on", "decree", "note")


def _snapshot(row: DecreeOverride | None) -> dict:
    return {f: getattr(row, f) for f in _FIELDS} if row is not None else {}


def set_decree_override(
    *, day: date, is_working: bool, decree: str, by=None, note: str = "", name: str = ""
) -> DecreeOverride:
    """Make ``day`` a working day or a day off by decree, creating or updating its row.

    Saving the same values again changes nothing and records nothing.
    """
    ensure_date(day)
    decree, note, name = (decree or "").strip(), (note or "").strip(), (name or "").strip()
    if not decree:
        raise ValidationError({"decree": _("Name the decree that moves this day.")})
    if not isinstance(is_working, bool):
        raise ValidationError({"is_working": _("Say whether the decree makes this a working day.")})
    with transaction.atomic():
        row = DecreeOverride.objects.select_for_update().filter(date=day).first()
        before = _snapshot(row)
        if row is None:
            row = DecreeOverride(date=day, created_by=signed_in_user(by))
        row.is_working, row.decree, row.note, row.name = is_working, decree, note, name
        changes = diff(before, _snapshot(row))
        if not changes:
            return row
        row.full_clean()
        row.save()
        record_event(action="calendar.override.set", actor=by, obj=row, changes=changes, reason=decree)
    return row


def remove_decree_override(*, day: date, by=None, reason: str) -> None:
    """Give ``day`` back to the library's calendar. Raises ``DecreeOverride.DoesNotExist`` if it
    has no override."""
    ensure_date(day)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the override is removed.")})
    with transaction.atomic():
        row = DecreeOverride.objects.select_for_update().get(date=day)
        before = _snapshot(row)
        record_event(
            action="calendar.override.removed",
            actor=by,
            obj=row,
            changes=diff(before, {}),
            reason=reason.strip(),
        )
        row.delete()


def load_overrides(path: Path | str | None = None, by=None) -> int:
    """Insert the shipped overrides whose dates have no row yet and return how many were inserted.

    Existing rows are never touched: an administrator's edit wins over the shipped file.
    """
    with open(path or OVERRIDES_PATH, encoding="utf-8") as fh:
        items = (yaml.safe_load(fh) or {}).get("overrides") or []
    with transaction.atomic():
        present = set(DecreeOverride.objects.values_list("date", flat=True))
        inserted = 0
        for line, item in enumerate(items, start=1):
            day = item["date"] if isinstance(item["date"], date) else date.fromisoformat(str(item["date"]))
            if day in present:
                continue
            try:
                set_decree_override(
                    day=day,
                    is_working=item["is_working"],
                    decree=item.get("decree", ""),
                    note=item.get("note", ""),
                    name=item.get("name", ""),
                    by=by,
                )
            except ValidationError as exc:
                raise ValidationError(f"overrides[{line}] ({day}): {'; '.join(exc.messages)}") from exc
            present.add(day)
            inserted += 1
    return inserted


def _year_snapshot(row: CalendarYearCheck | None) -> dict:
    return {f: getattr(row, f) for f in _YEAR_FIELDS} if row is not None else {}


def mark_year_checked(
    *, year: int, decree: str, by=None, checked_on: date | None = None, note: str = ""
) -> CalendarYearCheck:
    """Record that ``year``'s transfers of days off were checked against the Government's acts and
    are all entered as overrides (or there are none): deadlines across it lose their warning.

    ``checked_on`` defaults to today in Almaty. Saving the same values again records nothing.
    """
    if isinstance(year, bool) or not isinstance(year, int) or not 1992 <= year <= 2100:
        raise ValidationError({"year": _("Give a year between 1992 and 2100.")})
    decree, note = (decree or "").strip(), (note or "").strip()
    if not decree:
        raise ValidationError(
            {"decree": _("Name the act checked, or where it was confirmed that there is none.")}
        )
    checked_on = checked_on or almaty_date(timezone.now())
    ensure_date(checked_on)
    with transaction.atomic():
        row = CalendarYearCheck.objects.select_for_update().filter(year=year).first()
        before = _year_snapshot(row)
        if row is None:
            row = CalendarYearCheck(year=year)
        row.checked_on, row.decree, row.note = checked_on, decree, note
        changes = diff(before, _year_snapshot(row))
        if not changes:
            return row
        row.checked_by = signed_in_user(by)
        row.full_clean()
        row.save()
        record_event(action="calendar.year.checked", actor=by, obj=row, changes=changes, reason=decree)
    return row


def remove_year_check(*, year: int, by=None, reason: str) -> None:
    """Count ``year`` as not confirmed again (e.g. a new act moves days off). Raises
    ``CalendarYearCheck.DoesNotExist`` if the year has no check."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the check is withdrawn.")})
    with transaction.atomic():
        row = CalendarYearCheck.objects.select_for_update().get(year=year)
        record_event(
            action="calendar.year.unchecked",
            actor=by,
            obj=row,
            changes=diff(_year_snapshot(row), {}),
            reason=reason.strip(),
        )
        row.delete()
