"""The letters of an approved request: the PDF (Kazakh and Russian, number, the verification
address and QR), who may download it (the HR officer and the employer's representatives; another
participant 404, anonymous to the login page) and that the download is audited; the public
verification page (right code, wrong code, ended engagement)."""

import datetime as dt
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from innocluster.core.audit.models import AuditEvent
from innocluster.workforce import letters_pdf
from innocluster.workforce.countries import country_name
from innocluster.workforce.models import Letter
from innocluster.workforce.services import requests as services
from tests.factories.accounts import login_with_2fa
from tests.factories.workforce import active_request

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 4, 20)


def pdf_words(content: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").replace("\xa0", " ").split())


@pytest.fixture
def engagement(people, employer):
    return active_request(
        employer, people["rep"], people["hr"], on=DAY, visa_valid_until=dt.date(2028, 5, 31)
    )


def letter_of(engagement, kind) -> Letter:
    return engagement.letters.get(kind=kind)


def client_for(user) -> Client:
    client = Client()
    login_with_2fa(client, user)
    return client


def test_visa_support_letter_pdf_in_both_languages_with_full_passport(engagement):
    letter = letter_of(engagement, Letter.Kind.VISA_SUPPORT)
    person = engagement.specialist
    text = pdf_words(letters_pdf.letter_pdf(letter))
    assert "ВИЗАЛЫҚ ҚОЛДАУ ХАТЫ" in text
    assert "ВИЗОВОЕ ПИСЬМО-ПОДДЕРЖКА" in text
    assert "Жұмыс беруші" in text and "Работодатель" in text
    assert letter.number in text
    assert person.passport_number in text  # the migration service gets the full number
    assert "12.04.1985" in text and "01.06.2026 – 31.05.2028" in text
    assert engagement.employer.bin in text
    assert f"{person.surname_latin} {person.given_names_latin}" in text
    assert person.full_name_cyrillic in text
    assert country_name(person.citizenship, "ru") in text and country_name(person.citizenship, "kk") in text
    assert letters_pdf.verify_url(letter).split("?")[0] in text.replace(" ", "")
    assert letter.verification_code in text.replace(" ", "")


def test_confirmation_letter_masks_the_passport(engagement):
    letter = letter_of(engagement, Letter.Kind.CONFIRMATION)
    text = pdf_words(letters_pdf.letter_pdf(letter))
    assert "РАСТАУ ХАТЫ" in text and "ПИСЬМО-ПОДТВЕРЖДЕНИЕ" in text
    assert engagement.specialist.passport_number not in text
    assert engagement.specialist.passport_number[-2:] in text


@pytest.mark.parametrize("who", ["rep", "hr"])
def test_download_for_the_employer_and_the_hr_officer_is_audited(people, engagement, who):
    letter = letter_of(engagement, Letter.Kind.VISA_SUPPORT)
    response = client_for(people[who]).get(reverse("workforce_letters:letter", args=[letter.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{letter.number}.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    event = AuditEvent.objects.get(action="workforce.letter.downloaded")
    assert event.actor == people[who]
    assert event.object_id == str(letter.pk)
    assert event.changes["fields"] == ["passport_number", "date_of_birth"]
    assert engagement.specialist.passport_number not in str(event.changes)


def test_download_refused_to_others(people, engagement, other_employer):
    url = reverse("workforce_letters:letter", args=[letter_of(engagement, Letter.Kind.CONFIRMATION).number])
    assert client_for(people["other"]).get(url).status_code == 404  # another participant
    assert client_for(people["auditor"]).get(url).status_code == 403  # reads masked data only
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    unknown = reverse("workforce_letters:letter", args=["WF-C-2026-99999"])
    assert client_for(people["hr"]).get(unknown).status_code == 404
    assert not AuditEvent.objects.filter(action="workforce.letter.downloaded").exists()


def test_verification_page_right_and_wrong_code(engagement):
    letter = letter_of(engagement, Letter.Kind.VISA_SUPPORT)
    url = reverse("verify_letter", args=[letter.number])
    page = Client().get(url, {"code": letter.verification_code}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert letter.number in html and engagement.employer.bin in html
    assert engagement.specialist.surname_latin in html
    assert engagement.specialist.passport_number not in html  # masked
    assert engagement.specialist.passport_number[-2:] in html
    assert page.context["status"] == "valid"
    wrong = Client().get(url, {"code": "0" * 32})
    missing = Client().get(url)
    unknown = Client().get(
        reverse("verify_letter", args=["WF-V-2026-99999"]), {"code": letter.verification_code}
    )
    for response in (wrong, missing, unknown):
        assert response.status_code == 404
        assert engagement.employer.bin not in response.content.decode()


def test_verification_says_when_the_engagement_ended(people, engagement):
    services.end(engagement, by=people["hr"], end_reason="departure", on=dt.date(2026, 5, 1))
    letter = letter_of(engagement, Letter.Kind.CONFIRMATION)
    page = Client().get(reverse("verify_letter", args=[letter.number]), {"code": letter.verification_code})
    assert page.status_code == 200
    assert page.context["status"] == "ended"


def test_qr_url_is_the_verification_page(engagement):
    letter = letter_of(engagement, Letter.Kind.CONFIRMATION)
    url = letters_pdf.verify_url(letter)
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = Client().get("/" + path)
    assert response.status_code == 200
