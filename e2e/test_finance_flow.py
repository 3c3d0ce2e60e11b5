"""A finance officer's day in a browser: upload a bank statement, see what it added, match one
receipt by hand, send another to unidentified receipts, and watch the trial balance change. The
queue and the line page are photographed in Kazakh and Russian on the way."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from e2e.test_registry_flow import in_language, staff, staff_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FIXTURE = (
    Path(__file__).resolve().parent.parent
    / "tests"
    / "finance"
    / "fixtures"
    / "statements"
    / "kaspi_1c_kazakh_dialect.txt"
)


def test_upload_match_suspense_and_the_trial_balance(live_server, browser, screenshot):
    from innocluster.core.policy.services import load_defaults
    from innocluster.finance.models import StatementLine
    from innocluster.finance.selectors import ledger
    from innocluster.finance.selectors.accounts import account
    from innocluster.finance.services.banking import add_bank_account

    load_defaults()
    staff("finance_officer", "officer")
    add_bank_account("KZ18722S000012345678", bic="CASPKZKA", name="Kaspi levy account", fund_source="levy")
    base = live_server.url
    context, page = staff_page(browser, base, "officer")

    page.goto("/staff/finance/statements/")
    page.locator("input[name=file]").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Import").click()
    summary = page.locator("section.card[role=status]")
    expect(summary).to_contain_text("kaspi_1c_kazakh_dialect.txt")
    new = StatementLine.objects.count()
    assert new > 0
    expect(summary).to_contain_text(str(new))

    page.goto("/staff/finance/reconciliation/")
    receipts = list(StatementLine.objects.filter(amount__gt=0).order_by("id"))
    first, second = receipts[0], receipts[1]
    for language in ("kk", "ru"):
        in_language(page, language)
        screenshot(page, f"finance-queue-{language}")
    in_language(page, "en")

    # Match the first receipt by hand to state-budget income.
    page.locator(f"a[href='/staff/finance/reconciliation/{first.pk}/']").click()
    for language in ("kk", "ru"):
        in_language(page, language)
        screenshot(page, f"finance-line-{language}")
    in_language(page, "en")
    page.locator("select[name='parts-0-account']").select_option(
        label=f"6230 {account('state_budget_income').name_en}"
    )
    page.locator("input[name='parts-0-party']").fill("")
    page.get_by_role("button", name="Match", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("The line is matched.")
    assert StatementLine.objects.get(pk=first.pk).status == "matched"

    # Send the second to unidentified receipts, with a reason.
    page.goto(f"/staff/finance/reconciliation/{second.pk}/")
    page.locator("textarea[name='suspense-reason']").fill("Плательщик не указал основание")
    page.get_by_role("button", name="Send to unidentified receipts").click()
    expect(page.locator(".messages")).to_contain_text("unidentified receipts")
    assert StatementLine.objects.get(pk=second.pk).status == "suspense"

    # The trial balance shows both.
    balances = {b.account.code: b for b in ledger.trial_balance()}
    assert balances["6230"].credit == first.amount and balances["3392"].credit == second.amount
    page.goto("/staff/finance/reports/trial-balance/")
    table = page.locator("main table").first
    expect(table).to_contain_text("3392")
    expect(table).to_contain_text("6230")
    screenshot(page, "finance-trial-balance-en")
    page.goto("/api/v1/finance/trial-balance/")
    import json

    shown = {row["code"]: row for row in json.loads(page.locator("body").inner_text())["accounts"]}
    assert shown["6230"]["credit_balance"] == f"{first.amount:.2f}"
    assert shown["3392"]["credit_balance"] == f"{second.amount:.2f}"
    context.close()
