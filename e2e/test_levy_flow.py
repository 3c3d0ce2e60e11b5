"""The levy end to end, as the people involved do it in a browser: a subsoil user's representative
declares the base of its contract with a document in the company portal; a finance officer checks
the assessment (dry run) and posts it, then uploads the Fund's bank statement, where the levy
matcher pays the obligation by its reference, turns another company's overpayment into a credit
and leaves a third company's payment (its BIN and an amount two of its obligations owe) in the
manual queue with both candidates shown; the representative's account statement ends at zero and
``ledger check`` passes. The portal and the staff pages are photographed in Kazakh and Russian."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from e2e.test_registry_flow import in_language, pdf_bytes, staff, staff_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal
LEVY_IBAN = "KZ18722S000012345678"
HEADER = (
    "account_iban;statement;booked_on;amount;currency;counterparty_name;counterparty_id;purpose;"
    "bank_reference;opening_balance;closing_balance"
)


def statement(rows) -> str:
    """The Fund's CSV statement of the levy account, booked today: ``rows`` are (amount, payer
    BIN, purpose)."""
    from innocluster.core.policy.values import today

    lines, balance = [HEADER], D("0.00")
    for n, (amount, payer, purpose) in enumerate(rows, 1):
        balance += D(amount)
        lines.append(
            f"{LEVY_IBAN};E2E-1;{today().isoformat()};{amount};KZT;ТОО «Плательщик»;{payer};{purpose};E2E-{n};"
            f"{'0.00' if n == 1 else ''};{balance if n == len(rows) else ''}"
        )
    return "\n".join(lines) + "\n"


def test_declare_assess_pay_and_the_account_statement_at_zero(
    live_server, browser, screenshot, settings, tmp_path
):
    from innocluster.core.policy.services import load_defaults
    from innocluster.finance.models import StatementLine
    from innocluster.finance.services.banking import add_bank_account
    from innocluster.levy.models import Credit, Obligation
    from innocluster.levy.selectors import obligations as levy
    from innocluster.parties.services.representatives import add_representative
    from innocluster.registry.services.register import load_reference_data
    from tests.factories.levy import ContractFactory, declared, subsoil_user

    settings.MEDIA_ROOT = tmp_path / "media"
    load_defaults()
    load_reference_data()
    staff("finance_officer", "officer")
    rep = staff("subsoil_rep", "rep")
    company, overpayer, twice = subsoil_user(), subsoil_user(), subsoil_user()
    add_representative(company, user=rep, role="head", by=None)
    contract = ContractFactory(holders=[(company, "1")])
    declared(ContractFactory(holders=[(overpayer, "1")]), 2025, "30000000.00")  # owes 300,000.00
    for _ in range(2):  # two licences owing the same: a payment by BIN and amount fits both
        declared(ContractFactory(holders=[(twice, "1")]), 2025, "50000000.00")  # 500,000.00 each
    add_bank_account(LEVY_IBAN, bic="CASPKZKA", name="Kaspi: levy account", fund_source="levy")
    base = live_server.url

    # --- the representative declares in the company portal ---------------------------------------
    company_side, page = staff_page(browser, base, "rep")  # signs in with the test TOTP code
    page.goto("/portal/levy/")
    expect(page.locator("main")).to_contain_text(contract.number)
    page.get_by_role("link", name=contract.number).first.click()
    page.get_by_role("link", name="Declare the base for a year").click()
    page.locator("input[name=year]").fill("2025")
    page.locator("input[name=amount]").fill("120 000 000,00")
    document = tmp_path / "financial-statements-2025.pdf"
    document.write_bytes(pdf_bytes("financial statements 2025"))
    page.locator("input[name=documents]").set_input_files(str(document))
    for language in ("kk", "ru"):
        in_language(page, language)
        screenshot(page, f"levy-portal-declare-{language}")
    in_language(page, "en")
    page.locator("input[name=year]").fill("2025")
    page.locator("input[name=amount]").fill("120 000 000,00")
    page.locator("input[name=documents]").set_input_files(str(document))
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main")).to_contain_text("120")
    assert contract.declarations.get(year=2025, current=True).base_amount == D("120000000.00")

    # --- the officer assesses: a dry run first, then the postings ----------------------------------
    context, officer = staff_page(browser, base, "officer")
    officer.goto("/staff/levy/assessment/")
    officer.locator("input[name=year]").fill("2026")
    officer.get_by_role("button", name="Check (dry run)").click()
    expect(officer.locator("main table")).to_contain_text(contract.number)
    assert not Obligation.objects.exists()  # a dry run writes nothing
    for language in ("kk", "ru"):
        in_language(officer, language)
        screenshot(officer, f"levy-assessment-{language}")
    in_language(officer, "en")
    officer.goto("/staff/levy/assessment/")
    officer.locator("input[name=year]").fill("2026")
    officer.get_by_role("button", name="Check (dry run)").click()
    officer.get_by_role("button", name="Assess and post").click()
    obligation = Obligation.objects.get(contract=contract, year=2026)
    assert obligation.amount == D("1200000.00")
    owed_by_overpayer = Obligation.objects.get(holder=overpayer, year=2026)

    # --- the bank statement: paid by reference, overpaid, and one for the queue ------------------
    file = tmp_path / "kaspi-levy-2026-11.csv"
    file.write_text(
        statement(
            [
                ("1200000.00", company.bin, f"Отчисления на НИОКР за 2026 год, {obligation.reference}"),
                ("310000.00", overpayer.bin, f"НИОКР 2026 {owed_by_overpayer.reference.lower()}"),
                ("500000.00", twice.bin, "Отчисления на НИОКР по лицензии"),
            ]
        ),
        encoding="utf-8",
    )
    officer.goto("/staff/finance/statements/")
    officer.locator("input[name=file]").set_input_files(str(file))
    officer.get_by_role("button", name="Import").click()
    expect(officer.locator("section.card[role=status]")).to_contain_text(file.name)
    assert levy.outstanding(obligation) == D("0.00")
    assert Credit.objects.get(holder=overpayer).amount == D("10000.00")
    waiting = StatementLine.objects.get(status="unmatched")
    assert waiting.counterparty_id == twice.bin
    officer.goto(f"/staff/finance/reconciliation/{waiting.pk}/")
    for reference in Obligation.objects.filter(holder=twice).values_list("reference", flat=True):
        expect(officer.locator("main")).to_contain_text(reference)
    for language in ("kk", "ru"):
        in_language(officer, language)
        screenshot(officer, f"levy-candidates-{language}")
    in_language(officer, "en")

    # --- the company's account statement ends at zero; the ledger holds ----------------------------
    page.goto("/portal/levy/")
    page.get_by_role("link", name="Account statements and notices").click()
    page.goto(f"/portal/levy/documents/{company.bin}/statement/")
    expect(page.locator("main")).to_contain_text(obligation.reference)
    closing = page.locator("main tfoot").first
    expect(closing).to_contain_text("0.00")
    for language in ("kk", "ru"):
        in_language(page, language)
        screenshot(page, f"levy-portal-statement-{language}")
    call_command("ledger", "check")  # exits 1 (SystemExit) on any breach
    context.close()
    company_side.close()
