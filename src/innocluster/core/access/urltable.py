"""The authorization table: for every URL pattern, the status each role gets.

Each app ships its own rows (``authorization.yaml`` in the app, named by its manifest; the
platform's are beside this module); :func:`load_table` merges every installed app's, and the roles
asked (:func:`who`) come from the manifests too. The test suite fails on any pattern missing from
the table or any status that differs; ``scripts/authorization-table`` rewrites each app's file
from what the test observed. Walking every pattern for every role
also proves that no page answers 500.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from .roles import role_keys

TABLE_PATH = Path(__file__).with_name("authorization.yaml")


def who() -> list[str]:
    """Whom the table asks: a visitor, then every role the installed apps define."""
    return ["anonymous", *role_keys()]


def patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """Every concrete pattern as one route string, e.g. ``admin/^policy/regime/$``."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, route)
        else:
            yield route, entry


@dataclass
class Probe:
    route: str
    path: str
    method: str
    data: dict[str, Any]


def _first_pk(app_label: str, model_name: str) -> str:
    model = apps.get_model(app_label, model_name)
    obj = model._default_manager.order_by("pk").first()
    return str(obj.pk) if obj else "0"


def probe_for(route: str, entry: URLPattern, spec: dict[str, Any]) -> Probe:
    """Build the request for a pattern: kwargs from the table, ``first:<app>.<model>`` meaning the
    first row of that model (so tests on PostgreSQL, whose ids do not restart, probe a real row)."""
    kwargs = {}
    for name, value in (spec.get("kwargs") or {}).items():
        if isinstance(value, str) and value.startswith("first:"):
            app_label, model_name = value.removeprefix("first:").split(".")
            value = _first_pk(app_label, model_name)
        elif isinstance(value, str) and value.startswith("ct:"):
            from django.contrib.contenttypes.models import ContentType

            app_label, model_name = value.removeprefix("ct:").split(".")
            value = str(ContentType.objects.get_by_natural_key(app_label, model_name).pk)
        kwargs[name] = value
    path = "/" + _fill(route, kwargs)
    return Probe(route, path, spec.get("method", "get"), spec.get("data") or {})


def _fill(route: str, kwargs: dict[str, str]) -> str:
    """Substitute kwargs into a route made of path converters and admin regexes."""
    out = route
    for name, value in kwargs.items():
        out = re.sub(rf"\(\?P<{name}>[^)]*\)", value, out)  # admin's regex groups first
        out = re.sub(rf"<(?:\w+:)?{name}>", value, out)
    return out.replace("^", "").replace("$", "").replace("\\Z", "")


def load_file(path: Path) -> dict[str, dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return (yaml.safe_load(fh) or {}).get("patterns") or {}


def table_files() -> list[Path]:
    """Every installed app's table file, in ``INSTALLED_APPS`` order."""
    from innocluster.core.manifest import authorization_files

    return authorization_files()


def load_table(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """One file's rows, or (no path) every installed app's merged.

    A route's row (its request and ``default``) is in the table of the app that owns the page. An
    app higher up that defines roles adds its roles' cells to lower apps' rows in its own file (a
    row with ``expect`` only, no ``default``), so no table names a role of an app above it."""
    if path is not None:
        return load_file(path)
    rows: dict[str, dict[str, Any]] = {}
    cells: dict[str, dict[str, int]] = {}
    for file in table_files():
        for route, spec in load_file(file).items():
            expect = dict(spec.get("expect") or {})
            if "default" in expect:
                if route in rows:
                    raise ValueError(f"{file}: route {route!r} is already in another app's table")
                rows[route] = {**spec, "expect": expect}
            for who, status in expect.items():
                if who != "default" and cells.setdefault(route, {}).setdefault(who, status) != status:
                    raise ValueError(f"{file}: {route!r} as {who}: two tables disagree")
    for route, found in cells.items():
        if route not in rows:
            raise ValueError(f"{route!r} has role cells but no app's table owns its row")
        rows[route]["expect"].update(found)
    return rows


def owner(route: str, entry: URLPattern) -> str:
    """The app label whose table a route belongs in: the admin's pages by the model's app, other
    views by the module of their view (class). The platform's apps share one table (this app's), and
    so does a view of no app with a manifest (Django's, allauth's)."""
    from innocluster.core.manifest import manifest_of, manifests

    label = ""
    if "(?P<app_label>" in route:  # the admin's app index lists every installed app: the top one's
        return manifests()[-1].app
    if route.startswith("admin/"):
        parts = route.split("/")
        label = parts[1] if len(parts) > 2 and parts[1] and manifest_of(parts[1]) else ""
    else:
        view = entry.callback
        view = getattr(view, "view_class", None) or getattr(view, "cls", None) or view
        config = apps.get_containing_app_config(getattr(view, "__module__", ""))
        label = config.label if config and manifest_of(config.label) else ""
    if not label or apps.get_app_config(label).name.startswith("innocluster.core"):
        return "access"
    return label


def expected(spec: dict[str, Any], who: str) -> int:
    expect = spec["expect"]
    return int(expect.get(who, expect["default"]))
