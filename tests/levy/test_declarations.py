"""Declarations: who may file, validation, conversion at the National Bank rate, documents, and
amendments (a new version that recomputes an assessed obligation)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from innocluster.levy.errors import LevyError
from innocluster.levy.models import Declaration
from innocluster.levy.services import declarations
from innocluster.levy.services.rates import add_rate
from innocluster.parties.services.representatives import add_representative
from tests.factories.levy import TINY_PDF, ContractFactory, assessed, subsoil_user

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_representative_of_a_holder_declares_with_documents(levy_people):
    holder = subsoil_user()
    contract = ContractFactory(holders=[(holder, "1")])
    add_representative(holder, user=levy_people["rep"], role="head", by=None)
    doc = ContentFile(TINY_PDF, name="financial-statements-2025.pdf")
    declaration = declarations.declare(contract, 2025, "987654321.55", by=levy_people["rep"], documents=[doc])
    assert (declaration.version, declaration.current, declaration.base_amount) == (1, True, D("987654321.55"))
    assert declaration.on_behalf_of == holder and declaration.declared_by == levy_people["rep"]
    assert declaration.documents.get().content_type == "application/pdf"


def test_someone_not_representing_a_holder_is_refused(levy_people):
    contract = ContractFactory()
    with pytest.raises(LevyError) as refused:
        declarations.declare(contract, 2025, "1.00", by=levy_people["stranger"])
    assert refused.value.code == "not_a_representative" and not Declaration.objects.exists()


def test_a_finance_officer_declares_on_behalf_of_a_holder(levy_people):
    a, b = subsoil_user(), subsoil_user()
    contract = ContractFactory(holders=[(a, "0.5"), (b, "0.5")])
    declaration = declarations.declare(contract, 2025, "10.00", by=levy_people["officer"], on_behalf_of=b)
    assert declaration.on_behalf_of == b
    with pytest.raises(LevyError) as refused:
        declarations.declare(ContractFactory(), 2025, "10.00", by=levy_people["officer"], on_behalf_of=b)
    assert refused.value.code == "not_a_holder"


@pytest.mark.parametrize(
    ("year", "amount", "code"),
    [(2027, "1.00", "future_year"), (2025, "-1.00", "negative"), (2025, "1.001", None), (2025, 1.5, None)],
)
def test_invalid_declarations_are_refused(levy_ready, year, amount, code):
    with pytest.raises(LevyError) as refused:
        declarations.declare(ContractFactory(), year, amount)
    if code:
        assert refused.value.code == code
    assert not Declaration.objects.exists()


def test_one_current_declaration_per_contract_and_year(levy_ready):
    contract = ContractFactory()
    declarations.declare(contract, 2025, "10.00")
    with pytest.raises(LevyError) as refused:
        declarations.declare(contract, 2025, "11.00")
    assert refused.value.code == "already_declared"
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds it too
        Declaration.objects.create(
            contract=contract,
            year=2025,
            version=9,
            base_amount=1,
            original_amount=1,
            on_behalf_of=contract.holders.first().organisation,
        )


def test_a_foreign_currency_amount_is_converted_at_the_stated_rate(levy_ready):
    contract = ContractFactory()
    with pytest.raises(LevyError) as refused:
        declarations.declare(contract, 2025, "1000.00", currency="USD", rate_date=dt.date(2025, 12, 31))
    assert refused.value.code == "no_exchange_rate"
    with pytest.raises(LevyError) as refused:
        declarations.declare(contract, 2025, "1000.00", currency="USD")
    assert refused.value.code == "rate_date_missing"
    add_rate(currency="USD", date=dt.date(2025, 12, 31), rate="525.333333")
    declaration = declarations.declare(
        contract, 2025, "1000.01", currency="USD", rate_date=dt.date(2025, 12, 31)
    )
    # 1000.01 × 525.333333 = 525338.58633..., half-up to the tiyn once
    assert declaration.base_amount == D("525338.59") and declaration.rate_used == D("525.333333")
    assert (declaration.currency, declaration.original_amount) == ("USD", D("1000.01"))


def test_an_unrecognised_document_is_refused_and_nothing_is_written(levy_ready):
    with pytest.raises(LevyError) as refused:
        declarations.declare(
            ContractFactory(), 2025, "1.00", documents=[ContentFile(b"MZ\x90\x00binary", name="x.pdf")]
        )
    assert refused.value.code == "document_type" and not Declaration.objects.exists()


def test_an_amendment_is_a_new_version_and_recomputes_the_obligation(levy_people):
    contract = ContractFactory()
    [obligation] = assessed(contract, 2026, "100000000.00")
    assert obligation.amount == D("1000000.00")
    first = contract.declarations.get(year=2025)
    with pytest.raises(LevyError):
        declarations.amend(first, "150000000.00", reason=" ")
    amended = declarations.amend(first, "150000000.00", reason="audited figures", by=levy_people["officer"])
    first.refresh_from_db()
    obligation.refresh_from_db()
    assert (first.current, amended.version, amended.current) == (False, 2, True)
    assert obligation.amount == D("1500000.00") and obligation.posted == D("1500000.00")
    assert obligation.declaration == amended
    assert list(obligation.postings.values_list("kind", "amount")) == [
        ("assessment", D("1000000.00")),
        ("adjustment", D("500000.00")),
    ]
    with pytest.raises(LevyError) as refused:
        declarations.amend(first, "1.00", reason="again")
    assert refused.value.code == "not_current"
