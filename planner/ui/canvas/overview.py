"""The overview map: the whole chart in miniature in a corner of the view, with the visible area framed.

A click or a drag on the map centres the view there. The miniature is drawn
from the scene's cards as blocks in their kinds' colours (folded cards left
out, dimmed ones faint) into a cached picture, gathered again a moment after
the chart last changed; the frame of the visible area is drawn live over it
whenever the view scrolls or zooms. The map shows only while part of the
chart is out of view: at Fit it would map what is already on screen and only
take room from the chart.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from planner.chart.sketch import DIMMED_ALPHA
from planner.chart.theme import Theme, current_theme
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH

_MARGIN = 12
_PAD = 6.0
WIDTH = 220
MIN_HEIGHT = 48
MAX_HEIGHT = 180
#: Wait this long after the chart changed before drawing the miniature again.
REFRESH_MS = 250


class OverviewWidget(QWidget):
    """A small map of the chart floating in the top-right corner of a :class:`ChartView`."""

    def __init__(self, view) -> None:
        super().__init__(view)
        self._view = view
        self.theme: Theme = current_theme()
        self.setObjectName("overview")
        self.setAccessibleName("Overview map")
        self.setToolTip("The whole chart: click or drag to move the view there")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.resize(QSize(WIDTH, 150))
        self._picture: QPixmap | None = None
        #: Scene rectangle of the cards the miniature shows, and the scale it was drawn at.
        self._bounds = QRectF()
        self._scale = 1.0
        self._origin = QPointF()
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self.invalidate)
        #: Whether the user wants the map (View › Show Overview Map); it shows only while part of the chart is
        #: out of view, since a map of what the view already shows whole only takes room from the chart.
        self._wanted = True
        #: Scene rectangle of every card, for knowing whether the view shows the whole chart (None: to measure).
        self._chart: QRectF | None = None
        #: The scene's layout_version when the chart was last measured.
        self._chart_version: int | None = None
        for changed in (
            view.horizontalScrollBar().valueChanged,
            view.verticalScrollBar().valueChanged,
            view.zoom_changed,
        ):
            changed.connect(self.update)
            changed.connect(self.refresh_visibility)

    def follow_scene(self, scene) -> None:
        scene.changed.connect(self._on_scene_changed)
        self.invalidate()

    def _on_scene_changed(self, _regions=None) -> None:
        # Repaints (hover, selection) land here too: the chart is measured again only once they settle.
        if not self._refresh.isActive():
            self._refresh.start()

    def set_wanted(self, wanted: bool) -> None:
        """Turn the map on or off; when on, it shows whenever part of the chart is out of view."""
        self._wanted = wanted
        self.refresh_visibility()

    def is_wanted(self) -> bool:
        return self._wanted

    def chart_rect(self) -> QRectF:
        """The scene rectangle of every card shown, measured again only after cards came, went, moved or hid."""
        version = getattr(self._view.scene(), "layout_version", None)
        if self._chart is None or version is None or version != self._chart_version:
            self._chart = self.card_bounds()
            self._chart_version = version
        return QRectF(self._chart)

    def card_bounds(self) -> QRectF:
        """The cards' extent, from the model's positions (:meth:`~planner.chart.lazy.LazyCards.card_bounds`)."""
        scene = self._view.scene()
        return scene.card_bounds() if hasattr(scene, "card_bounds") else QRectF()

    def shows_whole_chart(self) -> bool:
        """Whether the view shows every card, so that the map would add nothing."""
        chart = self.chart_rect()
        shown = self._view.mapToScene(self._view.viewport().rect()).boundingRect()
        return chart.isEmpty() or shown.contains(chart)

    def refresh_visibility(self) -> None:
        visible = self._wanted and not self.shows_whole_chart()
        if visible != self.isVisible():
            self.setVisible(visible)

    def invalidate(self) -> None:
        """Draw the miniature again at the next paint, in a map shaped like the chart."""
        if not self._view.updatesEnabled():  # the chart is being built (a large org opening): measure it when whole
            self._refresh.start()
            return
        self._picture = None
        bounds = self.chart_rect()
        if not bounds.isEmpty():
            inner = WIDTH - 2 * _PAD
            height = round(min(MAX_HEIGHT, max(MIN_HEIGHT, inner * bounds.height() / bounds.width() + 2 * _PAD)))
            if height != self.height():
                self.resize(WIDTH, height)
                self.reposition()
        self.update()
        if self._view.isVisible():
            QTimer.singleShot(0, self, self.refresh_visibility)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.invalidate()

    def reposition(self) -> None:
        viewport = self._view.viewport().geometry()
        self.move(viewport.right() - self.width() - _MARGIN, viewport.top() + _MARGIN)

    def showEvent(self, event) -> None:
        self.reposition()
        self.invalidate()
        super().showEvent(event)

    # -- mapping ------------------------------------------------------------------

    def map_to_scene(self, point: QPointF) -> QPointF:
        """The scene point under ``point`` of this widget."""
        return QPointF(
            (point.x() - self._origin.x()) / self._scale + self._bounds.left(),
            (point.y() - self._origin.y()) / self._scale + self._bounds.top(),
        )

    def map_from_scene(self, point: QPointF) -> QPointF:
        return QPointF(
            (point.x() - self._bounds.left()) * self._scale + self._origin.x(),
            (point.y() - self._bounds.top()) * self._scale + self._origin.y(),
        )

    def _corners(self) -> Iterable[tuple[str, str, float, float]]:
        """(id, kind, left, top) of every card shown (all cards are one size): a lazily made chart's read from the
        model as they are asked for (most have no item), others' from their items."""
        scene = self._view.scene()
        if getattr(scene, "lazy", False) and scene.org is not None:
            hidden, left, top = scene.hidden_ids, CARD_WIDTH / 2, CARD_HEIGHT / 2
            return (
                (node.id, node.kind, node.x - left, node.y - top) for node in scene.org.nodes() if node.id not in hidden
            )
        corners = []
        for item in getattr(scene, "node_items", {}).values():
            if item.isVisible():
                rect = item.scene_card_rect()
                corners.append((item.node_id, item.kind, rect.x(), rect.y()))
        return corners

    def _draw_picture(self) -> QPixmap:
        ratio = self.devicePixelRatioF()
        picture = QPixmap(self.size() * ratio)
        picture.setDevicePixelRatio(ratio)
        picture.fill(Qt.GlobalColor.transparent)
        corners = self._corners()
        if isinstance(corners, list) and corners:  # the items' places (where they are while dragged)
            left, top = min(corner[2] for corner in corners), min(corner[3] for corner in corners)
            right, bottom = max(corner[2] for corner in corners), max(corner[3] for corner in corners)
            bounds = QRectF(left, top, right - left + CARD_WIDTH, bottom - top + CARD_HEIGHT)
        else:
            bounds = self.card_bounds()  # from the model, in C
        self._bounds = bounds
        area = QRectF(self.rect()).adjusted(_PAD, _PAD, -_PAD, -_PAD)
        if bounds.isEmpty():
            self._scale = 1.0
            self._origin = area.center()
            return picture
        self._scale = min(area.width() / bounds.width(), area.height() / bounds.height())
        self._origin = QPointF(
            area.left() + (area.width() - bounds.width() * self._scale) / 2,
            area.top() + (area.height() - bounds.height() * self._scale) / 2,
        )
        painter = QPainter(picture)
        painter.setPen(Qt.PenStyle.NoPen)
        for (kind, dimmed), rects in self._blocks(corners).items():
            color = self.theme.kind_color(kind)
            if dimmed:
                color.setAlphaF(DIMMED_ALPHA)
            painter.setBrush(color)
            painter.drawRects(rects)
        painter.end()
        return picture

    def _blocks(self, corners: Iterable[tuple[str, str, float, float]]) -> dict[tuple[str, bool], list[QRectF]]:
        """The cards' blocks in the map, by kind and dimming.

        Each block is at least a pixel and a half, so that every card of a huge
        chart still shows. Blocks of one colour that would start within the same
        quarter of a pixel are drawn once: on a 100,000-card chart that leaves a
        few thousand of them, and making a rectangle per card cost seconds.
        """
        bright = getattr(self._view.scene(), "highlighted_ids", None)
        scale, bounds, origin = self._scale, self._bounds, self._origin
        # Corners mapped into the map and counted in quarter pixels.
        shift_x = (origin.x() - bounds.left() * scale) * 4
        shift_y = (origin.y() - bounds.top() * scale) * 4
        quarters = scale * 4
        seen_by_group: dict[tuple[str, bool], set[tuple[int, int]]] = {}
        for node_id, kind, left, top in corners:
            group = (kind, bright is not None and node_id not in bright)
            seen = seen_by_group.get(group)
            if seen is None:
                seen = seen_by_group[group] = set()
            seen.add((round(left * quarters + shift_x), round(top * quarters + shift_y)))
        width, height = max(1.5, CARD_WIDTH * scale), max(1.5, CARD_HEIGHT * scale)
        return {group: [QRectF(x / 4, y / 4, width, height) for x, y in seen] for group, seen in seen_by_group.items()}

    def visible_rect(self) -> QRectF:
        """The part of the scene the view shows, in this widget's coordinates."""
        shown = self._view.mapToScene(self._view.viewport().rect()).boundingRect()
        return QRectF(self.map_from_scene(shown.topLeft()), self.map_from_scene(shown.bottomRight()))

    # -- Qt events ----------------------------------------------------------------

    def paintEvent(self, event) -> None:
        if self._picture is None or self._picture.size() != self.size() * self.devicePixelRatioF():
            self._picture = self._draw_picture()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        panel = QColor(self.theme.card)
        panel.setAlphaF(0.94)
        painter.setPen(QPen(self.theme.card_border, 1.0))
        painter.setBrush(panel)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        painter.drawPixmap(0, 0, self._picture)
        if not self._bounds.isEmpty():
            frame = self.visible_rect().intersected(QRectF(self.rect()).adjusted(1, 1, -1, -1))
            fill = QColor(self.theme.selection)
            fill.setAlphaF(0.12)
            painter.setBrush(fill)
            painter.setPen(QPen(self.theme.selection, 1.5))
            painter.drawRect(frame)
        painter.end()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._centre_at(event.position())
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._centre_at(event.position())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def _centre_at(self, point: QPointF) -> None:
        if self._picture is None or self._refresh.isActive():
            # The chart changed since the miniature was drawn: map the click on what is there now.
            self._refresh.stop()
            self._picture = self._draw_picture()
        if self._bounds.isEmpty():
            return
        self._view.centerOn(self.map_to_scene(point))
        self.update()
