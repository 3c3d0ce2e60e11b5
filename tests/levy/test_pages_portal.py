"""The company portal: a subsoil user's representative sees its own contracts, declarations and
obligations, declares with documents and amends — and never sees another company's (404)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from innocluster.levy.models import Declaration, Obligation
from tests.factories.accounts import user_with_role
from tests.factories.levy import TINY_PDF, ContractFactory, declared, subsoil_user
from tests.levy.test_pages_staff import client_for, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_portal_shows_only_the_representatives_company(world):  # noqa: F811
    rep = client_for(world["rep"])
    home = rep.get(reverse("levy_portal:home"))
    text = home.content.decode()
    assert home.status_code == 200
    assert world["oa"].reference in text and world["ob"].reference not in text
    assert world["oa"].contract.number in text and world["ob"].contract.number not in text


def test_another_companys_objects_are_not_found(world):  # noqa: F811
    rep = client_for(world["rep"])
    other = Declaration.objects.get(contract=world["ob"].contract)
    from django.core.files.base import ContentFile

    bs = declared(
        ContractFactory(holders=[(world["b"], "1")]),
        2025,
        "1.00",
        documents=[ContentFile(TINY_PDF, name="b.pdf")],
    )
    document = bs.documents.get()
    for url in (
        reverse("levy_portal:contract", args=[world["ob"].contract_id]),
        reverse("levy_portal:declare", args=[world["ob"].contract_id]),
        reverse("levy_portal:amend", args=[other.pk]),
        reverse("levy_portal:obligation", args=[world["ob"].pk]),
        reverse("levy_portal:document", args=[document.pk]),
    ):
        assert rep.get(url).status_code == 404, url
    refused = rep.post(
        reverse("levy_portal:amend", args=[other.pk]), {"amount": "1.00", "currency": "KZT", "reason": "x"}
    )
    assert (
        refused.status_code == 404 and Declaration.objects.filter(contract=world["ob"].contract).count() == 1
    )
    for url in (
        reverse("levy_portal:contract", args=[world["oa"].contract_id]),
        reverse("levy_portal:obligation", args=[world["oa"].pk]),
    ):
        assert rep.get(url).status_code == 200, url


def test_staff_and_people_without_the_role_cannot_use_the_portal(world):  # noqa: F811
    assert client_for(world["officer"]).get(reverse("levy_portal:home")).status_code == 403
    participant = user_with_role("participant_rep", "participant1", enrolled=False)
    assert client_for(participant).get(reverse("levy_portal:home")).status_code == 403
    assert Client().get(reverse("levy_portal:home")).status_code == 302


def test_a_representative_without_a_confirmed_claim_sees_nothing(world):  # noqa: F811
    newcomer = user_with_role("subsoil_rep", "newcomer", enrolled=False)
    client = client_for(newcomer)
    home = client.get(reverse("levy_portal:home"))
    assert home.status_code == 200 and world["oa"].reference not in home.content.decode()
    assert client.get(reverse("levy_portal:contract", args=[world["oa"].contract_id])).status_code == 404


def test_declare_with_documents_then_amend(world):  # noqa: F811
    rep = client_for(world["rep"])
    contract = ContractFactory(holders=[(world["a"], "1")])
    url = reverse("levy_portal:declare", args=[contract.pk])
    base = {"currency": "KZT", "on_behalf_of": world["a"].pk}
    negative = rep.post(url, {**base, "year": "2025", "amount": "-100"})
    assert negative.status_code == 422 and "amount" in negative.context["form"].errors
    future = rep.post(url, {**base, "year": "2030", "amount": "100"})
    assert future.status_code == 422 and "year" in future.context["form"].errors
    not_holder = rep.post(url, {**base, "on_behalf_of": world["b"].pk, "year": "2025", "amount": "100"})
    assert not_holder.status_code == 422 and "on_behalf_of" in not_holder.context["form"].errors
    assert not Declaration.objects.filter(contract=contract).exists()
    pdf = SimpleUploadedFile("fs-2025.pdf", TINY_PDF, content_type="application/pdf")
    done = rep.post(url, {**base, "year": "2025", "amount": "250000000.00", "documents": [pdf]})
    assert done.status_code == 303
    filed = Declaration.objects.get(contract=contract)
    assert filed.declared_by == world["rep"] and filed.documents.count() == 1
    page = rep.get(reverse("levy_portal:contract", args=[contract.pk])).content.decode()
    assert "fs-2025.pdf" in page
    assert rep.get(reverse("levy_portal:document", args=[filed.documents.get().pk])).status_code == 200
    stranger = client_for(world["stranger"])
    assert stranger.get(reverse("levy_portal:document", args=[filed.documents.get().pk])).status_code == 404
    no_reason = rep.post(
        reverse("levy_portal:amend", args=[filed.pk]), {**base, "amount": "260000000.00", "reason": ""}
    )
    assert no_reason.status_code == 422
    amended = rep.post(
        reverse("levy_portal:amend", args=[filed.pk]), {**base, "amount": "260000000.00", "reason": "Audit"}
    )
    assert amended.status_code == 303
    assert Declaration.objects.get(contract=contract, current=True).version == 2


def test_a_representative_who_lost_the_claim_cannot_declare(world):  # noqa: F811
    from innocluster.parties.models import Representative

    Representative.objects.filter(user=world["rep"]).update(active=False)
    rep = client_for(world["rep"])
    url = reverse("levy_portal:declare", args=[world["oa"].contract_id])
    assert rep.post(url, {"year": "2025", "amount": "1", "currency": "KZT"}).status_code == 404


def test_the_portal_lists_take_a_fixed_number_of_queries(world, django_assert_max_num_queries):  # noqa: F811
    from tests.factories.levy import assessed

    rep = client_for(world["rep"])
    with django_assert_max_num_queries(40) as captured:
        rep.get(reverse("levy_portal:home"))
    before = len(captured)
    for _ in range(8):
        assessed(ContractFactory(holders=[(world["a"], "0.5"), (subsoil_user(), "0.5")]), 2026)
    with django_assert_max_num_queries(before):
        page = rep.get(reverse("levy_portal:home"))
    assert Obligation.objects.filter(holder=world["a"]).count() == 9
    assert len(page.context["obligations"]) == 9
