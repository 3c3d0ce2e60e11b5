"""Named domain formulas that law cases (``policy test``) call. Apps register theirs in ready()."""

from collections.abc import Callable
from typing import Any

_FORMULAS: dict[str, Callable[..., Any]] = {}


def formula(name: str):
    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        _FORMULAS[name] = func
        return func

    return register


def get(name: str) -> Callable[..., Any]:
    try:
        return _FORMULAS[name]
    except KeyError:
        raise KeyError(f"unknown formula {name!r}; known: {', '.join(sorted(_FORMULAS))}") from None


def names() -> list[str]:
    return sorted(_FORMULAS)
