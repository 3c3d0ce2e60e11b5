"""The levy API: staff read every contract, declaration and obligation; a representative reads
only its companies' (another's is 404) and files declarations, refused by the rules with 422."""

from decimal import Decimal

import pytest
from django.test import Client

from innocluster.levy.models import Declaration
from tests.factories.levy import ContractFactory, assessed, subsoil_user
from tests.levy.test_pages_staff import client_for, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
D = Decimal


def test_staff_read_everything(world):  # noqa: F811
    auditor = client_for(world["auditor"])
    contracts = auditor.get("/api/v1/levy/contracts/").json()
    assert contracts["count"] == 2
    obligations = auditor.get("/api/v1/levy/obligations/", {"year": 2026}).json()
    assert {o["reference"] for o in obligations["results"]} == {world["oa"].reference, world["ob"].reference}
    one = auditor.get(f"/api/v1/levy/obligations/{world['oa'].pk}/").json()
    assert one["outstanding"] == "1000000.00" and one["status"] == "open" and one["settlements"] == []
    declarations = auditor.get("/api/v1/levy/declarations/").json()
    assert declarations["count"] == 2
    assert auditor.get("/api/v1/levy/obligations/", {"year": "soon"}).status_code == 400
    refused = auditor.post(
        "/api/v1/levy/declarations/",
        {"contract_id": world["oa"].contract_id, "year": 2024, "amount": "1.00"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_a_representative_sees_only_its_own(world):  # noqa: F811
    rep = client_for(world["rep"])
    contracts = rep.get("/api/v1/levy/contracts/").json()
    assert [c["number"] for c in contracts["results"]] == [world["oa"].contract.number]
    obligations = rep.get("/api/v1/levy/obligations/").json()
    assert [o["reference"] for o in obligations["results"]] == [world["oa"].reference]
    declarations = rep.get("/api/v1/levy/declarations/").json()
    assert {d["contract"] for d in declarations["results"]} == {world["oa"].contract.number}
    other = Declaration.objects.get(contract=world["ob"].contract)
    for url in (
        f"/api/v1/levy/contracts/{world['ob'].contract_id}/",
        f"/api/v1/levy/obligations/{world['ob'].pk}/",
        f"/api/v1/levy/declarations/{other.pk}/",
    ):
        assert rep.get(url).status_code == 404, url
    assert rep.get(f"/api/v1/levy/obligations/{world['oa'].pk}/").status_code == 200
    blocked = rep.post(
        "/api/v1/levy/declarations/",
        {"contract_id": world["ob"].contract_id, "year": 2024, "amount": "1.00"},
        content_type="application/json",
    )
    assert (
        blocked.status_code == 404 and Declaration.objects.filter(contract=world["ob"].contract).count() == 1
    )


def test_a_representative_declares_and_the_rules_refuse_with_422(world):  # noqa: F811
    rep = client_for(world["rep"])
    contract = ContractFactory(holders=[(world["a"], "1")])
    url = "/api/v1/levy/declarations/"
    negative = rep.post(
        url, {"contract_id": contract.pk, "year": 2025, "amount": "-1.00"}, content_type="application/json"
    )
    assert negative.status_code == 422 and "amount" in negative.json()["errors"]
    future = rep.post(
        url, {"contract_id": contract.pk, "year": 2031, "amount": "1.00"}, content_type="application/json"
    )
    assert future.status_code == 422 and "year" in future.json()["errors"]
    malformed = rep.post(
        url, {"contract_id": contract.pk, "year": 2025, "amount": "lots"}, content_type="application/json"
    )
    assert malformed.status_code == 400
    done = rep.post(
        url,
        {"contract_id": contract.pk, "year": 2025, "amount": "5000000.00"},
        content_type="application/json",
    )
    assert done.status_code == 201
    body = done.json()
    assert body["base_amount"] == "5000000.00" and body["on_behalf_of_bin"] == world["a"].bin
    again = rep.post(
        url, {"contract_id": contract.pk, "year": 2025, "amount": "1.00"}, content_type="application/json"
    )
    assert again.status_code == 422


def test_not_a_representative_and_anonymous(world):  # noqa: F811
    from tests.factories.accounts import user_with_role

    newcomer = client_for(user_with_role("subsoil_rep", "newcomer", enrolled=False))
    assert newcomer.get("/api/v1/levy/obligations/").json()["count"] == 0
    refused = newcomer.post(
        "/api/v1/levy/declarations/",
        {"contract_id": world["oa"].contract_id, "year": 2025, "amount": "1.00"},
        content_type="application/json",
    )
    assert refused.status_code == 404
    assert Client().get("/api/v1/levy/obligations/").status_code == 401
    participant = client_for(user_with_role("participant_rep", "p1", enrolled=False))
    assert participant.get("/api/v1/levy/contracts/").status_code == 403


def test_the_obligation_list_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):  # noqa: F811
    auditor = client_for(world["auditor"])
    with django_assert_max_num_queries(40) as captured:
        auditor.get("/api/v1/levy/obligations/")
        auditor.get("/api/v1/levy/contracts/")
        auditor.get("/api/v1/levy/declarations/")
    before = len(captured)
    for _ in range(6):
        assessed(ContractFactory(holders=[(subsoil_user(), "0.5"), (subsoil_user(), "0.5")]), 2026)
    with django_assert_max_num_queries(before):
        auditor.get("/api/v1/levy/obligations/")
        auditor.get("/api/v1/levy/contracts/")
        auditor.get("/api/v1/levy/declarations/")
