"""One link of the chart: a line in its kind's style from one card's edge to another's.

A :class:`LinkItem` follows its two :class:`~planner.chart.node_item.NodeItem`
ends (they call :meth:`adjust` when they move); it draws its kind's colour,
dash pattern and arrowhead, bends when several links join the same pair, and
shows its kind as a label while hovered or selected. It sits below the cards.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QStyle, QStyleOptionGraphicsItem, QWidget

from planner.chart.node_item import DETAIL_THRESHOLD, NodeItem
from planner.chart.plaintext import tooltip as plain_tooltip
from planner.chart.theme import LINK_STYLES, Theme, current_theme, draw_arrowhead
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH

_HEAD = 11.0
_BEND_STEP = 28.0
# Extended style options give paint() the exposed rectangle, used to clip long dashed lines.
_FLAGS = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable | QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption
_NO_PEN = Qt.PenStyle.NoPen
_NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


def link_label_font(base: QFont) -> QFont:
    """The font of link labels, derived from the scene's font (one for all links of a scene)."""
    font = QFont(base)
    font.setPointSizeF(8.5)
    font.setWeight(QFont.Weight.DemiBold)
    return font


_LABEL_SIZES: dict[tuple[str, str], tuple[float, float]] = {}


def _label_size(font: QFont, label: str) -> tuple[float, float]:
    key = (font.key(), label)
    size = _LABEL_SIZES.get(key)
    if size is None:
        metrics = QFontMetricsF(font)
        size = _LABEL_SIZES[key] = (metrics.horizontalAdvance(label) + 14, metrics.height() + 6)
    return size


def _exit_point(cx: float, cy: float, tx: float, ty: float, gap: float = 0.0) -> tuple[float, float]:
    """Where a ray from a card's centre (cx, cy) toward (tx, ty) leaves the card, ``gap`` further out."""
    dx, dy = tx - cx, ty - cy
    length = math.hypot(dx, dy)
    if length < 1e-6:
        return cx, cy
    scale_x = (CARD_WIDTH / 2) / abs(dx) if dx else math.inf
    scale_y = (CARD_HEIGHT / 2) / abs(dy) if dy else math.inf
    t = min(scale_x, scale_y) + gap / length
    return cx + dx * t, cy + dy * t


def _clip(line: QLineF, rect: QRectF) -> tuple[QLineF, float] | None:
    """The part of ``line`` inside ``rect`` and how far along the line it starts; None when none is."""
    x0, y0, dx, dy = line.x1(), line.y1(), line.dx(), line.dy()
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - rect.left()), (dx, rect.right() - x0), (-dy, y0 - rect.top()), (dy, rect.bottom() - y0)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return None
    if low == 0.0 and high == 1.0:
        return line, 0.0
    shown = QLineF(x0 + dx * low, y0 + dy * low, x0 + dx * high, y0 + dy * high)
    return shown, line.length() * low


class LinkItem(QGraphicsRectItem):
    """A directed, typed line between two cards.

    Its geometry is kept as plain points (start, optional bend control, end);
    the painter path is only built when a bend or a hit-test needs it, and the
    bounds are handed to Qt as the item's rectangle so that Qt never calls back
    into Python to ask for them.
    """

    Type = QGraphicsItem.UserType + 2

    def __init__(
        self,
        source: NodeItem,
        target: NodeItem,
        kind: str,
        label: str,
        theme: Theme | None = None,
        font: QFont | None = None,
        bend: int = 0,
        interactive: bool = True,
    ) -> None:
        super().__init__()
        self.setPen(_NO_PEN)
        self.source = source
        self.target = target
        self.kind = kind
        self.label = label
        self.theme = theme or current_theme()
        self.invalid = False
        #: The model's key of this link, set by the scene (the item never reads the model).
        self.link_key = None
        #: Signed rank among the links of the same pair; 0 draws straight.
        self.bend = bend
        # Shared by every link of a scene: one font, and label sizes measured once per kind.
        self._font = font if font is not None else link_label_font(QFont())
        self._label_size = _label_size(self._font, label)
        self._start = QPointF()
        self._end = QPointF()
        self._control: QPointF | None = None
        self._path: QPainterPath | None = None
        self._middle = (0.0, 0.0)
        self._hovered = False
        if interactive:
            self.setFlags(_FLAGS)
            self.setAcceptHoverEvents(True)
        self.setZValue(-1.0)
        source.link_items.add(self)
        target.link_items.add(self)
        self.adjust()
        self.refresh_tooltip()

    def type(self) -> int:
        return LinkItem.Type

    def detach(self) -> None:
        """Forget both ends (before the scene drops this item)."""
        self.source.link_items.discard(self)
        self.target.link_items.discard(self)

    def set_invalid(self, invalid: bool) -> None:
        if invalid != self.invalid:
            self.invalid = invalid
            self.refresh_tooltip()
            self.changed()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.changed()

    def set_bend(self, bend: int) -> None:
        if bend != self.bend:
            self.bend = bend
            self.adjust()

    def refresh_tooltip(self) -> None:
        """Name both ends in the tooltip (again, after one was renamed)."""
        text = f"{self.source.name or self.source.node_id} {self.label} {self.target.name or self.target.node_id}"
        if self.invalid:
            text += "\n(this kind of link is not allowed between these two roles)"
        self.setToolTip(plain_tooltip(text))

    def color(self) -> QColor:
        return self.theme.severity_color("error") if self.invalid else self.theme.link_color(self.kind)

    # -- geometry -----------------------------------------------------------------

    def adjust(self) -> None:
        """Recompute the line after an end moved or the bend changed."""
        start_center, end_center = self.source.pos(), self.target.pos()
        self._path = None
        if self.source is self.target:
            top = QPointF(start_center.x() + CARD_WIDTH / 4, start_center.y() - CARD_HEIGHT / 2)
            right = QPointF(start_center.x() + CARD_WIDTH / 2 + _HEAD, start_center.y() - CARD_HEIGHT / 4)
            path = QPainterPath(top)
            path.cubicTo(top + QPointF(0, -60), right + QPointF(70, 0), right)
            self._path = path
            self._start, self._end, self._control = top, right, None
            bounds = path.controlPointRect()
            middle = path.pointAtPercent(0.5)
            mx, my = middle.x(), middle.y()
        else:
            # Plain floats: QPointF arithmetic through the bindings costs more than the maths.
            sx, sy, ex, ey = start_center.x(), start_center.y(), end_center.x(), end_center.y()
            if self.bend:
                dx, dy = ex - sx, ey - sy
                offset = self.bend * _BEND_STEP * 2 / max(math.hypot(dx, dy), 1e-6)
                cx, cy = (sx + ex) / 2 - dy * offset, (sy + ey) / 2 + dx * offset
                ax, ay = _exit_point(sx, sy, cx, cy)
                bx, by = _exit_point(ex, ey, cx, cy, gap=2.0)
                self._control = QPointF(cx, cy)
                mx, my = (ax + 2 * cx + bx) / 4, (ay + 2 * cy + by) / 4
                left, top = min(ax, bx, cx), min(ay, by, cy)
                right, bottom = max(ax, bx, cx), max(ay, by, cy)
            else:
                ax, ay = _exit_point(sx, sy, ex, ey)
                bx, by = _exit_point(ex, ey, sx, sy, gap=2.0)
                self._control = None
                mx, my = (ax + bx) / 2, (ay + by) / 2
                left, top, right, bottom = min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)
            self._start, self._end = QPointF(ax, ay), QPointF(bx, by)
            bounds = QRectF(left, top, right - left, bottom - top)
        self._middle = (mx, my)
        # The label's room is always included, so that selecting or hovering never changes the geometry.
        margin = _HEAD + 4
        width, height = self._label_size
        label = QRectF(mx - width / 2 - 2, my - height / 2 - 2, width + 4, height + 4)
        self.setRect(bounds.adjusted(-margin, -margin, margin, margin).united(label))
        self._redraw_layer()

    def path(self) -> QPainterPath:
        if self._path is None:
            path = QPainterPath(self._start)
            if self._control is not None:
                path.quadTo(self._control, self._end)
            else:
                path.lineTo(self._end)
            self._path = path
        return self._path

    def line(self) -> QLineF:
        """The straight chord from start to tip (what the far-away sketch draws)."""
        return QLineF(self._start, self._end)

    def _tip_angle(self) -> float:
        if self.source is self.target:
            return self.path().angleAtPercent(1.0)
        before = self._control if self._control is not None else self._start
        return QLineF(before, self._end).angle()

    def _label_rect(self) -> QRectF:
        width, height = self._label_size
        mx, my = self._middle
        return QRectF(mx - width / 2, my - height / 2, width, height)

    def _shows_label(self) -> bool:
        return self._hovered or self.isSelected()

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(12.0)
        return stroker.createStroke(self.path())

    # -- events -------------------------------------------------------------------

    def hoverEnterEvent(self, event) -> None:
        # The link stays under the cards: raising it would draw it, and its label, across them.
        self._hovered = True
        self._hover_changed()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self._hovered = False
        self._hover_changed()
        super().hoverLeaveEvent(event)

    def is_hovered(self) -> bool:
        return self._hovered

    def _hover_changed(self) -> None:
        scene = self.scene()
        if scene is not None and getattr(scene, "link_layer", None) is not None:
            scene.link_hover_changed(self)
        self.update()

    def changed(self) -> None:
        """Repaint after a change of look; a link drawn into its scene's picture of links has that redrawn."""
        self._redraw_layer()
        self.update()

    def _redraw_layer(self) -> None:
        if self.flags() & _NO_CONTENTS:
            scene = self.scene()
            layer = getattr(scene, "link_layer", None) if scene is not None else None
            if layer is not None:
                layer.invalidate()

    # -- painting -----------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        self.draw(painter, option.exposedRect, bool(option.state & QStyle.StateFlag.State_Selected))

    def draw(self, painter: QPainter, exposed: QRectF, selected: bool = False) -> None:
        """Paint the link as :meth:`paint` does, only what lies in ``exposed`` (also into a picture of many links)."""
        theme = self.theme
        color = self.color()
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod < DETAIL_THRESHOLD:
            painter.setPen(QPen(color, 0))
            painter.drawLine(self.line())
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        straight = self._control is None and self.source is not self.target
        if selected or self._hovered:
            halo = QColor(theme.selection)
            halo.setAlphaF(0.3 if selected else 0.18)
            painter.setPen(QPen(halo, 8.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            if straight:
                painter.drawLine(self.line())
            else:
                painter.drawPath(self.path())
        pen = theme.link_pen(self.kind)
        pen.setColor(color)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if straight:
            line = self.line()
            # Qt dashes the whole of a long line even where it is off screen: draw only the exposed
            # part, with the dash pattern shifted so that it does not crawl while the view scrolls.
            visible = _clip(line, exposed.adjusted(-4, -4, 4, 4))
            if visible is None:
                return
            shown, skipped = visible
            if pen.style() != Qt.PenStyle.SolidLine and pen.widthF() > 0:
                pen.setDashOffset(skipped / pen.widthF())
            painter.setPen(pen)
            painter.drawLine(shown)
        else:
            painter.setPen(pen)
            painter.drawPath(self.path())
        style = LINK_STYLES.get(self.kind)
        head = style.head if style else "filled"
        if not exposed.adjusted(-_HEAD, -_HEAD, _HEAD, _HEAD).contains(self._end):
            if self._shows_label():
                self._paint_label(painter, color)
            return
        draw_arrowhead(painter, self._end, self._tip_angle(), head, color, _HEAD)
        if self._shows_label():
            self._paint_label(painter, color)

    def _paint_label(self, painter: QPainter, color: QColor) -> None:
        rect = self._label_rect()
        painter.setPen(QPen(color, 1.2))
        painter.setBrush(self.theme.label_background)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setFont(self._font)
        painter.setPen(color)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.label)
