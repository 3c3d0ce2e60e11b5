"""The register's search and export providers (declared in ``manifest.py``): the public register
found by name or BIN from a site-wide search, and its open-data rows for any exporter."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RegisterSearch:
    """Public entries only (anyone may read the register): at most ``limit`` name/link pairs."""

    limit = 10

    def search(self, user, query: str) -> list[tuple[str, str]]:
        from innocluster.registry.selectors.register import search_register

        if not (query or "").strip():
            return []
        found = search_register({"q": query.strip()})[: self.limit]
        return [(str(p.display_name), reverse("registry:participant", args=[p.number])) for p in found]


class RegisterExport:
    code = "register"
    label = _("Register of participants")

    def rows(self, user) -> Iterable[Mapping[str, Any]]:
        from innocluster.registry.selectors.register import register_rows, search_register

        return register_rows(search_register())
