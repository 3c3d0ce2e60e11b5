"""Charts as SVG text: parseable, labelled, accessible, deterministic, money axes without offsets."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from innocluster.core import charts

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314  (our own SVG)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_a_bar_chart_is_svg_with_its_title_labels_and_legend():
    svg = charts.bar_chart(
        ["Қаржы", "Әкімшілік"],
        {"План": [Decimal("1500000.00"), Decimal("2500000.50")], "Факт": [Decimal("300000"), 0]},
        title="Исполнение плана",
        language="ru",
    )
    root = ET.fromstring(svg)  # noqa: S314  (our own SVG)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Исполнение плана"
    words = texts(svg)
    assert {"Қаржы", "Әкімшілік", "План", "Факт", "Исполнение плана", "млн ₸"} <= set(words)
    assert "2,5" in words  # ticks in millions, the Russian decimal comma


@pytest.mark.parametrize(
    "language, largest, unit",
    [
        ("ru", 2.5e9, "млрд ₸"),
        ("kk", 4e6, "млн ₸"),
        ("kk", 40000, "мың ₸"),
        ("en", 7e6, "mln ₸"),
        ("en", 80, "₸"),
    ],
)
def test_money_axes_pick_one_scale_and_never_an_offset(language, largest, unit):
    svg = charts.bar_chart(["a", "b"], {"x": [largest, largest / 3]}, title="t", language=language)
    words = texts(svg)
    assert unit in words
    assert not any(re.search(r"1e\d|×10|\+\d\.\d+e", w) for w in words), words


def test_charts_are_deterministic_and_carry_no_date():
    def draw():
        return charts.horizontal_bar(["one", "two"], {"A": [1, 2], "B": [3, -4]}, title="same", language="en")

    first = draw()
    assert first == draw()
    assert "<metadata" not in first and "dc:date" not in first and "Matplotlib" not in first


def test_stacked_bars_and_a_data_uri():
    svg = charts.stacked_bar(["x"], {"a": [1000], "b": [2000]}, title="stack", language="kk", money=False)
    assert "stack" in texts(svg)
    assert charts.data_uri(svg).startswith("data:image/svg+xml;base64,")


def test_counts_get_whole_number_ticks_and_fractions_keep_theirs():
    import re

    from innocluster.core.charts import bar_chart

    counts = bar_chart(["DE", "US"], {"requests": [1, 2]}, title="t", money=False)
    assert re.findall(r">([0-9.,]+)<", counts) == ["0", "1", "2"]  # no 0.2 of a request
    shares = bar_chart(["DE", "US"], {"share": [1.5, 2]}, title="t", money=False)
    assert "0.4" in re.findall(r">([0-9.,]+)<", shares)
