"""Every change to policy: loading the shipped defaults, adding a dated value, choosing the regime.

Each write is validated, runs in a transaction and leaves an audit event. Existing values are never
updated: the history of the rules is itself a record.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from innocluster.core.audit.services import record_event, signed_in_user

from .models import Kind, ParameterValue, Regime, RegimePeriod

DEFAULTS_PATH = Path(__file__).with_name("defaults.yaml")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
MONTH_DAY_RE = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


def clean_value(kind: str, raw: Any) -> Any:
    """Validate ``raw`` for ``kind`` and return the JSON to store (decimals as strings)."""
    if raw is None:
        return None
    if kind == Kind.DECIMAL:
        if isinstance(raw, float):
            raise ValidationError({"value": _('Write fractions as text ("0.01"), not as a float.')})
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            raise ValidationError({"value": _("Not a decimal number: %(v)s") % {"v": raw}}) from None
        if not number.is_finite():
            raise ValidationError({"value": _("Not a decimal number: %(v)s") % {"v": raw}})
        if not Decimal(0) <= number <= Decimal(1):
            raise ValidationError(
                {"value": _("A fraction lies between 0 and 1 (0.01 is 1%%): %(v)s") % {"v": raw}}
            )
        return str(number)
    if kind == Kind.AMOUNT:
        if isinstance(raw, float | bool):
            raise ValidationError({"value": _('Write amounts as text ("5000000.00"), not as a float.')})
        try:
            amount = Decimal(str(raw))
        except InvalidOperation:
            raise ValidationError({"value": _("Not an amount in tenge: %(v)s") % {"v": raw}}) from None
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError({"value": _("Not an amount in tenge: %(v)s") % {"v": raw}})
        return str(amount.quantize(Decimal("0.01")))
    if kind == Kind.FRACTION:
        if isinstance(raw, float):
            raise ValidationError({"value": _('Write fractions as text ("2/3"), not as a float.')})
        try:
            fraction = Fraction(str(raw))
        except (ValueError, ZeroDivisionError):
            raise ValidationError({"value": _("Not a fraction such as 2/3: %(v)s") % {"v": raw}}) from None
        if not 0 < fraction <= 1:
            raise ValidationError(
                {"value": _("A share of members lies above 0 and at most 1: %(v)s") % {"v": raw}}
            )
        return str(fraction)
    if kind in {Kind.WORKING_DAYS, Kind.CALENDAR_DAYS, Kind.YEARS, Kind.INTEGER}:
        if isinstance(raw, bool) or not re.fullmatch(r"\d+", str(raw)):
            raise ValidationError({"value": _("Must be a whole number of zero or more: %(v)s") % {"v": raw}})
        return int(raw)
    if kind == Kind.MONTH_DAY:
        text = str(raw)
        try:
            if not MONTH_DAY_RE.fullmatch(text):
                raise ValueError(text)
            date(2024, int(text[:2]), int(text[3:]))  # 2024 is a leap year: 02-29 is allowed
        except ValueError:
            raise ValidationError(
                {"value": _("Must be a day of the year as MM-DD: %(v)s") % {"v": raw}}
            ) from None
        return text
    if kind == Kind.BOOLEAN:
        if not isinstance(raw, bool):
            raise ValidationError({"value": _("Must be true or false: %(v)s") % {"v": raw}})
        return raw
    if kind == Kind.LIST:
        return _clean_list(raw)
    if kind == Kind.TEXT:
        return str(raw)
    if kind == Kind.CONDITIONS:
        from .attributes import declared
        from .conditions import clean

        return clean(raw, declared())
    raise ValidationError({"kind": _("Unknown kind: %(k)s") % {"k": kind}})


def _clean_list(raw: Any) -> list:
    """A list of codes (stored as text), or a table: a list of rows, each a mapping of names to
    text or null (e.g. ``{decision_type: ..., body: ..., max_amount: null}``). Not both."""
    if not isinstance(raw, list):
        raise ValidationError({"value": _("Must be a list.")})
    rows = [item for item in raw if isinstance(item, dict)]
    if not rows:
        return [str(item) for item in raw]
    if len(rows) != len(raw):
        raise ValidationError({"value": _("A list holds either codes or rows, not both.")})
    cleaned = []
    for row in rows:
        if any(isinstance(v, (dict, list, float)) for v in row.values()):
            raise ValidationError(
                {"value": _("Each field of a row is text or empty (amounts as text, not floats).")}
            )
        cleaned.append({str(k): (None if v is None else str(v)) for k, v in row.items()})
    return cleaned


def _validate_new_value(regime: Regime, key: str, valid_from: date, kind: str, reference: str) -> None:
    errors: dict[str, str] = {}
    if not KEY_RE.fullmatch(key or ""):
        errors["key"] = _("A key is dotted lower-case words, e.g. %(example)s.") % {"example": "app.rate"}
    if kind not in Kind.values:
        errors["kind"] = _("Unknown kind: %(k)s") % {"k": kind}
    if not (reference or "").strip():
        errors["reference"] = _("Every value needs the legal article or decision it comes from.")
    previous = ParameterValue.objects.filter(regime=regime, key=key).exclude(kind=kind).first()
    if previous and "kind" not in errors:
        errors["kind"] = _("%(key)s is a %(kind)s elsewhere in this regime.") % {
            "key": key,
            "kind": previous.kind,
        }
    if ParameterValue.objects.filter(regime=regime, key=key, valid_from=valid_from).exists():
        errors["valid_from"] = _(
            "%(key)s already has a value from %(d)s in %(r)s; add a later date instead."
        ) % {
            "key": key,
            "d": valid_from.isoformat(),
            "r": regime.code,
        }
    if errors:
        raise ValidationError(errors)


def validate_new_value(
    *, regime: Regime, key: str, valid_from: date, kind: str, value: Any, reference: str
) -> Any:
    """Check a would-be value (forms call this too) and return the JSON to store."""
    _validate_new_value(regime, key, valid_from, kind, reference)
    return clean_value(kind, value)


@transaction.atomic
def add_value(
    *,
    regime: Regime,
    key: str,
    valid_from: date,
    kind: str,
    value: Any,
    reference: str,
    source: str = "src",
    note: str = "",
    by=None,
    reason: str = "",
    reference_ru: str = "",
    reference_kk: str = "",
    note_ru: str = "",
    note_kk: str = "",
) -> ParameterValue:
    """Add a value in force from ``valid_from``; the one before it stays as history."""
    stored = validate_new_value(
        regime=regime, key=key, valid_from=valid_from, kind=kind, value=value, reference=reference
    )
    row = ParameterValue.objects.create(
        regime=regime,
        key=key,
        valid_from=valid_from,
        kind=kind,
        value=stored,
        reference=reference.strip(),
        reference_ru=reference_ru.strip(),
        reference_kk=reference_kk.strip(),
        source=source,
        note=note,
        note_ru=note_ru,
        note_kk=note_kk,
        created_by=signed_in_user(by),
    )
    record_event(
        action="policy.value.added",
        actor=by,
        obj=row,
        changes={
            "value": [None, stored],
            "valid_from": [None, valid_from],
            "reference": [None, row.reference],
        },
        reason=reason,
    )
    return row


@transaction.atomic
def add_regime(
    *,
    code: str,
    name_en: str,
    name_ru: str,
    name_kk: str,
    legal_basis: str = "",
    legal_basis_ru: str = "",
    legal_basis_kk: str = "",
    by=None,
) -> Regime:
    if Regime.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A regime with code %(c)s already exists.") % {"c": code}})
    regime = Regime(
        code=code,
        name_en=name_en,
        name_ru=name_ru,
        name_kk=name_kk,
        legal_basis=legal_basis,
        legal_basis_ru=legal_basis_ru,
        legal_basis_kk=legal_basis_kk,
    )
    regime.full_clean()
    regime.save()
    record_event(action="policy.regime.added", actor=by, obj=regime, changes={"code": [None, code]})
    return regime


def _period_reference_errors(reference: str, source: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (reference or "").strip():
        errors["reference"] = _("Name the provision that puts the regime in force.")
    if source not in {"law", "src", "design"}:
        errors["source"] = _("Unknown source: %(s)s") % {"s": source}
    return errors


def _add_period(*, regime: Regime, starts_on: date, reference: str, source: str, by, reason: str, **texts):
    errors = _period_reference_errors(reference, source)
    if RegimePeriod.objects.filter(starts_on=starts_on).exists():
        errors["starts_on"] = _("The timeline already has a regime starting on %(d)s.") % {
            "d": starts_on.isoformat()
        }
    if errors:
        raise ValidationError(errors)
    period = RegimePeriod.objects.create(
        regime=regime,
        starts_on=starts_on,
        reference=reference.strip(),
        reference_ru=texts.get("reference_ru", "").strip(),
        reference_kk=texts.get("reference_kk", "").strip(),
        source=source,
        created_by=signed_in_user(by),
    )
    record_event(
        action="policy.regime.scheduled",
        actor=by,
        obj=period,
        changes={
            "regime": [None, regime.code],
            "starts_on": [None, starts_on],
            "reference": [None, reference],
        },
        reason=reason,
    )
    return period


def check_schedule(*, code: str, starts_on: date, reference: str, reason: str, source: str = "law") -> Regime:
    """The checks on a would-be period (the admin form shows them on its fields); the regime."""
    from .values import today

    errors = _period_reference_errors(reference, source)
    if not (reason or "").strip():
        errors["reason"] = _("Say why the regime changes.")
    if starts_on <= today():
        errors["starts_on"] = _(
            "Only a future date can be scheduled: %(d)s has begun, and what happened on it was "
            "judged under the regime then in force."
        ) % {"d": starts_on.isoformat()}
    elif RegimePeriod.objects.filter(starts_on=starts_on).exists():
        errors["starts_on"] = _("The timeline already has a regime starting on %(d)s.") % {
            "d": starts_on.isoformat()
        }
    regime = Regime.objects.filter(code=code).first()
    if regime is None:
        errors["regime"] = _("Unknown regime: %(c)s") % {"c": code}
    if errors:
        raise ValidationError(errors)
    return regime


@transaction.atomic
def schedule_regime(
    *,
    code: str,
    starts_on: date,
    reference: str,
    reason: str,
    source: str = "law",
    reference_ru: str = "",
    reference_kk: str = "",
    by=None,
) -> RegimePeriod:
    """Put ``code`` in force from a future ``starts_on`` (the day its law comes into force).

    Only the future can be scheduled: a date that has begun was read under the regime then in
    force, and changing it would rewrite how past events were judged. The reason is audited.
    """
    regime = check_schedule(code=code, starts_on=starts_on, reference=reference, reason=reason, source=source)
    return _add_period(
        regime=regime,
        starts_on=starts_on,
        reference=reference,
        source=source,
        by=by,
        reason=reason,
        reference_ru=reference_ru,
        reference_kk=reference_kk,
    )


@transaction.atomic
def cancel_scheduled_regime(*, period: RegimePeriod, reason: str, by=None) -> None:
    """Take back a regime scheduled for a date that has not begun (a law postponed or withdrawn)."""
    from .values import today

    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the scheduled regime is cancelled.")})
    period = RegimePeriod.objects.select_for_update().get(pk=period.pk)
    if period.starts_on <= today():
        raise ValidationError(
            {
                "starts_on": _("The regime has been in force since %(d)s: its period is history.")
                % {"d": period.starts_on.isoformat()}
            }
        )
    record_event(
        action="policy.regime.cancelled",
        actor=by,
        obj=period,
        changes={"regime": [period.regime.code, None], "starts_on": [period.starts_on, None]},
        reason=reason,
    )
    period.delete()


@dataclass
class LoadResult:
    regimes_added: int = 0
    periods_added: int = 0
    values_added: int = 0
    values_present: int = 0


def read_defaults(path: Path | None = None) -> dict[str, Any]:
    """One policy file, or (no path) every installed app's, merged in ``INSTALLED_APPS`` order:
    the regimes (core's ``defaults.yaml``) first, then each app's ``policy.yaml``."""
    if path is not None:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh) or {}
    from innocluster.core.manifest import policy_files

    merged: dict[str, Any] = {"regimes": [], "timeline": [], "values": [], "labels": {}, "value_labels": {}}
    for file in policy_files():
        data = read_defaults(file)
        merged["regimes"].extend(data.get("regimes") or [])
        merged["timeline"].extend(data.get("timeline") or [])
        merged["values"].extend(data.get("values") or [])
        merged["labels"].update(data.get("labels") or {})
        merged["value_labels"].update(data.get("value_labels") or {})
    return merged


@transaction.atomic
def load_defaults(path: Path | None = None, by=None) -> LoadResult:
    """Insert the shipped regimes and values that are missing (every app's, or ``path``'s only);
    never touch existing rows."""
    data = read_defaults(path)
    result = LoadResult()
    for item in data.get("regimes", []):
        if not Regime.objects.filter(code=item["code"]).exists():
            add_regime(by=by, **item)
            result.regimes_added += 1
    regimes = {r.code: r for r in Regime.objects.all()}
    if not RegimePeriod.objects.exists():  # the shipped timeline seeds an empty one, never edits it
        for line, item in enumerate(data.get("timeline", []), start=1):
            if item.get("regime") not in regimes:
                raise ValidationError(
                    {"timeline": f"timeline[{line}]: unknown regime {item.get('regime')!r}"}
                )
            try:
                _add_period(
                    regime=regimes[item["regime"]],
                    starts_on=item["starts_on"],
                    reference=item.get("reference", ""),
                    source=item.get("source", "src"),
                    reference_ru=item.get("reference_ru", ""),
                    reference_kk=item.get("reference_kk", ""),
                    by=by,
                    reason="policy defaults loaded",
                )
            except ValidationError as exc:
                raise ValidationError(f"timeline[{line}]: {'; '.join(exc.messages)}") from exc
            result.periods_added += 1
    existing = set(ParameterValue.objects.values_list("regime__code", "key", "valid_from"))
    for line, item in enumerate(data.get("values", []), start=1):
        code = item["regime"]
        if code not in regimes:
            raise ValidationError({"regime": f"values[{line}] ({item.get('key')}): unknown regime {code!r}"})
        valid_from = item["valid_from"]
        if (code, item["key"], valid_from) in existing:
            result.values_present += 1
            continue
        try:
            add_value(
                regime=regimes[code],
                key=item["key"],
                valid_from=valid_from,
                kind=item["kind"],
                value=item.get("value"),
                reference=item.get("reference", ""),
                source=item.get("source", "src"),
                note=item.get("note", ""),
                reference_ru=item.get("reference_ru", ""),
                reference_kk=item.get("reference_kk", ""),
                note_ru=item.get("note_ru", ""),
                note_kk=item.get("note_kk", ""),
                by=by,
                reason="policy defaults loaded",
            )
        except ValidationError as exc:
            raise ValidationError(f"values[{line}] ({item.get('key')}): {'; '.join(exc.messages)}") from exc
        result.values_added += 1
    return result
