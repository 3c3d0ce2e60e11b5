"""Every shipped policy row says where it comes from, in three languages, and its ``source`` tag
says what was really seen (issue 16: references that hold)."""

import re

import pytest

from innocluster.core.policy.services import read_defaults

SOURCES = {"law", "src", "design"}
# An act's text is cited by its article: "art. 17", "ст. 17", "17-бап".
ARTICLE = re.compile(r"\bart\.\s*\d|\bст\.\s*\d|\d+-бап", re.IGNORECASE)


def rows():
    return read_defaults()["values"]


def row_id(row):
    return f"{row.get('key')}@{row.get('regime')}@{row.get('valid_from')}"


def problems_of(row) -> list[str]:
    found = []
    for field in ("reference", "reference_ru", "reference_kk"):
        if not str(row.get(field) or "").strip():
            found.append(f"no {field}")
    source = row.get("source")
    if source not in SOURCES:
        found.append(f"source {source!r} is not one of {sorted(SOURCES)}")
    if source == "law":
        for field in ("reference", "reference_ru", "reference_kk"):
            if not ARTICLE.search(str(row.get(field) or "")):
                found.append(f"source law but {field} names no article")
    return found


def test_the_checker_catches_each_kind_of_problem():
    good = {
        "source": "law",
        "reference": "Tax Code, art. 17",
        "reference_ru": "Налоговый кодекс, ст. 17",
        "reference_kk": "Салық кодексі, 17-бап",
    }
    assert problems_of(good) == []
    assert problems_of({**good, "reference_kk": ""}) == [
        "no reference_kk",
        "source law but reference_kk names no article",
    ]
    assert problems_of({**good, "source": "design", "reference_ru": " "}) == ["no reference_ru"]
    assert problems_of({**good, "reference": "Tax Code"}) == ["source law but reference names no article"]
    assert problems_of({**good, "source": "web"}) == ["source 'web' is not one of ['design', 'law', 'src']"]
    assert problems_of({**good, "source": "src", "reference": "Astana Hub site"}) == []


def test_there_are_shipped_rows():
    assert len(rows()) > 40


@pytest.mark.parametrize("row", rows(), ids=row_id)
def test_every_shipped_row_has_a_reference_that_holds(row):
    assert problems_of(row) == []


def test_no_row_starts_before_its_regime_came_into_force():
    """Rows start on entry into force, never on the adoption day (10 June 2014, 27 September 2025)."""
    data = read_defaults()
    starts = {item["regime"]: item["starts_on"] for item in data.get("timeline") or []}
    adoption = {"pit-2014": "2014-06-10", "astana-hub-2025": "2025-09-27"}
    early = [
        row_id(row)
        for row in data["values"]
        if str(row["valid_from"]) == adoption.get(row["regime"])
        or (row["regime"] in starts and row["valid_from"] < starts[row["regime"]])
    ]
    assert early == []
