"""Rates and shares as percentages on the levy pages a person reads: a joint contract (60 % and
40 %) on the staff and portal contract pages, and the account statement with each obligation's
share and rate, photographed in Kazakh and Russian."""

import pytest
from playwright.sync_api import expect

from e2e.test_registry_flow import in_language, staff, staff_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_contract_and_statement_pages_show_percentages(live_server, browser, screenshot, settings, tmp_path):
    from innocluster.core.policy.services import load_defaults
    from innocluster.parties.services.representatives import add_representative
    from innocluster.registry.services.register import load_reference_data
    from tests.levy import reporting

    settings.MEDIA_ROOT = tmp_path / "media"
    load_defaults()
    load_reference_data()
    officer_user = staff("finance_officer", "officer")
    rep = staff("subsoil_rep", "rep")
    books = reporting.build(officer_user)
    add_representative(books.a, user=rep, role="head", by=None)
    base = live_server.url

    context, officer = staff_page(browser, base, "officer")
    officer.goto(f"/staff/levy/contracts/{books.a2.contract_id}/")
    for language in ("kk", "ru"):
        in_language(officer, language)
        expect(officer.locator("main")).to_contain_text("60\xa0%")
        expect(officer.locator("main")).to_contain_text("40\xa0%")
        screenshot(officer, f"levy-contract-shares-{language}")
    officer.goto(f"/staff/levy/reports/statements/{books.a.bin}/?from=2026-01-01&to=2026-12-31")
    for language in ("kk", "ru"):
        in_language(officer, language)
        expect(officer.locator("main")).to_contain_text("1\xa0%")
        screenshot(officer, f"levy-statement-percent-{language}")

    company, page = staff_page(browser, base, "rep")
    page.goto(f"/portal/levy/contracts/{books.a2.contract_id}/")
    for language in ("kk", "ru"):
        in_language(page, language)
        expect(page.locator("main")).to_contain_text("(60\xa0%)")
        screenshot(page, f"levy-portal-contract-shares-{language}")
    context.close()
    company.close()
