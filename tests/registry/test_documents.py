"""Documents of applications: type by content, size and type limits from policy, versions,
duplicates, the states that take documents, the policy's required list, and who may download."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from innocluster.core.audit.models import AuditEvent
from innocluster.core.decisions.services import record_decision
from innocluster.core.identifiers import bin_check_digit, iin_check_digit
from innocluster.core.policy import values as policy
from innocluster.core.policy.models import Regime
from innocluster.core.policy.services import add_value
from innocluster.parties.models import Activity, Region, Representative
from innocluster.parties.services.register import create_individual, create_organisation
from innocluster.registry.models import Application, ApplicationDocument, ParticipantCategory
from innocluster.registry.services import applications, commission, documents, moderation
from tests.factories.registry import project_fields

pytestmark = pytest.mark.django_db


# --- tiny real files -----------------------------------------------------------------------------


def pdf_bytes(padding: int = 0) -> bytes:
    """A minimal well-formed PDF (one empty page); ``padding`` adds a comment to make it bigger."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if padding:
        out += b"%" + b"x" * padding + b"\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def image_bytes(fmt: str, colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, fmt)
    return buffer.getvalue()


def ooxml_bytes(main_part: str, *, content_types_first: bool = True) -> bytes:
    """A DOCX (``word/document.xml``) or XLSX (``xl/workbook.xml``) zip container. With the
    content types listed last, libmagic sees only a zip and the container has to be opened."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
        main_part: '<?xml version="1.0"?><root/>',
    }
    order = list(parts) if content_types_first else ["_rels/.rels", main_part, "[Content_Types].xml"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order:
            archive.writestr(name, parts[name])
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())


def file_error(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.message_dict["file"])


def set_policy(key: str, value, valid_from, kind: str = "list"):
    """A later-dated value, added the way an administrator adds one (no code change)."""
    regime = Regime.objects.get(code=policy.active_regime_code())
    return add_value(
        regime=regime, key=key, valid_from=valid_from, kind=kind, value=value, reference="test decision"
    )


# --- people and applications ---------------------------------------------------------------------


def make_organisation(serial: int, name_ru: str = "ТОО «Тест»"):
    prefix = f"150240{serial:05d}"
    return create_organisation(
        bin=prefix + str(bin_check_digit(prefix)),
        name_kk="«Тест» ЖШС",
        name_ru=name_ru,
        legal_form="LLP",
        region=Region.objects.first(),
        activity=Activity.objects.get(oked="62"),
    )


@pytest.fixture
def application(people):
    organisation = make_organisation(42)
    # The applicant heads the organisation, as step 2 of the application records.
    Representative.objects.create(
        organisation=organisation, user=people["applicant"], role=Representative.Role.HEAD
    )
    application = Application.objects.create(
        applicant=people["applicant"],
        organisation=organisation,
        category=ParticipantCategory.objects.get(code="company"),
    )
    # A complete project (period, measures, budget, priority activities), as step 3 records.
    applications.save_project(application, by=people["applicant"], **project_fields())
    return application


def complete(application, people):
    """Every required document, uploaded the real way, so the application can be submitted."""
    for number, kind in enumerate(documents.required_kinds(application)):
        documents.upload_document(
            application,
            kind.code,
            upload(f"{kind.code}.pdf", pdf_bytes(padding=number)),
            by=people["applicant"],
        )


@pytest.fixture
def today():
    return policy.today()


def approve(application, people, today):
    """Through the real workflow: submitted, accepted, approved on a recorded decision."""
    complete(application, people)
    applications.submit(application, by=people["applicant"], on=today - timedelta(days=10))
    moderation.accept(application, by=people["registrar"], on=today - timedelta(days=5))
    decision = record_decision(
        body="selection_commission",
        number="7",
        decided_on=today,
        basis="Law 207-V, art. 5",
        outcome="approved",
        by=people["registrar"],
    )
    commission.decide(application, by=people["commission"], approve=True, decision=decision)
    application.refresh_from_db()
    return application


# --- accepted files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("plan.pdf", pdf_bytes(), "application/pdf"),
        ("scan.png", image_bytes("PNG"), "image/png"),
        ("scan.jpg", image_bytes("JPEG"), "image/jpeg"),
        ("scan.JPEG", image_bytes("JPEG"), "image/jpeg"),
        ("plan.docx", ooxml_bytes("word/document.xml"), documents.CONTENT_TYPES["docx"]),
        ("budget.xlsx", ooxml_bytes("xl/workbook.xml"), documents.CONTENT_TYPES["xlsx"]),
        # libmagic says only "zip" for these: the container is opened to tell.
        (
            "plan.docx",
            ooxml_bytes("word/document.xml", content_types_first=False),
            documents.CONTENT_TYPES["docx"],
        ),
        (
            "budget.xlsx",
            ooxml_bytes("xl/workbook.xml", content_types_first=False),
            documents.CONTENT_TYPES["xlsx"],
        ),
    ],
)
def test_accepted_types_are_stored_with_their_hash_and_an_audit_event(
    people, application, media, name, content, content_type
):
    import hashlib

    document = documents.upload_document(
        application, "business_plan", upload(name, content), by=people["applicant"]
    )
    document.refresh_from_db()
    assert (document.version, document.original_name, document.content_type) == (1, name, content_type)
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.uploaded_by == people["applicant"]
    assert document.file.name.startswith("applications/")
    with document.file.open("rb") as fh:
        assert fh.read() == content
    assert stored_files(media) == [media / document.file.name]
    event = AuditEvent.objects.get(action="registry.document.uploaded")
    assert event.object_id == str(application.pk)
    assert event.changes["document"][1] == {
        "kind": "business_plan",
        "version": 1,
        "name": name,
        "sha256": document.sha256,
        "size": len(content),
    }


# --- refused files: nothing is stored ------------------------------------------------------------


@pytest.fixture
def nothing_stored(application, media):
    """Asserts after the test that no row, file or audit event was left behind."""
    events = AuditEvent.objects.count()
    yield
    assert ApplicationDocument.objects.count() == 0
    assert stored_files(media) == []
    assert AuditEvent.objects.count() == events


def test_a_png_named_pdf_is_refused_naming_the_file_and_what_it_is(people, application, nothing_stored):
    with pytest.raises(ValidationError) as exc:
        documents.upload_document(
            application, "business_plan", upload("plan.pdf", image_bytes("PNG")), by=people["applicant"]
        )
    message = file_error(exc)
    assert "plan.pdf" in message and "PNG image" in message


def test_an_executable_renamed_pdf_is_refused(people, application, nothing_stored):
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    with pytest.raises(ValidationError) as exc:
        documents.upload_document(
            application, "business_plan", upload("setup.pdf", exe), by=people["applicant"]
        )
    message = file_error(exc)
    assert "setup.pdf" in message and "executable" in message


def test_a_pdf_with_another_extension_is_refused(people, application, nothing_stored):
    with pytest.raises(ValidationError) as exc:
        documents.upload_document(
            application, "business_plan", upload("plan.txt", pdf_bytes()), by=people["applicant"]
        )
    assert "plan.txt" in file_error(exc) and ".pdf" in file_error(exc)


def test_a_type_the_policy_does_not_accept_is_refused(people, application, nothing_stored):
    with pytest.raises(ValidationError) as exc:
        documents.upload_document(
            application, "business_plan", upload("notes.txt", b"just some text\n"), by=people["applicant"]
        )
    assert "notes.txt" in file_error(exc) and "PDF, PNG, JPEG, DOCX, XLSX" in file_error(exc)


def test_the_accepted_types_follow_the_policy_in_force(people, application, media, today):
    set_policy("registry.documents.allowed_types", ["pdf"], today)
    with pytest.raises(ValidationError) as exc:
        documents.upload_document(
            application, "business_plan", upload("scan.png", image_bytes("PNG")), by=people["applicant"]
        )
    assert "scan.png" in file_error(exc) and "accepted types are PDF" in file_error(exc)
    documents.upload_document(
        application, "business_plan", upload("plan.pdf", pdf_bytes()), by=people["applicant"]
    )


def test_an_empty_file_is_refused(people, application, nothing_stored):
    with pytest.raises(ValidationError) as exc:
        documents.upload_document(
            application, "business_plan", upload("plan.pdf", b""), by=people["applicant"]
        )
    assert file_error(exc) == "The file plan.pdf is empty."


def test_a_file_over_the_size_in_force_is_refused(people, application, media, today):
    big = pdf_bytes(padding=3 * 1024 * 1024 // 2)  # about 1.5 MB
    set_policy("registry.documents.max_megabytes", 2, today + timedelta(days=1), kind="integer")
    set_policy("registry.documents.max_megabytes", 1, today, kind="integer")
    with pytest.raises(ValidationError) as exc:
        documents.upload_document(
            application, "business_plan", upload("plan.pdf", big), by=people["applicant"]
        )
    assert file_error(exc) == "The file plan.pdf is 1.5\xa0MB; the largest accepted is 1 MB."
    assert ApplicationDocument.objects.count() == 0 and stored_files(media) == []
    # Exactly the limit is accepted.
    padding = 1024 * 1024
    while len(at_limit := pdf_bytes(padding=padding)) != 1024 * 1024:
        padding -= len(at_limit) - 1024 * 1024
    assert len(at_limit) == 1024 * 1024
    documents.upload_document(
        application, "business_plan", upload("plan.pdf", at_limit), by=people["applicant"]
    )


class UnreadableUpload(SimpleUploadedFile):
    """An upload that fails the test if its content is read: only its declared size may be asked."""

    def chunks(self, chunk_size=None):
        raise AssertionError("the content was read")

    def read(self, *args, **kwargs):
        raise AssertionError("the content was read")

    def __iter__(self):
        raise AssertionError("the content was read")


def test_an_upload_declared_too_large_is_refused_before_a_byte_is_read(people, application, media, today):
    set_policy("registry.documents.max_megabytes", 1, today, kind="integer")
    declared = UnreadableUpload("plan.pdf", pdf_bytes())
    declared.size = 3 * 1024 * 1024 // 2  # what the request said: about 1.5 MB
    with pytest.raises(ValidationError) as exc:
        documents.upload_document(application, "business_plan", declared, by=people["applicant"])
    assert file_error(exc) == "The file plan.pdf is 1.5\xa0MB; the largest accepted is 1 MB."
    assert ApplicationDocument.objects.count() == 0 and stored_files(media) == []


def test_an_upload_larger_than_it_declares_is_refused_by_the_bytes_counted(people, application, media, today):
    set_policy("registry.documents.max_megabytes", 1, today, kind="integer")
    lying = upload("plan.pdf", pdf_bytes(padding=3 * 1024 * 1024 // 2))
    lying.size = 1000
    with pytest.raises(ValidationError) as exc:
        documents.upload_document(application, "business_plan", lying, by=people["applicant"])
    assert file_error(exc) == "The file plan.pdf is 1.5\xa0MB; the largest accepted is 1 MB."
    assert ApplicationDocument.objects.count() == 0 and stored_files(media) == []


def test_the_same_content_twice_is_refused_and_nothing_is_stored(people, application, media):
    content = pdf_bytes()
    first = documents.upload_document(
        application, "business_plan", upload("plan.pdf", content), by=people["applicant"]
    )
    rows, files, events = ApplicationDocument.objects.count(), stored_files(media), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        documents.upload_document(
            application, "business_plan", upload("plan-again.pdf", content), by=people["applicant"]
        )
    assert file_error(exc) == "The file plan-again.pdf is already uploaded as plan.pdf (version 1)."
    assert ApplicationDocument.objects.count() == rows == 1
    assert stored_files(media) == files == [media / first.file.name]
    assert AuditEvent.objects.count() == events
    # The same content as another kind is a different document.
    documents.upload_document(application, "charter", upload("plan.pdf", content), by=people["applicant"])


def test_a_different_file_is_version_2_and_version_1_stays(people, application, media):
    one = documents.upload_document(
        application, "business_plan", upload("plan.pdf", pdf_bytes()), by=people["applicant"]
    )
    two = documents.upload_document(
        application, "business_plan", upload("plan-v2.pdf", pdf_bytes(padding=10)), by=people["applicant"]
    )
    assert (one.version, two.version) == (1, 2)
    assert one.file.name != two.file.name
    assert (
        ApplicationDocument.objects.filter(application=application, kind__code="business_plan").count() == 2
    )
    assert len(stored_files(media)) == 2
    one.refresh_from_db()
    with one.file.open("rb") as fh:
        assert fh.read() == pdf_bytes()
    assert documents.current_documents(application) == {"business_plan": two}
    # Version 1's content again is not the current version: it is accepted as version 3.
    three = documents.upload_document(
        application, "business_plan", upload("plan.pdf", pdf_bytes()), by=people["applicant"]
    )
    assert three.version == 3


def test_a_failure_after_the_file_is_written_removes_it(people, application, media, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(documents, "record_event", broken)
    with pytest.raises(RuntimeError):
        documents.upload_document(
            application, "business_plan", upload("plan.pdf", pdf_bytes()), by=people["applicant"]
        )
    assert ApplicationDocument.objects.count() == 0
    assert stored_files(media) == []


# --- long names: stored under generated names, the original kept as data ----------------------


def test_a_name_of_250_cyrillic_letters_is_stored_under_a_generated_name(people, application, media):
    name = "Ж" * 250 + ".pdf"  # 504 bytes in UTF-8: more than a file system takes in one name
    document = documents.upload_document(
        application, "business_plan", upload(name, pdf_bytes()), by=people["applicant"]
    )
    document.refresh_from_db()
    assert document.original_name == name
    assert re.fullmatch(r"applications/\d{4}/[0-9a-f]{32}\.pdf", document.file.name)
    assert stored_files(media) == [media / document.file.name]


def test_the_same_long_latin_name_twice_is_two_versions(people, application, media):
    name = "a" * 250 + ".pdf"
    first = documents.upload_document(
        application, "business_plan", upload(name, pdf_bytes()), by=people["applicant"]
    )
    second = documents.upload_document(
        application, "business_plan", upload(name, pdf_bytes(padding=10)), by=people["applicant"]
    )
    assert (first.original_name, second.original_name) == (name, name)
    assert first.file.name != second.file.name
    assert len(stored_files(media)) == 2


def test_a_name_longer_than_any_file_system_allows_is_kept_shortened_before_its_extension(
    people, application, media
):
    plan = File(io.BytesIO(pdf_bytes()), name="a" * 300 + ".pdf")  # not an upload: Django cuts none
    document = documents.upload_document(application, "business_plan", plan, by=people["applicant"])
    assert document.original_name == "a" * 251 + ".pdf"


# --- who and when --------------------------------------------------------------------------------


def test_documents_are_refused_once_the_application_is_submitted(people, application, media, today):
    complete(application, people)
    applications.submit(application, by=people["applicant"], on=today)
    application.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        documents.upload_document(
            application, "business_plan", upload("plan.pdf", pdf_bytes()), by=people["applicant"]
        )
    assert "under moderation" in file_error(exc)
    moderation.return_for_revision(application, by=people["registrar"], reason="Charter missing")
    application.refresh_from_db()
    fixed = documents.upload_document(
        application, "charter", upload("charter-v2.pdf", pdf_bytes(padding=99)), by=people["applicant"]
    )
    assert fixed.version == 2
    assert ApplicationDocument.objects.count() == 4 and len(stored_files(media)) == 4


def test_the_signed_agreement_only_after_approval_and_nothing_else_then(people, application, today):
    with pytest.raises(ValidationError) as exc:
        documents.upload_document(
            application, "signed_agreement", upload("agreement.pdf", pdf_bytes()), by=people["applicant"]
        )
    assert "draft" in file_error(exc)
    approve(application, people, today)
    signed = documents.upload_document(
        application, "signed_agreement", upload("agreement.pdf", pdf_bytes()), by=people["applicant"]
    )
    assert signed.version == 1
    with pytest.raises(ValidationError) as exc:
        documents.upload_document(
            application, "business_plan", upload("plan.pdf", pdf_bytes(padding=3)), by=people["applicant"]
        )
    assert "approved" in file_error(exc)


def test_only_the_applicant_uploads(people, application, nothing_stored):
    for user in (people["other"], people["registrar"], None):
        with pytest.raises(PermissionDenied):
            documents.upload_document(application, "business_plan", upload("plan.pdf", pdf_bytes()), by=user)


def test_an_unknown_kind_is_refused(people, application, nothing_stored):
    with pytest.raises(ValidationError) as exc:
        documents.upload_document(
            application, "passport_photo", upload("plan.pdf", pdf_bytes()), by=people["applicant"]
        )
    assert "kind" in exc.value.message_dict


# --- what must be provided -----------------------------------------------------------------------


def codes(kinds) -> list[str]:
    return [kind.code for kind in kinds]


def test_required_documents_follow_the_category(people, application):
    assert codes(documents.required_kinds(application)) == ["business_plan", "charter", "state_registration"]
    fund = Application.objects.create(
        applicant=people["applicant"],
        organisation=make_organisation(43, "ТОО «Фонд»"),
        category=ParticipantCategory.objects.get(code="venture_fund"),
    )
    assert codes(documents.required_kinds(fund)) == [
        "business_plan",
        "charter",
        "state_registration",
        "fund_rules",
    ]
    first11 = "9001013" + "0042"
    person = create_individual(
        iin=first11 + str(iin_check_digit(first11)), last_name="Сейтова", first_name="Айгерим"
    )
    individual = Application.objects.create(
        applicant=people["applicant"],
        individual=person,
        category=ParticipantCategory.objects.get(code="individual"),
    )
    assert codes(documents.required_kinds(individual)) == ["business_plan", "identity_document"]


def test_missing_documents_shrink_as_files_arrive_and_follow_a_later_policy(people, application, today):
    assert codes(documents.missing_documents(application)) == [
        "business_plan",
        "charter",
        "state_registration",
    ]
    documents.upload_document(
        application, "business_plan", upload("plan.pdf", pdf_bytes()), by=people["applicant"]
    )
    documents.upload_document(
        application, "other", upload("misc.png", image_bytes("PNG")), by=people["applicant"]
    )
    assert codes(documents.missing_documents(application)) == ["charter", "state_registration"]

    set_policy(
        "registry.documents.required", ["*:business_plan", "*:financial_statements", "company:charter"], today
    )
    assert codes(documents.missing_documents(application)) == ["financial_statements", "charter"]
    # The day before, the earlier list was in force.
    yesterday = today - timedelta(days=1)
    assert codes(documents.missing_documents(application, on=yesterday)) == ["charter", "state_registration"]


def test_current_documents_is_one_query(people, application, django_assert_num_queries):
    documents.upload_document(
        application, "business_plan", upload("plan.pdf", pdf_bytes()), by=people["applicant"]
    )
    latest = documents.upload_document(
        application, "business_plan", upload("plan2.pdf", pdf_bytes(padding=1)), by=people["applicant"]
    )
    charter = documents.upload_document(
        application, "charter", upload("c.pdf", pdf_bytes()), by=people["applicant"]
    )
    with django_assert_num_queries(1):
        current = documents.current_documents(application)
        assert {code: d.kind.code for code, d in current.items()} == {
            "business_plan": "business_plan",
            "charter": "charter",
        }
    assert current == {"business_plan": latest, "charter": charter}


# --- downloads -----------------------------------------------------------------------------------


@pytest.fixture
def document(people, application):
    return documents.upload_document(
        application, "business_plan", upload("plan.pdf", pdf_bytes()), by=people["applicant"]
    )


def test_the_applicant_downloads_without_an_audit_event(people, document):
    before = AuditEvent.objects.count()
    assert documents.document_for_download(people["applicant"], document.pk) == document
    assert AuditEvent.objects.count() == before


def test_staff_download_is_audited(people, document):
    Application.objects.filter(pk=document.application_id).update(status=Application.Status.MODERATION)
    for user in (people["registrar"], people["commission"]):
        assert documents.document_for_download(user, document.pk, ip="10.0.0.5") == document
    events = AuditEvent.objects.filter(action="registry.document.downloaded").order_by("id")
    assert [e.actor_id for e in events] == [people["registrar"].pk, people["commission"].pk]
    assert events[0].changes["document"][1]["sha256"] == document.sha256
    assert events[0].ip == "10.0.0.5"


def test_anyone_else_gets_404(people, document):
    from django.contrib.auth.models import AnonymousUser

    for user in (people["other"], AnonymousUser(), None):
        with pytest.raises(Http404):
            documents.document_for_download(user, document.pk)
    for missing in (document.pk + 1000, "abc", None):
        with pytest.raises(Http404):
            documents.document_for_download(people["registrar"], missing)
    assert not AuditEvent.objects.filter(action="registry.document.downloaded").exists()


def test_a_drafts_documents_are_the_applicants_alone(people, document):
    """Nothing is sent to the Fund until the applicant submits: staff do not find a draft's files."""
    assert document.application.status == Application.Status.DRAFT
    for user in (people["registrar"], people["commission"]):
        with pytest.raises(Http404):
            documents.document_for_download(user, document.pk, ip="10.0.0.5")
    assert not AuditEvent.objects.filter(action="registry.document.downloaded").exists()
    assert documents.document_for_download(people["applicant"], document.pk) == document
