"""Kazakh working days: the holidays library, decree overrides over it, and the audited services."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from innocluster.core import calendar
from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import (
    add_working_days,
    almaty_date,
    holiday_name,
    irregular_days,
    is_working_day,
    next_working_day,
    working_days_between,
)
from innocluster.core.models import DecreeOverride
from innocluster.core.services import load_overrides, remove_decree_override, set_decree_override

TEST_DECREE = "Test decree on the transfer of days off"
pytestmark = pytest.mark.django_db


def test_nauryz_2026_is_off_from_21_to_25_march():
    for day in range(21, 26):
        assert not is_working_day(date(2026, 3, day)), day
    assert is_working_day(date(2026, 3, 20))
    assert is_working_day(date(2026, 3, 26))
    assert holiday_name(date(2026, 3, 24), language="en") == "Nowruz Holiday (observed)"


def test_womens_day_on_sunday_2026_moves_to_monday():
    assert date(2026, 3, 8).weekday() == 6
    assert not is_working_day(date(2026, 3, 9))
    assert is_working_day(date(2026, 3, 10))
    assert holiday_name(date(2026, 3, 9), language="en") == "International Women's Day (observed)"


def test_new_year():
    assert not is_working_day(date(2026, 1, 1))
    assert not is_working_day(date(2026, 1, 2))
    assert is_working_day(date(2026, 1, 5))
    assert holiday_name(date(2026, 1, 1), language="kk") == "Жаңа жыл"
    assert holiday_name(date(2026, 1, 3)) is None  # an ordinary Saturday


def test_deadline_crosses_nauryz():
    # Thu 19 Mar: Fri 20 (1); 21-25 off; Thu 26 (2), Fri 27 (3); weekend; Mon 30 (4), Tue 31 (5).
    assert add_working_days(date(2026, 3, 19), 5) == date(2026, 3, 31)
    assert next_working_day(date(2026, 3, 20)) == date(2026, 3, 26)
    assert add_working_days(date(2026, 3, 21), 0) == date(2026, 3, 21)


def test_working_days_between_over_holidays():
    assert working_days_between(date(2026, 3, 19), date(2026, 3, 31)) == 5
    # March 2026: 22 weekdays less 9, 23, 24 and 25 March.
    assert working_days_between(date(2026, 2, 28), date(2026, 3, 31)) == 18
    assert working_days_between(date(2026, 3, 31), date(2026, 2, 28)) == -18
    assert working_days_between(date(2026, 3, 21), date(2026, 3, 21)) == 0


def test_irregular_days_lists_weekdays_off_and_working_weekends(django_assert_num_queries):
    set_decree_override(day=date(2026, 3, 28), is_working=True, decree=TEST_DECREE)
    with django_assert_num_queries(1):
        days = irregular_days(date(2026, 3, 1), date(2026, 3, 31), language="en")
    assert days == [
        (date(2026, 3, 9), False, "International Women's Day (observed)"),
        (date(2026, 3, 23), False, "Nowruz Holiday"),
        (date(2026, 3, 24), False, "Nowruz Holiday (observed)"),
        (date(2026, 3, 25), False, "Nowruz Holiday (observed)"),
        (date(2026, 3, 28), True, None),
    ]


def test_one_query_per_call(django_assert_num_queries):
    with django_assert_num_queries(1):
        add_working_days(date(2026, 3, 19), 40)
    with django_assert_num_queries(1):
        working_days_between(date(2026, 1, 1), date(2026, 12, 31))
    with django_assert_num_queries(1):
        is_working_day(date(2026, 3, 23))


def test_decree_override_moves_a_deadline():
    thursday = date(2026, 4, 2)
    assert add_working_days(thursday, 2) == date(2026, 4, 6)  # Fri 3, Mon 6
    set_decree_override(day=date(2026, 4, 4), is_working=True, decree=TEST_DECREE)
    set_decree_override(day=date(2026, 4, 6), is_working=False, decree=TEST_DECREE)
    assert add_working_days(thursday, 2) == date(2026, 4, 4)  # Fri 3, Sat 4
    assert add_working_days(thursday, 3) == date(2026, 4, 7)
    assert working_days_between(date(2026, 3, 29), date(2026, 4, 5)) == 6
    assert holiday_name(date(2026, 4, 6), language="en") == "Day off (transferred by decree)"


def test_override_wins_over_the_library_both_ways():
    nauryz_monday, friday = date(2026, 3, 23), date(2026, 3, 20)
    set_decree_override(day=nauryz_monday, is_working=True, decree=TEST_DECREE)
    set_decree_override(day=friday, is_working=False, decree=TEST_DECREE)
    assert is_working_day(nauryz_monday)
    assert holiday_name(nauryz_monday) is None
    assert not is_working_day(friday)
    assert next_working_day(date(2026, 3, 19)) == nauryz_monday
    remove_decree_override(day=nauryz_monday, reason="entered by mistake")
    assert not is_working_day(nauryz_monday)


def test_2022_transfers_are_not_counted_twice():
    year_2022 = (date(2021, 12, 31), date(2022, 12, 31))
    library_only = working_days_between(*year_2022)
    assert is_working_day(date(2022, 3, 5))  # the library knows the working Saturday
    assert not is_working_day(date(2022, 3, 7))
    assert load_overrides() == 7
    assert working_days_between(*year_2022) == library_only
    assert is_working_day(date(2022, 8, 27))
    assert not is_working_day(date(2022, 8, 29))


def test_datetimes_are_refused():
    moment = datetime(2026, 3, 20, 19, 30, tzinfo=UTC)
    for call in (
        lambda: is_working_day(moment),
        lambda: add_working_days(moment, 1),
        lambda: working_days_between(date(2026, 3, 1), moment),
        lambda: holiday_name(moment),
    ):
        with pytest.raises(TypeError):
            call()
    assert almaty_date(moment) == date(2026, 3, 21)  # 00:30 in Almaty (UTC+5)
    with pytest.raises(ValueError):
        almaty_date(datetime(2026, 3, 20, 12, 0))  # naive: zone unknown
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 20), -1)


def test_services_write_audit_events():
    user = get_user_model().objects.create_user("calendar-admin")
    row = set_decree_override(day=date(2026, 4, 4), is_working=True, decree=TEST_DECREE, by=user, note="n")
    assert row.created_by == user
    set_event = AuditEvent.objects.get(action="calendar.override.set", object_id=str(row.pk))
    assert set_event.actor == user
    assert set_event.changes["is_working"] == [None, True]
    # Same values again: nothing changes, nothing is recorded.
    set_decree_override(day=date(2026, 4, 4), is_working=True, decree=TEST_DECREE, by=user, note="n")
    assert AuditEvent.objects.filter(action="calendar.override.set").count() == 1
    remove_decree_override(day=date(2026, 4, 4), by=user, reason="decree revoked")
    assert AuditEvent.objects.filter(action="calendar.override.removed", reason="decree revoked").exists()
    assert not DecreeOverride.objects.exists()


def test_blank_decree_is_refused_and_nothing_is_stored():
    with pytest.raises(ValidationError) as exc:
        set_decree_override(day=date(2026, 4, 4), is_working=True, decree="   ")
    assert "decree" in exc.value.message_dict
    assert not DecreeOverride.objects.exists()
    assert not AuditEvent.objects.exists()


def test_load_overrides_is_idempotent_and_never_overwrites():
    assert load_overrides() == 7
    assert load_overrides() == 0
    set_decree_override(day=date(2022, 3, 7), is_working=False, decree="Edited by an administrator")
    remove_decree_override(day=date(2022, 8, 27), reason="test")
    assert load_overrides() == 1
    assert DecreeOverride.objects.get(date=date(2022, 3, 7)).decree == "Edited by an administrator"
    assert DecreeOverride.objects.count() == 7


def test_admin_saves_and_deletes_through_the_services(admin_client, admin_user):
    client = admin_client
    response = client.post(
        "/admin/core/decreeoverride/add/",
        {"date": "2026-04-04", "is_working": "on", "decree": TEST_DECREE, "note": ""},
    )
    assert response.status_code == 302, response.content
    row = DecreeOverride.objects.get(date=date(2026, 4, 4))
    assert row.created_by == admin_user
    assert client.get("/admin/core/decreeoverride/?date__year=2026").status_code == 200
    response = client.post(f"/admin/core/decreeoverride/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="calendar.override.removed", actor=admin_user).exists()


def test_deadline_property():
    set_decree_override(day=date(2026, 4, 4), is_working=True, decree=TEST_DECREE)
    set_decree_override(day=date(2026, 4, 6), is_working=False, decree=TEST_DECREE)
    set_decree_override(day=date(2026, 3, 23), is_working=True, decree=TEST_DECREE)

    days = st.one_of(
        st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 6, 30)),
        st.dates(min_value=date(1992, 1, 1), max_value=date(2099, 12, 31)),
    )

    @settings(max_examples=300, deadline=None)
    @given(d=days, n=st.integers(min_value=0, max_value=40))
    def check(d, n):
        deadline = add_working_days(d, n)
        assert working_days_between(d, deadline) == n
        if n >= 1:
            assert is_working_day(deadline)
            assert working_days_between(d, deadline - calendar._DAY) == n - 1

    check()


@pytest.mark.django_db
def test_holiday_names_in_russian_are_ours_and_transfers_keep_the_day_month_order():
    from innocluster.core.calendar import holiday_name

    assert holiday_name(date(2026, 3, 23), language="ru") == "Наурыз мейрамы"
    assert (
        holiday_name(date(2026, 3, 9), language="ru") == "Международный женский день (перенесённый выходной)"
    )
    # Monday 29 August 2022 was off in exchange for Saturday 27 August.
    assert holiday_name(date(2022, 8, 29), language="ru") == "Выходной день (перенесён с 27.08.2022)"
    assert holiday_name(date(2026, 3, 23), language="en") == "Nowruz Holiday"


@pytest.mark.django_db
def test_calendar_command(capsys):
    from django.core.management import call_command

    call_command("calendar", "load")
    assert "7 decree overrides added" in capsys.readouterr().out
    call_command("calendar", "year", "2026", "--language", "ru")
    out = capsys.readouterr().out
    assert "2026-03-23 Mon  off      Наурыз мейрамы" in out
    call_command("calendar", "deadline", "2026-03-19", "5")
    assert capsys.readouterr().out.strip() == "2026-03-31"
