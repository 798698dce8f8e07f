"""The "+N" of folded cards seen from afar: one item that draws every marker at the same size on screen.

Close up, a folded card draws its own "+N" tag. Zoomed out below
:data:`~planner.chart.node_item.SUMMARY_THRESHOLD` that tag would shrink
with the card until nobody could read it, and further out the cards are not
painted one by one at all. So the scene keeps a single :class:`FoldMarkers`
item over the chart while anything is folded: below that zoom it draws each
folded card's marker with :func:`~planner.chart.node_item.paint_fold_marker`,
the same size on screen at any zoom; closer, it draws nothing. It takes no
clicks: the scene finds the marker under the pointer itself
(:meth:`~planner.ui.canvas.scene.ChartScene.fold_marker_at`).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from planner.chart.node_item import SUMMARY_THRESHOLD, paint_fold_marker
from planner.chart.sketch import DIMMED_ALPHA, SceneOverlay

#: Room around the scene for markers of cards near its edge, which far out reach well beyond the card.
_REACH = 5000.0


class FoldMarkers(SceneOverlay):
    """Draws the "+N" marker of every folded card when the view is zoomed out."""

    def __init__(self, scene) -> None:
        # Above the cards (1) and the connection being drawn (10): a marker is never hidden.
        super().__init__(scene, z=11.0)
        self.cover(scene.sceneRect())

    def cover(self, scene_rect: QRectF) -> None:
        """Span the scene, and a margin around it."""
        self.setRect(scene_rect.adjusted(-_REACH, -_REACH, _REACH, _REACH))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform()) >= SUMMARY_THRESHOLD:
            return
        scene = self._scene
        fonts = scene.fonts
        for node_id, count in scene.fold_counts.items():
            if not count or node_id in scene.hidden_ids or not scene.has_card(node_id):
                continue
            color = scene.theme.kind_color(scene.card_kind(node_id))
            if scene.is_dimmed(node_id):
                color.setAlphaF(DIMMED_ALPHA)
            paint_fold_marker(
                painter,
                scene.card_rect_of(node_id).bottomRight(),
                count,
                color,
                scene.theme,
                fonts.marker,
                fonts.marker_metrics,
            )
