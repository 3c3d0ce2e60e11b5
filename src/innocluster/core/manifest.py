"""App manifests: how an app joins the platform without editing ``core``.

An app declares everything it adds in one :class:`Manifest` (its own ``manifest.py``), pointed to
from its ``AppConfig``::

    class ExampleConfig(AppConfig):
        name = "innocluster.example"
        manifest = "innocluster.example.manifest.MANIFEST"

The platform collects the manifests of the installed apps (:func:`manifests`, in
``INSTALLED_APPS`` order) and reads them wherever it needs the whole: navigation, the dashboard
cards, reminder sources, policy defaults and their labels, law cases, roles, decision bodies, HTML
mounts and API routes, the authorization table, search and export providers, and the metrics
the dashboards read. ``core`` never imports
an app by name; an app unknown to core appears everywhere once it is installed (the throw-away app
test in ``tests/platform`` proves it).

The collection is cached per set of installed apps, so a test that changes ``INSTALLED_APPS`` sees
its own apps' manifests.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Any, Literal, Protocol

from django.apps import apps
from django.utils.module_loading import import_string

# Whose home a card belongs on: a visitor's (``public``), an organisation's representative's, who
# works in the portal (``portal``), or a staff member's or body member's (``staff``).
Audience = Literal["public", "portal", "staff"]
AUDIENCES: tuple[str, ...] = ("public", "portal", "staff")


@dataclass
class Card:
    """One box of a person's home: what needs their attention, with a link to act on it."""

    title: str
    text: str
    url: str = ""
    link: str = ""
    warn: bool = False
    items: list = field(default_factory=list)


CardFunction = Callable[[Any, date], list[Card]]


@dataclass(frozen=True)
class NavEntry:
    """A link in the navigation, shown when ``can(user, action)`` allows it; lower ``order`` first."""

    url_name: str
    label: Any
    action: str
    order: int = 100


@dataclass(frozen=True)
class CardSource:
    """``source(user, today) -> list[Card]`` for one audience's home (public, portal, staff).
    With ``action``, the source is asked only when ``can(user, action)`` allows it; otherwise the
    source asks ``can`` itself for what it shows: the audience only says where it belongs.
    Lower ``order`` first: a person's own work queues (the default) before the platform's
    informational cards (which declare a higher order)."""

    audience: str
    source: CardFunction
    action: str = ""
    order: int = 100

    def __post_init__(self):
        if self.audience not in AUDIENCES:
            raise ValueError(f"card audience {self.audience!r} is not one of {AUDIENCES}")


@dataclass(frozen=True)
class RoleSpec:
    """A role an app defines.

    ``group`` is ``"staff"`` (the Fund's employees), ``"bodies"`` (members of its governing
    bodies) or ``""`` (outside people: representatives, experts). ``two_factor`` roles cannot use
    the system without a second factor. ``signup_label`` offers the role at self sign-up. ``holds``
    names platform actions the role holds (e.g. ``decisions.record``) that the platform declares
    without knowing the role."""

    key: str
    label: Any
    two_factor: bool = False
    group: str = ""
    signup_label: Any = None
    holds: tuple[str, ...] = ()


@dataclass(frozen=True)
class BodySpec:
    """A deciding body (GLOSSARY terms); decision records store its ``code``."""

    code: str
    label: Any


@dataclass(frozen=True)
class DecisionType:
    """A kind of decision an app records, and the bodies that may take it."""

    code: str
    label: Any
    bodies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mount:
    """An HTML URL mount: ``include(urls)`` at ``prefix``, or one ``view`` named ``name``."""

    prefix: str
    urls: str = ""
    view: str = ""
    name: str = ""


@dataclass(frozen=True)
class ApiRoute:
    """An API route under ``/api/v1/``: a DRF view class by dotted path; the API app builds it."""

    route: str
    view: str
    name: str


@dataclass(frozen=True)
class Metric:
    """A figure an app offers the dashboards: ``value(on)`` is its value on a day (a ``Decimal``,
    an ``int``, or ``None`` when it has none, such as a rate of nothing); ``series(start, end)``,
    when given, its values over a period as ``[(date, value), ...]``. ``unit`` says how to read
    it: ``"KZT"``, ``"ratio"`` (0 to 1), ``"count"``. Codes are unique across apps
    (``<app>.<name>``)."""

    code: str
    label: Any
    unit: str
    value: Callable[[date], Any]
    series: Callable[[date, date], list[tuple[date, Any]]] | None = None


class SearchProvider(Protocol):
    """Finds an app's records for the site search: ``search(user, query) -> [(label, url)]``."""

    def search(self, user, query: str) -> list[tuple[str, str]]: ...


class ExportProvider(Protocol):
    """An open-data or staff export: ``code``, ``label`` and ``rows(user) -> iterable of dicts``."""

    code: str
    label: Any

    def rows(self, user) -> Iterable[Mapping[str, Any]]: ...


@dataclass(frozen=True)
class Manifest:
    """Everything one app adds to the platform. Every field is optional.

    Paths (``policy``, ``lawcases``, ``authorization``) are relative to the app's folder; a file
    or folder that does not exist is simply not there (an app without rules ships no policy)."""

    navigation: tuple[NavEntry, ...] = ()
    cards: tuple[CardSource, ...] = ()
    reminders: Mapping[str, Callable] = field(default_factory=dict)
    policy: tuple[str, ...] = ("policy.yaml",)
    lawcases: str = "lawcases"
    roles: tuple[RoleSpec, ...] = ()
    permissions: tuple[str, ...] = ()  # modules declaring access actions, imported at collection
    bodies: tuple[BodySpec, ...] = ()
    decision_types: tuple[DecisionType, ...] = ()
    urls: tuple[Mount, ...] = ()
    api: tuple[ApiRoute, ...] = ()
    admin: tuple[str, ...] = ()  # admin modules (Django discovers ``admin.py``; listed for people)
    commands: tuple[str, ...] = ()  # CLI subcommands of ``innocluster`` the app adds (listing)
    search: tuple[Any, ...] = ()
    exports: tuple[Any, ...] = ()
    metrics: tuple[Metric, ...] = ()
    authorization: str = "authorization.yaml"
    # Contributions to extension points that other apps define, by the point's name
    # (``{"<app>.<point>": (Contribution(),)}``): a lower app reads ``hooks(name)`` and never
    # imports the higher apps that fill it.
    hooks: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    # Facts about organisations and applications that policy conditions may test
    # (``core.policy.attributes.Attribute``), each name unique across apps.
    attributes: tuple[Any, ...] = ()
    # Filled by the collector:
    app: str = ""
    path: Path | None = None

    def file(self, relative: str) -> Path | None:
        """The app's file or folder at ``relative``, or ``None`` when it does not exist."""
        if self.path is None or not relative:
            return None
        found = self.path / relative
        return found if found.exists() else None

    def policy_files(self) -> list[Path]:
        return [p for p in (self.file(name) for name in self.policy) if p is not None]


_cache: dict[tuple[str, ...], list[Manifest]] = {}


def manifests() -> list[Manifest]:
    """The manifests of the installed apps, in ``INSTALLED_APPS`` order (cached per app set)."""
    configs = list(apps.get_app_configs())
    key = tuple(config.name for config in configs)
    found = _cache.get(key)
    if found is None:
        found = [_load(config) for config in configs if getattr(config, "manifest", None)]
        _cache[key] = found
    return found


def _load(config) -> Manifest:
    declared = config.manifest
    manifest = import_string(declared) if isinstance(declared, str) else declared
    if not isinstance(manifest, Manifest):
        raise TypeError(f"{config.name}: manifest {declared!r} is not a Manifest")
    for module in manifest.permissions:
        import_module(module)
    return replace(manifest, app=config.label, path=Path(config.path))


def clear_cache() -> None:
    _cache.clear()


def manifest_of(app_label: str) -> Manifest | None:
    return next((m for m in manifests() if m.app == app_label), None)


# --- what the platform reads ------------------------------------------------------------------


def navigation() -> list[NavEntry]:
    entries = [entry for m in manifests() for entry in m.navigation]
    return sorted(entries, key=lambda e: e.order)


def card_sources(audience: str) -> list[CardSource]:
    return sorted((c for m in manifests() for c in m.cards if c.audience == audience), key=lambda c: c.order)


def cards(user, today: date, audience: str, can: Callable) -> list[Card]:
    """Every card of ``audience`` the installed apps have for ``user``; ``can`` is the access
    question (passed in: this module sits below every platform app and imports none)."""
    found: list[Card] = []
    for card in card_sources(audience):
        if card.action and not can(user, card.action).allowed:
            continue
        found.extend(card.source(user, today))
    return found


def hooks(point: str) -> list[Any]:
    """Every contribution to the extension point ``point``, in ``INSTALLED_APPS`` order."""
    return [item for m in manifests() for item in m.hooks.get(point, ())]


def reminder_sources() -> dict[str, Callable]:
    return {name: func for m in manifests() for name, func in m.reminders.items()}


def roles() -> list[RoleSpec]:
    seen: dict[str, RoleSpec] = {}
    for m in manifests():
        for role in m.roles:
            if role.key in seen:
                raise ValueError(f"role {role.key!r} is defined by two apps")
            seen[role.key] = role
    return list(seen.values())


def bodies() -> list[BodySpec]:
    return [body for m in manifests() for body in m.bodies]


def decision_types() -> list[DecisionType]:
    return [kind for m in manifests() for kind in m.decision_types]


def policy_files() -> list[Path]:
    return [path for m in manifests() for path in m.policy_files()]


def lawcase_folders() -> list[Path]:
    return [p for p in (m.file(m.lawcases) for m in manifests()) if p is not None and p.is_dir()]


def authorization_files() -> list[Path]:
    return [p for p in (m.file(m.authorization) for m in manifests()) if p is not None]


def url_mounts() -> list[tuple[str, Mount]]:
    return [(m.app, mount) for m in manifests() for mount in m.urls]


def api_routes() -> list[ApiRoute]:
    return [route for m in manifests() for route in m.api]


def search_providers() -> list[Any]:
    return [p for m in manifests() for p in m.search]


def export_providers() -> list[Any]:
    return [p for m in manifests() for p in m.exports]


def metrics() -> dict[str, Metric]:
    """Every metric of the installed apps by code, in ``INSTALLED_APPS`` order."""
    found: dict[str, Metric] = {}
    for m in manifests():
        for metric in m.metrics:
            if metric.code in found:
                raise ValueError(f"metric {metric.code!r} is defined twice")
            found[metric.code] = metric
    return found


def attributes() -> dict[str, Any]:
    """Every attribute the installed apps declare for policy conditions, by name."""
    found: dict[str, Any] = {}
    for m in manifests():
        for attribute in m.attributes:
            if attribute.name in found:
                raise ValueError(f"attribute {attribute.name!r} is declared twice")
            found[attribute.name] = attribute
    return found
