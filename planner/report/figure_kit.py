"""What every figure of the report is drawn with: colours, fitted text, a top-down sketch, arrows and legends.

The report's figure modules (:mod:`planner.report.figure_charts`,
:mod:`planner.report.figure_diagrams` and :mod:`planner.report.figures`) share these; their
public colours and limits are re-exported by :mod:`planner.report.figures`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from reportlab import rl_config
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Path, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from planner.io.chart_style import KIND_COLORS as CHART_KIND_COLORS
from planner.model.vocabulary import (
    ALIGNS_WITH,
    BUILDS,
    DEV_TEAM,
    ENGAGES,
    LEADER,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
    REPORTS_TO,
    STAKEHOLDER,
    STAKEHOLDER_OF,
)
from planner.report.fonts import register_fonts
from planner.wording import plural

#: Severity colours, shared by every report format.
SEVERITY_COLORS: dict[str, str] = {"error": "#dc2626", "warning": "#b45309", "info": "#2563eb"}
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
#: The editor's card colours per node kind (its light palette, stated once in planner.io.chart_style).
KIND_COLORS: dict[str, str] = CHART_KIND_COLORS
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


def _wrap(
    text: str, size: float, max_width: float, max_lines: int, bold: bool = False, break_words: bool = True
) -> list[str] | None:
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


def _fit(
    text: str, sizes: Sequence[float], max_width: float, max_lines: int, bold: bool = False
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


def _fit_or_break(
    text: str, sizes: Sequence[float], max_width: float, max_lines: int, bold: bool = False
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
    return plural(count, one, many=many)


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

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: Color | str | None = None,
        stroke: Color | str | None = None,
        width: float = 1.0,
        radius: float = 0.0,
        dashes: Sequence[float] = (),
    ) -> None:
        fill, stroke = _as_color(fill), _as_color(stroke)
        self._makers.append(
            lambda top: Rect(
                x,
                top - y - h,
                w,
                h,
                rx=radius,
                ry=radius,
                fillColor=fill,
                strokeColor=stroke,
                strokeWidth=width if stroke is not None else 0,
                strokeDashArray=list(dashes) or None,
            )
        )

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        color: Color | str,
        width: float = 1.0,
        dashes: Sequence[float] = (),
    ) -> None:
        stroke = _as_color(color)
        self._makers.append(
            lambda top: Line(
                x1,
                top - y1,
                x2,
                top - y2,
                strokeColor=stroke,
                strokeWidth=width,
                strokeDashArray=list(dashes) or None,
                strokeLineCap=0,
            )
        )

    def polygon(
        self,
        points: Sequence[tuple[float, float]],
        fill: Color | str | None,
        stroke: Color | str | None,
        width: float = 1.0,
        closed: bool = True,
    ) -> None:
        fill, stroke = _as_color(fill), _as_color(stroke)

        def make(top: float) -> object:
            flat = [value for x, y in points for value in (x, top - y)]
            if closed:
                return Polygon(
                    flat, fillColor=fill, strokeColor=stroke, strokeWidth=width if stroke else 0, strokeLineJoin=0
                )
            return PolyLine(flat, strokeColor=stroke, strokeWidth=width, strokeLineJoin=0)

        self._makers.append(make)

    def circle(
        self, cx: float, cy: float, r: float, fill: Color | str | None, stroke: Color | str | None, width: float = 1.0
    ) -> None:
        fill, stroke = _as_color(fill), _as_color(stroke)
        self._makers.append(
            lambda top: Circle(cx, top - cy, r, fillColor=fill, strokeColor=stroke, strokeWidth=width if stroke else 0)
        )

    def curve(
        self,
        x1: float,
        y1: float,
        cx: float,
        cy: float,
        x2: float,
        y2: float,
        color: Color | str,
        width: float,
        dashes: Sequence[float] = (),
    ) -> None:
        """A quadratic curve from (x1, y1) to (x2, y2) pulled toward (cx, cy)."""
        stroke = _as_color(color)

        def make(top: float) -> object:
            path = Path(fillColor=None, strokeColor=stroke, strokeWidth=width, strokeDashArray=list(dashes) or None)
            path.moveTo(x1, top - y1)
            path.curveTo(
                x1 + 2 / 3 * (cx - x1),
                top - (y1 + 2 / 3 * (cy - y1)),
                x2 + 2 / 3 * (cx - x2),
                top - (y2 + 2 / 3 * (cy - y2)),
                x2,
                top - y2,
            )
            return path

        self._makers.append(make)

    def text(
        self,
        x: float,
        baseline: float,
        text: str,
        size: float,
        bold: bool = False,
        color: Color | str = _TEXT,
        anchor: str = "start",
        rotate: bool = False,
    ) -> None:
        """A line of text; ``rotate`` turns it a quarter left, reading upward, around (x, baseline)."""
        font, fill = _font(bold), _as_color(color)

        def make(top: float) -> object:
            if not rotate:
                return String(x, top - baseline, text, fontName=font, fontSize=size, fillColor=fill, textAnchor=anchor)
            label = String(0, 0, text, fontName=font, fontSize=size, fillColor=fill, textAnchor=anchor)
            return Group(label, transform=(0, 1, -1, 0, x, top - baseline))

        self._makers.append(make)

    def lines(
        self,
        x: float,
        top: float,
        lines: Sequence[str],
        size: float,
        bold: bool = False,
        color: Color | str = _TEXT,
        anchor: str = "start",
        leading: float | None = None,
    ) -> float:
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


def _arrowhead(
    sketch: _Sketch, tip: tuple[float, float], angle: float, head: str, color: str, size: float, width: float
) -> None:
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
        sketch.polygon(
            [tip, at(size * 0.6, half * 0.8), at(size * 1.2, 0), at(size * 0.6, -half * 0.8)], "#ffffff", color, width
        )


def _draw_link(
    sketch: _Sketch,
    kind: str,
    start: tuple[float, float],
    end: tuple[float, float],
    scale: float = 1.0,
    control: tuple[float, float] | None = None,
) -> None:
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


def _exit_point(
    cx: float, cy: float, tx: float, ty: float, half_w: float, half_h: float, gap: float
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
