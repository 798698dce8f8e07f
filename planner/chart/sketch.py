"""The far-away chart: every card and link of the scene drawn in one paint call.

Seen from far out (below :data:`~planner.chart.node_item.DETAIL_THRESHOLD`)
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

from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH

#: Dimmed cards and links (filtered out) keep this share of their colour.
DIMMED_ALPHA = 0.15


def link_block_color(theme, kind: str, invalid: bool, dimmed: bool) -> QColor:
    """A link's colour far out: its kind's, an error's when the link is not allowed, faint when dimmed."""
    color = theme.severity_color("error") if invalid else theme.link_color(kind)
    if dimmed:
        color.setAlphaF(DIMMED_ALPHA)
    return color


def card_block_color(theme, kind: str, vacant: bool, dimmed: bool) -> QColor:
    """A card's block far out: its kind's colour, lighter for a vacancy, faint when dimmed."""
    color = theme.kind_color(kind)
    color.setAlphaF((0.45 if vacant else 1.0) * (DIMMED_ALPHA if dimmed else 1.0))
    return color


class SceneOverlay(QGraphicsRectItem):
    """An item that paints something for the whole scene and never takes the mouse or the selection."""

    def __init__(self, scene, z: float) -> None:
        super().__init__()
        self.setPen(Qt.PenStyle.NoPen)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        self.setZValue(z)
        self._scene = scene


class ChartSketch(SceneOverlay):
    """One item that paints the whole chart as blocks and hairlines, for far-away zooms."""

    def __init__(self, scene) -> None:
        super().__init__(scene, z=0.0)
        self._batches: tuple | None = None

    def invalidate(self) -> None:
        """Gather the cards and links again at the next paint."""
        self._batches = None
        self.update()

    def _gather(self) -> tuple:
        scene = self._scene
        theme = scene.theme
        hidden = scene.hidden_ids
        bright = scene.highlighted_ids
        links: dict[tuple[str, bool, bool], list[QLineF]] = {}
        for key, item in scene.link_items.items():
            if hidden and (key.source in hidden or key.target in hidden):
                continue
            dimmed = bright is not None and not (key.source in bright and key.target in bright)
            group = (item.kind, item.invalid, dimmed)
            lines = links.get(group)
            if lines is None:
                lines = links[group] = []
            lines.append(item.line())
        half_width, half_height = CARD_WIDTH / 2, CARD_HEIGHT / 2
        cards: dict[tuple[str, bool, bool], list[QRectF]] = {}
        selected: list[QRectF] = []
        badges: dict[str, list[QRectF]] = {}
        for node_id, item in scene.node_items.items():
            if node_id in hidden:
                continue
            pos = item.pos()
            left, top = pos.x() - half_width, pos.y() - half_height
            rect = QRectF(left, top, CARD_WIDTH, CARD_HEIGHT)
            dimmed = bright is not None and node_id not in bright
            group = (item.kind, item.vacant, dimmed)
            rects = cards.get(group)
            if rects is None:
                rects = cards[group] = []
            rects.append(rect)
            if item.isSelected():
                selected.append(rect)
            if item.badge_severity and not dimmed:
                badges.setdefault(item.badge_severity, []).append(QRectF(left + CARD_WIDTH - 40, top, 40, 30))
        return (
            [(self._link_color(kind, invalid, dimmed), lines) for (kind, invalid, dimmed), lines in links.items()],
            [(self._card_color(kind, vacant, dimmed), rects) for (kind, vacant, dimmed), rects in cards.items()],
            selected,
            [(theme.severity_color(severity), rects) for severity, rects in badges.items()],
        )

    def _link_color(self, kind: str, invalid: bool, dimmed: bool) -> QColor:
        return link_block_color(self._scene.theme, kind, invalid, dimmed)

    def _card_color(self, kind: str, vacant: bool, dimmed: bool) -> QColor:
        return card_block_color(self._scene.theme, kind, vacant, dimmed)

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
