"""Deadlines that may still move: estimated holidays, years not confirmed, the administrator's
year check (service, audit, admin), the staff card, the date tag, and the shipped corrections
loaded after migrate."""

from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management.sql import emit_post_migrate_signal
from django.template import Context, Template

from innocluster.core import calendar
from innocluster.core.audit.models import AuditEvent
from innocluster.core.calendar import ESTIMATED_HOLIDAY, YEAR_NOT_CHECKED, uncertain_days
from innocluster.core.models import CalendarYearCheck, DecreeOverride
from innocluster.core.services import (
    load_overrides,
    mark_year_checked,
    remove_year_check,
    set_decree_override,
)

pytestmark = pytest.mark.django_db

KURBAN_2026 = date(2026, 5, 27)  # the library's estimate (Wednesday)
ORDER = "Order of the Minister of Labour No. 1 of 1 November 2026 on the transfer of days off (test)"


def test_a_span_across_kurban_ait_2026_is_uncertain_for_both_reasons():
    found = uncertain_days(date(2026, 5, 20), date(2026, 6, 3))
    assert found == [(date(2026, 5, 21), YEAR_NOT_CHECKED), (KURBAN_2026, ESTIMATED_HOLIDAY)]


def test_the_counted_days_and_a_day_either_side_of_an_estimate_matter():
    mark_year_checked(year=2026, decree=ORDER)
    # The deadline is the day before the estimate: if the moon brings it a day earlier, it moves.
    assert uncertain_days(date(2026, 5, 20), date(2026, 5, 26)) == [(KURBAN_2026, ESTIMATED_HOLIDAY)]
    # Counting starts on the estimate itself: a day later would fall inside the count.
    assert uncertain_days(KURBAN_2026, date(2026, 6, 5)) == [(KURBAN_2026, ESTIMATED_HOLIDAY)]
    # Well clear of it on both sides: nothing.
    assert uncertain_days(date(2026, 6, 1), date(2026, 6, 10)) == []
    assert uncertain_days(date(2026, 5, 1), date(2026, 5, 20)) == []
    # An empty or backwards span moves nothing.
    assert uncertain_days(date(2026, 6, 3), date(2026, 6, 3)) == []
    assert uncertain_days(date(2026, 6, 3), date(2026, 5, 20)) == []


def test_years_the_library_carries_need_no_check_and_later_ones_do():
    assert calendar.LIBRARY_CONFIRMED_THROUGH == 2025
    assert uncertain_days(date(2025, 3, 1), date(2025, 6, 30)) == []  # Kurban ait 2025 is confirmed
    found = uncertain_days(date(2025, 12, 20), date(2027, 1, 15))
    assert [(u.day, u.reason) for u in found if u.reason == YEAR_NOT_CHECKED] == [
        (date(2026, 1, 1), YEAR_NOT_CHECKED),
        (date(2027, 1, 1), YEAR_NOT_CHECKED),
    ]
    mark_year_checked(year=2027, decree=ORDER)
    found = uncertain_days(date(2025, 12, 20), date(2027, 1, 15))
    assert [u.day.year for u in found if u.reason == YEAR_NOT_CHECKED] == [2026]


def test_an_override_on_the_estimated_date_settles_it_whatever_it_says():
    mark_year_checked(year=2026, decree=ORDER)
    span = (date(2026, 5, 20), date(2026, 6, 3))
    assert uncertain_days(*span) == [(KURBAN_2026, ESTIMATED_HOLIDAY)]
    # Announced a day later: the estimate works, the next day is off; both are now known.
    set_decree_override(day=KURBAN_2026, is_working=True, decree="Ministry of Labour announcement (test)")
    set_decree_override(day=date(2026, 5, 28), is_working=False, decree="Ministry announcement (test)")
    assert uncertain_days(*span) == []
    assert calendar.add_working_days(date(2026, 5, 26), 2) == date(2026, 5, 29)


def test_a_page_asks_the_database_at_most_twice_however_many_deadlines(django_assert_num_queries):
    memo = {}
    with django_assert_num_queries(2):
        uncertain_days(date(2026, 5, 20), date(2026, 6, 3), memo=memo)
    with django_assert_num_queries(0):
        for offset in range(10):
            uncertain_days(date(2026, 5, 10 + offset), date(2026, 6, 20), memo=memo)
    with django_assert_num_queries(0):
        uncertain_days(date(2025, 1, 1), date(2025, 3, 1))  # nothing estimated, no open year


def test_the_reasons_read_as_sentences(settings):
    estimated, year = uncertain_days(date(2026, 5, 20), date(2026, 6, 3))[::-1]
    text = calendar.describe_uncertainty(estimated, language="en")
    assert "Eid al-Adha (estimated)" in text and "estimated date" in text
    assert calendar.describe_uncertainty(year) == "The transfers of days off for 2026 are not confirmed yet."


def test_year_check_service_audits_validates_and_withdraws(admin_user):
    with pytest.raises(ValidationError) as exc:
        mark_year_checked(year=2026, decree="  ")
    assert "decree" in exc.value.message_dict
    with pytest.raises(ValidationError):
        mark_year_checked(year=1800, decree=ORDER)
    assert not AuditEvent.objects.filter(action__startswith="calendar.year").exists()

    row = mark_year_checked(year=2026, decree=ORDER, by=admin_user, checked_on=date(2026, 11, 20))
    assert (row.checked_by, row.checked_on) == (admin_user, date(2026, 11, 20))
    event = AuditEvent.objects.get(action="calendar.year.checked")
    assert event.actor == admin_user and event.changes["year"] == [None, 2026]
    mark_year_checked(year=2026, decree=ORDER, by=admin_user, checked_on=date(2026, 11, 20))
    assert AuditEvent.objects.filter(action="calendar.year.checked").count() == 1  # same values: nothing

    with pytest.raises(ValidationError):
        remove_year_check(year=2026, by=admin_user, reason=" ")
    remove_year_check(year=2026, by=admin_user, reason="a new order moves a day")
    assert not CalendarYearCheck.objects.exists()
    assert AuditEvent.objects.filter(
        action="calendar.year.unchecked", reason="a new order moves a day"
    ).exists()
    with pytest.raises(CalendarYearCheck.DoesNotExist):
        remove_year_check(year=2026, by=admin_user, reason="again")


def test_admin_marks_a_year_through_the_service(admin_client, admin_user):
    response = admin_client.post(
        "/admin/core/calendaryearcheck/add/",
        {"year": "2027", "checked_on": "2026-12-07", "decree": ORDER, "note": ""},
    )
    assert response.status_code == 302, response.content
    row = CalendarYearCheck.objects.get(year=2027)
    assert row.checked_by == admin_user
    assert AuditEvent.objects.filter(action="calendar.year.checked", actor=admin_user).exists()
    listing = admin_client.get("/admin/core/calendaryearcheck/").content.decode()
    assert "16.05.2027" in listing or "05/16/2027" in listing or "2027-05-16" in listing  # Kurban ait open
    response = admin_client.post(f"/admin/core/calendaryearcheck/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="calendar.year.unchecked", actor=admin_user).exists()


def test_the_card_asks_the_administrator_for_the_current_and_next_year(policy_loaded, client):
    from innocluster.site import views
    from tests.factories.accounts import login_with_2fa, user_with_role

    def home(today):
        with mock.patch.object(views.timezone, "localdate", return_value=today):
            return client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    login_with_2fa(client, user_with_role("fund_admin", "adm", superuser=True))
    html = home(date(2026, 12, 7))
    assert "Days off not confirmed" in html and "The days off of 2026, 2027 are not confirmed" in html
    assert "/admin/core/calendaryearcheck/" in html
    mark_year_checked(year=2026, decree=ORDER)
    html = home(date(2026, 12, 7))
    assert "The days off of 2027 are not confirmed" in html
    mark_year_checked(year=2027, decree=ORDER)
    assert "Days off not confirmed" not in home(date(2026, 12, 7))
    assert "The days off of 2028 are not confirmed" in home(date(2027, 1, 4))  # a new year: asks again

    login_with_2fa(client, user_with_role("registrar", "reg"))
    assert "Days off not confirmed" not in home(date(2027, 1, 4))  # the administrator's card only


def _render(start, due):
    return Template("{% load deadlines %}{% deadline_date start due %}").render(
        Context({"start": start, "due": due})
    )


def test_the_date_tag_warns_with_text_and_title_not_colour_only():
    html = _render(date(2026, 5, 20), date(2026, 6, 3))
    assert '<time datetime="2026-06-03">' in html
    assert 'class="date-uncertain"' in html and "may move" in html
    assert 'title="' in html and "estimated date" in html and "not confirmed yet" in html
    assert "visually-hidden" in html  # the reasons are read out, not only hovered


def test_the_date_tag_is_plain_when_nothing_can_move_and_a_dash_without_a_date():
    html = _render(date(2025, 3, 1), date(2025, 3, 14))
    assert '<time datetime="2025-03-14">' in html and "may move" not in html
    assert _render(None, date(2025, 3, 14)).count("may move") == 0
    assert _render(date(2025, 3, 1), None).strip() == "—"


def test_shipped_corrections_load_after_migrate_and_never_overwrite(settings):
    settings.CALENDAR_LOAD_ON_MIGRATE = True
    set_decree_override(day=KURBAN_2026, is_working=False, decree="Entered by the administrator")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert DecreeOverride.objects.get(date=KURBAN_2026).decree == "Entered by the administrator"
    row = DecreeOverride.objects.get(date=date(2027, 3, 15))
    assert (row.is_working, row.name) == (False, "Constitution Day")
    assert "15 March 2026" in row.decree
    assert DecreeOverride.objects.count() == 7
    assert AuditEvent.objects.filter(action="calendar.override.set").count() == 7  # 6 shipped + 1 admin
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert DecreeOverride.objects.count() == 7


def test_nothing_loads_after_migrate_when_turned_off(settings):
    settings.CALENDAR_LOAD_ON_MIGRATE = False
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert not DecreeOverride.objects.exists()


def test_every_shipped_row_says_what_the_day_is_and_its_source():
    assert load_overrides() == 7
    for row in DecreeOverride.objects.filter(date__year__gte=2025):
        assert row.name and row.decree, row.date


def test_a_confirmed_estimate_loses_its_estimated_label_in_every_language():
    assert calendar.holiday_name(KURBAN_2026, language="en") == "Eid al-Adha (estimated)"
    set_decree_override(day=KURBAN_2026, is_working=False, decree="egov.kz calendar 2026 (test)")
    assert calendar.holiday_name(KURBAN_2026, language="en") == "Eid al-Adha"
    assert calendar.holiday_name(KURBAN_2026, language="ru") == "Курбан айт"
    assert calendar.holiday_name(KURBAN_2026, language="kk") == "Құрбан айт"
