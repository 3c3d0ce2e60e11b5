"""The public home and the rules page (the site app); the audience homes: tests/site/."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from innocluster.core import services as core_services


@pytest.fixture
def seeded(policy_loaded):
    core_services.load_overrides()


def test_rules_page_shows_rules_in_force_with_sources_in_the_readers_language(seeded, client):
    response = client.get("/rules/", HTTP_ACCEPT_LANGUAGE="ru")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ru">' in html
    assert "levy.rate" in html and "1%" in html
    # Labels come from the apps' policy files, in the reader's language.
    assert "Проверка комплектности заявки" in html
    # References are shown in Russian where written, never with internal document names.
    assert "DOMAIN.md" not in html


def test_home_defaults_to_kazakh(seeded, client, settings):
    settings.LANGUAGE_CODE = "kk"
    html = client.get("/").content.decode()
    assert '<html lang="kk">' in html
    assert "Инновациялық кластер" in html


def test_rules_page_lists_a_decree_override_among_the_days_that_change_deadlines(seeded, client):
    from django.utils import timezone

    today = timezone.localdate()
    # A weekday a month ahead made a day off by decree must appear; the library knows nothing of it.
    day = today.replace(day=1) if today.day > 28 else today
    day = date.fromordinal(day.toordinal() + 30)
    while day.weekday() >= 5:
        day = date.fromordinal(day.toordinal() + 1)
    core_services.set_decree_override(day=day, is_working=False, decree="Decree No. 1 (test)")
    html = client.get("/rules/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'datetime="{day.isoformat()}"' in html


@pytest.mark.parametrize("url", ["/", "/rules/"])
def test_query_count_does_not_grow_with_data(seeded, client, url):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for offset in range(20):
        core_services.set_decree_override(
            day=date(2027, 2, 1 + offset), is_working=offset % 2 == 0, decree=f"Decree {offset}"
        )
    assert count() == before


@pytest.mark.parametrize("url", ["/", "/rules/", "/rules/levy.rate/"])
def test_site_pages_refuse_writes(client, db, url):
    assert client.post(url).status_code == 405


def test_dashboard_cards_follow_the_role(db, client):
    from tests.factories.accounts import login_with_2fa, user_with_role

    secretary = user_with_role("corporate_secretary", "sec")
    login_with_2fa(client, secretary)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "recorded decisions are not published yet" in html
    assert "Decree overrides" not in html  # the calendar card is the administrator's

    trustee = user_with_role("trustee", "tru")
    login_with_2fa(client, trustee)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Latest published decisions" in html and "Review and publish" not in html


def test_the_administrator_is_warned_when_next_years_decree_is_missing(policy_loaded, client):
    from unittest import mock

    from innocluster.site import views
    from tests.factories.accounts import login_with_2fa, user_with_role

    login_with_2fa(client, user_with_role("fund_admin", "adm", superuser=True))
    with mock.patch.object(views.timezone, "localdate", return_value=date(2026, 11, 2)):
        html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="card warn"' in html and "No decree transfers are entered for 2027 yet" in html
    core_services.set_decree_override(day=date(2027, 1, 8), is_working=False, decree="Decree 2027")
    with mock.patch.object(views.timezone, "localdate", return_value=date(2026, 11, 2)):
        html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 decree transfer of days off is entered for 2027." in html
