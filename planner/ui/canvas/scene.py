"""The chart scene: built from an :class:`~planner.model.Org`, then following its signals.

:meth:`ChartScene.set_org` makes a card for every node and a line for every
link, keeps id → item maps, and subscribes to the model's ``node_added``,
``node_removed``, ``node_changed``, ``link_added`` and ``link_removed``;
:meth:`ChartScene.clear_org` unsubscribes. The scene never edits the model: what
the user does with the mouse and keyboard comes out as requests
(``nodes_moved`` on mouse release, ``link_requested`` after a connector drag,
``node_activated``, ``context_menu_requested``) that the editor turns into
undoable commands, whose effect then comes back through the model's signals.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from operator import attrgetter

import shiboken6
from PySide6.QtCore import QCoreApplication, QLineF, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
)

from planner.collector import collector_paused
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH, GRID
from planner.model.org import Link, LinkKey, Node, Org
from planner.model.vocabulary import LINK_KINDS, NODE_LABELS, is_link_allowed, proposed_link_kind
from planner.ui.canvas.fold_markers import FoldMarkers
from planner.ui.canvas.link_item import LinkItem, link_label_font
from planner.ui.canvas.node_item import SUMMARY_THRESHOLD, CardFonts, NodeItem, fold_marker_rect, view_zoom
from planner.ui.canvas.sketch import DIMMED_ALPHA, ChartSketch
from planner.ui.plaintext import tooltip as plain_tooltip
from planner.ui.theme import Theme, current_theme

#: Empty space kept around the chart so there is always room to pan and drop.
SCENE_MARGIN = 1200.0
#: The area of one leaf of the scene's item index: a dozen cards or so (see :meth:`ChartScene.fit_index_depth`).
INDEX_LEAF_AREA = 12 * (CARD_WIDTH + 2 * GRID) * (CARD_HEIGHT + 4 * GRID)
_NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
_SERIAL = attrgetter("serial")
#: While a chart is built: report progress after every this many cards and links.
PROGRESS_STEP = 500
_DEVICE_CACHE = QGraphicsItem.CacheMode.DeviceCoordinateCache


def subtitle_of(node: Node) -> str:
    """The card's second line: the job title, else the kind; a team's size when known."""
    if node.kind == "dev_team" and node.size is not None:
        people = f"{node.size} {'person' if node.size == 1 else 'people'}"
        return f"{node.title} · {people}" if node.title else f"Team of {people}"
    return node.title or NODE_LABELS.get(node.kind, node.kind)


def tooltip_of(node: Node) -> str:
    lines = [f"{node.label} — {NODE_LABELS.get(node.kind, node.kind)}" + (" (vacant)" if node.vacant else "")]
    if node.title:
        lines.append(node.title)
    if node.notes:
        notes = node.notes if len(node.notes) <= 240 else node.notes[:239] + "…"
        lines.append(notes)
    return "\n".join(lines)


class ChartScene(QGraphicsScene):
    """Cards and links of one org, kept in step with the model."""

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
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.org: Org | None = None
        self.theme: Theme = current_theme()
        self.fonts = CardFonts(self.font())
        self.link_font = link_label_font(self.font())
        self.node_items: dict[str, NodeItem] = {}
        self.link_items: dict[LinkKey, LinkItem] = {}
        #: Numbers cards and links in the order they join the scene (see :meth:`_remove_newest_first`).
        self._serials = itertools.count()
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
        self._badged: set[str] = set()
        self._tooltips: dict[str, str] = {}
        #: View state (never saved, never undone): cards folded away, and the cards a filter keeps bright.
        self.hidden_ids: set[str] = set()
        self.fold_counts: dict[str, int] = {}
        self.highlighted_ids: set[str] | None = None
        #: On screen, cards keep a picture of themselves (exports stay vector: they never set this).
        self.cache_cards = False
        #: Far-away drawing: cards and links paint nothing and one sketch draws them all.
        self.sketch_mode = False
        self.sketch: ChartSketch | None = None
        #: While anything is folded: the item that draws the "+N" markers when zoomed out.
        self.fold_markers: FoldMarkers | None = None
        self.selectionChanged.connect(self.invalidate_sketch)
        self.sceneRectChanged.connect(self._fit_sketch)
        self.setSceneRect(QRectF(-SCENE_MARGIN, -SCENE_MARGIN, 2 * SCENE_MARGIN, 2 * SCENE_MARGIN))
        #: Called as (items made, items in all) while :meth:`set_org` builds a large chart (a progress window).
        self.building_progress: Callable[[int, int], None] | None = None

    # -- following the model ----------------------------------------------------------

    def set_org(self, org: Org | None) -> None:
        """Show ``org`` (or nothing) and follow its changes from now on."""
        self.clear_org()
        self.org = org
        if org is None:
            return
        nodes = list(org.nodes())
        if nodes:
            xs = [n.x for n in nodes]
            ys = [n.y for n in nodes]
            self.setSceneRect(QRectF(min(xs) - SCENE_MARGIN, min(ys) - SCENE_MARGIN,
                                     max(xs) - min(xs) + 2 * SCENE_MARGIN, max(ys) - min(ys) + 2 * SCENE_MARGIN))
        links = list(org.links())
        report = self.building_progress
        # The cyclic collector would otherwise rescan every item wrapper already made each time it ran.
        with collector_paused():
            for done, node in enumerate(nodes):
                if report is not None and done % PROGRESS_STEP == 0:
                    report(done, len(nodes) + len(links))
                self._add_node_item(node, grow=False)
            # Bends are only needed where several links join one pair: find those pairs in one pass.
            pairs: dict[tuple[str, str], int] = {}
            for link in links:
                pair = self._pair(link.key)
                pairs[pair] = pairs.get(pair, 0) + 1
            for done, link in enumerate(links, start=len(nodes)):
                if report is not None and done % PROGRESS_STEP == 0:
                    report(done, len(nodes) + len(links))
                self._add_link_item(link, rebend=False)
            for pair, count in pairs.items():
                if count > 1:
                    self._rebend(pair)
        self.fit_index_depth()
        self.invalidate_sketch()
        org.node_added.connect(self._on_node_added)
        org.node_removed.connect(self._on_node_removed)
        org.node_changed.connect(self._on_node_changed)
        org.link_added.connect(self._on_link_added)
        org.link_removed.connect(self._on_link_removed)

    def fit_index_depth(self) -> None:
        """Size the leaves of Qt's item index (a BSP tree) to about a dozen cards of the chart.

        Left to itself, Qt takes log2 of the number of items as the tree's depth:
        18 levels on a 100,000-card chart, leaves smaller than a card, and each
        long link filed in hundreds of leaves. Building that index took 4 s; with
        leaves of a dozen cards it takes under a second, and finding the items in
        view is as fast.
        """
        rect = self.sceneRect()
        leaves = max(1.0, rect.width() * rect.height() / INDEX_LEAF_AREA)
        self.setBspTreeDepth(max(5, min(16, round(math.log2(leaves)))))

    def clear_org(self) -> None:
        """Stop following the model and drop every item."""
        self.cancel_connection()
        if self.org is not None:
            self.org.node_added.disconnect(self._on_node_added)
            self.org.node_removed.disconnect(self._on_node_removed)
            self.org.node_changed.disconnect(self._on_node_changed)
            self.org.link_added.disconnect(self._on_link_added)
            self.org.link_removed.disconnect(self._on_link_removed)
        self.org = None
        self.clearSelection()
        for item in self.link_items.values():
            item.detach()
        self._badged.clear()
        self._tooltips.clear()
        # Closing a 100,000-card org took 18 s: while Qt's own queued work for the scene (items to polish,
        # to repaint) waits, each deletion searches its lists, and each one digs the item out of the BSP
        # index. That work is done first and the index dropped in one go.
        QCoreApplication.sendPostedEvents(self, 0)
        # Listeners of selectionChanged must never see items that are being deleted.
        self.blockSignals(True)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        try:
            self._remove_newest_first()
            self.node_items.clear()
            self.link_items.clear()
            self.clear()
        finally:
            self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
            self.blockSignals(False)
        self.sketch = None
        self.fold_markers = None
        # A new index learns the scene's extent only when it changes; without it, it files every item in
        # one place and each look-up walks them all.
        rect = self.sceneRect()
        self.setSceneRect(rect.adjusted(0, 0, 1, 1))
        self.setSceneRect(rect)
        if self.sketch_mode:
            self._add_sketch()

    def _remove_newest_first(self) -> None:
        """Take every card and link out of the scene, the newest first: in time proportional to their number.

        Qt keeps the scene's top-level items in a list and takes each removed
        item out of it by searching from the front, unless it is the last one.
        ``clear()`` removes them oldest first, so that every removal shifts
        the whole list: seven seconds for a 100,000-card org. Adding one item
        puts the list back in the order items were added (drawing sorts it by
        stacking order); then the newest card or link is always the last.
        """
        for extra in (self.sketch, self.fold_markers):
            if extra is not None and extra.scene() is self:
                self.removeItem(extra)
        marker = QGraphicsLineItem()
        self.addItem(marker)
        self.removeItem(marker)
        items = sorted([*self.node_items.values(), *self.link_items.values()], key=_SERIAL, reverse=True)
        for item in items:
            shiboken6.delete(item)

    # -- view state: folds and filter -------------------------------------------------------

    def set_view_state(self, hidden: set[str], fold_counts: dict[str, int], highlighted: set[str] | None) -> None:
        """Hide ``hidden`` cards (and their links), tag folded cards "+N", dim all but ``highlighted``."""
        self.hidden_ids = set(hidden)
        self.fold_counts = dict(fold_counts)
        self.highlighted_ids = None if highlighted is None else set(highlighted)
        self.apply_view_state()

    def apply_view_state(self) -> None:
        """Show the view state on every item (again, after cards or links came and went)."""
        hidden, bright = self.hidden_ids, self.highlighted_ids
        for node_id, item in self.node_items.items():
            item.setVisible(node_id not in hidden)
            item.setOpacity(1.0 if bright is None or node_id in bright else DIMMED_ALPHA)
            item.set_folded_count(self.fold_counts.get(node_id, 0))
        for key, item in self.link_items.items():
            item.setVisible(key.source not in hidden and key.target not in hidden)
            lit = bright is None or (key.source in bright and key.target in bright)
            item.setOpacity(1.0 if lit else DIMMED_ALPHA)
        if self.fold_counts and self.fold_markers is None:
            self.fold_markers = FoldMarkers(self)
            self.addItem(self.fold_markers)
        elif not self.fold_counts and self.fold_markers is not None:
            self.removeItem(self.fold_markers)
            self.fold_markers = None
        self._update_fold_markers()
        self.invalidate_sketch()

    def _update_fold_markers(self) -> None:
        if self.fold_markers is not None:
            self.fold_markers.update()

    def is_dimmed(self, node_id: str) -> bool:
        return self.highlighted_ids is not None and node_id not in self.highlighted_ids

    # -- far-away sketch ----------------------------------------------------------------

    def enable_card_cache(self) -> None:
        """Let each card keep a picture of itself, repainted only when it changes (for views on screen)."""
        self.cache_cards = True
        for item in self.node_items.values():
            item.setCacheMode(_DEVICE_CACHE)

    def set_sketch_mode(self, on: bool) -> None:
        """Draw the chart as one sketch (far away) or card by card (close enough to read)."""
        if on == self.sketch_mode:
            return
        self.sketch_mode = on
        for item in self.node_items.values():
            item.setFlag(_NO_CONTENTS, on)
        for item in self.link_items.values():
            item.setFlag(_NO_CONTENTS, on)
        if on:
            self._add_sketch()
        elif self.sketch is not None:
            self.removeItem(self.sketch)
            self.sketch = None

    def _add_sketch(self) -> None:
        self.sketch = ChartSketch(self)
        self.sketch.setRect(self.sceneRect())
        self.addItem(self.sketch)

    def _fit_sketch(self, rect: QRectF) -> None:
        if self.sketch is not None:
            self.sketch.setRect(rect)
        if self.fold_markers is not None:
            self.fold_markers.cover(rect)

    def invalidate_sketch(self) -> None:
        """Something the sketch shows changed (it gathers the cards again before its next paint)."""
        if self.sketch is not None:
            self.sketch.invalidate()

    def cards_dragged(self) -> None:
        self.invalidate_sketch()
        if any(self.node_items[node_id].isSelected() for node_id in self.fold_counts if node_id in self.node_items):
            self._update_fold_markers()

    # -- model signals ---------------------------------------------------------------------

    def _on_node_added(self, node: Node) -> None:
        self._add_node_item(node)
        self.invalidate_sketch()

    def _on_node_removed(self, node: Node) -> None:
        item = self.node_items.pop(node.id, None)
        self._badged.discard(node.id)
        self._tooltips.pop(node.id, None)
        if item is not None:
            self.removeItem(item)
        self.invalidate_sketch()

    def _on_node_changed(self, old: Node, new: Node) -> None:
        item = self.node_items.get(new.id)
        if item is None:
            return
        self.invalidate_sketch()
        if (old.kind, old.name, old.title, old.vacant, old.size, old.notes) != (
            new.kind, new.name, new.title, new.vacant, new.size, new.notes
        ):
            self._set_content(item, new)
            for link_item in item.link_items:
                link_item.refresh_tooltip()
                if old.kind != new.kind:
                    self._check_link(link_item)
        if (old.x, old.y) != (new.x, new.y):
            item.place(QPointF(new.x, new.y))
            self._grow_to(item.scene_card_rect())
            if new.id in self.fold_counts:
                self._update_fold_markers()

    def _on_link_added(self, link: Link) -> None:
        self._add_link_item(link)
        self.invalidate_sketch()

    def _on_link_removed(self, link: Link) -> None:
        item = self.link_items.pop(link.key, None)
        if item is not None:
            item.detach()
            self.removeItem(item)
            self._rebend(self._pair(link.key))
        self.invalidate_sketch()

    def _add_node_item(self, node: Node, grow: bool = True) -> NodeItem:
        item = NodeItem(node.id, self.fonts, self.theme)
        self._set_content(item, node)
        item.place(QPointF(node.x, node.y))
        if self.sketch_mode:
            item.setFlag(_NO_CONTENTS, True)
        if self.cache_cards:
            item.setCacheMode(_DEVICE_CACHE)
        self.addItem(item)
        item.serial = next(self._serials)
        self.node_items[node.id] = item
        if grow:
            self._grow_to(item.scene_card_rect())
        return item

    def _set_content(self, item: NodeItem, node: Node) -> None:
        self._tooltips[node.id] = tooltip_of(node)
        item.set_content(node.kind, node.label, subtitle_of(node), node.vacant, self._tooltips[node.id])

    def _add_link_item(self, link: Link, rebend: bool = True) -> LinkItem | None:
        source = self.node_items.get(link.source)
        target = self.node_items.get(link.target)
        if source is None or target is None:
            return None
        spec = LINK_KINDS.get(link.kind)
        item = LinkItem(source, target, link.kind, spec.label if spec else link.kind, self.theme, self.link_font)
        item.link_key = link.key
        if self.sketch_mode:
            item.setFlag(_NO_CONTENTS, True)
        self.addItem(item)
        item.serial = next(self._serials)
        self.link_items[link.key] = item
        self._check_link(item)
        if rebend:
            self._rebend(self._pair(link.key))
        return item

    def _check_link(self, item: LinkItem) -> None:
        item.set_invalid(not is_link_allowed(item.kind, item.source.kind, item.target.kind))

    @staticmethod
    def _pair(key: LinkKey) -> tuple[str, str]:
        return (key.source, key.target) if key.source <= key.target else (key.target, key.source)

    def _rebend(self, pair: tuple[str, str]) -> None:
        """Spread the links joining the same two cards so that none hides another."""
        keys = sorted(
            (k for k in (LinkKey(pair[0], pair[1], kind) for kind in LINK_KINDS) if k in self.link_items),
        )
        if pair[0] != pair[1]:
            keys += sorted(k for k in (LinkKey(pair[1], pair[0], kind) for kind in LINK_KINDS)
                           if k in self.link_items)
        for rank, key in enumerate(keys):
            bend = (rank + 1) // 2 * (1 if rank % 2 else -1)
            if key.source > key.target:
                bend = -bend
            self.link_items[key].set_bend(bend)

    def _grow_to(self, rect: QRectF) -> None:
        # Growing (never shrinking) keeps the view steady while the user works near an edge.
        current = self.sceneRect()
        wanted = rect.adjusted(-SCENE_MARGIN / 2, -SCENE_MARGIN / 2, SCENE_MARGIN / 2, SCENE_MARGIN / 2)
        if not current.contains(wanted):
            self.setSceneRect(current.united(rect.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN)))

    # -- findings and looks -------------------------------------------------------------

    def set_findings(self, by_node: dict) -> None:
        """Badge each card with its worst finding's colour; ``by_node`` maps ids to severity-sorted findings."""
        for node_id in self._badged - set(by_node):
            item = self.node_items.get(node_id)
            if item is not None:
                item.set_badge(None)
                item.setToolTip(plain_tooltip(self._tooltips.get(node_id, "")))
        for node_id, findings in by_node.items():
            item = self.node_items.get(node_id)
            if item is None or not findings:
                continue
            item.set_badge(findings[0].severity, len(findings))
            lines = "\n".join(f"• {f.code} {f.message}" for f in findings[:6])
            more = f"\n… and {len(findings) - 6} more" if len(findings) > 6 else ""
            item.setToolTip(plain_tooltip(f"{self._tooltips.get(node_id, '')}\n\n{lines}{more}"))
        self._badged = {node_id for node_id, findings in by_node.items() if findings}
        self.invalidate_sketch()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        for item in self.node_items.values():
            item.set_theme(theme)
        for item in self.link_items.values():
            item.set_theme(theme)
        self.invalidate_sketch()
        self.update()

    # -- selection ----------------------------------------------------------------------

    def selected_node_ids(self) -> list[str]:
        """Ids of the selected cards in reading order (top to bottom, left to right)."""
        items = [item for item in self.selectedItems() if isinstance(item, NodeItem)]
        items.sort(key=lambda item: (item.committed_pos.y(), item.committed_pos.x(), item.node_id))
        return [item.node_id for item in items]

    def selected_link_keys(self) -> list[LinkKey]:
        return [item.link_key for item in self.selectedItems() if isinstance(item, LinkItem)]

    def select(self, node_ids=(), link_keys=()) -> None:
        """Make exactly these cards and links the selection."""
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

    def nodes_rect(self, node_ids) -> QRectF:
        rect = QRectF()
        for node_id in node_ids:
            item = self.node_items.get(node_id)
            if item is not None:
                rect = rect.united(item.scene_card_rect())
        return rect

    def node_item_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
        return None

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
            item = self.node_items.get(node_id)
            if item is None or not count or not item.isVisible():
                continue
            marker = fold_marker_rect(count, self.fonts.marker_metrics)
            corner = item.scene_card_rect().bottomRight()
            area = QRectF(corner.x() + marker.left() / zoom, corner.y() + marker.top() / zoom,
                          marker.width() / zoom, marker.height() / zoom)
            if area.contains(pos):
                return item
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
            candidate = QPointF(start.x() + (step % 6) * (CARD_WIDTH / 2 + grid),
                                start.y() + (step // 6) * (CARD_HEIGHT + 2 * grid))
            rect = QRectF(candidate.x() - CARD_WIDTH / 2 - grid, candidate.y() - CARD_HEIGHT / 2 - grid,
                          CARD_WIDTH + 2 * grid, CARD_HEIGHT + 2 * grid)
            if not any(isinstance(item, NodeItem) for item in self.items(rect)):
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
                self.nodes_moved.emit({
                    item.node_id: (item.committed_pos.x() + dx * step, item.committed_pos.y() + dy * step)
                    for item in selected
                })
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
