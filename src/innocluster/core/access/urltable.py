"""The authorization table: for every URL pattern, the status each role gets.

``authorization.yaml`` beside this module is the committed expectation; ``innocluster
authorization-table`` prints what the running code answers, and the test suite fails on any
pattern missing from the table or any status that differs. Walking every pattern for every role
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

from .roles import Role

TABLE_PATH = Path(__file__).with_name("authorization.yaml")
WHO = ["anonymous", *Role.values]


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


def load_table(path: Path = TABLE_PATH) -> dict[str, dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)["patterns"]


def expected(spec: dict[str, Any], who: str) -> int:
    expect = spec["expect"]
    return int(expect.get(who, expect["default"]))
