"""The report's pictures, drawn as vector ReportLab drawings: into the PDF as they are, into HTML as inline SVG.

Each function takes plain figures (or the org) and a width in points, and
returns a :class:`reportlab.graphics.shapes.Drawing` that width wide, or None
when there is nothing worth a picture. Every label is at least
:data:`MIN_TEXT_SIZE` points and every name is printed whole, wrapped onto a
few lines rather than cut. Many products stay readable: bar charts show the
:data:`TOP_ROWS` largest and say how many more there are. No Qt here: the
colours are the editor's light palette, copied.

- :func:`span_of_control_chart`: how many managers have how many direct reports, the limit marked;
- :func:`people_per_product_chart`: people per product, teams labelled;
- :func:`findings_by_area_chart`: findings per product, stacked by area;
- :func:`before_after_chart`: errors, warnings and infos before and after a reorg;
- :func:`focus_diagram`: the cards one risk involves and their direct links;
- :func:`product_overview`: one box per product with its owners, teams and people;
- :func:`org_chart`: the whole chart, or None when it would not be readable on the page;
- :func:`to_svg`: a drawing as an ``<svg>`` element to inline in HTML.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Path, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from planner.layout import layered_layout, needs_layout
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH
from planner.model.org import Org
from planner.model.vocabulary import (
    ALIGNS_WITH,
    BUILDS,
    DEV_TEAM,
    ENGAGES,
    LEADER,
    LINK_KINDS,
    NODE_KINDS,
    NODE_LABELS,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PERSON_KINDS,
    PRODUCT,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
    REPORTS_TO,
    STAKEHOLDER,
    STAKEHOLDER_OF,
)
from planner.report.fonts import BOLD, CSS_FAMILY, register_fonts

#: Severity colours, shared by every report format.
SEVERITY_COLORS: dict[str, str] = {"error": "#dc2626", "warning": "#b45309", "info": "#2563eb"}
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
#: The editor's card colours per node kind (planner.chart.theme, light palette).
KIND_COLORS: dict[str, str] = {
    LEADER: "#7c3aed",
    PRODUCT_MANAGER: "#2563eb",
    PRODUCT_OWNER: "#0e7490",
    DEV_TEAM: "#15803d",
    PRODUCT: "#c2410c",
    STAKEHOLDER: "#be185d",
}
#: Finding areas in their order, with colours a colour-blind reader tells apart (Okabe and Ito), none of them
#: the amber or red of a severity: an area is not a warning.
AREA_COLORS: dict[str, str] = {
    "ownership": "#0072b2",
    "structure": "#56b4e9",
    "load": "#009e73",
    "alignment": "#cc79a7",
    "risk": "#4d4d4d",
}
#: No text in a figure is smaller than this, in points.
MIN_TEXT_SIZE = 7.0
#: Bar charts show this many products, the largest first, and say how many more there are.
TOP_ROWS = 20
#: The product overview shows this many products by default, those with the worst findings first.
TOP_PRODUCTS = 60

_TEXT = "#15171a"
_SECONDARY = "#5f6672"
_GRID = "#e4e6ea"
_CARD_BORDER = "#c4c9d1"
_CONTEXT_FILL = "#eceef2"
_LINE = "#6b7280"
_WITHIN = "#5b7083"
_EXTRA_AREA_COLORS = ("#7f7f7f", "#f0e442", "#000000")


@dataclass(frozen=True)
class _LinkStyle:
    """How a link kind is drawn (the editor's legend, copied): colour, dashes, width, head."""

    color: str
    dashes: tuple[float, ...]
    width: float
    head: str  # "filled", "open", "circle" or "diamond"


_LINK_STYLES: dict[str, _LinkStyle] = {
    OWNS_STRATEGY: _LinkStyle(KIND_COLORS[PRODUCT_MANAGER], (), 1.4, "filled"),
    OWNS_BACKLOG: _LinkStyle(KIND_COLORS[PRODUCT_OWNER], (), 1.4, "filled"),
    BUILDS: _LinkStyle(KIND_COLORS[DEV_TEAM], (), 1.1, "open"),
    REPORTS_TO: _LinkStyle(_LINE, (4.0, 2.5), 1.0, "filled"),
    STAKEHOLDER_OF: _LinkStyle(KIND_COLORS[STAKEHOLDER], (1.0, 2.2), 1.1, "open"),
    ENGAGES: _LinkStyle(KIND_COLORS[STAKEHOLDER], (4.5, 2.0, 1.0, 2.0), 1.0, "circle"),
    ALIGNS_WITH: _LinkStyle(KIND_COLORS[LEADER], (6.0, 3.0), 1.0, "diamond"),
}
_DEFAULT_LINK_STYLE = _LinkStyle(_LINE, (), 1.0, "filled")

_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


# -- text ----------------------------------------------------------------------------------------


def _fonts() -> tuple[str, str]:
    return register_fonts()


def _font(bold: bool) -> str:
    regular, heavy = _fonts()
    return heavy if bold else regular


def _clean(text: object) -> str:
    """Text fit to print: control characters and line breaks become spaces, runs of spaces one."""
    text = str(text)
    if text.isprintable() and "  " not in text:
        return text.strip()
    chars = (" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text)
    return " ".join("".join(chars).split())


@cache
def _char_widths(font: str) -> tuple[Callable[[int, int], int], int] | None:
    """A TrueType font's glyph widths (in 1/1000 em) and its default width; None for a built-in font."""
    face = getattr(getFont(font), "face", None)
    if not hasattr(face, "charWidths"):
        return None
    return face.charWidths.get, face.defaultWidth


def _string_width(text: str, font: str, size: float) -> float:
    """ReportLab's ``stringWidth``, measured from a cached table: reports measure thousands of names."""
    table = _char_widths(font)
    if table is None:
        return stringWidth(text, font, size)
    get, default = table
    return 0.001 * size * sum([get(ord(char), default) for char in text])


def _width(text: str, size: float, bold: bool = False) -> float:
    return _string_width(text, _font(bold), size)


def _wrap(text: str, size: float, max_width: float, max_lines: int, bold: bool = False,
          break_words: bool = True) -> list[str] | None:
    """``text`` broken at spaces into lines no wider than ``max_width``; None when it takes more than ``max_lines``.

    A single word wider than a line is broken between characters, so that no
    character is ever dropped; or, without ``break_words``, the answer is None.
    """
    font = _font(bold)
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if _string_width(candidate, font, size) <= max_width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        if not break_words and _string_width(current, font, size) > max_width:
            return None
        while _string_width(current, font, size) > max_width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and _string_width(current[:cut], font, size) > max_width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
        if len(lines) > max_lines:
            return None
    if current or not lines:
        lines.append(current)
    return lines if len(lines) <= max_lines else None


def _fit(text: str, sizes: Sequence[float], max_width: float, max_lines: int, bold: bool = False
         ) -> tuple[float, list[str]] | None:
    """The largest of ``sizes`` at which ``text`` wraps into ``max_lines``, with its lines; None when none does.

    Words are broken only when no size keeps them whole.
    """
    for break_words in (False, True):
        for size in sizes:
            lines = _wrap(text, size, max_width, max_lines, bold, break_words)
            if lines is not None:
                return size, lines
    return None


def _fit_or_break(text: str, sizes: Sequence[float], max_width: float, max_lines: int, bold: bool = False
                  ) -> tuple[float, list[str]]:
    """As :func:`_fit`, but at the smallest size on as many lines as it takes when nothing fits."""
    fitted = _fit(text, sizes, max_width, max_lines, bold)
    if fitted is not None:
        return fitted
    return sizes[-1], _wrap(text, sizes[-1], max_width, 1_000_000, bold) or [text]


_DIGITS = re.compile(r"(\d+)")


def _natural_key(text: str) -> tuple:
    """Sort key that puts "pm99" before "pm100"."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in _DIGITS.split(text))


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


# -- colours -------------------------------------------------------------------------------------


def _color(value: str) -> Color:
    return HexColor(value)


def _tint(value: str, share: float) -> Color:
    """``value`` mixed with white, keeping ``share`` of the colour."""
    color = HexColor(value)
    return Color(*(1 - share * (1 - channel) for channel in (color.red, color.green, color.blue)))


def _text_on(value: str) -> str:
    """Black or white, whichever reads better on ``value``."""
    color = HexColor(value)
    luminance = 0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue
    return _TEXT if luminance > 0.55 else "#ffffff"


# -- a top-down sketch, turned into a ReportLab drawing once its height is known -------------------


class _Sketch:
    """Shapes placed with y growing downward (as the org's positions do), flipped into a drawing at the end."""

    def __init__(self) -> None:
        self._makers: list[Callable[[float], object]] = []

    def rect(self, x: float, y: float, w: float, h: float, fill: Color | str | None = None,
             stroke: Color | str | None = None, width: float = 1.0, radius: float = 0.0,
             dashes: Sequence[float] = ()) -> None:
        fill, stroke = _as_color(fill), _as_color(stroke)
        self._makers.append(lambda top: Rect(
            x, top - y - h, w, h, rx=radius, ry=radius, fillColor=fill, strokeColor=stroke,
            strokeWidth=width if stroke is not None else 0, strokeDashArray=list(dashes) or None))

    def line(self, x1: float, y1: float, x2: float, y2: float, color: Color | str, width: float = 1.0,
             dashes: Sequence[float] = ()) -> None:
        stroke = _as_color(color)
        self._makers.append(lambda top: Line(
            x1, top - y1, x2, top - y2, strokeColor=stroke, strokeWidth=width,
            strokeDashArray=list(dashes) or None, strokeLineCap=0))

    def polygon(self, points: Sequence[tuple[float, float]], fill: Color | str | None, stroke: Color | str | None,
                width: float = 1.0, closed: bool = True) -> None:
        fill, stroke = _as_color(fill), _as_color(stroke)

        def make(top: float) -> object:
            flat = [value for x, y in points for value in (x, top - y)]
            if closed:
                return Polygon(flat, fillColor=fill, strokeColor=stroke, strokeWidth=width if stroke else 0,
                               strokeLineJoin=0)
            return PolyLine(flat, strokeColor=stroke, strokeWidth=width, strokeLineJoin=0)

        self._makers.append(make)

    def circle(self, cx: float, cy: float, r: float, fill: Color | str | None, stroke: Color | str | None,
               width: float = 1.0) -> None:
        fill, stroke = _as_color(fill), _as_color(stroke)
        self._makers.append(lambda top: Circle(cx, top - cy, r, fillColor=fill, strokeColor=stroke,
                                               strokeWidth=width if stroke else 0))

    def curve(self, x1: float, y1: float, cx: float, cy: float, x2: float, y2: float, color: Color | str,
              width: float, dashes: Sequence[float] = ()) -> None:
        """A quadratic curve from (x1, y1) to (x2, y2) pulled toward (cx, cy)."""
        stroke = _as_color(color)

        def make(top: float) -> object:
            path = Path(fillColor=None, strokeColor=stroke, strokeWidth=width, strokeDashArray=list(dashes) or None)
            path.moveTo(x1, top - y1)
            path.curveTo(x1 + 2 / 3 * (cx - x1), top - (y1 + 2 / 3 * (cy - y1)),
                         x2 + 2 / 3 * (cx - x2), top - (y2 + 2 / 3 * (cy - y2)), x2, top - y2)
            return path

        self._makers.append(make)

    def text(self, x: float, baseline: float, text: str, size: float, bold: bool = False,
             color: Color | str = _TEXT, anchor: str = "start", rotate: bool = False) -> None:
        """A line of text; ``rotate`` turns it a quarter left, reading upward, around (x, baseline)."""
        font, fill = _font(bold), _as_color(color)

        def make(top: float) -> object:
            if not rotate:
                return String(x, top - baseline, text, fontName=font, fontSize=size, fillColor=fill,
                              textAnchor=anchor)
            label = String(0, 0, text, fontName=font, fontSize=size, fillColor=fill, textAnchor=anchor)
            return Group(label, transform=(0, 1, -1, 0, x, top - baseline))

        self._makers.append(make)

    def lines(self, x: float, top: float, lines: Sequence[str], size: float, bold: bool = False,
              color: Color | str = _TEXT, anchor: str = "start", leading: float | None = None) -> float:
        """Lines of text whose first line's top is at ``top``; returns the y under the last line."""
        leading = leading or size * 1.2
        for index, line in enumerate(lines):
            self.text(x, top + size * 0.93 + index * leading, line, size, bold, color, anchor)
        return top + leading * len(lines)

    def shapes(self, height: float, shift: float = 0.0) -> list:
        """The shapes, in a drawing ``height`` tall, moved ``shift`` down."""
        with _unchecked():
            return [make(height - shift) for make in self._makers]

    def drawing(self, width: float, height: float, shift: float = 0.0) -> Drawing:
        """The shapes in a drawing ``height`` tall, moved ``shift`` down (drawn above y = 0, made room for)."""
        with _unchecked():
            drawing = Drawing(width, height)
            drawing.contents = self.shapes(height, shift)
        return drawing


@contextmanager
def _unchecked() -> Iterator[None]:
    """ReportLab without its check of every attribute set on a shape: a figure's values were checked as they
    were worked out, and the check took most of the time of a figure of a large org."""
    checking = rl_config.shapeChecking
    rl_config.shapeChecking = 0
    try:
        yield
    finally:
        rl_config.shapeChecking = checking


class _BandsDrawing(Drawing):
    """A tall figure made of bands (rows of boxes) stacked downward, which platypus may split between bands.

    Any drawing taller than a page's frame makes platypus give up; this one
    answers ``split`` with two drawings of the same kind, cut at the edge of
    the last band that fits.
    """

    def __init__(self, width: float, bands: Sequence[tuple[float, _Sketch]]) -> None:
        height = sum(band_height for band_height, _ in bands)
        with _unchecked():
            super().__init__(width, height)
            self._bands = list(bands)
            contents = []
            top = height
            for band_height, sketch in bands:
                top -= band_height
                group = Group(transform=(1, 0, 0, 1, 0, top))
                group.contents = sketch.shapes(band_height)
                contents.append(group)
            self.contents = contents

    def split(self, availWidth: float, availHeight: float) -> list[Drawing]:  # noqa: N803 (platypus's names)
        used, count = 0.0, 0
        for band_height, _ in self._bands:
            if used + band_height > availHeight:
                break
            used += band_height
            count += 1
        if count == 0 or count == len(self._bands):
            return []
        return [_BandsDrawing(self.width, self._bands[:count]), _BandsDrawing(self.width, self._bands[count:])]


def _as_color(value: Color | str | None) -> Color | None:
    if value is None or isinstance(value, Color):
        return value
    return _hex(value)


@cache
def _hex(value: str) -> Color:
    return HexColor(value)


def _arrowhead(sketch: _Sketch, tip: tuple[float, float], angle: float, head: str, color: str, size: float,
               width: float) -> None:
    """A link's head at ``tip``, pointing along ``angle`` (radians, y downward)."""
    ux, uy = math.cos(angle), math.sin(angle)
    px, py = -uy, ux
    half = size * 0.45

    def at(back: float, side: float) -> tuple[float, float]:
        return tip[0] - ux * back + px * side, tip[1] - uy * back + py * side

    if head == "filled":
        sketch.polygon([tip, at(size, half), at(size, -half)], color, color, width * 0.5)
    elif head == "open":
        sketch.polygon([at(size, half), tip, at(size, -half)], None, color, width, closed=False)
    elif head == "circle":
        radius = size * 0.36
        centre = at(radius, 0)
        sketch.circle(centre[0], centre[1], radius, "#ffffff", color, width)
    else:
        sketch.polygon([tip, at(size * 0.6, half * 0.8), at(size * 1.2, 0), at(size * 0.6, -half * 0.8)],
                       "#ffffff", color, width)


def _draw_link(sketch: _Sketch, kind: str, start: tuple[float, float], end: tuple[float, float],
               scale: float = 1.0, control: tuple[float, float] | None = None) -> None:
    """A link from ``start`` to ``end`` in its kind's style, its head at ``end``, curved toward ``control``."""
    style = _LINK_STYLES.get(kind, _DEFAULT_LINK_STYLE)
    width = max(0.5, style.width * scale)
    dashes = [d * scale for d in style.dashes]
    head = max(3.5, 6.5 * scale)
    if control is not None:
        cx, cy = control
        angle = math.atan2(end[1] - cy, end[0] - cx)
        sketch.curve(start[0], start[1], cx, cy, end[0], end[1], style.color, width, dashes)
    else:
        angle = math.atan2(end[1] - start[1], end[0] - start[0])
        sketch.line(start[0], start[1], end[0], end[1], style.color, width, dashes)
    _arrowhead(sketch, end, angle, style.head, style.color, head, max(0.8, width * 0.8))


def _exit_point(cx: float, cy: float, tx: float, ty: float, half_w: float, half_h: float, gap: float
                ) -> tuple[float, float]:
    """Where a ray from a card's centre toward (tx, ty) leaves the card, ``gap`` further out."""
    dx, dy = tx - cx, ty - cy
    length = math.hypot(dx, dy)
    if length < 1e-9:
        return cx, cy
    scale_x = half_w / abs(dx) if dx else math.inf
    scale_y = half_h / abs(dy) if dy else math.inf
    t = min(scale_x, scale_y) + gap / length
    return cx + dx * t, cy + dy * t


# -- legends -------------------------------------------------------------------------------------


_LEGEND_SIZE = 7.5
_LEGEND_ROW = 13.0


def _legend(sketch: _Sketch, top: float, width: float, entries: Sequence[tuple[Callable[[float, float], None],
                                                                             float, str]]) -> float:
    """Legend entries (a swatch painter, the swatch's width, a label) flowed in rows; returns the y below them."""
    x, y = 0.0, top
    for paint, swatch, label in entries:
        needed = swatch + 4 + _width(label, _LEGEND_SIZE) + 12
        if x > 0 and x + needed > width:
            x, y = 0.0, y + _LEGEND_ROW
        paint(x, y + _LEGEND_ROW / 2 - 1)
        sketch.text(x + swatch + 4, y + _LEGEND_ROW / 2 + _LEGEND_SIZE * 0.35 - 1, label, _LEGEND_SIZE,
                    color=_SECONDARY)
        x += needed
    return y + _LEGEND_ROW if entries else top


def _box_swatch(sketch: _Sketch, fill: str | Color, stroke: str | Color | None = None
                ) -> Callable[[float, float], None]:
    return lambda x, y: sketch.rect(x, y - 4, 9, 8, fill, stroke, 0.8)


def _kind_swatch(sketch: _Sketch, kind: str) -> Callable[[float, float], None]:
    def paint(x: float, y: float) -> None:
        sketch.rect(x, y - 5, 14, 10, "#ffffff", _CARD_BORDER, 0.6, 2)
        sketch.rect(x, y - 5, 3, 10, KIND_COLORS.get(kind, _LINE))

    return paint


def _ring_swatch(sketch: _Sketch, severity: str) -> Callable[[float, float], None]:
    return lambda x, y: sketch.rect(x + 0.8, y - 4.2, 12.4, 8.4, "#ffffff", SEVERITY_COLORS[severity], 1.6, 2)


def _link_swatch(sketch: _Sketch, kind: str) -> Callable[[float, float], None]:
    return lambda x, y: _draw_link(sketch, kind, (x, y), (x + 26, y), 0.8)


def _graph_legend(sketch: _Sketch, top: float, width: float, kinds: Iterable[str], link_kinds: Iterable[str],
                  severities: Iterable[str], context: bool = False) -> float:
    """The legend of a chart: card kinds, link kinds, severity rings, and (``context``) the grey linked card."""
    entries: list[tuple[Callable[[float, float], None], float, str]] = []
    entries += [(_kind_swatch(sketch, kind), 14, NODE_LABELS.get(kind, kind)) for kind in kinds]
    if context:
        entries.append((lambda x, y: sketch.rect(x, y - 5, 14, 10, _CONTEXT_FILL, _CARD_BORDER, 0.6, 2), 14,
                        "linked card, for context"))
    entries += [(_link_swatch(sketch, kind), 26, LINK_KINDS[kind].label if kind in LINK_KINDS else kind)
                for kind in link_kinds]
    entries += [(_ring_swatch(sketch, severity), 14, f"has {'an' if severity == 'error' else 'a'} "
                 f"{severity if severity != 'info' else 'note (info)'}") for severity in severities]
    return _legend(sketch, top, width, entries)


def _ordered(values: Iterable[str], order: Sequence[str]) -> list[str]:
    present = set(values)
    return [value for value in order if value in present] + sorted(present - set(order))


# -- bar charts ----------------------------------------------------------------------------------


def _nice_step(largest: float, ticks: int = 4) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) for an axis reaching ``largest``."""
    raw = max(largest, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return max(1.0, factor * power)
    return max(1.0, 10 * power)


def _span_bins(largest: int, limit: int) -> list[tuple[int, int]]:
    """Ranges of direct reports (inclusive): single values up to a small limit, wider ranges beyond it.

    The ranges split exactly at the limit, so that the limit's line falls
    between two bars; above it they widen (15, 20, 30, 50, 75, 100, 150...)
    so that a span of hundreds still takes a handful of bars.
    """
    limit = max(0, limit)
    bins: list[tuple[int, int]] = []
    if limit <= 15:
        bins += [(value, value) for value in range(1, limit + 1)]
    else:
        step = _nice_step(limit, 10)
        high = limit
        while high >= 1:
            low = max(1, int(high - step + 1))
            bins.insert(0, (low, high))
            high = low - 1
    low = limit + 1
    while low <= largest:
        high = next(edge for edge in _round_edges() if edge >= low)
        bins.append((low, high))
        low = high + 1
    return bins


def _round_edges() -> Iterable[int]:
    yield from (1, 2, 3, 5, 7)
    power = 1
    while True:
        for factor in (10, 15, 20, 30, 50, 75):
            yield factor * power
        power *= 10


def _range_label(low: int, high: int) -> str:
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def span_of_control_chart(spans: list[int], limit: int, width: float) -> Drawing | None:
    """How many managers have how many direct reports: bars of managers per span, the limit marked.

    Spans above the limit are in the warning colour, and the profile's limit is
    a dashed line between the last bar within it and the first over it.
    Beyond the limit the bars cover widening ranges (11–15, 16–20, 21–30...),
    so a span of hundreds still takes only a handful of bars. Managers with no
    reports are left out; None when no manager has any.
    """
    values = sorted(value for value in spans if value > 0)
    if not values:
        return None
    limit = max(0, int(limit))
    bins = _span_bins(values[-1], limit)
    counts = [bisect.bisect_right(values, high) - bisect.bisect_left(values, low) for low, high in bins]
    within = sum(1 for _, high in bins if high <= limit)
    over_count = sum(count for (low, _), count in zip(bins, counts, strict=True) if low > limit)
    sketch = _Sketch()
    size = 7.5

    within_label = f"within the limit of {limit:,}: {_plural(len(values) - over_count, 'manager', 'managers')}"
    legend_bottom = _legend(sketch, 0, width, [
        (_box_swatch(sketch, _WITHIN), 9, within_label),
        (_box_swatch(sketch, SEVERITY_COLORS["warning"]), 9, f"over it: {_plural(over_count, 'manager', 'managers')}"),
    ])
    step = _nice_step(max(counts))
    top_value = step * math.ceil(max(counts) / step)
    tick_labels = [f"{int(step * i):,}" for i in range(int(round(top_value / step)) + 1)]
    left = max(_width(label, size) for label in tick_labels) + 16
    right = 4.0
    slot = (width - left - right) / len(bins)
    labels = [_range_label(low, high) for low, high in bins]
    rotate = max(_width(label, size) for label in labels) > slot - 2
    label_room = (max(_width(label, size) for label in labels) + 4) if rotate else size * 1.6
    plot_top = legend_bottom + 26  # room for the limit's label above the bars' values
    plot_height = max(90.0, min(180.0, width * 0.3))
    base = plot_top + plot_height

    for i, label in enumerate(tick_labels):
        y = base - plot_height * i / (len(tick_labels) - 1)
        sketch.line(left, y, width - right, y, _GRID, 0.6)
        sketch.text(left - 4, y + size * 0.35, label, size, color=_SECONDARY, anchor="end")
    sketch.text(size, plot_top + plot_height / 2, "managers", size, color=_SECONDARY, anchor="middle", rotate=True)
    bar_width = slot * 0.72
    for i, ((low, _high), count, label) in enumerate(zip(bins, counts, labels, strict=True)):
        centre = left + slot * (i + 0.5)
        colour = SEVERITY_COLORS["warning"] if low > limit else _WITHIN
        if count:
            height = max(3.0, plot_height * count / top_value)
            sketch.rect(centre - bar_width / 2, base - height, bar_width, height, colour)
            value = f"{count:,}"
            if _width(value, size) <= slot + 2:
                sketch.text(centre, base - height - 2.5, value, size, bold=low > limit, color=colour, anchor="middle")
        if rotate:
            sketch.text(centre + size * 0.35, base + 4, label, size, color=_TEXT, anchor="end", rotate=True)
        else:
            sketch.text(centre, base + 4 + size, label, size, color=_TEXT, anchor="middle")
    sketch.line(left, base, width - right, base, _LINE, 0.8)

    limit_x = left + slot * within
    sketch.line(limit_x, legend_bottom + 2, limit_x, base, SEVERITY_COLORS["warning"], 1.2, (3, 2))
    limit_label = f"limit {limit:,}"
    label_width = _width(limit_label, size, bold=True)
    if limit_x + 3 + label_width <= width:
        sketch.text(limit_x + 3, legend_bottom + 9, limit_label, size, bold=True, color=SEVERITY_COLORS["warning"])
    else:
        sketch.text(limit_x - 3, legend_bottom + 9, limit_label, size, bold=True, color=SEVERITY_COLORS["warning"],
                    anchor="end")
    axis_top = base + label_room + 4
    sketch.text(left + (width - left - right) / 2, axis_top + size, "direct reports per manager", size,
                color=_SECONDARY, anchor="middle")
    return sketch.drawing(width, axis_top + size + 4)


@dataclass(frozen=True)
class _BarRow:
    """One row of a horizontal bar chart: its name, its bar's segments (value, colour) and the label after it."""

    name: str
    segments: tuple[tuple[int, str], ...]
    label: str


def _row_chart(width: float, rows: Sequence[_BarRow], legend: Sequence[tuple[Callable[[float, float], None],
                                                                            float, str]],
               sketch: _Sketch, note: str = "", label_segments: bool = False) -> Drawing:
    """Horizontal bars, one per row, names on the left wrapped onto up to three lines, labels after the bars."""
    name_sizes = (8.0, 7.5, 7.0)
    label_size = 7.5
    top = _legend(sketch, 0, width, legend) + (4 if legend else 0)
    longest = max(_width(row.name, name_sizes[0]) for row in rows)
    name_column = max(60.0, min(width * 0.38, longest + 8))
    label_column = max(_width(row.label, label_size) for row in rows) + 6
    bar_left = name_column
    bar_room = max(20.0, width - bar_left - label_column)
    largest = max(sum(value for value, _ in row.segments) for row in rows) or 1
    y = top
    for row in rows:
        size, lines = _fit_or_break(row.name, name_sizes, name_column - 8, 3)
        leading = size * 1.2
        pitch = max(15.0, leading * len(lines) + 5)
        middle = y + pitch / 2
        sketch.lines(name_column - 6, middle - leading * len(lines) / 2, lines, size, anchor="end", leading=leading)
        bar_height = 10.0
        x = bar_left
        for value, colour in row.segments:
            if value <= 0:
                continue
            length = max(1.0, bar_room * value / largest)
            sketch.rect(x, middle - bar_height / 2, length, bar_height, colour)
            text = f"{value:,}"
            if label_segments and _width(text, MIN_TEXT_SIZE) + 3 <= length:
                sketch.text(x + length / 2, middle + MIN_TEXT_SIZE * 0.35, text, MIN_TEXT_SIZE,
                            color=_text_on(colour), anchor="middle")
            x += length
        sketch.text(x + 4, middle + label_size * 0.35, row.label, label_size, color=_TEXT)
        y += pitch
    sketch.line(bar_left, top, bar_left, y, _LINE, 0.8)
    if note:
        note_lines = _wrap(note, 7.5, width, 3) or [note]
        y = sketch.lines(0, y + 4, note_lines, 7.5, color=_SECONDARY)
    return sketch.drawing(width, y + 2)


def people_per_product_chart(rows: list[tuple[str, int, int]], width: float) -> Drawing | None:
    """People per product, most first, each bar labelled with its people and teams.

    ``rows`` are (product name, people, teams). Beyond :data:`TOP_ROWS`
    products the chart shows the largest and a line inside the drawing says
    how many more products there are and how many people and teams they hold.
    None when there is no product.
    """
    rows = [(_clean(name), max(0, int(people)), max(0, int(teams))) for name, people, teams in rows]
    if not rows:
        return None
    rows.sort(key=lambda row: (-row[1], _natural_key(row[0])))
    shown, rest = rows[:TOP_ROWS], rows[TOP_ROWS:]
    colour = KIND_COLORS[DEV_TEAM]
    bars = [_BarRow(name or "(unnamed)", ((people, colour),),
                    f"{_plural(people, 'person', 'people')} · {_plural(teams, 'team', 'teams')}")
            for name, people, teams in shown]
    note = ""
    if rest:
        people = sum(row[1] for row in rest)
        teams = sum(row[2] for row in rest)
        note = (f"{_plural(len(rest), 'smaller product', 'smaller products')} not shown: "
                f"{_plural(people, 'person', 'people')} in {_plural(teams, 'team', 'teams')} between them.")
    return _row_chart(width, bars, [], _Sketch(), note)


def findings_by_area_chart(rows: list[tuple[str, dict[str, int]]], width: float) -> Drawing | None:
    """Findings per product as stacked bars, one colour per area (ownership, structure, load, alignment, risk).

    Products with the most findings come first; beyond :data:`TOP_ROWS` a line
    inside the drawing says how many more products have findings, and how
    many. Products without findings are left out; None when none has any.
    """
    cleaned = []
    for name, counts in rows:
        counts = {str(area): max(0, int(count)) for area, count in counts.items() if count}
        if sum(counts.values()):
            cleaned.append((_clean(name) or "(unnamed)", counts))
    if not cleaned:
        return None
    cleaned.sort(key=lambda row: (-sum(row[1].values()), _natural_key(row[0])))
    areas = _ordered((area for _, counts in cleaned for area in counts), tuple(AREA_COLORS))
    extra = iter(_EXTRA_AREA_COLORS * (len(areas) // len(_EXTRA_AREA_COLORS) + 1))
    colours = {area: AREA_COLORS.get(area) or next(extra) for area in areas}
    shown, rest = cleaned[:TOP_ROWS], cleaned[TOP_ROWS:]
    bars = [_BarRow(name, tuple((counts.get(area, 0), colours[area]) for area in areas),
                    _plural(sum(counts.values()), "finding", "findings")) for name, counts in shown]
    sketch = _Sketch()
    legend = [(_box_swatch(sketch, colours[area]), 9, area) for area in areas]
    note = ""
    if rest:
        total = sum(sum(counts.values()) for _, counts in rest)
        note = (f"{_plural(len(rest), 'product', 'products')} with fewer findings not shown: "
                f"{_plural(total, 'finding', 'findings')} between them.")
    return _row_chart(width, bars, legend, sketch, note, label_segments=True)


def before_after_chart(before: dict[str, int], after: dict[str, int], width: float,
                       labels: tuple[str, str] = ("before", "after")) -> Drawing | None:
    """Errors, warnings and infos before and after a reorg (or a plan): pairs of bars, every value labelled.

    The bar before is a pale tint of the severity's colour, the bar after
    the full colour; ``labels`` name the two in the legend. None when both sides have no finding at all.
    """
    values = [(max(0, int(before.get(severity, 0) or 0)), max(0, int(after.get(severity, 0) or 0)))
              for severity in SEVERITIES]
    if not any(old or new for old, new in values):
        return None
    sketch = _Sketch()
    size = 7.5
    top = _legend(sketch, 0, width, [
        (_box_swatch(sketch, _tint(_LINE, 0.3), _LINE), 9, labels[0]),
        (_box_swatch(sketch, _LINE), 9, labels[1]),
    ]) + 14
    plot_height = 110.0
    base = top + plot_height
    largest = max(max(pair) for pair in values) or 1
    group = width / len(SEVERITIES)
    bar_width = min(38.0, group * 0.3)
    names = {"error": "Errors", "warning": "Warnings", "info": "Notes (info)"}
    for index, (severity, (old, new)) in enumerate(zip(SEVERITIES, values, strict=True)):
        colour = SEVERITY_COLORS[severity]
        centre = group * (index + 0.5)
        for offset, value, fill, bold in ((-0.55, old, _tint(colour, 0.3), False), (0.55, new, colour, True)):
            x = centre + offset * bar_width - bar_width / 2
            height = plot_height * value / largest
            if value:
                sketch.rect(x, base - height, bar_width, max(1.0, height), fill, colour, 0.8)
            sketch.text(x + bar_width / 2, base - height - 3, f"{value:,}", size + 0.5, bold=bold, color=colour,
                        anchor="middle")
        sketch.text(centre, base + 4 + size + 1, names[severity], size + 0.5, bold=True, color=_TEXT,
                    anchor="middle")
        change = new - old
        verdict = "no change" if not change else f"{change:+,}"
        sketch.text(centre, base + 6 + 2 * (size + 1), verdict, size, color=_SECONDARY, anchor="middle")
    sketch.line(0, base, width, base, _LINE, 0.8)
    return sketch.drawing(width, base + 8 + 2 * (size + 1))


# -- cards ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CardText:
    """What a card says, fitted to its width: the kind line, the name's lines and a detail line or two."""

    kind: list[str]
    name_size: float
    name: list[str]
    detail: list[str]

    def height(self, with_kind: bool) -> float:
        height = self.name_size * 1.2 * len(self.name)
        if with_kind:
            height += MIN_TEXT_SIZE * 1.2 * len(self.kind) + 1
        if self.detail:
            height += MIN_TEXT_SIZE * 1.2 * len(self.detail) + 1
        return height


def _detail(node) -> str:
    if node.kind == DEV_TEAM and node.size is not None:
        detail = _plural(node.size, "person", "people")
    elif node.kind == STAKEHOLDER and node.scope:
        detail = node.scope
    else:
        detail = _clean(node.title)
    if node.vacant:
        return f"to hire · {detail}" if detail else "to hire"
    return detail


def _card_text(node, inner_width: float, name_sizes: Sequence[float], name_lines: int, detail_lines: int,
               must_fit: bool) -> _CardText | None:
    """The card's text at the largest name size that fits whole; None when ``must_fit`` and it does not."""
    label = _clean(node.label) or node.id
    fitted = _fit(label, name_sizes, inner_width, name_lines, bold=True)
    if fitted is None:
        if must_fit:
            return None
        fitted = _fit_or_break(label, name_sizes, inner_width, name_lines, bold=True)
    detail = _detail(node)
    detail_wrapped: list[str] = []
    if detail and detail_lines:
        detail_wrapped = _wrap(detail, MIN_TEXT_SIZE, inner_width, detail_lines, break_words=False) or []
        if not detail_wrapped and node.vacant:
            detail_wrapped = ["to hire"]
    kind = NODE_LABELS.get(node.kind, node.kind)
    # Without room for the kind, the band's colour and the legend still tell it.
    kind_lines = _wrap(kind, MIN_TEXT_SIZE, inner_width, 2, bold=True, break_words=False) or []
    return _CardText(kind_lines, fitted[0], fitted[1], detail_wrapped)


def _draw_card(sketch: _Sketch, node, cx: float, cy: float, w: float, h: float, text: _CardText,
               with_kind: bool, severity: str | None, context: bool = False, scale: float = 1.0) -> None:
    left, top = cx - w / 2, cy - h / 2
    radius = min(6.0, 6.0 * scale * 1.5)
    if severity in SEVERITY_COLORS:
        ring = max(1.4, 2.2 * scale)
        sketch.rect(left - ring, top - ring, w + 2 * ring, h + 2 * ring, None, SEVERITY_COLORS[severity], ring,
                    radius + ring)
    fill = _CONTEXT_FILL if context else "#ffffff"
    sketch.rect(left, top, w, h, fill, _CARD_BORDER, 0.7, radius, (2.5, 1.5) if node.vacant else ())
    colour = KIND_COLORS.get(node.kind, _LINE)
    band = max(2.5, 4.0 * scale)
    sketch.rect(left + 0.4, top + radius * 0.6, band, h - radius * 1.2, colour)
    x = left + band + max(3.0, 5 * scale)
    y = cy - text.height(with_kind) / 2
    if with_kind:
        y = sketch.lines(x, y, text.kind, MIN_TEXT_SIZE, bold=True, color=colour) + 1
    y = sketch.lines(x, y, text.name, text.name_size, bold=True)
    if text.detail:
        sketch.lines(x, y + 1, text.detail, MIN_TEXT_SIZE, color=_SECONDARY)


def _quadratic(start: tuple[float, float], control: tuple[float, float], end: tuple[float, float],
               steps: int = 24) -> Iterable[tuple[float, float]]:
    for index in range(1, steps):
        t = index / steps
        yield ((1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t * t * end[0],
               (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t * t * end[1])


def _draw_links(sketch: _Sketch, links: Sequence[tuple[str, str, str]], centres: Mapping[str, tuple[float, float]],
                half_w: float, half_h: float, scale: float = 1.0, route: bool = False) -> float:
    """Links between card centres, clipped at the cards' edges; links of one pair drawn side by side.

    With ``route`` (a focus diagram's few cards), a link whose straight line
    would cross another card bends around it, and a link between two cards
    of one row arcs over the cards between them. Returns the highest y a
    curve reaches.
    """
    highest = math.inf
    pairs: dict[frozenset, list[tuple[str, str, str]]] = {}
    for link in links:
        if link[0] != link[1]:
            pairs.setdefault(frozenset(link[:2]), []).append(link)
    gap = max(1.0, 2.0 * scale)
    cards = list(centres.items()) if route else []

    def crossings(points: Iterable[tuple[float, float]], ends: tuple[str, str]) -> int:
        points = list(points)
        return sum(1 for node_id, (cx, cy) in cards if node_id not in ends
                   if any(abs(x - cx) < half_w + 3 and abs(y - cy) < half_h + 3 for x, y in points))

    for group in pairs.values():
        for rank, (source, target, kind) in enumerate(group):
            (sx, sy), (tx, ty) = centres[source], centres[target]
            length = math.hypot(tx - sx, ty - sy) or 1.0
            offset = (rank - (len(group) - 1) / 2) * max(2.5, 4.0 * scale)
            nx, ny = -(ty - sy) / length, (tx - sx) / length
            if source > target:  # the same side for both directions of a pair
                nx, ny = -nx, -ny
            sx, sy, tx, ty = sx + nx * offset, sy + ny * offset, tx + nx * offset, ty + ny * offset
            start = _exit_point(sx, sy, tx, ty, half_w, half_h, gap)
            end = _exit_point(tx, ty, sx, sy, half_w, half_h, gap)
            if not route or not crossings(_quadratic(start, ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2),
                                                     end), (source, target)):
                _draw_link(sketch, kind, start, end, scale)
                continue
            middle = ((sx + tx) / 2, (sy + ty) / 2)
            if abs(sy - ty) < 1e-6:
                tries = [(middle[0], middle[1] - bend) for bend in (2.2 * half_h, 3.5 * half_h, 5 * half_h)]
            else:
                tries = [(middle[0] + nx * bend * side, middle[1] + ny * bend * side)
                         for bend in (1.1 * half_w, 1.8 * half_w, 2.6 * half_w, 3.5 * half_w) for side in (1, -1)]
            best = None
            for control in tries:
                start = _exit_point(sx, sy, *control, half_w, half_h, gap)
                end = _exit_point(tx, ty, *control, half_w, half_h, gap)
                crossed = crossings(_quadratic(start, control, end), (source, target))
                if best is None or crossed < best[0]:
                    best = (crossed, start, control, end)
                if not crossed:
                    break
            _, start, control, end = best
            highest = min(highest, (start[1] + 2 * control[1] + end[1]) / 4)
            _draw_link(sketch, kind, start, end, scale, control)
    return highest


# -- focus diagram -------------------------------------------------------------------------------

_ROLE_ORDER = (PRODUCT_MANAGER, PRODUCT_OWNER, DEV_TEAM, PRODUCT, STAKEHOLDER)
#: Which neighbours a focus diagram keeps first when it must leave some out.
_LINK_WEIGHT = {OWNS_BACKLOG: 6, OWNS_STRATEGY: 6, BUILDS: 5, REPORTS_TO: 4, ALIGNS_WITH: 3, ENGAGES: 2,
                STAKEHOLDER_OF: 1}
_FOCUS_CARD_MIN = 84.0
_FOCUS_CARD_MAX = 130.0
_FOCUS_GAP_X = 12.0
_FOCUS_GAP_LAYER = 30.0
_FOCUS_GAP_ROW = 18.0


def _worse(severity: str | None, other: str | None) -> str | None:
    if other not in _SEVERITY_RANK:
        return severity
    if severity not in _SEVERITY_RANK or _SEVERITY_RANK[other] < _SEVERITY_RANK[severity]:
        return other
    return severity


def _focus_cards(org: Org, focus: list[str], severity_by_node: Mapping[str, str], room: int
                 ) -> tuple[list[str], int]:
    """The neighbours worth showing beside ``focus`` (at most ``room``), and how many were left out."""
    focus_set = set(focus)
    graph = org.graph
    found: dict[str, list] = {}
    for node_id in focus:
        for neighbours, _ in ((graph.succ[node_id], True), (graph.pred[node_id], False)):
            for other, kinds in neighbours.items():
                if other in focus_set:
                    continue
                entry = found.setdefault(other, [set(), 0])
                entry[0].add(node_id)
                entry[1] = max(entry[1], *(_LINK_WEIGHT.get(kind, 0) for kind in kinds))

    def rank(node_id: str) -> tuple:
        touched, weight = found[node_id]
        severity = _SEVERITY_RANK.get(severity_by_node.get(node_id, ""), len(_SEVERITY_RANK))
        return (-len(touched), severity, -weight, _natural_key(org.node(node_id).label))

    chosen = sorted(found, key=rank)[:max(0, room)]
    return chosen, len(found) - len(chosen)


def _layers(org: Org, shown: list[str], links: list[tuple[str, str, str]]) -> list[list[str]]:
    """The shown cards by layer: leaders (a layer per reporting level among them), then each role in turn."""
    kinds = {node_id: org.node(node_id).kind for node_id in shown}
    leaders = [node_id for node_id in shown if kinds[node_id] == LEADER]
    managers: dict[str, list[str]] = {}
    for source, target, kind in links:
        if kind == REPORTS_TO and kinds[source] == LEADER and kinds[target] == LEADER:
            managers.setdefault(source, []).append(target)
    level: dict[str, int] = {}

    def level_of(node_id: str, seen: frozenset = frozenset()) -> int:
        if node_id not in level:
            above = [m for m in managers.get(node_id, ()) if m not in seen and m != node_id]
            level[node_id] = 1 + max((level_of(m, seen | {node_id}) for m in above), default=-1)
        return level[node_id]

    layers: dict[tuple[int, int], list[str]] = {}
    for node_id in leaders:
        layers.setdefault((0, level_of(node_id)), []).append(node_id)
    for node_id in shown:
        kind = kinds[node_id]
        if kind != LEADER:
            order = _ROLE_ORDER.index(kind) + 1 if kind in _ROLE_ORDER else len(_ROLE_ORDER) + 1
            layers.setdefault((order, 0), []).append(node_id)
    return [layers[key] for key in sorted(layers)]


def _order_layers(layers: list[list[str]], links: list[tuple[str, str, str]], slot_x: Callable[[int, int], float]
                  ) -> None:
    """Reorder each layer in place so that cards sit near their neighbours (barycentre sweeps down and up)."""
    neighbours: dict[str, set[str]] = {}
    for source, target, _ in links:
        neighbours.setdefault(source, set()).add(target)
        neighbours.setdefault(target, set()).add(source)
    layer_of = {node_id: index for index, layer in enumerate(layers) for node_id in layer}

    def x_of(node_id: str) -> float:
        layer = layers[layer_of[node_id]]
        return slot_x(layer.index(node_id), len(layer))

    sweeps = list(range(1, len(layers))) + list(range(len(layers) - 2, -1, -1)) + list(range(1, len(layers)))
    previous = None
    for index in sweeps:
        direction = 1 if previous is None or index > previous else -1
        previous = index
        layer = layers[index]
        keys = {}
        for position, node_id in enumerate(layer):
            xs = [x_of(other) for other in neighbours.get(node_id, ())
                  if (layer_of[other] - index) * direction < 0]
            keys[node_id] = (sum(xs) / len(xs) if xs else slot_x(position, len(layer)), position)
        layer.sort(key=keys.__getitem__)


def _group_by_product(org: Org, layers: list[list[str]], links: list[tuple[str, str, str]]) -> None:
    """With several products shown, keep each product's people and teams together in every layer.

    Each card goes with the nearest product (a breadth-first walk from all
    products at once over the links shown); within a product's group the
    barycentre order stays. Cards near no product keep their place, last.
    """
    products = [node_id for layer in layers for node_id in layer if org.node(node_id).kind == PRODUCT]
    if len(products) < 2:
        return
    neighbours: dict[str, list[str]] = {}
    for source, target, _ in links:
        neighbours.setdefault(source, []).append(target)
        neighbours.setdefault(target, []).append(source)
    group = {product: index for index, product in enumerate(products)}
    frontier = list(products)
    while frontier:
        following = []
        for node_id in frontier:
            for other in neighbours.get(node_id, ()):
                if other not in group:
                    group[other] = group[node_id]
                    following.append(other)
        frontier = following
    for layer in layers:
        order = {node_id: position for position, node_id in enumerate(layer)}
        layer.sort(key=lambda node_id: (group.get(node_id, len(products)), order[node_id]))


def _rows_by_side(layers: list[list[str]], links: list[tuple[str, str, str]], columns: int) -> None:
    """In a layer that wraps onto rows, move cards linked upward to the top row and downward to the bottom row.

    A neighbour shared by many cards of the layer (their manager, drawn as a
    bus) hardly counts, so that a card's own link below is what places it.
    """
    layer_of = {node_id: index for index, layer in enumerate(layers) for node_id in layer}
    neighbours: dict[str, set[str]] = {}
    for source, target, _ in links:
        if source != target:
            neighbours.setdefault(source, set()).add(target)
            neighbours.setdefault(target, set()).add(source)
    for index, layer in enumerate(layers):
        if len(layer) <= columns:
            continue
        members = set(layer)
        side = {}
        for node_id in layer:
            pull = sum((1.0 if layer_of[other] > index else -1.0) / len(neighbours[other] & members)
                       for other in neighbours.get(node_id, ()) if layer_of[other] != index)
            side[node_id] = (pull > 1e-9) - (pull < -1e-9)
        layer.sort(key=side.__getitem__)


def _draw_bundles(sketch: _Sketch, links: list[tuple[str, str, str]], centres: Mapping[str, tuple[float, float]],
                  layer_of: Mapping[str, int], half_w: float, half_h: float, pitch: float,
                  gaps: Mapping[float, tuple[float, float]]) -> list[tuple[str, str, str]]:
    """Draw links of one kind joining one card to many cards of another layer as an org chart's bus.

    A layer of many cards wraps onto rows; a straight line from each of them
    to their manager would cross the rows in between. Instead each row gets
    a rail in the gap beside it, each card a short stub to its rail, and one
    trunk joins the rails to the shared card, down a gutter between columns.
    Rails of different bundles beside one row are kept apart (as many as the
    gap has room for; a bundle finding no room is drawn link by link).
    ``gaps`` holds, per row (its centre's y), the free space above and below
    it. Returns the links left to draw one by one.
    """
    used: dict[tuple[float, bool], int] = {}
    groups: dict[tuple[str, str, bool], list[tuple[str, str, str]]] = {}
    for link in links:
        source, target, kind = link
        for hub, other, outward in ((target, source, False), (source, target, True)):
            if layer_of[hub] != layer_of[other]:
                groups.setdefault((hub, kind, outward), []).append(link)
    # A card linked to two cards of the hub's layer stays out of a bus: its stub and the other link would
    # meet the card at one point, hiding that it has two (the very thing a focus diagram may be about).
    linked_layers: dict[str, list[int]] = {}
    for source, target, _ in links:
        linked_layers.setdefault(source, []).append(layer_of[target])
        linked_layers.setdefault(target, []).append(layer_of[source])
    bundled: set[tuple[str, str, str]] = set()
    for (hub, kind, outward), members in sorted(groups.items(), key=lambda item: -len(item[1])):
        members = [link for link in members if link not in bundled
                   and linked_layers[link[1] if outward else link[0]].count(layer_of[hub]) == 1]
        others = [link[1] if outward else link[0] for link in members]
        if len(others) < 3 or len({layer_of[other] for other in others}) != 1:
            continue
        hub_x, hub_y = centres[hub]
        below = centres[others[0]][1] > hub_y
        rows = sorted({centres[other][1] for other in others}, reverse=not below)
        slots = {}
        for row in rows:
            room = gaps[row][0 if below else 1]
            offsets = (9.0,) if room < 26 else (8.0, 14.0, 20.0)
            taken = used.get((row, below), 0)
            if taken >= len(offsets):
                break
            slots[row] = offsets[taken]
        if len(slots) < len(rows):
            continue
        rails = {row: row - half_h - slots[row] if below else row + half_h + slots[row] for row in rows}
        crossed = [(x, y) for node_id, (x, y) in centres.items()
                   if min(rails.values()) < y < max(rails.values()) and node_id != hub]
        xs = [centres[other][0] for other in others]
        candidates = [x + pitch / 2 for x in xs] + [x - pitch / 2 for x in xs] + [hub_x]
        trunk = min((x for x in candidates if all(abs(x - cx) > half_w + 2 for cx, _ in crossed)),
                    key=lambda x: (abs(x - hub_x), x), default=None)
        if trunk is None:
            continue
        style = _LINK_STYLES.get(kind, _DEFAULT_LINK_STYLE)
        width = style.width
        nearest = rails[rows[0]]
        hub_edge = hub_y + (half_h + 2 if below else -half_h - 2)
        sketch.line(hub_x, nearest, hub_x, hub_edge, style.color, width, style.dashes)
        if len(rows) > 1:
            sketch.line(trunk, nearest, trunk, rails[rows[-1]], style.color, width, style.dashes)
        for row in rows:
            in_row = [centres[other][0] for other in others if centres[other][1] == row]
            ends = in_row + [trunk] + ([hub_x] if row == rows[0] else [])
            sketch.line(min(ends), rails[row], max(ends), rails[row], style.color, width, style.dashes)
            for x in in_row:
                card_edge = row - half_h - 2 if below else row + half_h + 2
                sketch.line(x, rails[row], x, card_edge, style.color, width, style.dashes)
                if outward:
                    _arrowhead(sketch, (x, card_edge), math.pi / 2 if below else -math.pi / 2, style.head,
                               style.color, 5.5, max(0.8, width * 0.8))
        if not outward:
            _arrowhead(sketch, (hub_x, hub_edge), -math.pi / 2 if below else math.pi / 2, style.head, style.color,
                       6.5, max(0.8, width * 0.8))
        bundled.update(members)
        for row in rows:
            used[(row, below)] = used.get((row, below), 0) + 1
    return [link for link in links if link not in bundled]


def focus_diagram(org: Org, node_ids: Iterable[str], severity_by_node: Mapping[str, str], width: float,
                  max_cards: int = 25) -> Drawing | None:
    """The cards one risk involves, their direct neighbours and the links among them, laid out afresh by role.

    Leaders stand on top, then product managers, product owners, teams,
    products and stakeholders. All of ``node_ids`` are kept (the first
    ``max_cards`` of them, should they be more); neighbours fill the room
    left, those linked to most of the risk's cards and those with findings
    first, and a line says how many were left out. Cards of the risk are
    white, their neighbours grey; a card with findings is ringed in its
    severity's colour. None when no id names a card of the org.
    """
    focus: list[str] = []
    for node_id in node_ids:
        if node_id in org and node_id not in focus:
            focus.append(node_id)
    max_cards = max(1, int(max_cards))
    focus = focus[:max_cards]
    if not focus:
        return None
    neighbours, hidden = _focus_cards(org, focus, severity_by_node, max_cards - len(focus))
    shown = focus + neighbours
    shown_set = set(shown)
    graph = org.graph
    links = [(source, target, kind) for source in shown for target, kinds in graph.succ[source].items()
             if target in shown_set for kind in kinds]

    layers = _layers(org, shown, links)
    fitting = max(1, min(6, int((width + _FOCUS_GAP_X) // (_FOCUS_CARD_MIN + _FOCUS_GAP_X))))
    columns = min(fitting, max(len(layer) for layer in layers))
    card_w = min(_FOCUS_CARD_MAX, (width - (columns - 1) * _FOCUS_GAP_X) / columns)
    pitch = card_w + _FOCUS_GAP_X

    def slot_x(position: int, count: int) -> float:
        row_count = min(columns, count - (position // columns) * columns)
        return width / 2 + ((position % columns) - (row_count - 1) / 2) * pitch

    _order_layers(layers, links, slot_x)
    _group_by_product(org, layers, links)
    _rows_by_side(layers, links, columns)
    band = 4.0
    inner = card_w - band - 5 - 4
    texts = {node_id: _card_text(org.node(node_id), inner, (8.5, 8.0, 7.5, 7.0), 3, 2, must_fit=False)
             for node_id in shown}
    card_h = max(text.height(True) for text in texts.values()) + 10
    sketch = _Sketch()
    centres: dict[str, tuple[float, float]] = {}
    row_gaps: list[tuple[float, float]] = []  # per row: its centre, the free space above it
    y = 2.0
    for layer in layers:
        for start in range(0, len(layer), columns):
            row_gaps.append((y + card_h / 2, _FOCUS_GAP_LAYER if start == 0 else _FOCUS_GAP_ROW))
            for position in range(start, min(len(layer), start + columns)):
                centres[layer[position]] = (slot_x(position, len(layer)), y + card_h / 2)
            y += card_h + _FOCUS_GAP_ROW
        y += _FOCUS_GAP_LAYER - _FOCUS_GAP_ROW
    gaps = {row: (above, row_gaps[index + 1][1] if index + 1 < len(row_gaps) else _FOCUS_GAP_LAYER)
            for index, (row, above) in enumerate(row_gaps)}
    layer_of = {node_id: index for index, layer in enumerate(layers) for node_id in layer}
    single = _draw_bundles(sketch, links, centres, layer_of, card_w / 2, card_h / 2, pitch, gaps)
    highest = _draw_links(sketch, single, centres, card_w / 2, card_h / 2, route=True)
    shift = max(0.0, 4 - highest)
    focus_set = set(focus)
    for node_id in shown:
        cx, cy = centres[node_id]
        _draw_card(sketch, org.node(node_id), cx, cy, card_w, card_h, texts[node_id], True,
                   severity_by_node.get(node_id), context=node_id not in focus_set)
    y -= _FOCUS_GAP_LAYER - 8
    if hidden:
        y = sketch.lines(0, y, [f"{_plural(hidden, 'more card', 'more cards')} linked to these not shown."],
                         7.5, color=_SECONDARY) + 3
    severities = {severity_by_node.get(node_id) for node_id in shown}
    bottom = _graph_legend(sketch, y, width, _ordered((org.node(n).kind for n in shown), NODE_KINDS),
                           _ordered((kind for *_, kind in links), tuple(LINK_KINDS)),
                           [s for s in SEVERITIES if s in severities], context=bool(neighbours))
    return sketch.drawing(width, bottom + 2 + shift, shift)


# -- product overview ----------------------------------------------------------------------------

_PRODUCT_BOX_MIN = 140.0
_PRODUCT_GAP = 10.0
_NAMES_SHOWN = 3


def _owner_names(org: Org, ids: Iterable[str]) -> list[str]:
    names = []
    for node_id in ids:
        node = org.node(node_id)
        name = _clean(node.label) or node.id
        # A vacancy is often named for it already ("Product owner (to hire)"): say so once.
        names.append(f"{name} (to hire)" if node.vacant and "to hire" not in name.lower() else name)
    return sorted(names, key=_natural_key)


def _name_list(label: str, names: list[str], size: float, width: float) -> list[str]:
    """``label: A, B and 2 more`` in lines that break between names, and inside a name only when it must."""
    if not names:
        return [f"{label}: nobody"]
    if len(names) > _NAMES_SHOWN:
        names = [*names[:_NAMES_SHOWN - 1], f"{len(names) - _NAMES_SHOWN + 1} more"]
    parts = [f"{name}," for name in names[:-1]] + [names[-1]]
    if len(names) > 1 and names[-1].endswith(" more"):
        parts = [f"{name}," for name in names[:-2]] + [names[-2], f"and {names[-1]}"]
    lines: list[str] = []
    current = f"{label}:"
    for part in parts:
        candidate = f"{current} {part}"
        if _width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        wrapped = _wrap(part, size, width, 1_000) or [part]
        lines += wrapped[:-1]
        current = wrapped[-1]
    lines.append(current)
    return lines


def product_overview(org: Org, severity_by_product: Mapping[str, str], width: float,
                     max_products: int | None = TOP_PRODUCTS) -> Drawing | None:
    """The org at product level: a box per product with its strategy and backlog owners, teams and people.

    People are the teams' sizes plus the named owners (vacant roles are not
    yet people; a team without a size makes it "at least"). A missing owner
    reads "nobody", in the error colour. A box is
    ringed in the worst severity found on its product (``severity_by_product``,
    by product id); the products with the worst findings come first, then by
    name. Beyond ``max_products`` (None: no limit) a line says how many more
    products there are and what was found on them. The grid grows downward,
    and platypus may split it between pages at the edge of a row of boxes.
    None when the org has no product.
    """
    graph = org.graph
    products = [node for node in org.nodes() if node.kind == PRODUCT]
    if not products:
        return None

    def rank(product) -> tuple:
        return (_SEVERITY_RANK.get(severity_by_product.get(product.id, ""), len(SEVERITIES)),
                _natural_key(product.label))

    products.sort(key=rank)
    limit = len(products) if max_products is None else max(1, int(max_products))
    shown, hidden = products[:limit], products[limit:]
    columns = max(1, int((width + _PRODUCT_GAP) // (_PRODUCT_BOX_MIN + _PRODUCT_GAP)))
    box_w = (width - (columns - 1) * _PRODUCT_GAP) / columns
    inner = box_w - 12
    detail = MIN_TEXT_SIZE + 0.5
    boxes = []
    for product in shown:
        strategy, teams = [], []
        for source, kinds in graph.pred[product.id].items():
            if OWNS_STRATEGY in kinds:
                strategy.append(source)
            if BUILDS in kinds:
                teams.append(source)
        backlog = {source for team in teams for source, kinds in graph.pred[team].items() if OWNS_BACKLOG in kinds}
        owners = {node_id for node_id in (*strategy, *backlog)
                  if org.node(node_id).kind in PERSON_KINDS and not org.node(node_id).vacant}
        sizes = [org.node(team).size for team in teams]
        people = sum(size or 0 for size in sizes) + len(owners)
        headcount = _plural(people, "person", "people")
        if None in sizes:
            headcount = f"at least {headcount}" if people else "team sizes not given"
        name_size, name_lines = _fit_or_break(_clean(product.label) or product.id, (8.5, 8.0, 7.5, 7.0), inner, 3,
                                              bold=True)
        rows = []
        for label, ids in (("Strategy", strategy), ("Backlog", sorted(backlog))):
            rows.append((_name_list(label, _owner_names(org, ids), detail, inner), not ids))
        counts = f"{_plural(len(teams), 'team', 'teams')} · {headcount}"
        rows.append((_wrap(counts, detail, inner, 3) or [counts], False))
        boxes.append((severity_by_product.get(product.id), name_size, name_lines, rows))

    bands: list[tuple[float, _Sketch]] = []
    for start in range(0, len(boxes), columns):
        row = boxes[start:start + columns]
        box_h = 12 + max(name_size * 1.2 * len(lines) + 3 + sum(len(text) for text, _ in rows) * detail * 1.2
                         for _, name_size, lines, rows in row)
        sketch = _Sketch()
        for column, (severity, name_size, name_lines, rows) in enumerate(row):
            x = column * (box_w + _PRODUCT_GAP)
            ring = SEVERITY_COLORS.get(severity or "")
            sketch.rect(x + 1, 1, box_w - 2, box_h, "#ffffff", ring or _CARD_BORDER, 1.8 if ring else 0.7, 4)
            sketch.rect(x + 2, 5, 3, box_h - 8, KIND_COLORS[PRODUCT])
            line_y = sketch.lines(x + 9, 7, name_lines, name_size, bold=True) + 3
            for text, missing in rows:
                line_y = sketch.lines(x + 9, line_y, text, detail, color=SEVERITY_COLORS["error"] if missing else _TEXT)
        bands.append((box_h + _PRODUCT_GAP, sketch))
    sketch = _Sketch()
    y = 0.0
    if hidden:
        found = [severity_by_product.get(product.id) for product in hidden]
        parts = [_plural(found.count(severity), f"with {'an' if severity == 'error' else 'a'} {severity}",
                         f"with {severity}s") for severity in SEVERITIES if severity in found]
        clean = sum(1 for severity in found if severity not in SEVERITY_COLORS)
        if clean:
            parts.append(f"{clean:,} without findings")
        note = f"{_plural(len(hidden), 'more product', 'more products')} not shown: {', '.join(parts)}."
        y = sketch.lines(0, y, _wrap(note, 7.5, width, 4) or [note], 7.5, color=_SECONDARY) + 2
    severities = {severity for severity, *_ in boxes}
    y = _graph_legend(sketch, y, width, (), (), [s for s in SEVERITIES if s in severities])
    bands.append((y + 2, sketch))
    return _BandsDrawing(width, bands)


# -- the whole chart -----------------------------------------------------------------------------

#: The editor's card, in scene units (the model's positions are card centres in the same units).
_CARD_W, _CARD_H = CARD_WIDTH, CARD_HEIGHT
#: At most this share of the editor's size: a small org is not blown up past comfortable reading.
_MAX_CHART_SCALE = 0.75
#: Below this scale no name of two lines fits a card at 7 pt, whatever the org.
_MIN_CHART_SCALE = 0.3
_CHART_MARGIN = 24.0


def org_chart(org: Org, severity_by_node: Mapping[str, str], width: float, height: float) -> Drawing | None:
    """The whole chart as the editor draws it, scaled to fit ``width`` x ``height`` (legend included).

    Cards stand where the model puts them (an automatic layout when the
    positions are unusable, as after an import). None when the org is empty,
    or when at the scale that fits, card text would fall under
    :data:`MIN_TEXT_SIZE` or a name would not fit its card whole: the report
    then shows focus diagrams and the product overview, and ``planner export``
    draws the whole chart.
    """
    count = len(org)
    if not count or width <= 0 or height <= 0:
        return None
    if count * (_CARD_W * _MIN_CHART_SCALE) * (_CARD_H * _MIN_CHART_SCALE) > width * height:
        return None
    nodes = list(org.nodes())
    positions = {node.id: (node.x, node.y) for node in nodes}
    if needs_layout(org):
        positions = layered_layout(org)
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    left, top = min(xs) - _CARD_W / 2 - _CHART_MARGIN, min(ys) - _CARD_H / 2 - _CHART_MARGIN
    span_w = max(xs) - min(xs) + _CARD_W + 2 * _CHART_MARGIN
    span_h = max(ys) - min(ys) + _CARD_H + 2 * _CHART_MARGIN

    link_triples = org.link_triples()
    severities = [s for s in SEVERITIES if s in set(severity_by_node.get(node.id) for node in nodes)]
    legend_sketch = _Sketch()
    legend_height = _graph_legend(legend_sketch, 0, width, _ordered((node.kind for node in nodes), NODE_KINDS),
                                  _ordered((kind for *_, kind in link_triples), tuple(LINK_KINDS)), severities)
    scale = min(_MAX_CHART_SCALE, width / span_w, (height - legend_height - 8) / span_h)
    if scale < _MIN_CHART_SCALE:
        return None
    card_w, card_h = _CARD_W * scale, _CARD_H * scale
    band = max(2.5, 4.0 * scale)
    inner_w = card_w - band - 2 * max(3.0, 5 * scale)
    inner_h = card_h - 2 * max(2.0, 4 * scale)
    texts = _chart_texts(nodes, inner_w, inner_h, scale)
    if texts is None:
        return None
    with_kind, card_texts = texts
    offset_x = (width - span_w * scale) / 2

    def place(x: float, y: float) -> tuple[float, float]:
        return offset_x + (x - left) * scale, (y - top) * scale

    centres = {node_id: place(x, y) for node_id, (x, y) in positions.items()}
    sketch = _Sketch()
    _draw_links(sketch, link_triples, centres, card_w / 2, card_h / 2, scale * 1.6)
    for node in nodes:
        cx, cy = centres[node.id]
        _draw_card(sketch, node, cx, cy, card_w, card_h, card_texts[node.id], with_kind,
                   severity_by_node.get(node.id), scale=scale)
    chart_height = span_h * scale
    bottom = _graph_legend(sketch, chart_height + 6, width, _ordered((node.kind for node in nodes), NODE_KINDS),
                           _ordered((kind for *_, kind in link_triples), tuple(LINK_KINDS)), severities)
    return sketch.drawing(width, bottom + 2)


def _chart_texts(nodes: list, inner_w: float, inner_h: float, scale: float
                 ) -> tuple[bool, dict[str, _CardText]] | None:
    """Every card's text at one name size for the whole chart, the largest that fits them all; None if none does.

    The kind line goes first when room runs short (the band's colour and the
    legend still tell the kind), then the detail line.
    """
    largest = min(10.0, max(MIN_TEXT_SIZE, 14.0 * scale))  # the editor: a 10 pt name on a card 200 px wide
    sizes = [size for size in (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0) if size <= largest]
    for with_kind, detail_lines in ((True, 1), (False, 1), (False, 0)):
        for size in sizes:
            room = inner_h - (MIN_TEXT_SIZE * 1.2 + 1 if with_kind else 0)
            lines = int(room // (size * 1.2))
            if lines < 1:
                continue
            texts = {}
            for node in nodes:
                text = _card_text(node, inner_w, (size,), lines, detail_lines, must_fit=True)
                if text is None:
                    break
                if text.height(with_kind) > inner_h:
                    text = _CardText(text.kind, text.name_size, text.name, [])
                    if text.height(with_kind) > inner_h:
                        break
                texts[node.id] = text
            else:
                return with_kind, texts
    return None


def can_split(drawing: Drawing) -> bool:
    """Whether platypus may split ``drawing`` between pages (the product overview): place it unscaled.

    Scaling a tall figure down to fit one page would shrink its text under
    :data:`MIN_TEXT_SIZE`; this one flows onto the next page instead, cut
    between rows of boxes.
    """
    return isinstance(drawing, _BandsDrawing)


# -- SVG -----------------------------------------------------------------------------------------

_PROLOG = re.compile(r"\A.*?(?=<svg\b)", re.S)
_FONT = re.compile(r"font-family: ([^;\"]+);")
_EMPTY_META = re.compile(r"\s*<title>\.\.\.</title>\s*<desc>\.\.\.</desc>")


def to_svg(drawing: Drawing, title: str = "") -> str:
    """The drawing as an ``<svg>`` element to put inline in HTML: no XML prolog, fonts with a fallback.

    Text is escaped by the SVG renderer; the clip path's id is made unique to
    the picture, so that several figures on one page do not clip each other.
    ``title`` (escaped here) becomes the picture's accessible name.
    """
    register_fonts()
    svg = renderSVG.drawToString(drawing)
    svg = _PROLOG.sub("", svg, count=1)
    bold_names = {BOLD, "Helvetica-Bold"}

    def family(match: re.Match) -> str:
        weight = " font-weight: bold;" if match.group(1).strip() in bold_names else ""
        return f"font-family: '{CSS_FAMILY}', sans-serif;{weight}"

    svg = _FONT.sub(family, svg)
    unique = "fig" + hashlib.sha1(svg.encode("utf-8")).hexdigest()[:10]
    svg = svg.replace('id="clip"', f'id="{unique}-clip"').replace("url(#clip)", f"url(#{unique}-clip)")
    svg = svg.replace('id="group"', f'id="{unique}"')
    svg = _EMPTY_META.sub("", svg, count=1)
    label = f' aria-label="{escape(_clean(title), {chr(34): "&quot;"})}"' if title else ""
    svg = svg.replace("<svg ", f'<svg role="img"{label} style="max-width: 100%; height: auto" ', 1)
    return svg.strip()


__all__ = [
    "AREA_COLORS",
    "KIND_COLORS",
    "MIN_TEXT_SIZE",
    "SEVERITY_COLORS",
    "TOP_PRODUCTS",
    "TOP_ROWS",
    "before_after_chart",
    "can_split",
    "findings_by_area_chart",
    "focus_diagram",
    "org_chart",
    "people_per_product_chart",
    "product_overview",
    "span_of_control_chart",
    "to_svg",
]
