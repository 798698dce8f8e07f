"""The far-away chart: every card and link of the scene drawn in one paint call.

Seen from far out (below :data:`~planner.ui.canvas.node_item.DETAIL_THRESHOLD`)
a card is a few pixels wide, and thousands of separate paint calls, each
crossing from Qt into Python, would cost far more than the pixels they draw.
There the scene switches to sketch mode: every card and link gets Qt's
``ItemHasNoContents`` flag (they stay selectable, movable and hit-testable but
are not painted) and a single :class:`ChartSketch` draws blocks in the kinds'
colours and hairline links in batches, one ``drawRects``/``drawLines`` per
colour. What it draws is gathered from the items again only after something
changed (:meth:`ChartSketch.invalidate`).
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QStyleOptionGraphicsItem, QWidget

#: Dimmed cards and links (filtered out) keep this share of their colour.
DIMMED_ALPHA = 0.15


class ChartSketch(QGraphicsRectItem):
    """One item that paints the whole chart as blocks and hairlines, for far-away zooms."""

    def __init__(self, scene) -> None:
        super().__init__()
        self.setPen(Qt.PenStyle.NoPen)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        self.setZValue(0.0)
        self._scene = scene
        self._batches: tuple | None = None

    def invalidate(self) -> None:
        """Gather the cards and links again at the next paint."""
        self._batches = None
        self.update()

    def _gather(self) -> tuple:
        theme = self._scene.theme
        links: dict[tuple[str, bool], list[QLineF]] = {}
        link_colors: dict[tuple[str, bool], QColor] = {}
        for item in self._scene.link_items.values():
            if not item.isVisible():
                continue
            color = item.color()
            dimmed = item.opacity() < 1.0
            key = (color.name(), dimmed)
            if key not in links:
                links[key] = []
                if dimmed:
                    color.setAlphaF(DIMMED_ALPHA)
                link_colors[key] = color
            links[key].append(item.line())
        cards: dict[tuple[str, bool, bool], list[QRectF]] = {}
        card_colors: dict[tuple[str, bool, bool], QColor] = {}
        selected: list[QRectF] = []
        badges: dict[str, list[QRectF]] = {}
        for item in self._scene.node_items.values():
            if not item.isVisible():
                continue
            rect = item.scene_card_rect()
            dimmed = item.opacity() < 1.0
            key = (item.kind, item.vacant, dimmed)
            if key not in cards:
                cards[key] = []
                color = theme.kind_color(item.kind)
                color.setAlphaF((0.45 if item.vacant else 1.0) * (DIMMED_ALPHA if dimmed else 1.0))
                card_colors[key] = color
            cards[key].append(rect)
            if item.isSelected():
                selected.append(rect)
            if item.badge_severity and not dimmed:
                badges.setdefault(item.badge_severity, []).append(
                    QRectF(rect.right() - 40, rect.top(), 40, 30))
        return (
            [(link_colors[key], lines) for key, lines in links.items()],
            [(card_colors[key], rects) for key, rects in cards.items()],
            selected,
            [(theme.severity_color(severity), rects) for severity, rects in badges.items()],
        )

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self._batches is None:
            self._batches = self._gather()
        links, cards, selected, badges = self._batches
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for color, lines in links:
            pen = QPen(color, 0)
            painter.setPen(pen)
            painter.drawLines(lines)
        painter.setPen(Qt.PenStyle.NoPen)
        for color, rects in cards:
            painter.setBrush(color)
            painter.drawRects(rects)
        for color, rects in badges:
            painter.setBrush(color)
            painter.drawRects(rects)
        if selected:
            pen = QPen(self._scene.theme.selection, 3.0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRects(selected)
