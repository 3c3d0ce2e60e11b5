"""Signing in as real people do: password, then a TOTP code computed from the demo secret."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-Test-2026"


def totp_now(secret: str) -> str:
    """The current code; near the end of a 30-second window, wait for the next one, because the
    server accepts only the window it is in when the form arrives (no tolerance configured)."""
    if time.time() % 30 > 25:
        time.sleep(30 - time.time() % 30 + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def make(role, username, *, enrolled=True):
    from allauth.account.models import EmailAddress

    from tests.factories.accounts import user_with_role

    user = user_with_role(role, username, enrolled=enrolled)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def test_staff_signs_in_with_totp_and_reads_the_dashboard_in_three_languages(
    live_server, browser, screenshot
):
    from tests.factories.accounts import TEST_TOTP_SECRET

    make("registrar", "reg")
    context = browser.new_context(locale="kk-KZ")
    page = context.new_page()
    sign_in(page, live_server.url, "reg")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(totp_now(TEST_TOTP_SECRET))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(live_server.url + "/")
    dashboard = page.locator("section.dashboard")
    expect(dashboard).to_contain_text("Тіркеуші")
    screenshot(page, "dashboard-registrar-kk")
    page.get_by_role("button", name=re.compile("Русский")).click()
    expect(page.locator("section.dashboard")).to_contain_text("Регистратор")
    screenshot(page, "dashboard-registrar-ru")
    page.get_by_role("button", name=re.compile("English")).click()
    expect(page.locator("section.dashboard")).to_contain_text("Registrar")
    expect(page.locator("section.dashboard")).to_contain_text("signed in with two-factor authentication")
    context.close()


def test_staff_without_2fa_is_sent_to_enrolment_from_every_page(live_server, browser, screenshot):
    make("finance_officer", "fin", enrolled=False)
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    sign_in(page, live_server.url, "fin")
    enrol = re.compile(
        r"/accounts/(2fa/totp/activate/|reauthenticate/\?next=%2Faccounts%2F2fa%2Ftotp%2Factivate)"
    )
    for path in ("/", "/admin/", "/staff/audit/"):
        page.goto(live_server.url + path)
        expect(page).to_have_url(enrol)
    # allauth asks for the password again before a second factor is added, then shows the QR code.
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    expect(page.locator("input[name=code]")).to_be_visible()
    screenshot(page, "enrol-totp-en")
    response = page.request.get(live_server.url + "/api/v1/me/")
    assert response.status in (401, 403, 404)
    context.close()


def test_a_participant_is_refused_a_staff_page(live_server, browser):
    make("participant_rep", "acme", enrolled=False)
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    sign_in(page, live_server.url, "acme")
    expect(page).to_have_url(live_server.url + "/")
    response = page.goto(live_server.url + "/staff/audit/")
    assert response.status == 403
    response = page.goto(live_server.url + "/admin/")
    expect(page).not_to_have_url(live_server.url + "/admin/")
    context.close()
