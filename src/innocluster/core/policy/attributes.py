"""Attributes that apps declare for the things rules are tested against (organisations, applications).

A condition row in a policy value (kind ``conditions``) names an attribute, an operator and a value:
``{attribute: state_share, operator: lt, value: "0.50", reference: ...}``. The attribute says what it
reads (``read(obj)``), of which subject, of which kind, and how people call it. Apps declare theirs in
their manifest (``Manifest.attributes``); the platform never names them. A regime can then add a
criterion over any declared attribute without code, and loading refuses a row over an attribute
nobody declared.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SUBJECTS: tuple[str, ...] = ("organisation", "application")

# What an attribute's value is, and the operators a condition may apply to it.
KINDS: dict[str, tuple[str, ...]] = {
    "decimal": ("lt", "le", "gt", "ge", "eq", "ne"),
    "boolean": ("eq", "ne"),
    "text": ("eq", "ne", "in", "not_in"),
    "list": ("in", "not_in"),  # a list of codes: every item among / no item among the condition's codes
}
OPERATORS: tuple[str, ...] = ("lt", "le", "gt", "ge", "eq", "ne", "in", "not_in")


@dataclass(frozen=True)
class Attribute:
    """One fact a condition can test.

    ``name`` is unique across apps; ``subject`` is ``"organisation"`` or ``"application"``;
    ``kind`` one of :data:`KINDS`; ``label`` a (lazy) translated name, read as the start of a
    sentence ("State and quasi-state ownership share"); ``read(obj)`` returns the value for one
    subject (a ``Decimal``, a ``bool``, a ``str`` code or a list of codes; ``None`` when unknown).
    ``show(value)``, when given, writes a value for people (e.g. a fraction as a percentage)."""

    name: str
    subject: str
    kind: str
    label: Any
    read: Callable[[Any], Any]
    show: Callable[[Any], str] | None = None

    def __post_init__(self):
        if self.subject not in SUBJECTS:
            raise ValueError(f"attribute {self.name!r}: subject {self.subject!r} is not one of {SUBJECTS}")
        if self.kind not in KINDS:
            raise ValueError(f"attribute {self.name!r}: kind {self.kind!r} is not one of {tuple(KINDS)}")

    def value_for(self, obj) -> Any:
        """The attribute's value for ``obj``, normalised to its kind (decimals as ``Decimal``)."""
        value = self.read(obj)
        if value is None:
            return None
        if self.kind == "decimal":
            return Decimal(str(value))
        if self.kind == "boolean":
            return bool(value)
        if self.kind == "list":
            return [str(item) for item in value]
        return str(value)


def declared() -> dict[str, Attribute]:
    """Every attribute the installed apps declare, by name."""
    from innocluster.core.manifest import attributes

    return attributes()


def read_all(subject: str, obj) -> dict[str, Any]:
    """``{name: value}`` of every declared attribute of ``subject`` for ``obj``."""
    return {a.name: a.value_for(obj) for a in declared().values() if a.subject == subject}
