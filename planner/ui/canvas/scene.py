"""The editor's chart scene: the chart of :mod:`planner.chart.scene` with the mouse and keyboard added.

:class:`EditorScene` makes its cards selectable and movable and turns what the
user does into requests (``nodes_moved`` on mouse release, ``link_requested``
after a connector drag, ``node_activated``, ``context_menu_requested``,
``unfold_requested``) that the editor turns into undoable commands, whose
effect then comes back through the model's signals. Like the chart scene it
never edits the model.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem, QGraphicsSceneMouseEvent

from planner.chart import scene as chart
from planner.chart.link_item import LinkItem
from planner.chart.node_item import SUMMARY_THRESHOLD, NodeItem, fold_marker_rect, view_zoom
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH, GRID
from planner.model.org import LinkKey
from planner.model.vocabulary import proposed_link_kind


class EditorScene(chart.ChartScene):
    """The chart of one org, with cards to select, drag and link."""

    interactive = True
    #: Orgs of this many cards or more get card items only for what comes into view (planner/chart/lazy.py).
    LAZY_FROM = 5000

    #: {node id: (x, y)} after the user dragged cards or pressed an arrow key.
    nodes_moved = Signal(dict)
    #: (source id, target id): the user drew a link between two cards.
    link_requested = Signal(str, str)
    #: A card was double-clicked.
    node_activated = Signal(str)
    #: (screen position, scene position) of a right click.
    context_menu_requested = Signal(QPoint, QPointF)
    #: The "+N" tag of a folded card was clicked.
    unfold_requested = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.grid_size = GRID
        self.snap_enabled = True
        #: True while the user drags cards, so that they snap to the grid.
        self.snapping_drag = False
        self.connect_mode = False
        self._connect_source: NodeItem | None = None
        self._connect_line: QGraphicsLineItem | None = None
        self._connect_target: NodeItem | None = None
        #: Zoomed far out (sketch mode), the ring around the card a link is dragged onto.
        self._sketch_ring: QGraphicsRectItem | None = None

    def clear_org(self) -> None:
        self.cancel_connection()
        super().clear_org()

    def _follow_drag(self) -> None:
        """While cards are dragged: snap them to the grid, drag their links along, and redraw what shows them."""
        if not self.dragging:
            self.dragging = True
            self.relayer_links()  # their links paint themselves while they move
        grid = self.grid_size if self.snapping_drag else 0
        for item in {self.mouseGrabberItem(), *self.selectedItems()}:
            if not isinstance(item, NodeItem):
                continue
            if grid:
                pos = item.pos()
                snapped = QPointF(round(pos.x() / grid) * grid, round(pos.y() / grid) * grid)
                if snapped != pos:
                    item.setPos(snapped)
            item.adjust_links()
        self.invalidate_sketch()
        if any(self.node_items[node_id].isSelected() for node_id in self.fold_counts if node_id in self.node_items):
            self._update_fold_markers()

    # -- selection ----------------------------------------------------------------------

    def selected_node_ids(self) -> list[str]:
        """Ids of the selected cards in reading order (top to bottom, left to right)."""
        items = [item for item in self.selectedItems() if isinstance(item, NodeItem)]
        items.sort(key=lambda item: (item.committed_pos.y(), item.committed_pos.x(), item.node_id))
        return [item.node_id for item in items]

    def selected_link_keys(self) -> list[LinkKey]:
        return [item.link_key for item in self.selectedItems() if isinstance(item, LinkItem)]

    def select(self, node_ids=(), link_keys=()) -> None:
        """Make exactly these cards and links the selection (a lazy chart makes their items first)."""
        if self.lazy:
            self.materialise([*node_ids, *(end for key in link_keys for end in (key.source, key.target))])
        self.blockSignals(True)
        try:
            self.clearSelection()
            for node_id in node_ids:
                item = self.node_items.get(node_id)
                if item is not None:
                    item.setSelected(True)
            for key in link_keys:
                item = self.link_items.get(key)
                if item is not None:
                    item.setSelected(True)
        finally:
            self.blockSignals(False)
        self.selectionChanged.emit()

    def select_all(self) -> None:
        """Select every card and link (on a lazy chart, every card gets its item: slow for a large org)."""
        if self.lazy and self.org is not None:
            self._make_cards([node.id for node in self.org.nodes()])
        self.select(list(self.node_items), list(self.link_items))

    def _pinned_ids(self) -> set[str]:
        pinned = super()._pinned_ids()
        for item in (self._connect_source, self._connect_target):
            if item is not None:
                pinned.add(item.node_id)
        return pinned

    def connector_at(self, pos: QPointF, zoom: float = 1.0) -> NodeItem | None:
        """The card whose connector handle is under ``pos`` at ``zoom`` (the handle pokes out of the card's edge)."""
        reach = NodeItem.connector_radius(zoom) + 5
        if reach <= 5:
            return None
        probe = QRectF(pos.x() - reach, pos.y() - reach, 2 * reach, 2 * reach)
        for item in self.items(probe):
            if isinstance(item, NodeItem) and item.is_on_connector(item.mapFromScene(pos), zoom):
                return item
        return None

    def fold_marker_at(self, pos: QPointF, zoom: float) -> NodeItem | None:
        """The folded card whose far-away "+N" marker (drawn by the sketch) is under ``pos``."""
        if self.fold_markers is None or not 0 < zoom < SUMMARY_THRESHOLD:
            return None
        for node_id, count in self.fold_counts.items():
            if not count or node_id in self.hidden_ids or not self.has_card(node_id):
                continue
            marker = fold_marker_rect(count, self.fonts.marker_metrics)
            corner = self.card_rect_of(node_id).bottomRight()
            area = QRectF(
                corner.x() + marker.left() / zoom,
                corner.y() + marker.top() / zoom,
                marker.width() / zoom,
                marker.height() / zoom,
            )
            if area.contains(pos):
                return self.item_for(node_id)
        return None

    def link_item_at(self, pos: QPointF) -> LinkItem | None:
        for item in self.items(pos):
            if isinstance(item, LinkItem):
                return item
            if isinstance(item, NodeItem):
                return None
        return None

    def free_spot_near(self, pos: QPointF) -> QPointF:
        """A grid point at or near ``pos`` where a new card overlaps no other."""
        grid = self.grid_size
        start = QPointF(round(pos.x() / grid) * grid, round(pos.y() / grid) * grid)
        for step in range(0, 60):
            candidate = QPointF(
                start.x() + (step % 6) * (CARD_WIDTH / 2 + grid), start.y() + (step // 6) * (CARD_HEIGHT + 2 * grid)
            )
            rect = QRectF(
                candidate.x() - CARD_WIDTH / 2 - grid,
                candidate.y() - CARD_HEIGHT / 2 - grid,
                CARD_WIDTH + 2 * grid,
                CARD_HEIGHT + 2 * grid,
            )
            if not self.cards_in(rect):
                return candidate
        return start

    # -- connecting -----------------------------------------------------------------------

    def cancel_connection(self) -> None:
        if self._connect_line is not None:
            self.removeItem(self._connect_line)
        self._show_connect_target(None)
        self._connect_line = None
        self._connect_source = None

    def _show_connect_target(self, target: NodeItem | None) -> None:
        """Ring the card under the pointer: blue when a link may go there, red when none can."""
        if target is self._connect_target:
            return
        if self._connect_target is not None:
            self._connect_target.set_drop_hint(None)
        self._connect_target = target
        if self._sketch_ring is not None:
            self.removeItem(self._sketch_ring)
            self._sketch_ring = None
        if target is not None and self._connect_source is not None:
            allowed = proposed_link_kind(self._connect_source.kind, target.kind) is not None
            target.set_drop_hint("accept" if allowed else "refuse")
            if self.sketch_mode:  # the cards are not drawn one by one: ring the target over the sketch
                pen = QPen(self.theme.selection if allowed else self.theme.severity_color("error"), 4.0)
                pen.setCosmetic(True)
                self._sketch_ring = self.addRect(target.scene_card_rect().adjusted(-8, -8, 8, 8), pen)
                self._sketch_ring.setZValue(20.0)

    def is_connecting(self) -> bool:
        return self._connect_source is not None

    def _start_connection(self, source: NodeItem, pos: QPointF) -> None:
        self._connect_source = source
        pen = QPen(self.theme.selection, 2.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self._connect_line = QGraphicsLineItem(QLineF(pos, pos))
        self._connect_line.setPen(pen)
        self._connect_line.setZValue(10.0)
        self.addItem(self._connect_line)

    # -- mouse and keyboard ----------------------------------------------------------------

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            zoom = view_zoom(event.widget())
            folded = self.fold_marker_at(event.scenePos(), zoom)
            if folded is not None:
                self.unfold_requested.emit(folded.node_id)
                event.accept()
                return
            source = self.connector_at(event.scenePos(), zoom)
            item = self.node_item_at(event.scenePos())
            if source is None and item is not None and item.is_on_folded_tag(item.mapFromScene(event.scenePos()), zoom):
                self.unfold_requested.emit(item.node_id)
                event.accept()
                return
            if source is None and self.connect_mode:
                source = item
            if source is not None:
                self._start_connection(source, event.scenePos())
                event.accept()
                return
            self.snapping_drag = item is not None and self.snap_enabled
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._connect_line is not None and self._connect_source is not None:
            line = self._connect_line.line()
            self._connect_line.setLine(QLineF(line.p1(), event.scenePos()))
            target = self.node_item_at(event.scenePos())
            self._show_connect_target(target if target is not self._connect_source else None)
            event.accept()
            return
        super().mouseMoveEvent(event)
        # Qt has moved the selected cards (itemChange would call into Python for every card moved instead).
        if isinstance(self.mouseGrabberItem(), NodeItem) and event.buttons() & Qt.MouseButton.LeftButton:
            self._follow_drag()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._connect_source is not None:
            source = self._connect_source
            self.cancel_connection()
            target = self.node_item_at(event.scenePos())
            if target is not None and target is not source:
                self.link_requested.emit(source.node_id, target.node_id)
            event.accept()
            return
        super().mouseReleaseEvent(event)
        self.snapping_drag = False
        if self.dragging:
            self.dragging = False
            self.relayer_links()
        if event.button() == Qt.MouseButton.LeftButton:
            moved = {
                item.node_id: (item.pos().x(), item.pos().y())
                for item in self.node_items.values()
                if item.isSelected() and item.pos() != item.committed_pos
            }
            if moved:
                self.nodes_moved.emit(moved)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and self.is_connecting():
            self.cancel_connection()
            event.accept()
            return
        steps = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
        if key in steps and self.mouseGrabberItem() is None and self.focusItem() is None:
            selected = [item for item in self.selectedItems() if isinstance(item, NodeItem)]
            if selected:
                dx, dy = steps[key]
                step = self.grid_size * (5 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
                self.nodes_moved.emit(
                    {
                        item.node_id: (item.committed_pos.x() + dx * step, item.committed_pos.y() + dy * step)
                        for item in selected
                    }
                )
                event.accept()
                return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        super().mouseDoubleClickEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.node_item_at(event.scenePos())
            if item is not None:
                self.node_activated.emit(item.node_id)

    def contextMenuEvent(self, event) -> None:
        item = self.node_item_at(event.scenePos()) or self.link_item_at(event.scenePos())
        if item is not None and not item.isSelected():
            self.clearSelection()
            item.setSelected(True)
        elif item is None:
            self.clearSelection()
        self.context_menu_requested.emit(event.screenPos(), event.scenePos())
        event.accept()
