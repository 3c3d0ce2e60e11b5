"""Register data for tests: valid BINs and IINs, organisations, and applications at each stage,
all made through the services so audit and deadlines are real."""

import hashlib
from datetime import date
from decimal import Decimal
from itertools import count

from django.core.files.base import ContentFile

from innocluster.core.identifiers import check_digit
from innocluster.parties.models import Activity, Region
from innocluster.registry.models import ApplicationDocument, DocumentKind, ParticipantCategory
from innocluster.registry.services import applications, moderation
from innocluster.registry.services import commission as commission_services
from innocluster.registry.services.register import load_reference_data

_serials = count(1)

# The smallest well-formed PDF libmagic recognises: enough for stored test documents.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def valid_bin(month: str = "1503") -> str:
    """A BIN with a correct check digit: registered in 20``month``, resident legal entity."""
    while True:
        first11 = f"{month}40{next(_serials):05d}"
        digit = check_digit(first11)
        if digit is not None:
            return f"{first11}{digit}"


def valid_iin() -> str:
    while True:
        first11 = f"8505174{next(_serials):04d}"
        digit = check_digit(first11)
        if digit is not None:
            return f"{first11}{digit}"


def organisation_fields(**overrides) -> dict:
    load_reference_data()
    serial = next(_serials)
    fields = {
        "bin": valid_bin(),
        "name_kk": f"«Сынақ {serial}» ЖШС",
        "name_ru": f"ТОО «Тест {serial}»",
        "name_en": f"Test {serial} LLP",
        "legal_form": "LLP",
        "region": Region.objects.order_by("kato").first(),
        "activity": Activity.objects.get(oked="62"),
        "address": "Астана, пр. Мангилик Ел, 55/8",
    }
    fields.update(overrides)
    return fields


def store_document(application, kind_code: str, content: bytes = TINY_PDF, by=None) -> ApplicationDocument:
    """A stored document row without the upload checks (those have their own tests)."""
    kind = DocumentKind.objects.get(code=kind_code)
    version = application.documents.filter(kind=kind).count() + 1
    document = ApplicationDocument(
        application=application,
        kind=kind,
        version=version,
        original_name=f"{kind_code}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=by or application.applicant,
    )
    document.file.save(f"{kind_code}.pdf", ContentFile(content), save=False)
    document.save()
    return document


def project_fields(**overrides) -> dict:
    """A complete project for ``applications.save_project``: a two-year Kazakh-language IT project
    with its period, measures, budget by year and priority activities (OKED 62 and 63)."""
    fields = {
        "project_title": "Qazaq NLP: Kazakh-language processing of public-service requests",
        "project_summary": "A cloud platform for the Kazakh-language processing of public-service requests.",
        "project_starts_on": date(2026, 3, 1),
        "project_ends_on": date(2027, 12, 31),
        "measures": [
            {
                "title": "Annotated corpus of Kazakh public-service requests",
                "starts_on": date(2026, 3, 1),
                "ends_on": date(2026, 9, 30),
                "expected_result": "200,000 annotated requests, open licence",
            },
            {
                "title": "Classifier and routing service in production",
                "starts_on": date(2026, 10, 1),
                "ends_on": date(2027, 12, 31),
                "expected_result": "85% of requests routed without an operator",
            },
        ],
        "budget": [
            {"item": "Salaries of the development team", "year": 2026, "amount": Decimal("48000000.00")},
            {"item": "Computing (GPU rental)", "year": 2026, "amount": Decimal("12500000.50")},
            {"item": "Salaries of the development team", "year": 2027, "amount": Decimal("52000000.00")},
        ],
        "priority_activities": ["62", "63"],
    }
    fields.update(overrides)
    return fields


def draft_application(applicant, category: str = "company", *, confirmed: bool = True, **organisation):
    """A complete draft: organisation, project and every required document, ready to submit.

    The applicant claims authority with a charter; ``confirmed`` has a registrar confirm the claim
    (else it stays pending, and the draft cannot be submitted)."""
    from innocluster.registry.services.documents import required_kinds
    from tests.factories.parties import charter, confirm_pending

    load_reference_data()
    application = applications.start_application(
        by=applicant, category=ParticipantCategory.objects.get(code=category)
    )
    applications.save_organisation(
        application, by=applicant, authority_document=charter(), **organisation_fields(**organisation)
    )
    if confirmed:
        confirm_pending(applicant, application.organisation_id)
    applications.save_project(application, by=applicant, **project_fields())
    for kind in required_kinds(application):
        store_document(application, kind.code)
    return application


def commission_decision(by, *, approve: bool = True, number: str | None = None, on: date | None = None):
    return {
        "by": by,
        "approve": approve,
        "number": number or f"SC-{next(_serials)}",
        "decided_on": on or date(2026, 4, 10),
        "basis": "Law 207-V, art. 7; rules of the selection commission",
        "meeting_reference": "Minutes No. 4",
        "reason": "" if approve else "The project is not in a priority area.",
    }


def approved_application(applicant, registrar, commission, *, on: date = date(2026, 4, 1)):
    application = draft_application(applicant)
    applications.submit(application, by=applicant, on=on)
    moderation.accept(application, by=registrar, on=on)
    commission_services.decide_batch([application], **commission_decision(commission))
    application.refresh_from_db()
    return application


def registered_participant(head=None, *, registered_on: date = date(2026, 3, 2)):
    """A company entered in the register directly (no application); ``head`` (a participant_rep)
    becomes its first representative."""
    from innocluster.parties.services import register as party_services
    from innocluster.parties.services.representatives import add_representative
    from innocluster.registry.services import register as register_services

    fields = organisation_fields()
    organisation = party_services.create_organisation(
        **{k: fields[k] for k in ("bin", "name_kk", "name_ru", "legal_form", "region", "activity")}
    )
    if head is not None:
        add_representative(organisation, user=head, role="head", by=None)
    return register_services.register_participant(
        category=ParticipantCategory.objects.get(code="company"),
        registered_on=registered_on,
        organisation=organisation,
        reason="Commission decision No. 7",
    )
