"""The chart view: zoom, pan, fit, rubber-band selection, drops from the palette and from the desktop.

Ctrl+wheel and Ctrl+plus/minus zoom about the pointer, clamped between 1 % and
400 %; the middle button or Space+left button pans; a left drag on empty
canvas draws a rubber band. A kind dragged from the palette is reported as
``kind_dropped``; files dropped from the desktop as ``files_dropped``. A small
legend floats in the bottom-left corner and, while part of the chart is out of
view, an overview map of the whole chart in the top-right one. Far out, the
scene is asked to draw its one-piece sketch.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPalette, QPen, QPixmapCache, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from planner.chart.node_item import DETAIL_THRESHOLD
from planner.chart.theme import Theme, current_theme
from planner.ui.canvas.legend import LegendWidget
from planner.ui.canvas.overview import OverviewWidget

#: Mime type of a node kind dragged from the palette.
KIND_MIME = "application/x-planner-node-kind"
#: Files the editor can open when dropped on it.
OPENABLE_SUFFIXES = (".json", ".graphml")

#: What an empty chart shows.
EMPTY_HINT = (
    "This org is empty.\nClick a role in the Add panel, or drag one here, to place your first card.\n"
    "Then drag from a card's + handle to another card to link them."
)

#: Low enough for Fit to show a whole chart of tens of thousands of cards.
MIN_ZOOM = 0.01
MAX_ZOOM = 4.0
ZOOM_STEP = 1.25
#: Jumping to a card (a finding, a Find match) zooms in at least this far, where card text is readable.
READABLE_ZOOM = 0.6
#: Thickness of the frame that shows the chart has the keyboard focus, in pixels.
FOCUS_FRAME = 2


def openable_files(mime) -> list[str]:
    """The local org files among the URLs of a drag (what a drop on the editor would open)."""
    if not mime.hasUrls():
        return []
    return [
        url.toLocalFile()
        for url in mime.urls()
        if url.isLocalFile() and url.toLocalFile().lower().endswith(OPENABLE_SUFFIXES)
    ]


class ChartView(QGraphicsView):
    """A view on a :class:`~planner.ui.canvas.scene.EditorScene` with editor-style navigation."""

    zoom_changed = Signal(float)
    kind_dropped = Signal(str, QPointF)
    files_dropped = Signal(list)

    # Class defaults: Qt may deliver focus events while the constructor is still running.
    _pan_anchor = None
    _space_held = False
    #: True while a file is read and drawn: an empty chart then is not one to start drawing on.
    opening_file = False
    #: A lazily made chart (planner/chart/lazy.py) still has to be told what the view shows.
    _region_pending = False

    def __init__(self, scene, parent=None) -> None:
        super().__init__(scene, parent)
        self.theme: Theme = current_theme()
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        # The dotted grid is drawn once per zoom and scrolled as a picture, not redrawn dot by dot.
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.legend = LegendWidget(self)
        self.legend.set_theme(self.theme)
        self.overview = OverviewWidget(self)
        self.overview.set_theme(self.theme)
        self.overview.follow_scene(scene)
        self.zoom_changed.connect(self._follow_zoom)
        # A large org's chart makes card items for what the view shows (planner/chart/lazy.py): tell it.
        self.horizontalScrollBar().valueChanged.connect(self._show_region)
        self.verticalScrollBar().valueChanged.connect(self._show_region)
        self.rubberBandChanged.connect(self._rubber_band_changed)
        # The keyboard focus shows as a thin frame along the chart's edges (strips, so scrolling stays a blit).
        self.focus_edges = [QWidget(self) for _ in range(4)]
        for edge in self.focus_edges:
            edge.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            edge.setAutoFillBackground(True)
            edge.setBackgroundRole(QPalette.ColorRole.Highlight)
            edge.hide()
        self._paint_focus_edges()
        if hasattr(scene, "enable_card_cache"):
            # Room for the pictures of a few hundred cards, as many as a large screen shows at once.
            QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 64 * 1024))
            scene.enable_card_cache()

    def _follow_zoom(self, zoom: float) -> None:
        # Far out, the scene paints one sketch instead of thousands of cards.
        scene = self.scene()
        if hasattr(scene, "set_sketch_mode"):
            scene.set_sketch_mode(zoom < DETAIL_THRESHOLD)
        self._show_region()

    def _show_region(self, _value: int = 0) -> None:
        """A lazily made chart is told what the view shows (so that the cards there get items) before its next paint.

        Not at once: while a file opens, the view is placed or shown, it goes
        through zooms and places it never paints.
        """
        if getattr(self.scene(), "lazy", False):
            self._region_pending = True
            self.viewport().update()

    def show_region_now(self) -> None:
        """Tell a lazily made chart what the view shows now."""
        scene = self.scene()
        self._region_pending = False
        if getattr(scene, "lazy", False):
            scene.show_region(self.mapToScene(self.viewport().rect()).boundingRect(), self.zoom())

    def paintEvent(self, event) -> None:
        if self._region_pending:
            self.show_region_now()
        super().paintEvent(event)

    def _rubber_band_changed(self, band, start: QPointF, end: QPointF) -> None:
        """A rubber band over a lazy chart's far-away blocks: the cards under it get items, to be selected."""
        scene = self.scene()
        if getattr(scene, "lazy", False) and not band.isNull():
            # The band itself: Qt hands the end point of the move before this one.
            scene.materialise_area(self.mapToScene(band).boundingRect())

    # -- zoom -----------------------------------------------------------------------

    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, anchor_under_mouse: bool = False) -> None:
        factor = min(MAX_ZOOM, max(MIN_ZOOM, factor))
        current = self.zoom()
        if math.isclose(factor, current, rel_tol=1e-4):
            return
        previous = self.transformationAnchor()
        if not anchor_under_mouse:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(factor / current, factor / current)
        self.setTransformationAnchor(previous)
        self.zoom_changed.emit(self.zoom())

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / ZOOM_STEP)

    def reset_zoom(self) -> None:
        self.set_zoom(1.0)

    def fit_rect(self, rect: QRectF, max_zoom: float = 1.0, whole_chart: bool = False) -> None:
        """Show ``rect`` whole, never magnified beyond ``max_zoom``, with no card under the legend or the map.

        With ``whole_chart`` (``rect`` holds every card) the map is left out of
        the reckoning: once the view shows the whole chart, the map hides.

        Each floating panel may be left where it is, if no card ends up under
        it, or cleared by a strip along its edge of the view (the legend's
        bottom, the map's top) or along its side (left, right). Of those ways
        the one that shows the chart largest wins.
        """
        if rect.isNull() or rect.isEmpty():
            return
        rect = rect.adjusted(-40, -40, 40, 40)
        if self.overview.isVisible() and not whole_chart:
            # The map takes the chart's shape; it must have it before the fit looks where it is.
            self.overview.invalidate()
        viewport = QRectF(self.viewport().rect())
        panels = self._panels()
        if whole_chart:
            panels.pop("overview", None)
        choices = sorted(self._free_areas(panels), key=lambda choice: -self._fit_factor(rect, choice[0]))
        for area, clears_all in choices:
            factor = min(max_zoom, max(MIN_ZOOM, self._fit_factor(rect, area)))
            shift = viewport.center() - area.center()
            centre = rect.center() + QPointF(shift.x() / factor, shift.y() / factor)
            if clears_all or not self._cards_under(panels, factor, centre):
                break
        self._place(factor, centre)

    def _place(self, factor: float, centre: QPointF) -> None:
        """Show the chart at ``factor`` with ``centre`` in the middle of the view."""
        shown = QRectF(0, 0, self.viewport().width() / factor, self.viewport().height() / factor)
        shown.moveCenter(centre)
        scene = self.scene()
        if not scene.sceneRect().contains(shown):
            # The view only scrolls within the scene: without room around a small chart it would centre it.
            scene.setSceneRect(scene.sceneRect().united(shown.adjusted(-40, -40, 40, 40)))
        self.resetTransform()
        self.scale(factor, factor)
        self.centerOn(centre)
        self.zoom_changed.emit(self.zoom())

    def _panels(self) -> dict[str, QRectF]:
        """The floating panels shown over the chart, in viewport coordinates, with a little room around."""
        offset = self.viewport().geometry().topLeft()
        gap = 8
        return {
            name: QRectF(panel.geometry().translated(-offset)).adjusted(-gap, -gap, gap, gap)
            for name, panel in (("legend", self.legend), ("overview", self.overview))
            if panel.isVisible()
        }

    def _free_areas(self, panels: dict[str, QRectF]) -> list[tuple[QRectF, bool]]:
        """Parts of the viewport a fitted chart may fill, each with whether it keeps clear of every panel."""
        viewport = QRectF(self.viewport().rect())
        # Ways to treat each panel, as room taken from (left, top, right, bottom); None: leave it be.
        legend_ways: list[tuple[float, float, float, float] | None] = [None]
        if "legend" in panels:
            legend = panels["legend"]
            legend_ways += [(0, 0, 0, viewport.bottom() - legend.top()), (legend.right(), 0, 0, 0)]
        overview_ways: list[tuple[float, float, float, float] | None] = [None]
        if "overview" in panels:
            overview = panels["overview"]
            overview_ways += [(0, overview.bottom(), 0, 0), (0, 0, viewport.right() - overview.left(), 0)]
        # A few pixels of air at the view's edges, whatever the zoom.
        air = 12
        areas = []
        for legend_way in legend_ways:
            for overview_way in overview_ways:
                room = [
                    max(air, *sides) for sides in zip(legend_way or (0,) * 4, overview_way or (0,) * 4, strict=True)
                ]
                free = viewport.adjusted(room[0], room[1], -room[2], -room[3])
                clears_all = (legend_way is not None or "legend" not in panels) and (
                    overview_way is not None or "overview" not in panels
                )
                if free.width() >= 80 and free.height() >= 80:
                    areas.append((free, clears_all))
        return areas or [(viewport, True)]

    def _cards_under(self, panels: dict[str, QRectF], factor: float, centre: QPointF) -> bool:
        """Whether any card would lie under a panel with the view at ``factor`` and centred on ``centre``."""
        middle = QRectF(self.viewport().rect()).center()
        for panel in panels.values():
            area = QRectF(
                centre.x() + (panel.left() - middle.x()) / factor,
                centre.y() + (panel.top() - middle.y()) / factor,
                panel.width() / factor,
                panel.height() / factor,
            )
            scene = self.scene()
            if hasattr(scene, "has_card_in") and scene.has_card_in(area):
                return True
        return False

    @staticmethod
    def _fit_factor(rect: QRectF, area: QRectF) -> float:
        return min(area.width() / rect.width(), area.height() / rect.height())

    def fit_all(self) -> None:
        rect = self.overview.card_bounds()  # from the model: a large org's cards mostly have no item
        if rect.isNull():
            self.resetTransform()
            self.centerOn(0, 0)
            self.zoom_changed.emit(self.zoom())
            return
        self.fit_rect(rect, whole_chart=True)
        self.overview.invalidate()  # the chart may have changed since the map last measured it
        self.overview.refresh_visibility()

    def zoom_to_items(self, items) -> None:
        """Zoom in or out so that ``items`` (the selection) fill the view, up to twice the actual size."""
        rect = QRectF()
        for item in items:
            rect = rect.united(item.sceneBoundingRect())
        if not rect.isNull():
            self.fit_rect(rect, max_zoom=2.0)

    def show_rect(self, rect: QRectF) -> None:
        """Bring cards into view as drawing tools do: leave the view alone if they are already shown readably.

        Otherwise zoom in to at least :data:`READABLE_ZOOM` (less only when the
        cards would not fit) and scroll only when they are off screen or under
        the legend or the overview map.
        """
        if rect.isNull():
            return
        target = max(self.zoom(), READABLE_ZOOM)
        area = QRectF(self.viewport().rect()).adjusted(24, 24, -24, -24)
        if rect.width() * target > area.width() or rect.height() * target > area.height():
            self.fit_rect(rect, max_zoom=max(self.zoom(), 1.0))
            return
        if not math.isclose(target, self.zoom(), rel_tol=1e-4):
            spot = self.mapFromScene(rect.center())
            if self.viewport().rect().contains(spot):
                # The cards are in view: zoom about them, so that they stay where the eye is.
                self.zoom_about(target, rect.center(), QPointF(spot))
            else:
                self.set_zoom(target)
        if not self._shows_clear(rect):
            self.centerOn(rect.center())

    def zoom_about(self, factor: float, scene_point: QPointF, viewport_point: QPointF) -> None:
        """Zoom to ``factor`` keeping ``scene_point`` at ``viewport_point`` (as far as the scene lets it scroll)."""
        factor = min(MAX_ZOOM, max(MIN_ZOOM, factor))
        offset = QRectF(self.viewport().rect()).center() - viewport_point
        self._place(factor, scene_point + QPointF(offset.x() / factor, offset.y() / factor))

    def _shows_clear(self, rect: QRectF) -> bool:
        """Whether ``rect`` lies inside the viewport and under none of the floating panels."""
        shown = self.mapFromScene(rect).boundingRect()
        viewport = self.viewport().rect().adjusted(8, 8, -8, -8)
        if not viewport.contains(shown):
            return False
        offset = self.viewport().geometry().topLeft()
        return not any(
            panel.isVisible() and panel.geometry().translated(-offset).intersects(shown)
            for panel in (self.legend, self.overview)
        )

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                self.set_zoom(self.zoom() * ZOOM_STEP**steps, anchor_under_mouse=True)
            event.accept()
            return
        super().wheelEvent(event)

    # -- pan ------------------------------------------------------------------------

    def _start_pan(self, event) -> None:
        self._pan_anchor = event.position()
        self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        event.accept()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton and self._space_held
        ):
            self._start_pan(event)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._pan_anchor is not None:
            delta = event.position() - self._pan_anchor
            self._pan_anchor = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - round(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._pan_anchor is not None and event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.LeftButton):
            self._pan_anchor = None
            self._restore_cursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def _restore_cursor(self) -> None:
        if self._space_held:
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.viewport().unsetCursor()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = True
            self._restore_cursor()
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_held = False
            self._restore_cursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self._place_focus_edges()
        for edge in self.focus_edges:
            edge.show()
            edge.raise_()

    def focusOutEvent(self, event) -> None:
        self._space_held = False
        self._restore_cursor()
        for edge in self.focus_edges:
            edge.hide()
        super().focusOutEvent(event)

    def _paint_focus_edges(self) -> None:
        for edge in self.focus_edges:
            palette = edge.palette()
            palette.setColor(QPalette.ColorRole.Highlight, self.theme.selection)
            edge.setPalette(palette)

    def _place_focus_edges(self) -> None:
        area = self.viewport().geometry()
        width = FOCUS_FRAME
        top, bottom, left, right = self.focus_edges
        top.setGeometry(area.left(), area.top(), area.width(), width)
        bottom.setGeometry(area.left(), area.bottom() - width + 1, area.width(), width)
        left.setGeometry(area.left(), area.top(), width, area.height())
        right.setGeometry(area.right() - width + 1, area.top(), width, area.height())

    def has_focus_frame(self) -> bool:
        return all(edge.isVisible() for edge in self.focus_edges)

    # -- drops ----------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(KIND_MIME) or openable_files(event.mimeData()):
            event.acceptProposedAction()
            return
        event.ignore()

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(KIND_MIME) or openable_files(event.mimeData()):
            event.acceptProposedAction()
            return
        event.ignore()

    def dropEvent(self, event) -> None:
        mime = event.mimeData()
        if mime.hasFormat(KIND_MIME):
            kind = bytes(mime.data(KIND_MIME).data()).decode("utf-8")
            self.kind_dropped.emit(kind, self.mapToScene(event.position().toPoint()))
            event.acceptProposedAction()
            return
        files = openable_files(mime)
        if files:
            self.files_dropped.emit(files)
            event.acceptProposedAction()
            return
        event.ignore()

    # -- looks ----------------------------------------------------------------------

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self._paint_focus_edges()
        self.legend.set_theme(theme)
        self.overview.set_theme(theme)
        self.resetCachedContent()
        self.viewport().update()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        painter.fillRect(rect, self.theme.canvas)
        zoom = self.zoom()
        if zoom < 0.45:
            return
        grid = 20.0 * (2 if zoom < 0.8 else 1)
        left = math.floor(rect.left() / grid) * grid
        top = math.floor(rect.top() / grid) * grid
        columns = int((rect.right() - left) / grid) + 1
        rows = int((rect.bottom() - top) / grid) + 1
        if columns * rows > 60000:
            return
        pen = QPen(self.theme.grid_dot, 2.0)
        pen.setCosmetic(True)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawPoints([QPointF(left + c * grid, top + r * grid) for r in range(rows) for c in range(columns)])

    def shows_empty_hint(self) -> bool:
        """Whether the chart says how to start: it is empty, and no file is being opened into it."""
        scene = self.scene()
        return not (getattr(scene, "node_items", None) or getattr(scene, "lazy", False)) and not self.opening_file

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        if not self.shows_empty_hint():
            return
        # An empty chart says how to start, in the middle of the view.
        painter.save()
        painter.resetTransform()
        area = QRectF(self.viewport().rect()).adjusted(40, 40, -40, -40)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        painter.setFont(font)
        painter.setPen(self.theme.secondary_text)
        painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, EMPTY_HINT)
        painter.restore()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._show_region()
        self.legend.fold_if_cramped(self.viewport().size())
        self.legend.reposition()
        self.overview.reposition()
        self._place_focus_edges()
