"""The whole way into the register, as the people involved do it in a browser.

A new user signs up and verifies the e-mail, applies with documents (and the charter that shows
their authority, which the registrar confirms before the application can go), the registrar returns the
application with comments, the applicant answers and resubmits, the registrar accepts, the
commission approves, the applicant uploads the signed agreement, the registrar issues the
certificate; the certificate PDF's text is read with ``pdftotext`` and ``/verify/<number>/`` says
the registration is valid. The key pages are photographed in Kazakh and Russian on the way.
"""

import re
import shutil
import subprocess
from datetime import date

import pytest
from playwright.sync_api import expect

from e2e.test_accounts import sign_in, totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT_PASSWORD = "Steppe-Eagle-2026"


def pdf_bytes(label: str) -> bytes:
    from innocluster.seed.applications import demo_pdf

    return demo_pdf(label)


def staff(role: str, username: str):
    from allauth.account.models import EmailAddress

    from tests.factories.accounts import user_with_role

    user = user_with_role(role, username)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def staff_page(browser, base: str, username: str, locale: str = "en-US"):
    from tests.factories.accounts import TEST_TOTP_SECRET

    context = browser.new_context(locale=locale, base_url=base)
    page = context.new_page()
    sign_in(page, base, username)
    page.locator("input[name=code]").fill(totp_now(TEST_TOTP_SECRET))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(base + "/")
    return context, page


def in_language(page, language: str) -> None:
    """Switch the language with the header's buttons, as a person does; the page comes back."""
    page.locator(f"form.lang button[value={language}]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def test_from_sign_up_to_a_valid_certificate(live_server, browser, screenshot, settings, tmp_path):
    from django.core import mail

    from innocluster.core.policy.services import load_defaults
    from innocluster.registry.models import Application
    from innocluster.registry.services.register import load_reference_data
    from tests.factories.registry import valid_bin

    settings.MEDIA_ROOT = tmp_path / "media"
    load_defaults()
    load_reference_data()
    staff("registrar", "reg")
    staff("commission_member", "com")
    base = live_server.url

    # --- sign up and verify the e-mail address ----------------------------------------------------
    applicant = browser.new_context(locale="en-US", base_url=base, accept_downloads=True)
    page = applicant.new_page()
    page.goto("/accounts/signup/")
    page.locator("input[name=email]").fill("aigerim@saryarka.kz")
    page.locator("input[name=username]").fill("aigerim")
    page.locator("input[name=password1]").fill(APPLICANT_PASSWORD)
    page.locator("input[name=password2]").fill(APPLICANT_PASSWORD)
    page.locator("input[name=role][value=participant_rep]").check()
    page.locator("input[name=consent]").check()
    page.locator("main form button[type=submit]").first.click()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.locator("main form button[type=submit]").first.click()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("aigerim")
    page.locator("input[name=password]").fill(APPLICANT_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(base + "/")

    # --- apply: category, organisation (a bad BIN first), project, documents, review -------------
    page.goto("/portal/apply/")
    page.get_by_label("Company", exact=True).check()
    page.locator("main form button[type=submit]").click()
    page.locator("input[name=bin]").fill("123456789012")
    page.locator("input[name=name_kk]").fill("«Сарыарқа Дата» ЖШС")
    page.locator("input[name=name_ru]").fill("ТОО «Сарыарка Дата»")
    page.locator("input[name=name_en]").fill("Saryarka Data LLP")
    page.locator("input[name=legal_form]").fill("LLP")
    page.locator("select[name=region]").select_option(index=1)
    page.locator("select[name=activity]").select_option(index=1)
    page.locator("input[name=address]").fill("Астана, пр. Мангилик Ел, 55/8")
    page.locator("input[name=state_share]").fill("0")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("[role=alert]").first).to_be_visible()  # the BIN's check digit is wrong
    assert not Application.objects.get().organisation_id
    page.locator("input[name=bin]").fill(valid_bin())
    # Entering the BIN claims to act for the organisation: the charter goes with the claim.
    charter = tmp_path / "charter.pdf"
    charter.write_bytes(pdf_bytes("charter"))
    page.locator("input[type=file][name=authority_document]").set_input_files(str(charter))
    page.locator("main form button[type=submit]").click()
    # The project (Law 207-V art. 1): period, a measure, a budget line, a priority activity. A
    # measure running past the project's end is refused beside its own row first.
    page.locator("input[name=project_title]").fill("Qazaq Speech")
    page.locator("textarea[name=project_summary]").fill(
        "Speech recognition for Kazakh-language calls to public services, piloted in Astana in 2027."
    )
    page.locator("input[name=project_starts_on]").fill("2027-01-01")
    page.locator("input[name=project_ends_on]").fill("2028-06-30")
    page.locator("input[name='measures-0-title']").fill("Corpus of Kazakh speech")
    page.locator("input[name='measures-0-starts_on']").fill("2027-01-01")
    page.locator("input[name='measures-0-ends_on']").fill("2028-09-30")
    page.locator("textarea[name='measures-0-expected_result']").fill("1,500 hours of annotated speech")
    page.locator("input[name='budget-0-item']").fill("Salaries of the developers")
    page.locator("input[name='budget-0-year']").fill("2027")
    page.locator("input[name='budget-0-amount']").fill("86400000.50")
    page.get_by_label(re.compile(r"^\s*62 — ")).check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_measures-0-ends_on_error")).to_contain_text("Measure 1")
    page.locator("input[name='measures-0-ends_on']").fill("2028-06-30")
    page.locator("main form button[type=submit]").click()
    inputs = page.locator("main form input[type=file][required], main form input[type=file]")
    expect(inputs.first).to_be_visible()
    names = [inputs.nth(i).get_attribute("name") for i in range(inputs.count())]
    for name in names:
        if name == "other":
            continue
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf_bytes(name))
        page.locator(f"input[type=file][name={name}]").set_input_files(str(path))
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("button", name="Submit the application")).to_be_visible()
    in_language(page, "kk")
    screenshot(page, "portal-review-kk")
    in_language(page, "ru")
    screenshot(page, "portal-review-ru")
    in_language(page, "en")
    # The claim of authority is not confirmed yet: the application waits for the registrar.
    page.get_by_role("button", name="Submit the application").click()
    expect(page.locator("main")).to_contain_text("is not confirmed yet")
    application = Application.objects.get()
    assert application.status == "draft"

    # --- the registrar confirms the claim against the charter ------------------------------------
    registrar, reg_page = staff_page(browser, base, "reg")
    reg_page.goto("/staff/parties/")
    expect(reg_page.locator("main")).to_contain_text("Saryarka")
    expect(reg_page.locator("main")).to_contain_text("charter.pdf")
    reg_page.get_by_role("button", name="Confirm").click()
    expect(reg_page.locator("main")).to_contain_text("No claim is waiting.")

    page.goto(f"/portal/applications/{application.pk}/step/review/")
    page.get_by_role("button", name="Submit the application").click()
    application.refresh_from_db()
    assert application.status == "moderation"
    page.goto(f"/portal/applications/{application.pk}/")
    expect(page.locator("main")).to_contain_text("under moderation")

    # --- the registrar returns it with an itemised comment ----------------------------------------
    reg_page.goto("/staff/registry/")
    expect(reg_page.locator("main")).to_contain_text("Saryarka")
    in_language(reg_page, "kk")
    screenshot(reg_page, "staff-queue-kk")
    in_language(reg_page, "ru")
    screenshot(reg_page, "staff-queue-ru")
    in_language(reg_page, "en")
    reg_page.goto(f"/staff/registry/applications/{application.pk}/")
    reg_page.locator("input[name='return_for_revision-items-0-item']").fill("Business plan")
    reg_page.locator("textarea[name='return_for_revision-items-0-text']").fill(
        "Add the financial model for three years."
    )
    reg_page.get_by_role("button", name="Return for revision").click()
    expect(reg_page.locator("main")).to_contain_text("returned for revision")

    # --- the applicant answers and resubmits ------------------------------------------------------
    page.goto(f"/portal/applications/{application.pk}/")
    expect(page.locator("main")).to_contain_text("Add the financial model for three years.")
    answer = page.locator("main textarea[name^=response_]")
    answer.fill("The financial model is on pages 14-18 of the new business plan.")
    page.get_by_role("button", name="Submit the application again").click()
    application.refresh_from_db()
    assert application.status == "moderation"

    # --- the registrar accepts, the commission approves -------------------------------------------
    reg_page.goto(f"/staff/registry/applications/{application.pk}/")
    reg_page.get_by_role("button", name="Accept for the commission").click()
    expect(reg_page.locator("main")).to_contain_text("with the selection commission")
    commission, com_page = staff_page(browser, base, "com")
    com_page.goto(f"/staff/registry/applications/{application.pk}/")
    com_page.locator("input[name=decide-outcome][value=approve]").check()
    com_page.locator("input[name=decide-number]").fill("SC-2026-41")
    com_page.locator("input[name=decide-decided_on]").fill(date.today().isoformat())
    com_page.locator("textarea[name=decide-basis]").fill(
        "Law 207-V, art. 7; rules of the selection commission"
    )
    com_page.locator("input[name=decide-meeting_reference]").fill("Minutes No. 12")
    com_page.get_by_role("button", name="Record the decision").click()
    application.refresh_from_db()
    assert application.status == "approved" and application.decision.number == "SC-2026-41"

    # --- the applicant downloads the agreement and uploads the signed copy -------------------------
    page.goto(f"/portal/applications/{application.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the agreement (PDF)").click()
    agreement = tmp_path / "agreement.pdf"
    download.value.save_as(agreement)
    assert agreement.read_bytes().startswith(b"%PDF")
    page.locator("main form input[type=file]").set_input_files(str(agreement))
    page.get_by_role("button", name="Upload the signed agreement").click()
    application.refresh_from_db()
    assert application.status == "agreement_signed"

    # --- the registrar issues the certificate -----------------------------------------------------
    reg_page.goto(f"/staff/registry/applications/{application.pk}/")
    reg_page.get_by_role("button", name="Issue the certificate and register").click()
    application.refresh_from_db()
    assert application.status == "registered"
    number = application.participant.number
    in_language(reg_page, "kk")
    screenshot(reg_page, "staff-application-kk")
    in_language(reg_page, "ru")
    screenshot(reg_page, "staff-application-ru")

    # --- the certificate, read back as text, and the public verification --------------------------
    page.goto(f"/portal/applications/{application.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    certificate = tmp_path / "certificate.pdf"
    download.value.save_as(certificate)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed to read the certificate"
    text = subprocess.run(  # noqa: S603 (a fixed tool on a file the test wrote)
        [pdftotext, "-layout", str(certificate), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert number in text
    assert "Сарыарка Дата" in text and "Сарыарқа Дата" in text
    assert "куәлігі" in text.lower() and "свидетельство" in text.lower()
    assert f"/verify/{number}/" in text
    in_language(page, "kk")
    screenshot(page, "portal-application-registered-kk")
    in_language(page, "ru")
    screenshot(page, "portal-application-registered-ru")

    visitor = browser.new_context(locale="en-US", base_url=base)
    public = visitor.new_page()
    public.goto(f"/verify/{number}/")
    expect(public.locator("[role=status]")).to_contain_text(f"Registration No. {number} is VALID today")
    in_language(public, "kk")
    screenshot(public, "verify-kk")
    in_language(public, "ru")
    screenshot(public, "verify-ru")
    for context in (applicant, registrar, commission, visitor):
        context.close()
