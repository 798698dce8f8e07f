"""Colours, glyphs and palettes of the editor, for light and dark windows alike.

Each node kind has a colour and a small vector glyph; each link kind a colour,
a dash pattern and an arrowhead; each severity a colour. :func:`current_theme`
picks the light or dark set from the application palette, so the canvas, the
legend and the panels always agree. Glyphs are painter paths on a unit square,
built once and scaled by the painter, which keeps painting cheap and sharp at
any DPI.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap

from planner.io.chart_style import KIND_COLORS, SEVERITY_COLORS
from planner.model.vocabulary import (
    ALIGNS_WITH,
    BUILDS,
    DEV_TEAM,
    ENGAGES,
    LEADER,
    OWNS_BACKLOG,
    OWNS_STRATEGY,
    PRODUCT,
    PRODUCT_MANAGER,
    PRODUCT_OWNER,
    REPORTS_TO,
    STAKEHOLDER,
    STAKEHOLDER_OF,
)

#: The light palette is stated once, without Qt, for the exports and the report too.
_KIND_COLORS_LIGHT = KIND_COLORS
_KIND_COLORS_DARK = {
    LEADER: "#a78bfa",
    PRODUCT_MANAGER: "#60a5fa",
    PRODUCT_OWNER: "#22d3ee",
    DEV_TEAM: "#4ade80",
    PRODUCT: "#fb923c",
    STAKEHOLDER: "#f472b6",
}
_SEVERITY_LIGHT = SEVERITY_COLORS
_SEVERITY_DARK = {"error": "#f87171", "warning": "#fbbf24", "info": "#60a5fa"}


@dataclass(frozen=True)
class LinkStyle:
    """How one link kind is drawn: which node kind lends its colour, the dashes and the head."""

    color_kind: str | None  # None: the neutral line colour
    dashes: tuple[float, ...]  # empty: a solid line
    width: float
    head: str  # "filled", "open", "circle" or "diamond"


LINK_STYLES: dict[str, LinkStyle] = {
    OWNS_STRATEGY: LinkStyle(PRODUCT_MANAGER, (), 2.4, "filled"),
    OWNS_BACKLOG: LinkStyle(PRODUCT_OWNER, (), 2.4, "filled"),
    BUILDS: LinkStyle(DEV_TEAM, (), 1.8, "open"),
    REPORTS_TO: LinkStyle(None, (6.0, 4.0), 1.6, "filled"),
    STAKEHOLDER_OF: LinkStyle(STAKEHOLDER, (1.5, 3.5), 1.8, "open"),
    ENGAGES: LinkStyle(STAKEHOLDER, (7.0, 3.0, 1.5, 3.0), 1.6, "circle"),
    ALIGNS_WITH: LinkStyle(LEADER, (10.0, 5.0), 1.6, "diamond"),
}


@dataclass(frozen=True)
class Theme:
    """Every colour the editor paints with, for one palette (light or dark)."""

    dark: bool
    canvas: QColor
    grid_dot: QColor
    card: QColor
    card_border: QColor
    text: QColor
    secondary_text: QColor
    line: QColor
    selection: QColor
    label_background: QColor

    def kind_color(self, kind: str) -> QColor:
        table = _KIND_COLORS_DARK if self.dark else _KIND_COLORS_LIGHT
        return QColor(table.get(kind, "#888888"))

    def kind_tint(self, kind: str) -> QColor:
        """A soft background of the kind's colour, for the glyph's disc and tags."""
        color = self.kind_color(kind)
        color.setAlphaF(0.22 if self.dark else 0.13)
        return color

    def severity_color(self, severity: str) -> QColor:
        table = _SEVERITY_DARK if self.dark else _SEVERITY_LIGHT
        return QColor(table.get(severity, "#888888"))

    def link_color(self, kind: str) -> QColor:
        style = LINK_STYLES.get(kind)
        if style is None or style.color_kind is None:
            return QColor(self.line)
        return self.kind_color(style.color_kind)

    def link_pen(self, kind: str, width_factor: float = 1.0) -> QPen:
        style = LINK_STYLES.get(kind, LinkStyle(None, (), 1.6, "filled"))
        pen = QPen(self.link_color(kind), style.width * width_factor)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if style.dashes:
            pen.setDashPattern([d / style.width for d in style.dashes])
        return pen


def _theme(dark: bool) -> Theme:
    if dark:
        return Theme(
            dark=True,
            canvas=QColor("#1b1c1f"),
            grid_dot=QColor("#34363b"),
            card=QColor("#2a2c31"),
            card_border=QColor("#45484f"),
            text=QColor("#f2f3f5"),
            secondary_text=QColor("#a4a8b0"),
            line=QColor("#9aa0a8"),
            selection=QColor("#4c9aff"),
            label_background=QColor("#2a2c31"),
        )
    return Theme(
        dark=False,
        canvas=QColor("#f5f6f8"),
        grid_dot=QColor("#d5d8de"),
        card=QColor("#ffffff"),
        card_border=QColor("#d3d7de"),
        text=QColor("#15171a"),
        secondary_text=QColor("#5f6672"),
        line=QColor("#6b7280"),
        selection=QColor("#2f6fed"),
        label_background=QColor("#ffffff"),
    )


LIGHT = _theme(False)
DARK = _theme(True)


def palette_is_dark(palette: QPalette | None = None) -> bool:
    if palette is None:
        palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def current_theme() -> Theme:
    """The theme that matches the application's palette right now."""
    return DARK if palette_is_dark() else LIGHT


def make_palette(dark: bool) -> QPalette:
    """A calm Fusion palette, light or dark, used by the application window."""
    palette = QPalette()
    if dark:
        colors = {
            QPalette.ColorRole.Window: "#232428",
            QPalette.ColorRole.WindowText: "#eceef1",
            QPalette.ColorRole.Base: "#1b1c1f",
            QPalette.ColorRole.AlternateBase: "#26282c",
            QPalette.ColorRole.ToolTipBase: "#2f3136",
            QPalette.ColorRole.ToolTipText: "#eceef1",
            QPalette.ColorRole.PlaceholderText: "#7d828b",
            QPalette.ColorRole.Text: "#eceef1",
            QPalette.ColorRole.Button: "#2c2e33",
            QPalette.ColorRole.ButtonText: "#eceef1",
            QPalette.ColorRole.BrightText: "#ffffff",
            QPalette.ColorRole.Highlight: "#3b7ded",
            QPalette.ColorRole.HighlightedText: "#ffffff",
            QPalette.ColorRole.Link: "#7cb3ff",
            QPalette.ColorRole.Mid: "#3a3d43",
            QPalette.ColorRole.Midlight: "#34363b",
            QPalette.ColorRole.Dark: "#151618",
            QPalette.ColorRole.Light: "#40434a",
            QPalette.ColorRole.Shadow: "#000000",
        }
        disabled = "#6c7078"
    else:
        colors = {
            QPalette.ColorRole.Window: "#f3f4f6",
            QPalette.ColorRole.WindowText: "#15171a",
            QPalette.ColorRole.Base: "#ffffff",
            QPalette.ColorRole.AlternateBase: "#f7f8fa",
            QPalette.ColorRole.ToolTipBase: "#ffffff",
            QPalette.ColorRole.ToolTipText: "#15171a",
            QPalette.ColorRole.PlaceholderText: "#8a9099",
            QPalette.ColorRole.Text: "#15171a",
            QPalette.ColorRole.Button: "#f7f8fa",
            QPalette.ColorRole.ButtonText: "#15171a",
            QPalette.ColorRole.BrightText: "#ffffff",
            QPalette.ColorRole.Highlight: "#2f6fed",
            QPalette.ColorRole.HighlightedText: "#ffffff",
            QPalette.ColorRole.Link: "#1f5fd6",
            QPalette.ColorRole.Mid: "#c9cdd4",
            QPalette.ColorRole.Midlight: "#e4e6ea",
            QPalette.ColorRole.Dark: "#9aa0a8",
            QPalette.ColorRole.Light: "#ffffff",
            QPalette.ColorRole.Shadow: "#6b7280",
        }
        disabled = "#9aa0a8"
    for role, value in colors.items():
        palette.setColor(role, QColor(value))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
    return palette


# -- glyphs ------------------------------------------------------------------


def _polyline(path: QPainterPath, points: list[tuple[float, float]], close: bool = False) -> None:
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)
    if close:
        path.closeSubpath()


@cache
def glyph_path(kind: str) -> QPainterPath:
    """The outline of a kind's glyph on the unit square (stroked, never filled)."""
    path = QPainterPath()
    if kind == LEADER:  # a crown: where reporting lines end
        crown = [(0.14, 0.74), (0.14, 0.34), (0.34, 0.52), (0.5, 0.24), (0.66, 0.52), (0.86, 0.34), (0.86, 0.74)]
        _polyline(path, crown, close=True)
    elif kind == PRODUCT_MANAGER:  # a compass needle in a dial: direction and strategy
        path.addEllipse(QPointF(0.5, 0.5), 0.36, 0.36)
        _polyline(path, [(0.62, 0.38), (0.44, 0.44), (0.38, 0.62), (0.56, 0.56)], close=True)
    elif kind == PRODUCT_OWNER:  # a ticked backlog
        for row in (0.3, 0.5, 0.7):
            _polyline(path, [(0.16, row), (0.22, row + 0.06), (0.32, row - 0.06)])
            path.moveTo(0.44, row)
            path.lineTo(0.84, row)
    elif kind == DEV_TEAM:  # three people
        for cx, top, radius in ((0.3, 0.34, 0.09), (0.7, 0.34, 0.09), (0.5, 0.28, 0.11)):
            path.addEllipse(QPointF(cx, top), radius, radius)
        path.moveTo(0.12, 0.72)
        path.quadTo(0.3, 0.44, 0.42, 0.6)
        path.moveTo(0.88, 0.72)
        path.quadTo(0.7, 0.44, 0.58, 0.6)
        path.moveTo(0.28, 0.8)
        path.quadTo(0.5, 0.38, 0.72, 0.8)
    elif kind == PRODUCT:  # a box
        _polyline(path, [(0.5, 0.14), (0.84, 0.32), (0.84, 0.7), (0.5, 0.88), (0.16, 0.7), (0.16, 0.32)], close=True)
        _polyline(path, [(0.16, 0.32), (0.5, 0.5), (0.84, 0.32)])
        path.moveTo(0.5, 0.5)
        path.lineTo(0.5, 0.88)
    elif kind == STAKEHOLDER:  # a speech bubble: someone to keep in the loop
        path.addRoundedRect(QRectF(0.14, 0.18, 0.72, 0.48), 0.14, 0.14)
        _polyline(path, [(0.32, 0.66), (0.28, 0.84), (0.48, 0.66)])
    else:
        path.addRect(QRectF(0.2, 0.2, 0.6, 0.6))
    return path


def draw_glyph(painter: QPainter, kind: str, rect: QRectF, color: QColor) -> None:
    """Stroke the kind's glyph inside ``rect`` in ``color``."""
    painter.save()
    painter.translate(rect.topLeft())
    painter.scale(rect.width(), rect.height())
    pen = QPen(color, 0.085)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(glyph_path(kind))
    painter.restore()


def kind_icon(kind: str, theme: Theme | None = None, size: int = 32) -> QIcon:
    """An icon for menus and the palette: the glyph on a soft disc of the kind's colour."""
    theme = theme or current_theme()
    icon = QIcon()
    for scale in (1, 2, 3):
        pixmap = QPixmap(QSize(size * scale, size * scale))
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(theme.kind_tint(kind)))
        painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
        draw_glyph(painter, kind, QRectF(size * 0.2, size * 0.2, size * 0.6, size * 0.6), theme.kind_color(kind))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def severity_icon(severity: str, theme: Theme | None = None, size: int = 14) -> QIcon:
    """A filled dot of the severity's colour, for the gaps list and the status bar."""
    theme = theme or current_theme()
    icon = QIcon()
    for scale in (1, 2, 3):
        pixmap = QPixmap(QSize(size * scale, size * scale))
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.severity_color(severity))
        inset = size * 0.14
        painter.drawEllipse(QRectF(inset, inset, size - 2 * inset, size - 2 * inset))
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def draw_arrowhead(painter: QPainter, tip: QPointF, angle_deg: float, head: str, color: QColor, size: float) -> None:
    """Draw a link's head at ``tip`` pointing along ``angle_deg`` (Qt's angle: counter-clockwise, y up)."""
    painter.save()
    painter.translate(tip)
    painter.rotate(-angle_deg)
    pen = QPen(color, max(1.2, size * 0.16))
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    half = size * 0.45
    if head == "filled":
        painter.setBrush(color)
        path = QPainterPath(QPointF(0, 0))
        path.lineTo(-size, -half)
        path.lineTo(-size, half)
        path.closeSubpath()
        painter.drawPath(path)
    elif head == "open":
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath(QPointF(-size, -half))
        path.lineTo(0, 0)
        path.lineTo(-size, half)
        painter.drawPath(path)
    elif head == "circle":
        painter.setBrush(Qt.BrushStyle.NoBrush)
        radius = size * 0.36
        painter.drawEllipse(QPointF(-radius, 0), radius, radius)
    else:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath(QPointF(0, 0))
        path.lineTo(-size * 0.6, -half * 0.8)
        path.lineTo(-size * 1.2, 0)
        path.lineTo(-size * 0.6, half * 0.8)
        path.closeSubpath()
        painter.drawPath(path)
    painter.restore()
