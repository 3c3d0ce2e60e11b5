"""The API as a whole: every route declared, the schema valid, root and /me/."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from innocluster.apikit.permissions import GATEWAY, CanPermission
from innocluster.core.access.permissions import declared
from innocluster.core.access.views import ATTRIBUTE

from .helpers import API_URLCONF, user_with_role

pytestmark = [pytest.mark.urls(API_URLCONF)]


def api_patterns():
    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry, route)
            elif isinstance(entry, URLPattern) and route.startswith("api/v1/"):
                yield route, entry.callback

    return list(walk(get_resolver()))


def test_every_api_route_declares_its_access():
    routes = api_patterns()
    assert len(routes) >= 8
    for route, callback in routes:
        assert getattr(callback, ATTRIBUTE, None) == GATEWAY, route
        view_class = callback.cls
        assert declared(view_class.access_action), route
        assert CanPermission in view_class.permission_classes, route


def test_schema_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(target))
    text = target.read_text()
    for path in ("/api/v1/me/", "/api/v1/auth/tokens/", "/api/v1/auth/tokens/{prefix}/", "/api/v1/policy/rules/",
                 "/api/v1/policy/values/{key}/", "/api/v1/"):  # fmt: skip
        assert f"  {path}:" in text, path
    assert "tokenAuth" in text


def test_schema_and_root_are_public(db):
    client = Client()
    schema = client.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/policy/rules/" in schema.json()["paths"]
    root = client.get("/api/v1/").json()
    assert root["rules"].endswith("/api/v1/policy/rules/")
    assert root["values"].endswith("/api/v1/policy/values/{key}/")


def test_docs_page_loads_bundled_assets_without_inline_code(db):
    page = Client().get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<style" not in html and "<script>" not in html and "cdn" not in html.lower()
    script = Client().get("/api/v1/docs/", {"script": ""})
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


def test_me_in_a_session(client, db):
    subsoil = user_with_role("subsoil", "subsoil_rep")
    client.force_login(subsoil)
    assert client.get("/api/v1/me/").json() == {
        "username": "subsoil",
        "roles": ["subsoil_rep"],
        "two_factor": False,
        "two_factor_required": False,
        "authentication": "session",
    }


@pytest.mark.parametrize("role", ["participant_rep", "subsoil_rep"])
def test_allowed_roles_are_not_refused(client, policy_loaded, role):
    user = user_with_role("someone", role)
    client.force_login(user)
    for path in ("/api/v1/", "/api/v1/me/", "/api/v1/auth/tokens/", "/api/v1/policy/rules/", "/api/v1/schema/",
                 "/api/v1/docs/"):  # fmt: skip
        assert client.get(path).status_code == 200, path
