"""The agreement and the certificate as PDF: both languages side by side, the parties' data, and the
verification address the QR code carries, read back from the PDF with pdftotext."""

import shutil
import subprocess
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from innocluster.core.decisions.services import record_decision
from innocluster.core.identifiers import bin_check_digit, iin_check_digit, mask_iin
from innocluster.parties.models import Activity, Region
from innocluster.parties.services.register import create_individual, create_organisation
from innocluster.registry import pdf
from innocluster.registry.models import Application, ParticipantCategory
from innocluster.registry.services.register import register_participant

pytestmark = pytest.mark.django_db

BASE_URL = "https://cluster.example.kz"


@pytest.fixture
def pdf_text(tmp_path):
    """PDF bytes → their text, whitespace collapsed (columns wrap words onto new lines)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian package poppler-utils) is not installed: cannot read the PDF text")

    def read(content: bytes) -> str:
        assert content.startswith(b"%PDF-")
        path = tmp_path / "out.pdf"
        path.write_bytes(content)
        result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
        return " ".join(result.stdout.split())

    return read


# The people these tests act as (``people`` fixture, tests/conftest.py).
PEOPLE = ("applicant", "registrar")


@pytest.fixture
def people(people, settings):
    settings.INNOCLUSTER_BASE_URL = BASE_URL
    return people


@pytest.fixture
def organisation(people):
    prefix = "15024000042"
    return create_organisation(
        bin=prefix + str(bin_check_digit(prefix)),
        name_kk="«Цифрлық Дала» ЖШС",
        name_ru="ТОО «Цифровая Степь»",
        legal_form="LLP",
        region=Region.objects.first(),
        activity=Activity.objects.get(oked="62"),
    )


@pytest.fixture
def approved(people, organisation):
    """An approved application with its commission decision (the PDF reads only the record)."""
    decision = record_decision(
        body="selection_commission",
        number="SC-7",
        decided_on=date(2026, 4, 2),
        basis="Law 207-V, art. 5",
        outcome="approved",
        by=people["registrar"],
    )
    return Application.objects.create(
        applicant=people["applicant"],
        organisation=organisation,
        category=ParticipantCategory.objects.get(code="venture_fund"),
        status=Application.Status.APPROVED,
        decision=decision,
    )


def test_the_agreement_is_in_kazakh_and_russian_with_the_parties_and_the_decision(approved, pdf_text):
    text = pdf_text(pdf.agreement_pdf(approved)).casefold()
    for expected in (
        # Titles and the parties, each column in its own language.
        "Инновациялық кластерге қатысу туралы келісім",
        "Соглашение об участии в инновационном кластере",
        "«Цифрлық Дала» ЖШС",
        "ТОО «Цифровая Степь»",
        f"БСН {approved.organisation.bin}",
        f"БИН {approved.organisation.bin}",
        "«Венчурлік қор»",
        "«Венчурный фонд»",
        # The application and the commission's decision it rests on.
        f"№ {approved.pk} өтінім",
        f"по заявке № {approved.pk}",
        "02.04.2026 жылғы № SC-7 шешімі",
        "№ SC-7 от 02.04.2026",
        # Obligations and signatures in both languages.
        "Қатысушы жыл сайын белгіленген мерзімде",
        "Участник обязуется ежегодно",
        "бірдей заңды күші бар қазақ және орыс тілдерінде",
        "на казахском и русском языках",
        "қолы / тегі, аты-жөні",
        "подпись / фамилия, инициалы",
    ):
        assert expected.casefold() in text, expected


def test_the_agreement_binds_the_participant_to_the_projects_priority_activities(approved, pdf_text):
    approved.project_title = "Qazaq NLP"
    approved.project_starts_on, approved.project_ends_on = date(2026, 3, 1), date(2027, 12, 31)
    approved.save()
    approved.priority_activities.set(Activity.objects.filter(oked__in=["62", "72"]))
    text = pdf_text(pdf.agreement_pdf(approved)).casefold()
    for expected in (
        "ЭҚЖЖ 62 — Компьютерлік бағдарламалау",
        "ОКЭД 62 — Компьютерное программирование",
        "ЭҚЖЖ 72 — Ғылыми зерттеулер",
        "ОКЭД 72 — Научные исследования",
        "«Qazaq NLP»",
        "в период с 01.03.2026 по 31.12.2027",
        "01.03.2026 бастап 31.12.2027 дейінгі кезеңде",
    ):
        assert expected.casefold() in text, expected
    # An agreement of an application without activities names none.
    approved.priority_activities.clear()
    assert "ОКЭД".casefold() not in pdf_text(pdf.agreement_pdf(approved)).casefold()


@pytest.fixture
def approved_person(people, approved):
    """The same approved application, made by a person (whose IIN is personal data)."""
    first11 = "90010130042"
    person = create_individual(
        iin=first11 + str(iin_check_digit(first11)),
        last_name="Сейтова",
        first_name="Айгерим",
        middle_name="Болатқызы",
    )
    approved.organisation = None
    approved.individual = person
    approved.category = ParticipantCategory.objects.get(code="individual")
    approved.save()
    return approved


def test_the_agreement_names_the_person_with_the_full_iin_for_the_party_itself(approved_person, pdf_text):
    iin = approved_person.individual.iin
    text = pdf_text(pdf.agreement_pdf(approved_person))
    assert "Сейтова Айгерим Болатқызы" in text
    assert iin in text


def test_the_agreement_can_mask_the_iin_for_readers_without_personal_data(approved_person, pdf_text):
    iin = approved_person.individual.iin
    text = pdf_text(pdf.agreement_pdf(approved_person, mask_iin=True))
    assert "Сейтова Айгерим Болатқызы" in text
    assert mask_iin(iin) in text
    assert iin not in text and iin[:6] not in text


def test_an_agreement_needs_the_commissions_decision(approved):
    approved.decision = None
    with pytest.raises(ValidationError) as exc:
        pdf.agreement_pdf(approved)
    assert "decision" in exc.value.message_dict


def test_the_certificate_of_an_organisation(people, organisation, pdf_text):
    participant = register_participant(
        organisation=organisation,
        category=ParticipantCategory.objects.get(code="company"),
        registered_on=date(2026, 4, 10),
    )
    assert participant.number == "2026-00001"
    text = pdf_text(pdf.certificate_pdf(participant))
    folded = text.casefold()
    for expected in (
        "Инновациялық кластердің қатысушысы куәлігі",
        "Свидетельство участника инновационного кластера",
        "Тіркеу нөмірі",
        "Регистрационный номер",
        "«Цифрлық Дала» ЖШС",
        "ТОО «Цифровая Степь»",
        "Тіркелген күні",
        "Дата регистрации",
    ):
        assert expected.casefold() in folded, expected
    assert "2026-00001" in text
    assert organisation.bin in text
    assert "10.04.2026" in text
    assert f"{BASE_URL}/verify/2026-00001/" in text


def test_the_certificate_of_a_person_masks_the_iin(people, pdf_text):
    first11 = "90010130042"
    iin = first11 + str(iin_check_digit(first11))
    person = create_individual(iin=iin, last_name="Сейтова", first_name="Айгерим", middle_name="Болатқызы")
    participant = register_participant(
        individual=person,
        category=ParticipantCategory.objects.get(code="individual"),
        registered_on=date(2026, 4, 11),
    )
    text = pdf_text(pdf.certificate_pdf(participant))
    assert "Сейтова Айгерим Болатқызы" in text
    assert "Жеке тұлға" in text and "Физическое лицо" in text
    assert mask_iin(iin) in text
    assert iin not in text and iin[:6] not in text
    assert f"{BASE_URL}/verify/{participant.number}/" in text


def test_the_verification_address_falls_back_to_the_local_server(settings):
    settings.INNOCLUSTER_BASE_URL = ""
    assert pdf.verify_url("2026-00001") == "http://127.0.0.1:8000/verify/2026-00001/"
    settings.INNOCLUSTER_BASE_URL = BASE_URL + "/"
    assert pdf.verify_url("2026-00001") == f"{BASE_URL}/verify/2026-00001/"
