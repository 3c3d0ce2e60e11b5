"""A visitor reads the home page in Kazakh, Russian and English and switches between them."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(transactional_db):
    from innocluster.seed.foundation import seed_foundation

    seed_foundation()


def test_home_in_three_languages(seeded, live_server, browser, screenshot):
    context = browser.new_context(locale="kk-KZ")
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Инновациялық кластер")
    # The rules table shows the levy rate with its legal source.
    expect(page.locator("table.rules")).to_contain_text("1%")
    expect(page.locator("table.rules")).to_contain_text("Инновациялық кластер туралы заң жобасы")
    # Nauryz appears among the days that change deadlines when it is ahead; the list is never empty.
    expect(page.locator("ul.days li, p.empty").first).to_be_visible()
    screenshot(page, "home-kk")

    page.get_by_role("button", name=re.compile("Русский", re.I)).click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Инновационный кластер")
    expect(page.locator("table.rules")).to_contain_text("Проект закона об инновационном кластере")
    screenshot(page, "home-ru")

    page.get_by_role("button", name=re.compile("English", re.I)).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Innovation cluster")
    expect(page.locator("table.rules")).to_contain_text("Draft law on the innovation cluster")
    screenshot(page, "home-en")
    # The choice is kept in a cookie, so a fresh visit stays in English.
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Innovation cluster")
    context.close()
