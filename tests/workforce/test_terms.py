"""What a specialist and a request must hold: the contract term within the longest work visa, the
passport valid for the whole contract, a foreign citizenship, a classifier occupation code."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from innocluster.workforce.countries import country_name, iso_codes
from innocluster.workforce.models import EngagementRequest
from innocluster.workforce.services import requests, specialists
from tests.factories.workforce import RequestFieldsFactory, SpecialistFieldsFactory, draft_request, specialist

pytestmark = pytest.mark.django_db


def _refused(call, **kwargs) -> dict:
    with pytest.raises(ValidationError) as refused:
        call(**kwargs)
    return refused.value.message_dict


def test_a_term_above_the_longest_visa_is_refused_with_a_field_error(people, employer):
    rep = people["rep"]
    person = specialist(employer, rep)
    fields = RequestFieldsFactory(contract_start=dt.date(2026, 6, 1), contract_end=dt.date(2031, 6, 1))
    errors = _refused(requests.start_request, by=rep, specialist=person, **fields)
    assert "5 years" in errors["contract_end"][0] and "2031" in errors["contract_end"][0]
    fields["contract_end"] = dt.date(2031, 5, 31)  # exactly five years: allowed
    assert requests.start_request(by=rep, specialist=person, **fields).pk
    assert EngagementRequest.objects.count() == 1


def test_the_contract_ends_after_it_starts(people, employer):
    rep = people["rep"]
    person = specialist(employer, rep)
    fields = RequestFieldsFactory(contract_start=dt.date(2026, 6, 1), contract_end=dt.date(2026, 6, 1))
    assert "contract_end" in _refused(requests.start_request, by=rep, specialist=person, **fields)


def test_the_passport_must_cover_the_contract(people, employer):
    rep = people["rep"]
    person = specialist(employer, rep, passport_expiry=dt.date(2027, 12, 31))
    errors = _refused(requests.start_request, by=rep, specialist=person, **RequestFieldsFactory())
    assert "passport_expiry" in errors
    # A renewed passport lets it through.
    specialists.update_specialist(
        person, by=rep, passport_number="D99999999", passport_expiry=dt.date(2035, 1, 1)
    )
    assert requests.start_request(by=rep, specialist=person, **RequestFieldsFactory()).pk


def test_the_term_is_checked_again_on_submission(people, employer):
    rep = people["rep"]
    request = draft_request(employer, rep)
    specialists.update_specialist(request.specialist, by=rep, passport_expiry=dt.date(2027, 1, 1))
    errors = _refused(requests.submit, request=request, by=rep)
    assert "passport_expiry" in errors
    request.refresh_from_db()
    assert request.status == "draft" and request.deadline is None


@pytest.mark.parametrize(
    "field, value",
    [
        ("occupation_code", "25"),
        ("occupation_code", "2512-12"),
        ("monthly_salary", Decimal("0")),
        ("monthly_salary", "a lot"),
        ("category", "intern"),
    ],
)
def test_request_fields_are_validated(people, employer, field, value):
    rep = people["rep"]
    person = specialist(employer, rep)
    errors = _refused(
        requests.start_request, by=rep, specialist=person, **RequestFieldsFactory(**{field: value})
    )
    assert field in errors


@pytest.mark.parametrize(
    "field, value",
    [
        ("citizenship", "KZ"),
        ("citizenship", "XX"),
        ("citizenship", "EU"),
        ("surname_latin", "Мюллер"),
        ("full_name_cyrillic", "Mueller Anna"),
        ("passport_number", "12"),
    ],
)
def test_specialist_fields_are_validated(people, employer, field, value):
    errors = _refused(
        specialists.register_specialist,
        by=people["rep"],
        employer=employer,
        **SpecialistFieldsFactory(**{field: value}),
    )
    assert field in errors


def test_the_country_list_is_iso_3166_1():
    codes = iso_codes()
    assert len(codes) == 249 and {"DE", "KZ", "CN", "TR"} <= codes and not {"EU", "XK", "ZZ"} & codes
    assert country_name("DE", "ru") == "Германия" and country_name("DE", "en") == "Germany"


def test_a_request_is_changed_only_while_editable(people, employer):
    rep = people["rep"]
    request = draft_request(employer, rep)
    requests.update_request(request, by=rep, position="Principal engineer")
    request.refresh_from_db()
    assert request.position == "Principal engineer"
    requests.submit(request, by=rep)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        requests.update_request(request, by=rep, position="Other")
