"""Kazakh working days: the ``holidays`` library's calendar, corrected by decree overrides.

The library knows the public holidays, the Labour Code's carry-over of a holiday falling on a
weekend to the next working day, and the Government's transfers of days off up to 2025. Later
transfers are data an administrator enters as :class:`~innocluster.core.models.DecreeOverride`
rows. An override states what a date *is* (working or not), not a shift, so it always wins and a
transfer the library already knows is never counted twice.

Conventions (DOMAIN.md, deadline counting: day 1 is the first working day after the event):

* ``add_working_days(d, n)`` is the n-th working day after ``d``; ``n == 0`` returns ``d`` itself,
  working or not (nothing has been counted yet); ``n < 0`` raises ValueError.
* ``working_days_between(a, b)`` counts the working days in ``(a, b]``; when ``b < a`` it is minus
  the count in ``(b, a]``. So ``working_days_between(d, add_working_days(d, n)) == n`` and counts
  over adjacent intervals add up.
* Only ``date`` is accepted: which day a ``datetime`` falls on depends on the time zone, so callers
  convert with :func:`almaty_date` first, and anything else raises TypeError.

Some days are not certain yet: the library *estimates* Kurban ait (a lunar date the Ministry of
Labour announces with the Spiritual Administration of Muslims), and a year's transfers of days off
are known only once the Government's act is out. :func:`uncertain_days` says which of them a
deadline crosses, so that pages show the date with a warning; an override row on an estimated date
settles it, and a :class:`~innocluster.core.models.CalendarYearCheck` row settles a year.

Each call makes one database query for the overrides in the dates it looks at (none when it looks
at no date; a second only if overrides add so many days off that a deadline runs past the window
first fetched). The library's calendar is computed once per year and kept for the process.
"""

import functools
import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from innocluster.core.models import CalendarYearCheck, DecreeOverride

ALMATY = ZoneInfo("Asia/Almaty")
_DAY = timedelta(days=1)
# The library names holidays in kk, en_US and uk; Russian names are ours, mapped from the English.
_LIBRARY_LANGUAGES = {"kk": "kk", "en": "en_US", "ru": "ru"}
_RU_NAMES = {
    "Capital Day": "День столицы",
    "Constitution Day": "День Конституции",
    "Defender of the Fatherland Day": "День защитника Отечества",
    "Eid al-Adha": "Курбан айт",
    "First President Day": "День Первого Президента",
    "Independence Day": "День Независимости",
    "International Women's Day": "Международный женский день",
    "Kazakhstan's People Solidarity Holiday": "Праздник единства народа Казахстана",
    "New Year's Day": "Новый год",
    "Nowruz Holiday": "Наурыз мейрамы",
    "Orthodox Christmas": "Православное Рождество",
    "Republic Day": "День Республики",
    "Victory Day": "День Победы",
}
# Years whose days off the pinned library carries in full (holidays, transfers, confirmed Kurban ait
# dates) and that tests/core/test_calendar_official.py checks against the official lists: they need
# no administrator's check. Later years do (CalendarYearCheck).
LIBRARY_CONFIRMED_THROUGH = 2025
ESTIMATED_HOLIDAY = "estimated-holiday"
YEAR_NOT_CHECKED = "year-not-checked"
_RU_SUFFIXES = {" (observed)": " (перенесённый выходной)", " (estimated)": " (предварительная дата)"}
# The library's "(estimated)" label in kk and en_US, and ours in Russian.
_ESTIMATED_SUFFIXES = (" (бағаланған)", " (estimated)", " (предварительная дата)")
_SUBSTITUTED = re.compile(r"^Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)$")


def _russian(name: str) -> str:
    """The library's English holiday name in Russian; unknown names stay in English."""
    parts = []
    for part in name.split("; "):
        if m := _SUBSTITUTED.match(part):
            parts.append(f"Выходной день (перенесён с {m[2]}.{m[1]}.{m[3]})")  # en_US is MM/DD
            continue
        suffix = next((s for s in _RU_SUFFIXES if part.endswith(s)), "")
        base = part[: -len(suffix)] if suffix else part
        parts.append(_RU_NAMES.get(base, base) + _RU_SUFFIXES.get(suffix, ""))
    return "; ".join(parts)


def almaty_date(dt: datetime) -> date:
    """The calendar date in Almaty of an aware datetime (a naive one raises ValueError: its zone is
    unknown). Explicit rather than the active time zone, so a user's zone never moves a deadline."""
    if not isinstance(dt, datetime):
        raise TypeError(f"almaty_date() takes a datetime, not {type(dt).__name__}")
    return timezone.localdate(dt, timezone=ALMATY)


def ensure_date(d) -> None:
    """Refuse anything but a plain ``date`` (see the module's conventions)."""
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"expected a date, not {type(d).__name__}; convert datetimes with almaty_date()")


@functools.cache
def _library_year(year: int, language: str = "kk") -> tuple[Mapping[date, str], frozenset[date]]:
    """The library's holidays and working weekend days dated in ``year``, read-only.

    Built with the neighbouring years so that a transfer across New Year (e.g. the working Saturday
    28 December 2013 for Friday 3 January 2014) is seen whichever year the library files it under.
    Plain read-only data is cached rather than the library object, which adds years lazily on
    look-ups (mutation shared between threads).
    """
    lib = holidays.country_holidays(
        "KZ",
        years=range(max(year - 1, 1), min(year + 1, 9999) + 1),
        language="en_US" if language == "ru" else language,
    )
    translate = _russian if language == "ru" else str
    names = MappingProxyType({d: translate(name) for d, name in lib.items() if d.year == year})
    return names, frozenset(d for d in lib.weekend_workdays if d.year == year)


def _library_working(d: date) -> bool:
    names, weekend_workdays = _library_year(d.year)
    return d in weekend_workdays if d.weekday() >= 5 else d not in names


def _overrides(first: date, last: date) -> dict[date, bool]:
    return dict(DecreeOverride.objects.filter(date__range=(first, last)).values_list("date", "is_working"))


def _working(d: date, overrides: Mapping[date, bool]) -> bool:
    status = overrides.get(d)
    return _library_working(d) if status is None else status


def is_working_day(d: date) -> bool:
    """Whether ``d`` is a working day on a five-day week (Saturday and Sunday off)."""
    ensure_date(d)
    return _working(d, _overrides(d, d))


def add_working_days(d: date, n: int) -> date:
    """The ``n``-th working day after ``d`` (``d`` itself for ``n == 0``): a deadline of ``n``
    working days from an event on ``d``."""
    ensure_date(d)
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError("n must be zero or more")
    day, window_end, overrides, found = d, d, {}, 0
    while found < n:
        day += _DAY
        if day > window_end:
            # Room for weekends and the longest holiday runs; refetch only if overrides exhaust it.
            window_end = day + timedelta(days=2 * (n - found) + 31)
            overrides = _overrides(day, window_end)
        found += _working(day, overrides)
    return day


def next_working_day(d: date) -> date:
    """The first working day after ``d`` (day 1 of a deadline running from ``d``)."""
    return add_working_days(d, 1)


def working_days_between(a: date, b: date) -> int:
    """The number of working days in ``(a, b]``; negative (minus those in ``(b, a]``) if ``b < a``."""
    ensure_date(a)
    ensure_date(b)
    if b < a:
        return -working_days_between(b, a)
    if a == b:
        return 0
    overrides = _overrides(a + _DAY, b)
    return sum(_working(a + timedelta(days=i), overrides) for i in range(1, (b - a).days + 1))


def _library_language(language: str | None) -> str:
    code = (language or translation.get_language() or "kk").split("-")[0]
    return _LIBRARY_LANGUAGES.get(code, "kk")


def library_day(d: date, language: str | None = None) -> tuple[bool, str | None]:
    """What the holidays library alone says about ``d``: (working day?, holiday name). No query:
    for showing what an override changes."""
    ensure_date(d)
    return _library_working(d), _library_year(d.year, _library_language(language))[0].get(d)


def _name(d: date, status: bool | None, library_language: str) -> str | None:
    if status is True:
        return None
    name = _library_year(d.year, library_language)[0].get(d)
    if name and status is False:
        # An override on an estimated holiday confirms it: the name loses its "(estimated)".
        return next((name.removesuffix(s) for s in _ESTIMATED_SUFFIXES if name.endswith(s)), name)
    if name:
        return name
    return gettext("Day off (transferred by decree)") if status is False else None


def holiday_name(d: date, language: str | None = None) -> str | None:
    """Why ``d`` is off: the holiday's name (even on a weekend), or a decree's day off; ``None`` on
    an ordinary weekend and when an override makes ``d`` a working day, whatever the library says.

    ``language`` is a Django language code (default: the active one).
    """
    ensure_date(d)
    return _name(d, _overrides(d, d).get(d), _library_language(language))


def irregular_days(
    first: date, last: date, language: str | None = None
) -> list[tuple[date, bool, str | None]]:
    """``(day, is_working, name)`` for the days in ``[first, last]`` that differ from a plain
    Monday-Friday week: weekdays off (named) and working weekend days. One query for the whole
    range, for calendars and "days off ahead" lists that would otherwise query day by day."""
    ensure_date(first)
    ensure_date(last)
    overrides, library_language, result = _overrides(first, last), _library_language(language), []
    for offset in range((last - first).days + 1):
        d = first + timedelta(days=offset)
        working = _working(d, overrides)
        if working != (d.weekday() < 5):
            result.append((d, working, _name(d, overrides.get(d), library_language)))
    return result


class Uncertainty(NamedTuple):
    """A day that may still move a deadline, and why (``ESTIMATED_HOLIDAY`` or ``YEAR_NOT_CHECKED``;
    for the latter, ``day`` is the first day of the year that the span covers)."""

    day: date
    reason: str


@functools.cache
def _estimated(year: int) -> frozenset[date]:
    """The holidays the library only estimates in ``year`` (its "(estimated)" label)."""
    return frozenset(d for d, name in _library_year(year, "en_US")[0].items() if "(estimated)" in name)


def uncertain_days(first: date, last: date, memo: dict | None = None) -> list[Uncertainty]:
    """What may still move a deadline counted from ``first`` to ``last``, by date.

    * an estimated holiday in ``[first, last + 1 day]`` that no override settles: the counted days
      are ``(first, last]``, and a lunar date can still move by a day either way, so an estimate
      on the start or the day after the deadline can move it too;
    * each year after ``LIBRARY_CONFIRMED_THROUGH`` with a day in ``(first, last]`` that has no
      :class:`~innocluster.core.models.CalendarYearCheck`: its transfers of days off are unknown.

    Nothing when ``last <= first``. At most two queries, none when nothing could be uncertain;
    ``memo`` (a dict kept for one page) answers what an earlier call on the page already asked.
    """
    ensure_date(first)
    ensure_date(last)
    if last <= first:
        return []
    memo = {} if memo is None else memo
    counted_from = first + _DAY
    estimated = sorted(
        d
        for year in range(first.year, (last + _DAY).year + 1)
        for d in _estimated(year)
        if first <= d <= last + _DAY
    )
    settled = memo.setdefault("settled", {})
    if unknown := [d for d in estimated if d not in settled]:
        found = set(DecreeOverride.objects.filter(date__in=unknown).values_list("date", flat=True))
        settled.update({d: d in found for d in unknown})
    years = [y for y in range(counted_from.year, last.year + 1) if y > LIBRARY_CONFIRMED_THROUGH]
    if years and "checked" not in memo:
        memo["checked"] = frozenset(CalendarYearCheck.objects.values_list("year", flat=True))
    result = [Uncertainty(d, ESTIMATED_HOLIDAY) for d in estimated if not settled[d]]
    result += [
        Uncertainty(max(counted_from, date(y, 1, 1)), YEAR_NOT_CHECKED)
        for y in years
        if y not in memo["checked"]
    ]
    return sorted(result)


def describe_uncertainty(item: Uncertainty, language: str | None = None) -> str:
    """One sentence for a person, in the active language (the holiday's name in ``language``)."""
    if item.reason == ESTIMATED_HOLIDAY:
        name = _library_year(item.day.year, _library_language(language))[0].get(item.day, "")
        return gettext("%(name)s on %(date)s is an estimated date; the official day is announced later.") % {
            "name": name,
            "date": date_format(item.day, "DATE_FORMAT"),
        }
    return gettext("The transfers of days off for %(year)s are not confirmed yet.") % {"year": item.day.year}
