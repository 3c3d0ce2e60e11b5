"""A finance officer reads the budget execution and the balance sheet in Kazakh and Russian, with
the chart beside the table, and downloads the PDF."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_budget_execution_and_balance_sheet_in_kazakh_and_russian(live_server, browser, screenshot):
    from e2e.test_accounts import make, sign_in, totp_now
    from innocluster.core.policy.services import load_defaults
    from innocluster.finance.selectors.accounts import clear_cache
    from tests.factories.accounts import TEST_TOTP_SECRET
    from tests.finance.reports.conftest import build_books

    load_defaults()
    clear_cache()
    build_books()
    make("finance_officer", "officer")
    context = browser.new_context(locale="kk-KZ", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, "officer")
    page.locator("input[name=code]").fill(totp_now(TEST_TOTP_SECRET))
    page.locator("main form button[type=submit]").first.click()
    base = live_server.url + "/staff/finance/reports/"

    page.goto(base + "budget-execution/?year=2026")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Бюджеттің атқарылуы")
    expect(page.locator("main table")).to_contain_text("900 000,00")
    expect(page.locator("figure.chart img")).to_be_visible()
    screenshot(page, "finance-budget-execution-kk")
    page.goto(base + "balance-sheet/?at=2026-12-31")
    expect(page.get_by_role("heading", level=1)).to_have_text("Бухгалтерлік баланс")
    expect(page.locator("main table")).to_contain_text("9 848 500,00")
    screenshot(page, "finance-balance-sheet-kk")

    page.get_by_role("button", name=re.compile("Русский", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Бухгалтерский баланс")
    expect(page.locator("main table")).to_contain_text("Итого активы")
    screenshot(page, "finance-balance-sheet-ru")
    page.goto(base + "budget-execution/?year=2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("Исполнение бюджета")
    expect(page.locator("main table")).to_contain_text("Программа грантов")
    screenshot(page, "finance-budget-execution-ru")
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать PDF").click()
    assert download.value.suggested_filename == "budget-execution-2026.pdf"
    context.close()
