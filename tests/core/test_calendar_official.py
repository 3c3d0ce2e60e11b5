"""The working-day calendar against the officially published lists of days off, 2025-2027.

Each year is written as its weekdays off and its working weekend days (every other weekday works,
every other Saturday and Sunday is off), each row with its source. Checked twice: the pinned
holidays library alone (so a new library version that changes a year fails here and is re-checked
before the pin moves) and the library with the shipped corrections (core/data/calendar_overrides.yaml),
which is what deadlines use.
"""

from datetime import date, timedelta

import pytest

from innocluster.core import calendar
from innocluster.core.calendar import irregular_days, is_working_day, uncertain_days
from innocluster.core.services import load_overrides

pytestmark = pytest.mark.django_db

# 2025. Source: the official calendar of holidays 2025 on the e-government portal egov.kz (as
# reported by Kazinform, ZTB News and pobipb.kz: 246 working days), the Labour Code's carry-over of
# a holiday on a weekend to the next working day (Law "On holidays" art. 5), and the order of the
# Minister of Labour and Social Protection No. 436 of 21 November 2024 "On the transfer of the day
# of rest in 2025" (the only transfer of 2025, as the Ministry wrote in June 2025).
OFF_2025 = {
    date(2025, 1, 1): "New Year",
    date(2025, 1, 2): "New Year",
    date(2025, 1, 3): "day off moved from Sunday 5 January (order No. 436 of 21.11.2024)",
    date(2025, 1, 7): "Orthodox Christmas",
    date(2025, 3, 10): "International Women's Day (Saturday 8 March carried over)",
    date(2025, 3, 21): "Nauryz",
    date(2025, 3, 24): "Nauryz (Saturday 22 March carried over)",
    date(2025, 3, 25): "Nauryz (Sunday 23 March carried over)",
    date(2025, 5, 1): "Kazakhstan People's Unity Day",
    date(2025, 5, 7): "Defender of the Fatherland Day",
    date(2025, 5, 9): "Victory Day",
    # Kurban ait: 6 June 2025, the Ministry of Labour's answer (Caravan.kz, June 2025) after the
    # Spiritual Administration of Muslims; egov.kz calendar 2025.
    date(2025, 6, 6): "Kurban ait (first day)",
    date(2025, 7, 7): "Capital Day (Sunday 6 July carried over)",
    date(2025, 9, 1): "Constitution Day (Saturday 30 August carried over; egov.kz via NUR.KZ, 22.08.2025)",
    date(2025, 10, 27): "Republic Day (Saturday 25 October carried over; egov.kz via Kursiv, 17.09.2025)",
    date(2025, 12, 16): "Independence Day",
}
WORKING_WEEKEND_2025 = {date(2025, 1, 5): "working Sunday (order No. 436 of 21.11.2024)"}

# 2026. Source: the official calendar of holidays 2026 on egov.kz (Kazinform, 2 January 2026: no
# transfers by decree, Kurban ait on 27 May), corrected by the Constitution adopted at the
# referendum of 15 March 2026: the Ministry of Labour and Social Protection said on 18 March 2026
# that 30 August is no longer a holiday from 2026 (Taspanews), so Monday 31 August, which the
# January calendar had off, is a working day (246 working days became 247). No act moving days off
# in 2026 was found.
OFF_2026 = {
    date(2026, 1, 1): "New Year",
    date(2026, 1, 2): "New Year",
    date(2026, 1, 7): "Orthodox Christmas",
    date(2026, 3, 9): "International Women's Day (Sunday 8 March carried over)",
    date(2026, 3, 23): "Nauryz",
    date(2026, 3, 24): "Nauryz (Saturday 21 March carried over)",
    date(2026, 3, 25): "Nauryz (Sunday 22 March carried over)",
    date(2026, 5, 1): "Kazakhstan People's Unity Day",
    date(2026, 5, 7): "Defender of the Fatherland Day",
    date(2026, 5, 11): "Victory Day (Saturday 9 May carried over)",
    date(2026, 5, 27): "Kurban ait (first day; egov.kz calendar 2026)",
    date(2026, 7, 6): "Capital Day",
    date(2026, 10, 26): "Republic Day (Sunday 25 October carried over)",
    date(2026, 12, 16): "Independence Day",
}
WORKING_WEEKEND_2026: dict[date, str] = {}

# 2027. NO OFFICIAL LIST FOUND (checked December 2026): neither the egov.kz calendar of holidays for
# 2027 nor an act moving days off in 2027 could be found. The rows below are what the Law "On
# holidays" as amended after the 2026 Constitution gives (Constitution Day on 15 March; the
# Ministry of Labour and Social Protection, 18 March 2026: "celebrated from 2027") with the
# carry-over rule. Kurban ait 2027 is only estimated (Sunday 16 May, so no weekday off) and the
# year is not confirmed: uncertain_days says so (see the test below). Re-check when published.
OFF_2027 = {
    date(2027, 1, 1): "New Year",
    date(2027, 1, 4): "New Year (Saturday 2 January carried over)",
    date(2027, 1, 7): "Orthodox Christmas",
    date(2027, 3, 8): "International Women's Day",
    date(2027, 3, 15): "Constitution Day (new date from 2027)",
    date(2027, 3, 22): "Nauryz",
    date(2027, 3, 23): "Nauryz",
    date(2027, 3, 24): "Nauryz (Sunday 21 March carried over)",
    date(2027, 5, 3): "Kazakhstan People's Unity Day (Saturday 1 May carried over)",
    date(2027, 5, 7): "Defender of the Fatherland Day",
    date(2027, 5, 10): "Victory Day (Sunday 9 May carried over)",
    date(2027, 7, 6): "Capital Day",
    date(2027, 10, 25): "Republic Day",
    date(2027, 12, 16): "Independence Day",
}
WORKING_WEEKEND_2027: dict[date, str] = {}

OFFICIAL = {
    2025: (OFF_2025, WORKING_WEEKEND_2025, 246),
    2026: (OFF_2026, WORKING_WEEKEND_2026, 247),
    2027: (OFF_2027, WORKING_WEEKEND_2027, 247),
}


def _irregular(year: int) -> tuple[set[date], set[date]]:
    days = irregular_days(date(year, 1, 1), date(year, 12, 31))
    return {d for d, working, _ in days if not working}, {d for d, working, _ in days if working}


def _library_irregular(year: int) -> tuple[set[date], set[date]]:
    off, working = set(), set()
    day = date(year, 1, 1)
    while day.year == year:
        works = calendar._library_working(day)
        if day.weekday() < 5 and not works:
            off.add(day)
        elif day.weekday() >= 5 and works:
            working.add(day)
        day += timedelta(days=1)
    return off, working


def test_the_library_is_the_version_these_lists_were_checked_against():
    import holidays

    # pyproject.toml pins it exactly; moving the pin means re-checking the lists below first.
    assert holidays.__version__ == "0.109"


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_the_pinned_library_alone_gives_the_official_list(year):
    official_off, official_working, _ = OFFICIAL[year]
    off, working = _library_irregular(year)
    assert sorted(off - set(official_off)) == [], "the library has days off the official list lacks"
    assert sorted(set(official_off) - off) == [], "the official list has days off the library lacks"
    assert working == set(official_working)


@pytest.mark.parametrize("year", sorted(OFFICIAL))
def test_with_the_shipped_corrections_the_calendar_is_the_official_list(year):
    load_overrides()
    official_off, official_working, working_days = OFFICIAL[year]
    off, working = _irregular(year)
    assert off == set(official_off)
    assert working == set(official_working)
    assert calendar.working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == working_days


def test_constitution_day_moves_from_30_august_to_15_march_in_2027():
    load_overrides()
    assert is_working_day(date(2026, 8, 31))  # 30 August 2026 is a Sunday, no longer carried over
    assert calendar.holiday_name(date(2026, 8, 30)) is None
    assert not is_working_day(date(2027, 3, 15))
    assert calendar.holiday_name(date(2027, 3, 15), language="en") == "Constitution Day"
    assert not is_working_day(date(2025, 9, 1))  # the old date still counts for 2025


def test_kurban_ait_2026_is_estimated_by_the_library_and_settled_by_the_shipped_row():
    span = (date(2026, 5, 20), date(2026, 6, 3))
    assert calendar._estimated(2026) == {date(2026, 5, 27)}
    assert (date(2026, 5, 27), calendar.ESTIMATED_HOLIDAY) in uncertain_days(*span)
    load_overrides()
    assert [u for u in uncertain_days(*span) if u.reason == calendar.ESTIMATED_HOLIDAY] == []


def test_2027_is_flagged_until_it_is_confirmed():
    load_overrides()
    found = uncertain_days(date(2027, 5, 10), date(2027, 5, 24))
    assert found == [
        (date(2027, 5, 11), calendar.YEAR_NOT_CHECKED),
        (date(2027, 5, 16), calendar.ESTIMATED_HOLIDAY),
    ]
