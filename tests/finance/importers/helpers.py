"""Shared helpers of the importer tests: fixture paths and reading a file into events."""

import io
from pathlib import Path

from innocluster.finance.importers.base import StatementEnd, StatementLine, StatementStart, parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "statements"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def events_of(data: bytes, fmt: str = "auto", filename: str = "") -> list:
    return list(parse(io.BytesIO(data), fmt, filename))


def read_fixture(name: str, fmt: str = "auto") -> list:
    with (FIXTURES / name).open("rb") as stream:
        return list(parse(stream, fmt, name))


def lines_of(events: list) -> list[StatementLine]:
    return [event for event in events if isinstance(event, StatementLine)]


def shape(events: list) -> str:
    """S, L, E per event: the order of a parse at a glance."""
    return "".join(
        {StatementStart: "S", StatementLine: "L", StatementEnd: "E"}[type(event)] for event in events
    )
