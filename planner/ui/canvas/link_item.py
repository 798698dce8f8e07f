"""One link of the chart: a line in its kind's style from one card's edge to another's.

A :class:`LinkItem` follows its two :class:`~planner.ui.canvas.node_item.NodeItem`
ends (they call :meth:`adjust` when they move); it draws its kind's colour,
dash pattern and arrowhead, bends when several links join the same pair, and
shows its kind as a label while hovered or selected. It sits below the cards.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyle, QStyleOptionGraphicsItem, QWidget

from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH
from planner.ui.canvas.node_item import DETAIL_THRESHOLD, NodeItem
from planner.ui.theme import LINK_STYLES, Theme, current_theme, draw_arrowhead

_HEAD = 11.0
_BEND_STEP = 28.0


def _exit_point(center: QPointF, toward: QPointF, gap: float = 0.0) -> QPointF:
    """Where a ray from a card's centre toward ``toward`` leaves the card, ``gap`` further out."""
    dx, dy = toward.x() - center.x(), toward.y() - center.y()
    length = math.hypot(dx, dy)
    if length < 1e-6:
        return QPointF(center)
    scale_x = (CARD_WIDTH / 2) / abs(dx) if dx else math.inf
    scale_y = (CARD_HEIGHT / 2) / abs(dy) if dy else math.inf
    t = min(scale_x, scale_y) + gap / length
    return QPointF(center.x() + dx * t, center.y() + dy * t)


class LinkItem(QGraphicsItem):
    """A directed, typed line between two cards."""

    Type = QGraphicsItem.UserType + 2

    def __init__(self, source: NodeItem, target: NodeItem, kind: str, label: str, theme: Theme | None = None,
                 font: QFont | None = None) -> None:
        super().__init__()
        self.source = source
        self.target = target
        self.kind = kind
        self.label = label
        self.theme = theme or current_theme()
        self.invalid = False
        #: The model's key of this link, set by the scene (the item never reads the model).
        self.link_key = None
        #: Signed rank among the links of the same pair; 0 draws straight.
        self.bend = 0
        self._font = QFont(font) if font is not None else QFont()
        self._font.setPointSizeF(8.5)
        self._font.setWeight(QFont.Weight.DemiBold)
        self._path = QPainterPath()
        self._label_size = (0.0, 0.0)
        self._hovered = False
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(-1.0)
        source.link_items.add(self)
        target.link_items.add(self)
        self._measure_label()
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
            self.update()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.update()

    def set_bend(self, bend: int) -> None:
        if bend != self.bend:
            self.bend = bend
            self.adjust()

    def refresh_tooltip(self) -> None:
        """Name both ends in the tooltip (again, after one was renamed)."""
        text = f"{self.source.name or self.source.node_id} {self.label} {self.target.name or self.target.node_id}"
        if self.invalid:
            text += "\n(this kind of link is not allowed between these two roles)"
        self.setToolTip(text)

    def _measure_label(self) -> None:
        metrics = QFontMetricsF(self._font)
        self._label_size = (metrics.horizontalAdvance(self.label) + 14, metrics.height() + 6)

    # -- geometry -----------------------------------------------------------------

    def adjust(self) -> None:
        """Recompute the path after an end moved or the bend changed."""
        self.prepareGeometryChange()
        start_center, end_center = self.source.pos(), self.target.pos()
        path = QPainterPath()
        if self.source is self.target:
            top = QPointF(start_center.x() + CARD_WIDTH / 4, start_center.y() - CARD_HEIGHT / 2)
            right = QPointF(start_center.x() + CARD_WIDTH / 2 + _HEAD, start_center.y() - CARD_HEIGHT / 4)
            path.moveTo(top)
            path.cubicTo(top + QPointF(0, -60), right + QPointF(70, 0), right)
        else:
            line = QLineF(start_center, end_center)
            normal = QPointF(-line.dy(), line.dx())
            length = max(line.length(), 1e-6)
            normal = QPointF(normal.x() / length, normal.y() / length)
            control = line.center() + normal * (self.bend * _BEND_STEP * 2)
            toward_start = control if self.bend else end_center
            toward_end = control if self.bend else start_center
            start = _exit_point(start_center, toward_start)
            end = _exit_point(end_center, toward_end, gap=2.0)
            path.moveTo(start)
            if self.bend:
                path.quadTo(control, end)
            else:
                path.lineTo(end)
        self._path = path
        self.update()

    def path(self) -> QPainterPath:
        return self._path

    def _label_rect(self) -> QRectF:
        width, height = self._label_size
        center = self._path.pointAtPercent(0.5)
        return QRectF(center.x() - width / 2, center.y() - height / 2, width, height)

    def _shows_label(self) -> bool:
        return self._hovered or self.isSelected()

    def boundingRect(self) -> QRectF:
        # The label's room is always included, so that selecting or hovering never changes the geometry.
        rect = self._path.controlPointRect().adjusted(-_HEAD - 4, -_HEAD - 4, _HEAD + 4, _HEAD + 4)
        return rect.united(self._label_rect().adjusted(-2, -2, 2, 2))

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(12.0)
        return stroker.createStroke(self._path)

    # -- events -------------------------------------------------------------------

    def hoverEnterEvent(self, event) -> None:
        # The link stays under the cards: raising it would draw it, and its label, across them.
        self._hovered = True
        self.update()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self._hovered = False
        self.update()
        super().hoverLeaveEvent(event)

    # -- painting -----------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        theme = self.theme
        color = theme.severity_color("error") if self.invalid else theme.link_color(self.kind)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod < DETAIL_THRESHOLD:
            pen = QPen(color, 0)
            painter.setPen(pen)
            painter.drawPath(self._path)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected or self._hovered:
            halo = QColor(theme.selection)
            halo.setAlphaF(0.3 if selected else 0.18)
            painter.setPen(QPen(halo, 8.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawPath(self._path)
        pen = theme.link_pen(self.kind)
        pen.setColor(color)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        style = LINK_STYLES.get(self.kind)
        head = style.head if style else "filled"
        tip = self._path.pointAtPercent(1.0)
        draw_arrowhead(painter, tip, self._path.angleAtPercent(1.0), head, color, _HEAD)
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
