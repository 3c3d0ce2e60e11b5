"""A visitor reads the home page and the rules in force in Kazakh, Russian and English and switches
between them; a participant's representative and a registrar each get their own home."""

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
    screenshot(page, "home-public-kk")
    # The rules in force are one link away, on their own page.
    page.locator("main a[href='/rules/']").first.click()
    expect(page).to_have_url(live_server.url + "/rules/")
    # The rules table shows the levy rate with its legal source.
    expect(page.locator("table.rules")).to_contain_text("1%")
    # Today the amended law is in force; the rules of an earlier day are one date away (the 2014 law).
    expect(page.locator("ol.timeline li[aria-current=true]")).to_contain_text("Astana Hub")
    page.locator("#rules-on").fill("2024-06-01")
    page.get_by_role("button", name="Көрсету").click()
    expect(page).to_have_url(re.compile(r"/rules/\?on=2024-06-01$"))
    expect(page.locator("table.rules")).to_contain_text("Инновациялық кластер туралы заң жобасы")
    # Nauryz appears among the days that change deadlines when it is ahead; the list is never empty.
    expect(page.locator("ul.days li, p.empty").first).to_be_visible()
    screenshot(page, "rules-kk")

    page.get_by_role("button", name=re.compile("Русский", re.I)).click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.goto(live_server.url + "/rules/?on=2024-06-01")
    expect(page.locator("table.rules")).to_contain_text("Проект закона об инновационном кластере")
    screenshot(page, "rules-ru")
    # A value links to its history.
    page.locator("tr[id='levy.rate'] td.value a").click()
    expect(page).to_have_url(live_server.url + "/rules/levy.rate/")
    expect(page.locator("table.rules tr.current")).to_contain_text("1%")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Инновационный кластер")
    screenshot(page, "home-public-ru")

    page.get_by_role("button", name=re.compile("English", re.I)).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Innovation cluster")
    expect(page.locator("main")).to_contain_text("Who may join and how")
    expect(page.locator("main")).to_contain_text("participants are registered in the cluster")
    screenshot(page, "home-public-en")
    # The choice is kept in a cookie, so a fresh visit stays in English.
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Innovation cluster")
    context.close()


def test_a_representatives_home_and_a_registrars_home(seeded, live_server, browser, screenshot):
    from e2e.test_accounts import make, sign_in, totp_now
    from tests.factories.accounts import TEST_TOTP_SECRET

    make("participant_rep", "acme", enrolled=False)
    make("registrar", "reg")
    context = browser.new_context(locale="kk-KZ")
    page = context.new_page()
    sign_in(page, live_server.url, "acme")
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("section.dashboard")).to_contain_text("Қатысушының өкілі")
    expect(page.locator("a[href='/portal/']").first).to_be_visible()
    screenshot(page, "home-portal-kk")
    page.get_by_role("button", name=re.compile("Русский")).click()
    expect(page.locator("section.dashboard")).to_contain_text("Представитель участника")
    screenshot(page, "home-portal-ru")
    page.get_by_role("button", name=re.compile("English")).click()
    expect(page.locator("main")).to_contain_text("Your organisation in the cluster")
    expect(page.locator("main")).not_to_contain_text("Completeness check")
    context.close()

    # The registrar signs in once (a TOTP code is accepted once) and switches language on the page.
    context = browser.new_context(locale="kk-KZ")
    page = context.new_page()
    sign_in(page, live_server.url, "reg")
    page.locator("input[name=code]").fill(totp_now(TEST_TOTP_SECRET))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("div.cards article").first).to_be_visible()
    screenshot(page, "home-staff-kk")
    page.get_by_role("button", name=re.compile("Русский")).click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    screenshot(page, "home-staff-ru")
    page.get_by_role("button", name=re.compile("English")).click()
    expect(page.locator("main")).to_contain_text("Your work")
    expect(page.locator("main")).to_contain_text("Completeness check")
    context.close()
