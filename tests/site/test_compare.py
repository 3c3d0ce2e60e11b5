"""Comparing regimes side by side: the page, the CLI, and who may ask."""

import json
from datetime import date

import pytest
from django.core.management import call_command

from tests.factories.accounts import login_with_2fa, user_with_role

pytestmark = pytest.mark.django_db

URL = "/rules/compare/"


@pytest.fixture
def registrar_client(client, policy_loaded):
    from innocluster.registry.services.register import load_reference_data

    load_reference_data()
    login_with_2fa(client, user_with_role("registrar", "registrar"))
    return client


def test_the_cli_shows_a_known_difference_between_the_regimes(policy_loaded, capsys):
    call_command(
        "policy",
        "compare",
        "--regime",
        "pit-2014",
        "--regime",
        "astana-hub-2025",
        "--on",
        "2026-03-01",
        "--json",
    )
    data = json.loads(capsys.readouterr().out)
    rows = {row["key"]: row for row in data["values"]}
    categories = rows["registry.participant_categories"]
    assert categories["differs"] is True
    assert (
        "individual" in categories["values"]["pit-2014"].lower()
        or "individ" in categories["values"]["pit-2014"]
    )
    assert all(row["differs"] for row in data["values"])  # differing only, by default


def test_the_cli_compares_a_levy_base(policy_loaded, capsys):
    call_command(
        "policy", "compare", "--regime", "pit-2014", "--regime", "astana-hub-2025",
        "--what-if", "levy.base", "--subject", "1000000.00 2026", "--json",
    )  # fmt: skip
    outcomes = {row["label"]: row["values"] for row in json.loads(capsys.readouterr().out)["outcomes"]}
    assert "10" in outcomes["Obligation"]["pit-2014"]  # 1% of 1,000,000 = 10,000.00


def test_the_cli_refuses_one_regime_and_an_unknown_subject(policy_loaded):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="at least two"):
        call_command("policy", "compare", "--regime", "pit-2014")
    with pytest.raises(CommandError, match="BIN"):
        call_command(
            "policy", "compare", "--regime", "pit-2014", "--regime", "astana-hub-2025",
            "--what-if", "registry.organisation", "--subject", "000000000000",
        )  # fmt: skip


def test_the_page_compares_an_organisation_under_both_regimes(registrar_client):
    from tests.factories.finance import party

    organisation = party(subsoil_user=True)
    response = registrar_client.get(
        URL,
        {
            "first": "pit-2014",
            "second": "astana-hub-2025",
            "on": "2026-03-01",
            "differing_only": "on",
            "what_if": "registry.organisation",
            "subject": organisation.bin,
        },
    )
    assert response.status_code == 200
    outcomes = {row.label: row for row in response.context["outcomes"]}
    assert outcomes["Eligible"].values == ("yes", "no")
    assert outcomes["Eligible"].differs
    assert any(row.key == "registry.participant_categories" for row in response.context["values"])


def test_the_page_names_a_missing_subject(registrar_client):
    response = registrar_client.get(
        URL,
        {
            "first": "pit-2014",
            "second": "astana-hub-2025",
            "on": "2026-03-01",
            "what_if": "registry.application",
        },
    )
    assert response.status_code == 200 and "subject" in response.context["form"].errors


def test_a_participant_may_not_compare(client, policy_loaded):
    user = user_with_role("participant_rep", "rep", enrolled=False)
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, policy_loaded):
    response = client.get(URL)
    assert response.status_code in (302, 403)


def test_the_rules_page_shows_the_timeline(client, policy_loaded):
    response = client.get("/rules/")
    rows = response.context["timeline"]
    assert [r.code for r in rows] == ["pit-2014", "astana-hub-2025"]
    assert rows[-1].current and rows[0].until is not None and rows[0].until < rows[1].starts_on
    assert rows[0].starts_on < date(2015, 1, 1)


def test_the_page_offers_only_the_subjects_the_reader_may_see(registrar_client):
    form = registrar_client.get(URL).context["form"]
    offered = {name for name, _ in form.fields["what_if"].choices}
    assert "registry.organisation" in offered and "levy.base" not in offered  # a registrar reads no levy
