"""Foreign specialists end to end, as the people involved do it in a browser (issue 15).

A participant's representative registers a specialist and files a request in three steps,
uploading every required document but the last, and submits; the HR officer returns it with an
itemised comment for the missing document; the representative uploads it, answers and resubmits;
the HR officer checks and approves. The representative downloads both letters (PDFs whose text,
read with ``pdftotext``, carries their numbers) and a visitor opens the verification address
printed in the letter and sees it valid. The HR officer opens the state bodies' report for a
period including today, sees the specialist and reads the person's row back from the XLSX. The
portal and staff pages, the report, the statistics and the confirmation letter are photographed
in Kazakh and Russian on the way."""

import datetime as dt
import re
import shutil
import subprocess
from io import BytesIO
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS
from e2e.test_registry_flow import in_language, pdf_bytes, staff, staff_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SURNAME, GIVEN = "MUELLER", "ANNA MARIA"
PASSPORT = "C01X00T47"
ANSWER = "The signed offer is uploaded as a new file."


def pdf_text(path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed to read the letters"
    return subprocess.run(  # noqa: S603 (a fixed tool on a file the test wrote)
        [pdftotext, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_to_png(path, name: str) -> None:
    """The first page of ``path`` as var/screenshots/<name>.png, for a person to look at."""
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 (a fixed tool on a file the test wrote)
        [pdftoppm, "-png", "-r", "110", "-singlefile", str(path), str(SCREENSHOTS / name)],
        check=True,
    )


def photograph(page, screenshot, name: str) -> None:
    """``name``-kk and ``name``-ru, then back to English for the test's own clicks."""
    for language in ("kk", "ru"):
        in_language(page, language)
        screenshot(page, f"{name}-{language}")
    in_language(page, "en")


def test_register_file_return_approve_letters_and_the_state_report(
    live_server, browser, screenshot, settings, tmp_path
):
    from openpyxl import load_workbook

    from innocluster.core.policy.services import load_defaults
    from innocluster.core.policy.values import today
    from innocluster.registry.services.register import load_reference_data
    from innocluster.workforce.models import EngagementRequest, Letter, Specialist
    from innocluster.workforce.selectors.requests import required_kinds
    from tests.factories.workforce import participant_employer

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INNOCLUSTER_BASE_URL = live_server.url  # the address printed in the letters
    load_defaults()
    load_reference_data()
    staff("hr_officer", "hr")
    rep = staff("participant_rep", "rep")
    employer = participant_employer(rep)  # registered in the cluster, in good standing
    kinds = required_kinds()
    missing = kinds[-1]
    start = dt.date(today().year + 1, 1, 1)
    base = live_server.url

    # --- the representative registers the specialist -------------------------------------------------
    company, page = staff_page(browser, base, "rep")
    company.set_default_timeout(15_000)
    page.goto("/portal/workforce/")
    expect(page.locator("main")).to_contain_text(employer.bin)
    page.get_by_role("link", name="Register a specialist").click()
    page.locator("input[name=surname_latin]").fill(SURNAME)
    page.locator("input[name=given_names_latin]").fill(GIVEN)
    page.locator("input[name=full_name_cyrillic]").fill("Мюллер Анна Мария")
    page.locator("select[name=citizenship]").select_option("DE")
    page.locator("input[name=date_of_birth]").fill("1985-04-12")
    page.locator("input[name=passport_number]").fill(PASSPORT)
    page.locator("input[name=passport_expiry]").fill("2034-12-31")
    page.locator("textarea[name=education]").fill("MSc Computer Science, Technical University of Munich")
    page.locator("input[name=qualification]").fill("Machine learning engineer")
    page.locator("input[name=experience_years]").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text(SURNAME)
    person = Specialist.objects.get()
    assert person.employer == employer and person.passport_number == PASSPORT

    # --- step 1: the position and contract ---------------------------------------------------------
    page.goto("/portal/workforce/")
    page.get_by_role("link", name="File a request").first.click()
    page.locator("input[name=position]").fill("Lead machine learning engineer")
    page.locator("input[name=occupation_code]").fill("2512-1-002")
    page.locator("select[name=category]").select_option("specialist")
    page.locator("input[name=monthly_salary]").fill("2500000.00")
    page.locator("input[name=contract_start]").fill(start.isoformat())
    page.locator("input[name=contract_end]").fill(dt.date(start.year + 2, 12, 31).isoformat())
    page.locator("textarea[name=justification]").fill(
        "No Kazakh candidate with production experience of large language models answered the vacancy."
    )
    page.get_by_role("button", name="Save and go on to the documents").click()
    found = EngagementRequest.objects.get()
    expect(page).to_have_url(f"{base}/portal/workforce/requests/{found.pk}/documents/")

    # --- step 2: every required document but the last -----------------------------------------------
    for kind in kinds[:-1]:
        path = tmp_path / f"{kind.code}.pdf"
        path.write_bytes(pdf_bytes(kind.code))
        card = page.locator("main form.card", has=page.locator(f"#file-{kind.code}"))
        card.locator("input[type=file]").set_input_files(str(path))
        card.get_by_role("button", name="Upload").click()
        expect(page.locator("main form.card", has=page.locator(f"#file-{kind.code}"))).to_contain_text(
            f"{kind.code}.pdf"
        )
    assert found.documents.count() == len(kinds) - 1
    photograph(page, screenshot, "workforce-portal-documents")

    # --- step 3: review (the missing document is named) and submit -----------------------------------
    page.get_by_role("link", name="Go on to review and submit").click()
    expect(page.locator("main")).to_contain_text(missing.name_en)
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(page.locator("main")).to_contain_text("is sent to the Fund")
    found.refresh_from_db()
    assert found.status == "submitted" and found.deadline is not None

    # --- the HR officer: the queue, the check refused, a return for the missing document ------------
    hr_side, officer = staff_page(browser, base, "hr")
    hr_side.set_default_timeout(15_000)
    officer.goto("/staff/workforce/")
    expect(officer.locator("main table")).to_contain_text(SURNAME)
    photograph(officer, screenshot, "workforce-staff-queue")
    officer.get_by_role("link", name=str(found.pk), exact=True).click()
    expect(officer.locator("main")).to_contain_text(PASSPORT)  # in full for the HR officer
    photograph(officer, screenshot, "workforce-staff-request-submitted")
    officer.get_by_role("button", name="Confirm the check").click()
    expect(officer.locator("main")).to_contain_text(missing.name_en)  # the check stops on it
    found.refresh_from_db()
    assert found.status == "submitted"
    officer.goto(f"/staff/workforce/requests/{found.pk}/")
    officer.locator("input[name='return_for_revision-items-0-item']").fill(missing.name_en)
    officer.locator("textarea[name='return_for_revision-items-0-text']").fill(
        "Upload the offer signed by both sides."
    )
    officer.get_by_role("button", name="Return for revision").click()
    expect(officer.locator("main")).to_contain_text("Upload the offer signed by both sides.")
    found.refresh_from_db()
    assert found.status == "returned" and found.deadline is None

    # --- the representative sees the comment, uploads the document, answers and resubmits -----------
    page.goto(f"/portal/workforce/requests/{found.pk}/")
    expect(page.locator("main")).to_contain_text("Upload the offer signed by both sides.")
    photograph(page, screenshot, "workforce-portal-request-returned")
    page.get_by_role("link", name="Revise and resubmit").click()
    page.get_by_role("button", name="Save and go on to the documents").click()
    offer = tmp_path / "signed-offer.pdf"
    offer.write_bytes(pdf_bytes("signed offer"))
    card = page.locator("main form.card", has=page.locator(f"#file-{missing.code}"))
    card.locator("input[type=file]").set_input_files(str(offer))
    card.get_by_role("button", name="Upload").click()
    expect(page.locator("main")).to_contain_text("signed-offer.pdf")
    page.get_by_role("link", name="Go on to review and submit").click()
    page.locator("main textarea[name^=response_]").fill(ANSWER)
    page.get_by_role("button", name="Resubmit").click()
    expect(page.locator("main")).to_contain_text("is sent to the Fund")
    found.refresh_from_db()
    assert found.status == "submitted"
    assert [item.response for item in found.revision_items.all()] == [ANSWER]

    # --- the HR officer checks and approves ------------------------------------------------------------
    officer.goto(f"/staff/workforce/requests/{found.pk}/")
    expect(officer.locator("main")).to_contain_text(ANSWER)
    officer.get_by_role("button", name="Confirm the check").click()
    expect(officer.get_by_role("button", name="Approve")).to_be_visible()
    officer.get_by_role("button", name="Approve").click()
    expect(officer.locator("main")).to_contain_text("WF-C-")
    found.refresh_from_db()
    assert found.status == "approved"
    photograph(officer, screenshot, "workforce-staff-request")

    # --- the representative downloads both letters ----------------------------------------------------
    page.goto(f"/portal/workforce/requests/{found.pk}/")
    texts = {}
    for letter in found.letters.order_by("kind"):
        with page.expect_download() as download:
            page.locator(f"main a[href$='/letters/{letter.number}/']").click()
        saved = tmp_path / f"{letter.kind}.pdf"
        download.value.save_as(saved)
        assert saved.read_bytes().startswith(b"%PDF"), letter.kind
        texts[letter.kind] = pdf_text(saved)
        assert letter.number in texts[letter.kind]
        assert SURNAME in texts[letter.kind]
    confirmation = found.letters.get(kind=Letter.Kind.CONFIRMATION)
    assert "растау хаты" in texts[Letter.Kind.CONFIRMATION].lower()
    assert "письмо-подтверждение" in texts[Letter.Kind.CONFIRMATION].lower()
    assert "визовое письмо-поддержка" in texts[Letter.Kind.VISA_SUPPORT].lower()
    pdf_to_png(tmp_path / f"{Letter.Kind.CONFIRMATION}.pdf", "workforce-letter-confirmation")

    # --- a visitor opens the address printed under the QR code ---------------------------------------
    printed = "".join(texts[Letter.Kind.CONFIRMATION].split())  # a long address may wrap
    url = re.search(re.escape(base) + r"/verify/letter/\S+?\?code=[A-Za-z0-9_-]+", printed)
    assert url, "the verification address is printed in the letter"
    address = urlsplit(url.group(0))
    assert address.path == f"/verify/letter/{confirmation.number}/"
    visitor = browser.new_context(locale="en-US", base_url=base)
    public = visitor.new_page()
    public.goto(f"{address.path}?{address.query}")
    expect(public.locator("[role=status]")).to_contain_text("is genuine")
    expect(public.locator("[role=status]")).to_contain_text("It is VALID today")
    expect(public.locator("[role=status]")).to_contain_text(f"{SURNAME} {GIVEN}")
    public.goto(f"{address.path}?code=wrong")
    expect(public.locator("[role=status]")).to_contain_text("issued no letter")

    # --- the HR officer: the state bodies' report for a period including today, and its XLSX --------
    period = f"from={today().replace(day=1).isoformat()}&to={(today() + dt.timedelta(days=1)).isoformat()}"
    officer.goto(f"/staff/workforce/reports/foreigners/?{period}")
    row = officer.locator("main table tbody tr", has_text=SURNAME)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(GIVEN)
    expect(row).to_contain_text(employer.bin)
    photograph(officer, screenshot, "workforce-report")
    officer.goto(f"/staff/workforce/reports/foreigners/?{period}")
    with officer.expect_download() as download:
        officer.get_by_role("link", name="Download XLSX").click()
    sheet = load_workbook(BytesIO(download.value.path().read_bytes()), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    mine = [r for r in rows[1:] if SURNAME in r]
    assert len(mine) == 1 and GIVEN in mine[0] and employer.bin in [str(v) for v in mine[0]]

    officer.goto("/staff/workforce/reports/statistics/")
    expect(officer.locator("main")).to_contain_text("Decision deadlines")
    photograph(officer, screenshot, "workforce-statistics")
    for context in (company, hr_side, visitor):
        context.close()
