"""The chart scene: an org drawn as cards and links, built from the model and then following it.

:meth:`ChartScene.set_org` makes a card for every node and a line for every
link, keeps id → item maps, and subscribes to the model's ``node_added``,
``node_removed``, ``node_changed``, ``link_added`` and ``link_removed``;
:meth:`ChartScene.clear_org` unsubscribes. The scene shows findings as badges,
folds and filters as hidden and dimmed cards, and far away draws the whole
chart as one sketch. It takes no input: its items are neither selectable nor
movable, and it never edits the model. The editor's
:class:`~planner.ui.canvas.scene.EditorScene` adds the mouse and keyboard on
top (as orange-canvas-core keeps its interactions out of its scene), and the
exports in :mod:`planner.render` paint this scene as it is.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from operator import attrgetter

import shiboken6
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Signal
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsScene, QToolTip

from planner.analysis.changes import ResultChanges
from planner.chart.fold_markers import FoldMarkers
from planner.chart.lazy import LazyCards
from planner.chart.link_item import LinkItem, link_label_font
from planner.chart.node_item import CardFonts, NodeItem
from planner.chart.plaintext import tooltip as plain_tooltip
from planner.chart.sketch import DIMMED_ALPHA, ChartSketch
from planner.chart.theme import Theme, current_theme
from planner.collector import collector_paused
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH, GRID
from planner.model.org import Link, LinkKey, Node, Org
from planner.model.vocabulary import LINK_KINDS, NODE_LABELS, is_link_allowed

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


class ChartScene(QGraphicsScene, LazyCards):
    """Cards and links of one org, kept in step with the model."""

    #: Whether cards and links take the mouse (selectable, movable, hovered); the editor's scene says yes.
    interactive = False
    #: From this many cards on, items are made only for what a view shows (:mod:`planner.chart.lazy`); None: never.
    LAZY_FROM: int | None = None
    #: The ids of cards that just got items (a lazy chart makes them as they come into view).
    cards_made = Signal(list)

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
        #: The badge of each card with findings: node id → (worst severity, number of findings).
        self._badges: dict[str, tuple[str, int]] = {}
        #: Changes whenever cards come, go, move or are hidden: what depends on where the cards are only is
        #: worked out again when it changed (the overview map's extent, for one).
        self.layout_version = 0
        #: The last analysis' findings per node id, for tooltips.
        self._findings: dict = {}
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
        #: Whether this org's cards get items only as they come into view (see :mod:`planner.chart.lazy`).
        self.lazy = False
        self.lazy_from = self.LAZY_FROM
        self.blocks = None
        self.link_layer = None
        #: True while the user drags cards (the editor's scene sets it).
        self.dragging = False
        self._grid = None
        self._shown = None
        self.selectionChanged.connect(self.invalidate_sketch)
        self.selectionChanged.connect(self.relayer_links)
        self.sceneRectChanged.connect(self._fit_sketch)
        self.setSceneRect(QRectF(-SCENE_MARGIN, -SCENE_MARGIN, 2 * SCENE_MARGIN, 2 * SCENE_MARGIN))
        #: Called as (items made, items in all) while :meth:`set_org` builds a large chart (a progress window).
        self.building_progress: Callable[[int, int], None] | None = None

    # -- following the model ----------------------------------------------------------

    def set_org(self, org: Org | None) -> None:
        """Show ``org`` (or nothing) and follow its changes from now on."""
        self.clear_org()
        self.layout_version += 1
        self.org = org
        if org is None:
            return
        nodes = list(org.nodes())
        if nodes:
            xs = [n.x for n in nodes]
            ys = [n.y for n in nodes]
            self.setSceneRect(
                QRectF(
                    min(xs) - SCENE_MARGIN,
                    min(ys) - SCENE_MARGIN,
                    max(xs) - min(xs) + 2 * SCENE_MARGIN,
                    max(ys) - min(ys) + 2 * SCENE_MARGIN,
                )
            )
        if self.lazy_from is not None and len(nodes) >= self.lazy_from:
            self._start_lazy()
            self.fit_index_depth()
            self._follow_org(org)
            return
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
        self._follow_org(org)

    def _follow_org(self, org: Org) -> None:
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
        if self.org is not None:
            self.org.node_added.disconnect(self._on_node_added)
            self.org.node_removed.disconnect(self._on_node_removed)
            self.org.node_changed.disconnect(self._on_node_changed)
            self.org.link_added.disconnect(self._on_link_added)
            self.org.link_removed.disconnect(self._on_link_removed)
        self.org = None
        self._stop_lazy()
        self.clearSelection()
        for item in self.link_items.values():
            item.detach()
        self._badges = {}
        self._findings = {}
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
        self.layout_version += 1
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
        self.invalidate_blocks()
        self.invalidate_link_layer()
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
        if self.blocks is not None:
            self.blocks.setVisible(on)
        if self.link_layer is not None:
            self.link_layer.setVisible(not on)
            self.relayer_links()
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
        if self.blocks is not None:
            self.blocks.setRect(rect)
            self.blocks.invalidate_picture()
        if self.link_layer is not None:
            self.link_layer.setRect(rect)
            self.link_layer.invalidate()
        if self.fold_markers is not None:
            self.fold_markers.cover(rect)

    def invalidate_sketch(self) -> None:
        """Something the sketch shows changed (it gathers the cards again before its next paint)."""
        if self.sketch is not None:
            self.sketch.invalidate()

    # -- model signals ---------------------------------------------------------------------

    def _on_node_added(self, node: Node) -> None:
        if self.lazy:
            self._lazy_node_added(node)
        else:
            self._add_node_item(node)
        self.layout_version += 1
        self.invalidate_sketch()

    def _on_node_removed(self, node: Node) -> None:
        item = self.node_items.pop(node.id, None)
        self._badges.pop(node.id, None)
        self._tooltips.pop(node.id, None)
        if item is not None:
            self.removeItem(item)
        if self._grid is not None:
            self._grid.remove_card(node.id)
        self.invalidate_blocks()
        self.layout_version += 1
        self.invalidate_sketch()

    def _on_node_changed(self, old: Node, new: Node) -> None:
        item = self.node_items.get(new.id)
        if self.lazy:
            self._follow_lazy_change(old, new, item is not None)
        if item is None:
            return
        self.invalidate_sketch()
        if (old.kind, old.name, old.title, old.vacant, old.size, old.notes) != (
            new.kind,
            new.name,
            new.title,
            new.vacant,
            new.size,
            new.notes,
        ):
            self._set_content(item, new)
            for link_item in item.link_items:
                link_item.refresh_tooltip()
                if old.kind != new.kind:
                    self._check_link(link_item)
        if (old.x, old.y) != (new.x, new.y):
            self.layout_version += 1
            item.place(QPointF(new.x, new.y))
            self._grow_to(item.scene_card_rect())
            if new.id in self.fold_counts:
                self._update_fold_markers()

    def _on_link_added(self, link: Link) -> None:
        if self.lazy:
            self._lazy_link_added(link)  # may have made the link's item already, with its other card
        item = None if link.key in self.link_items else self._add_link_item(link)
        if item is not None:
            self._dress_link(item)
            self.invalidate_link_layer()
        self.invalidate_sketch()

    def _on_link_removed(self, link: Link) -> None:
        item = self.link_items.pop(link.key, None)
        if item is not None:
            item.detach()
            self.removeItem(item)
            self._rebend(self._pair(link.key))
            self.invalidate_link_layer()
        if self._grid is not None:
            self._grid.remove_link(link.key)
        self.invalidate_blocks()
        self.invalidate_sketch()

    @property
    def badges(self) -> dict[str, tuple[str, int]]:
        """The badge of each card with findings: node id → (worst severity, number of findings)."""
        return self._badges

    def _add_node_item(self, node: Node, grow: bool = True) -> NodeItem:
        item = NodeItem(node.id, self.fonts, self.theme, self.interactive)
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
        item = LinkItem(
            source,
            target,
            link.kind,
            spec.label if spec else link.kind,
            self.theme,
            self.link_font,
            interactive=self.interactive,
        )
        item.link_key = link.key
        if self.sketch_mode or self.link_layer is not None:  # far out, or drawn into the picture of links
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
            keys += sorted(k for k in (LinkKey(pair[1], pair[0], kind) for kind in LINK_KINDS) if k in self.link_items)
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

    def set_findings(
        self, by_node: dict, badges: dict[str, tuple[str, int]] | None = None, changes: ResultChanges | None = None
    ) -> None:
        """Badge each card with its worst finding's colour; ``by_node`` maps ids to severity-sorted findings.

        ``badges`` (node id → worst severity and count, as
        :meth:`~planner.analysis.AnalysisResult.badges` gives them) saves
        working them out here; ``changes`` (from the badges shown now to
        these, worked out on a worker thread) saves comparing them.

        Only badges are touched here (an unchanged badge costs a comparison), so
        that a new analysis of a 100,000-card org shows in milliseconds; the
        findings join a card's tooltip when it is asked for (:meth:`card_tooltip`).
        """
        if badges is None:
            badges = {node_id: (found[0].severity, len(found)) for node_id, found in by_node.items() if found}
        # Only the badges that changed are touched, found by comparing the two maps in C (or given).
        if changes is not None and changes.previous.badges() is self._badges and changes.current.badges() is badges:
            changed, gone = changes.changed_badges, changes.gone_badges
        else:
            changed, gone = badges.items() - self._badges.items(), self._badges.keys() - badges.keys()
        for node_id in gone:
            item = self.node_items.get(node_id)
            if item is not None:
                item.set_badge(None)
        for node_id, (severity, count) in changed:
            item = self.node_items.get(node_id)
            if item is not None:
                item.set_badge(severity, count)
        self._findings = by_node
        self._badges = badges
        if (changed or gone) and self.blocks is not None:
            self.blocks.invalidate_badges()
        self.invalidate_sketch()

    def card_tooltip(self, node_id: str) -> str:
        """A card's tooltip: what it is, and the first of its findings."""
        text = self._tooltips.get(node_id)
        if text is None:
            node = self.org.get(node_id) if self.org is not None else None
            text = "" if node is None else tooltip_of(node)
        findings = self._findings.get(node_id)
        if findings:
            lines = "\n".join(f"• {f.code} {f.message}" for f in findings[:6])
            more = f"\n… and {len(findings) - 6} more" if len(findings) > 6 else ""
            text = f"{text}\n\n{lines}{more}"
        return plain_tooltip(text)

    def helpEvent(self, event) -> None:
        item = self.node_item_at(event.scenePos())
        if item is None or not self._findings.get(item.node_id):
            super().helpEvent(event)
            return
        QToolTip.showText(event.screenPos(), self.card_tooltip(item.node_id), event.widget())
        event.accept()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        for item in self.node_items.values():
            item.set_theme(theme)
        for item in self.link_items.values():
            item.set_theme(theme)
        self.invalidate_blocks()
        self.invalidate_sketch()
        self.update()

    def nodes_rect(self, node_ids) -> QRectF:
        rect = QRectF()
        for node_id in node_ids:
            if self.has_card(node_id):
                rect = rect.united(self.card_rect_of(node_id))
        return rect

    def node_item_at(self, pos: QPointF) -> NodeItem | None:
        """The card under ``pos``; on a lazy chart's far-away blocks, the card there, given an item now."""
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
        node_id = self.card_id_at(pos.x(), pos.y())
        return None if node_id is None else self.item_for(node_id)
