"""The finance API: the books and the reconciliation queue as data, the same commands as the pages."""

from decimal import Decimal

import pytest
from django.test import Client

from innocluster.finance.models import StatementLine
from innocluster.finance.selectors.accounts import account
from tests.factories.accounts import login_with_2fa
from tests.finance.test_statements import accounts, load  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    client = Client()
    login_with_2fa(client, user)
    return client


def test_reading_the_books(accounts, finance_people):  # noqa: F811
    load("kaspi_1c_kazakh_dialect.txt")
    auditor = api(finance_people["auditor"])
    chart = auditor.get("/api/v1/finance/accounts/", {"page_size": 200}).json()
    codes = [row["code"] for row in chart["results"]]
    assert "1281" in codes and codes == sorted(codes)
    trial = auditor.get("/api/v1/finance/trial-balance/").json()
    assert trial["total_debit"] == trial["total_credit"]
    assert auditor.get("/api/v1/finance/trial-balance/", {"at": "yesterday"}).status_code == 400
    lines = auditor.get("/api/v1/finance/statement-lines/", {"status": "unmatched", "direction": "in"}).json()
    assert lines["count"] == StatementLine.objects.filter(status="unmatched", amount__gt=0).count() > 0
    assert auditor.get("/api/v1/finance/statement-lines/", {"status": ""}).status_code == 400
    assert auditor.get("/api/v1/finance/statement-lines/999999/").status_code == 404


def test_matching_over_the_api_and_who_may(accounts, finance_people):  # noqa: F811
    load("kaspi_1c_kazakh_dialect.txt")
    line = StatementLine.objects.filter(amount__gt=0, status="unmatched").order_by("id").first()
    url = f"/api/v1/finance/statement-lines/{line.pk}/match/"
    body = {"parts": [{"account": "6230", "amount": str(line.amount)}]}
    auditor = api(finance_people["auditor"])
    assert auditor.post(url, body, content_type="application/json").status_code == 403
    officer = api(finance_people["officer"])
    short = {"parts": [{"account": "6230", "amount": str(line.amount - Decimal("0.01"))}]}
    refused = officer.post(url, short, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "split_mismatch"
    bad_account = officer.post(
        url, {"parts": [{"account": "1030", "amount": "1.00"}]}, content_type="application/json"
    )
    assert bad_account.status_code in (400, 422)
    done = officer.post(url, body, content_type="application/json")
    assert done.status_code == 200
    data = done.json()
    assert data["status"] == "matched" and data["parts"][0]["account"] == "6230" and data["entry"]
    entry = officer.get(f"/api/v1/finance/entries/{data['entry']}/").json()
    assert {row["account"] for row in entry["lines"]} == {line.bank_account.ledger_account.code, "6230"}
    again = officer.post(url, body, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_matched"
    undo = officer.post(
        f"/api/v1/finance/statement-lines/{line.pk}/unmatch/",
        {"reason": "wrong"},
        content_type="application/json",
    )
    assert undo.status_code == 200 and undo.json()["status"] == "unmatched"
    assert (
        officer.post(
            f"/api/v1/finance/statement-lines/{line.pk}/steal/", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert account("state_budget_income").code == "6230"


def test_a_participant_cannot_read_the_funds_books(policy_loaded):
    from tests.factories.accounts import user_with_role

    rep = user_with_role("participant_rep", "rep-api", enrolled=False)
    client = Client()
    client.force_login(rep)
    for url in (
        "/api/v1/finance/accounts/",
        "/api/v1/finance/trial-balance/",
        "/api/v1/finance/statement-lines/",
        "/api/v1/finance/budgets/",
    ):
        assert client.get(url).status_code == 403
    assert Client().get("/api/v1/finance/accounts/").status_code == 401
