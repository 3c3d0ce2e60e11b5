"""Foreign specialists for tests: employers (the Fund, participants of the register), specialists
and requests at each stage, all made through the services so audit, deadlines and letters are
real. Field values come from factory-boy dict factories, so a test overrides only what it is about."""

import datetime as dt
from decimal import Decimal

import factory
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from innocluster.parties.models import Organisation
from innocluster.parties.services import register as party_services
from innocluster.registry.models import ParticipantCategory
from innocluster.registry.services.register import load_reference_data, register_participant
from innocluster.workforce.selectors.requests import required_kinds
from innocluster.workforce.services import documents, requests, specialists
from tests.factories.parties import make_representative
from tests.factories.registry import TINY_PDF, organisation_fields


class SpecialistFieldsFactory(factory.DictFactory):
    surname_latin = factory.Iterator(["MUELLER", "SMITH", "ROSSI", "TANAKA"])
    given_names_latin = factory.Iterator(["ANNA MARIA", "JOHN", "LUCA", "HIROSHI"])
    full_name_cyrillic = factory.Iterator(["Мюллер Анна Мария", "Смит Джон", "Росси Лука", "Танака Хироси"])
    citizenship = factory.Iterator(["DE", "GB", "IT", "JP"])
    date_of_birth = dt.date(1985, 4, 12)
    passport_number = factory.Sequence(lambda n: f"C{n:08d}")
    passport_expiry = dt.date(2034, 12, 31)
    education = "MSc Computer Science, Technical University of Munich, 2009"
    qualification = "Machine learning engineer"
    experience_years = 12


class RequestFieldsFactory(factory.DictFactory):
    position = "Lead machine learning engineer"
    occupation_code = "2512-1-002"
    category = "specialist"
    monthly_salary = Decimal("2500000.00")
    contract_start = dt.date(2026, 6, 1)
    contract_end = dt.date(2028, 5, 31)
    justification = (
        "No Kazakh candidate with production experience of large language models answered the vacancy."
    )


def fund_organisation() -> Organisation:
    """The Fund's own organisation (``settings.INNOCLUSTER_FUND_BIN``)."""
    load_reference_data()
    found = Organisation.objects.filter(bin=settings.INNOCLUSTER_FUND_BIN).first()
    if found is not None:
        return found
    fields = organisation_fields(
        bin=settings.INNOCLUSTER_FUND_BIN,
        name_kk="Дербес кластерлік қор",
        name_ru="Автономный кластерный фонд",
        name_en="Autonomous Cluster Fund",
        legal_form="NJSC",
    )
    return party_services.create_organisation(**fields)


def participant_employer(
    representative=None, *, registered_on: dt.date = dt.date(2025, 1, 15)
) -> Organisation:
    """An organisation registered in the cluster; ``representative`` acts for it (confirmed)."""
    organisation = party_services.create_organisation(**organisation_fields())
    register_participant(
        category=ParticipantCategory.objects.get(code="company"),
        registered_on=registered_on,
        organisation=organisation,
    )
    if representative is not None:
        make_representative(organisation, representative)
    return organisation


def specialist(employer: Organisation, by, **overrides):
    return specialists.register_specialist(by=by, employer=employer, **SpecialistFieldsFactory(**overrides))


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", TINY_PDF.replace(b"%%EOF", f"% {name}\n%%EOF".encode()))


def draft_request(employer: Organisation, by, *, documents_missing=(), specialist_fields=None, **overrides):
    """A draft request with every required document but ``documents_missing``."""
    person = specialist(employer, by, **(specialist_fields or {}))
    request = requests.start_request(by=by, specialist=person, **RequestFieldsFactory(**overrides))
    for kind in required_kinds():
        if kind.code not in documents_missing:
            documents.upload_document(request, kind.code, pdf(f"{request.pk}-{kind.code}"), by=by)
    return request


def submitted_request(employer, by, *, on: dt.date | None = None, **kwargs):
    request = draft_request(employer, by, **kwargs)
    return requests.submit(request, by=by, on=on)


def active_request(employer, by, hr, *, on: dt.date | None = None, visa_valid_until=None, **kwargs):
    request = submitted_request(employer, by, on=on, **kwargs)
    requests.check(request, by=hr, on=on)
    requests.approve(request, by=hr, on=on)
    return requests.activate(request, by=hr, visa_valid_until=visa_valid_until)
