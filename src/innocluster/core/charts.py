"""Charts for pages and printed reports: matplotlib (Agg) drawn to SVG text.

The SVG is written to go inline in a page or a WeasyPrint PDF: text stays text (``svg.fonttype``
``none``, DejaVu Sans first, which has the Kazakh letters), the root element carries a ``<title>``
and ``role="img"`` for screen readers, and the output is deterministic (a fixed hash salt, no date
or tool name in the metadata), so the same figures give the same bytes.

Money axes never show matplotlib's ``1e6`` offset: the axis picks one scale for all its ticks
(thousands, millions or billions of tenge), writes the ticks as decimals in the reader's language
and says the scale in the axis label ("млн ₸")."""

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from threading import Lock
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")

from babel.numbers import format_decimal
from django.utils import translation
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

_BABEL_LOCALES = {"kk": "kk_KZ", "ru": "ru_KZ", "en": "en_US"}
# The scales of a money axis and how each language abbreviates them.
_SCALES = (
    (Decimal(10) ** 9, {"kk": "млрд ₸", "ru": "млрд ₸", "en": "bn ₸"}),
    (Decimal(10) ** 6, {"kk": "млн ₸", "ru": "млн ₸", "en": "mln ₸"}),
    (Decimal(10) ** 3, {"kk": "мың ₸", "ru": "тыс. ₸", "en": "thousand ₸"}),
    (Decimal(1), {"kk": "₸", "ru": "₸", "en": "₸"}),
)
# Colour-blind-safe (Okabe–Ito), in series order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "innocluster",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.formatter.useoffset": False,
}
# rc_context changes process-wide settings: one chart at a time.
_lock = Lock()


def _language(language: str | None) -> str:
    code = (language or translation.get_language() or "kk").split("-")[0]
    return code if code in _BABEL_LOCALES else "en"


def money_scale(largest: float, language: str | None = None) -> tuple[float, str]:
    """The divisor and unit label for an axis whose largest absolute value is ``largest``."""
    lang = _language(language)
    for divisor, labels in _SCALES:
        if abs(largest) >= divisor:
            return float(divisor), labels[lang]
    return 1.0, _SCALES[-1][1][lang]


def money_formatter(largest: float, language: str | None = None) -> tuple[FuncFormatter, str]:
    """A tick formatter writing values in one scale (``1,5`` for 1.5 million) and the axis label."""
    divisor, unit = money_scale(largest, language)
    locale = _BABEL_LOCALES[_language(language)]

    def tick(value, _position):
        return format_decimal(round(value / divisor, 2), format="#,##0.##", locale=locale)

    return FuncFormatter(tick), unit


def _svg(figure: Figure, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    text = buffer.getvalue()
    # Inline SVG: no XML declaration or doctype; the chart's own title for assistive technology.
    text = text[text.index("<svg") :]
    text = re.sub(
        r"<svg\b([^>]*)>",
        lambda m: (
            f'<svg{m.group(1)} role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">'
            f"<title>{escape(title)}</title>"
        ),
        text,
        count=1,
    )
    # The metadata block names only the tool; drop it (smaller, nothing that changes).
    return re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)


def _values(values: Sequence) -> list[float]:
    return [float(v or 0) for v in values]


def bar_chart(
    labels: Sequence[str],
    series: dict[str, Sequence],
    *,
    title: str,
    money: bool = True,
    horizontal: bool = False,
    stacked: bool = False,
    language: str | None = None,
    width: float = 5.0,
    height: float | None = None,
) -> str:
    """Grouped (or ``stacked``) bars, one group per label and one colour per series, as SVG text.
    ``horizontal`` lays the bars along the x axis (long labels read better)."""
    labels = [str(label) for label in labels]
    data = {str(name): _values(values) for name, values in series.items()}
    count = max(len(labels), 1)
    if height is None:
        height = max(2.6, 0.45 * count * (1 if stacked else max(len(data), 1)) + 1.4) if horizontal else 3.6
    with _lock, matplotlib.rc_context(RC):
        figure = Figure(figsize=(width, height))
        axes = figure.add_subplot()
        positions = list(range(len(labels)))
        group = 0.8
        bar = group if stacked else group / max(len(data), 1)
        base = [0.0] * len(labels)
        largest = 0.0
        for index, (name, values) in enumerate(data.items()):
            offset = 0 if stacked else (index - (len(data) - 1) / 2) * bar
            where = [p + offset for p in positions]
            colour = PALETTE[index % len(PALETTE)]
            if horizontal:
                axes.barh(where, values, height=bar, left=base if stacked else None, label=name, color=colour)
            else:
                axes.bar(where, values, width=bar, bottom=base if stacked else None, label=name, color=colour)
            if stacked:
                base = [b + v for b, v in zip(base, values, strict=True)]
                largest = max([largest, *map(abs, base)])
            else:
                largest = max([largest, *map(abs, values)])
        value_axis, label_axis = (axes.xaxis, axes.yaxis) if horizontal else (axes.yaxis, axes.xaxis)
        if money:
            formatter, unit = money_formatter(largest, language)
            value_axis.set_major_formatter(formatter)
            value_axis.set_label_text(unit)
        # Counts (every value a whole number) get whole-number ticks: no 0.2 of a request.
        counts = not money and all(float(v).is_integer() for values in data.values() for v in values)
        value_axis.set_major_locator(MaxNLocator(nbins=6, integer=counts))
        label_axis.set_ticks(positions, labels)
        if horizontal:
            axes.invert_yaxis()
        elif sum(len(label) for label in labels) > 60:
            for tick in axes.get_xticklabels():
                tick.set_rotation(30)
                tick.set_horizontalalignment("right")
        (axes.axvline if horizontal else axes.axhline)(0, color="#444", linewidth=0.6)
        axes.set_title(title, loc="left", fontsize=10)
        if len(data) > 1:
            # Below the plot, so it never covers a bar.
            axes.legend(
                frameon=False,
                fontsize=9,
                ncols=2,
                loc="upper center",
                bbox_to_anchor=(0.5, -0.12 if horizontal else -0.16),
            )
        (axes.xaxis if horizontal else axes.yaxis).grid(True, color="#ddd", linewidth=0.5)
        axes.set_axisbelow(True)
        return _svg(figure, title)


def stacked_bar(labels: Sequence[str], series: dict[str, Sequence], *, title: str, **options) -> str:
    """Bars whose series are stacked on each other (parts of one whole per label)."""
    return bar_chart(labels, series, title=title, stacked=True, **options)


def horizontal_bar(labels: Sequence[str], series: dict[str, Sequence], *, title: str, **options) -> str:
    """Bars along the x axis, one row per label: for long labels such as account names."""
    return bar_chart(labels, series, title=title, horizontal=True, **options)


def data_uri(svg: str) -> str:
    """The SVG as a ``data:`` URI for an ``<img>``: an image keeps its own styles under a page's
    Content-Security-Policy (which refuses inline styles in the page itself)."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
