"""The acceptance test of the manifests: an app defined only here, installed only in this test,
appears in navigation, the dashboard, ``policy list``, ``policy test``, the authorization table and
the OpenAPI schema without a line changed outside ``tests/platform/throwaway_app``."""

import contextlib
import importlib
import json
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.test import Client, modify_settings
from django.urls import clear_url_caches

from innocluster.core import manifest
from innocluster.core.access import urltable
from tests.factories.accounts import login_with_2fa, user_with_role

APP = "tests.platform.throwaway_app"


def _reload_urlconfs():
    import innocluster.api.urls
    import innocluster.urls

    importlib.reload(innocluster.api.urls)
    importlib.reload(innocluster.urls)
    clear_url_caches()


@pytest.fixture
def throwaway(db):
    """Install the app for one test: the app registry is rebuilt (every ``ready()`` runs again and
    the manifests are collected for the new app set), and the URLconfs are rebuilt from them."""
    with modify_settings(INSTALLED_APPS={"append": APP}):
        _reload_urlconfs()
        yield
    _reload_urlconfs()


def test_the_manifest_is_collected(throwaway):
    declared = manifest.manifest_of("throwaway")
    assert declared is not None and declared.path.name == "throwaway_app"
    assert "throwaway_keeper" in [role.key for role in manifest.roles()]
    assert [n.url_name for n in manifest.navigation()].index("throwaway:index") > 0


def test_it_appears_in_navigation_and_on_the_staff_home(throwaway, client):
    keeper = user_with_role("throwaway_keeper", "keeper")
    login_with_2fa(client, keeper)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/throwaway/"' in html and "Throw-away things" in html  # the navigation
    assert "Throw-away queue" in html and "3 things wait." in html  # its card, on the staff home
    assert "Keeper of throw-away things" in html  # its role, named on the account box
    assert client.get("/throwaway/").status_code == 200


def test_its_rules_are_loaded_listed_and_tested(throwaway):
    call_command("policy", "load", stdout=StringIO())
    out = StringIO()
    call_command("policy", "list", "--regime", "pit-2014", "--on", "2021-01-01", "--json", stdout=out)
    listed = {row["key"]: row["value"] for row in json.loads(out.getvalue())}
    assert listed["throwaway.limit"] == 5
    out = StringIO()
    # Other apps' cases need their reference data, not loaded here: only ours is asked about.
    with contextlib.suppress(SystemExit):
        call_command("policy", "test", "--json", stdout=out)
    cases = {case["name"]: case["passed"] for case in json.loads(out.getvalue())["cases"]}
    assert cases["throw-away limit doubled after the 2020 raise"] is True
    # and on the rules page, with its label and a link to its history
    html = Client().get("/rules/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Most throw-away things at once" in html and 'href="/rules/throwaway.limit/"' in html


def test_it_is_in_the_authorization_table_and_every_role_gets_what_it_says(throwaway):
    table = urltable.load_table()
    assert {"throwaway/", "api/v1/throwaway/"} <= set(table)
    assert "throwaway_keeper" in urltable.who()
    routes = dict(urltable.patterns())
    people = {role: user_with_role(role) for role in urltable.who() if role != "anonymous"}
    for route in ("throwaway/", "api/v1/throwaway/"):
        probe = urltable.probe_for(route, routes[route], table[route])
        for who in urltable.who():
            client = Client()
            if who != "anonymous":
                login_with_2fa(client, people[who])
            status = client.get(probe.path).status_code
            assert status == urltable.expected(table[route], who), (route, who, status)


def test_its_api_route_is_in_the_openapi_schema(throwaway, client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    schema = yaml.safe_load(response.content)
    assert "/api/v1/throwaway/" in schema["paths"]
    assert client.get("/api/v1/throwaway/").json() == {"things": []}


def test_without_the_app_nothing_of_it_remains(db, client):
    assert manifest.manifest_of("throwaway") is None
    assert client.get("/throwaway/").status_code == 404
    assert "throwaway/" not in urltable.load_table()
