"""A large org's chart made lazily: card and link items only for what comes into view, the rest drawn as blocks.

Building an item for each of 100,000 cards and 155,000 links took most of a
minute before anything was drawn, and closing the chart many seconds. From
:attr:`~planner.chart.scene.ChartScene.lazy_from` cards on (the editor's scene
sets it; exports keep every item), :class:`LazyCards` makes none at first:
far out, :class:`~planner.chart.blocks.ChartBlocks` draws the org from the
model; at a readable zoom the view reports what it shows
(:meth:`LazyCards.show_region`) and the cards there get items, with the two
cards of every link that crosses the view, so that all the links in view are
real items too. Items far from the view are dropped again, unless selected
or in use.

Whatever needs a card's item asks :meth:`LazyCards.item_for`, which makes it
on demand: selecting (also from Find and the gaps panel), a click or a
rubber band on the far-away blocks, a link dragged onto a card. The
invariant kept throughout: a link has an item exactly when both its cards
have one. :class:`~planner.chart.cardgrid.CardGrid` says where cards and
links lie without items, kept in step with the model's signals by the scene.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem

from planner.chart.blocks import ChartBlocks
from planner.chart.cardgrid import CardGrid
from planner.chart.link_item import LinkItem
from planner.chart.link_layer import LinkLayer
from planner.chart.node_item import DETAIL_THRESHOLD, NodeItem
from planner.chart.release import release_later
from planner.chart.sketch import DIMMED_ALPHA
from planner.collector import collector_paused
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH
from planner.model.org import Link, LinkKey, Node

_NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
#: Around the view, this share of its size again on each side gets items too (a small scroll needs none new).
VIEW_MARGIN = 0.25


def card_rect_at(x: float, y: float) -> QRectF:
    return QRectF(x - CARD_WIDTH / 2, y - CARD_HEIGHT / 2, CARD_WIDTH, CARD_HEIGHT)


def _meets(x1: float, y1: float, x2: float, y2: float, area: QRectF) -> bool:
    """Whether the segment from (x1, y1) to (x2, y2) meets ``area`` (clipped as Liang and Barsky do)."""
    low, high = 0.0, 1.0
    dx, dy = x2 - x1, y2 - y1
    for p, q in ((-dx, x1 - area.left()), (dx, area.right() - x1), (-dy, y1 - area.top()), (dy, area.bottom() - y1)):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
        if low > high:
            return False
    return True


_X, _Y = attrgetter("x"), attrgetter("y")


class LazyCards:
    """The lazy half of :class:`~planner.chart.scene.ChartScene` (a mixin: it uses the scene's maps and items)."""

    # -- switching on and off ------------------------------------------------------------

    def _start_lazy(self) -> None:
        self.lazy = True
        self._grid = None
        self._shown = None
        self.blocks = ChartBlocks(self)
        self.blocks.setRect(self.sceneRect())
        self.blocks.setVisible(self.sketch_mode)
        self.addItem(self.blocks)
        self.link_layer = LinkLayer(self)
        self.link_layer.setRect(self.sceneRect())
        self.link_layer.setVisible(not self.sketch_mode)
        self.addItem(self.link_layer)

    def _stop_lazy(self) -> None:
        # What far-away drawing and filing a 100,000-card chart made is freed a slice at a time, after closing.
        if self.blocks is not None:
            release_later(self.blocks.take_drawing())
        if self._grid is not None:
            release_later(self._grid.take_contents())
        for overlay in (self.blocks, self.link_layer):
            if overlay is not None and overlay.scene() is self:
                self.removeItem(overlay)
        self.blocks = self.link_layer = None
        self._grid = None
        self._shown = None
        self.lazy = False

    def invalidate_blocks(self) -> None:
        if self.blocks is not None:
            self.blocks.invalidate()

    def invalidate_link_layer(self) -> None:
        if self.link_layer is not None:
            self.link_layer.invalidate()

    def relayer_links(self) -> None:
        """Close up, the link layer draws the quiet links; hovered and selected ones paint themselves (over their
        line in the picture), and so do those of dragged cards (the picture is drawn again without them)."""
        layer = self.link_layer
        if layer is None or self.sketch_mode:
            return
        stale = False
        dragging = self.dragging
        for item in self.link_items.values():
            moving = dragging and (item.source.isSelected() or item.target.isSelected())
            quiet = not (moving or item.is_hovered() or item.isSelected())
            if bool(item.flags() & _NO_CONTENTS) != quiet:
                item.setFlag(_NO_CONTENTS, quiet)
                # A link leaving the picture must be taken out of it only when it will move; one coming back
                # may have been left out of a picture drawn meanwhile.
                stale = stale or moving or quiet
        if stale:
            layer.invalidate()

    def link_hover_changed(self, item: LinkItem) -> None:
        """A hovered link paints itself (its halo and label) over its line in the picture of links."""
        if self.sketch_mode or self.link_layer is None:
            return
        if item.is_hovered():
            item.setFlag(_NO_CONTENTS, False)
            self._hover_drawn = self.link_layer.drawn
        elif not (item.isSelected() or (self.dragging and (item.source.isSelected() or item.target.isSelected()))):
            item.setFlag(_NO_CONTENTS, True)
            if self.link_layer.drawn != getattr(self, "_hover_drawn", -1):  # drawn again without it meanwhile
                self.link_layer.invalidate()

    def grid(self, links: bool = False) -> CardGrid:
        """Where the cards lie, and with ``links`` the links (each filed the first time it is asked for)."""
        if self._grid is None:
            grid = CardGrid()
            grid.add_cards((node.id, node.x, node.y) for node in self.org.nodes())
            self._grid = grid
        if links and not self._grid.has_links:
            with collector_paused():  # hundreds of thousands of sets and tuples, none in a cycle
                self._grid.add_links(self.org.link_triples())
        return self._grid

    # -- what exists, whether made or not --------------------------------------------------

    def has_card(self, node_id: str) -> bool:
        return node_id in self.node_items or (self.lazy and self.org is not None and node_id in self.org)

    def card_rect_of(self, node_id: str) -> QRectF:
        """Where the card is: its item's place when it has one (also while dragged), else the model's."""
        item = self.node_items.get(node_id)
        if item is not None:
            return item.scene_card_rect()
        node = self.org.get(node_id) if self.org is not None else None
        return QRectF() if node is None else card_rect_at(node.x, node.y)

    def card_kind(self, node_id: str) -> str:
        item = self.node_items.get(node_id)
        if item is not None:
            return item.kind
        node = self.org.get(node_id) if self.org is not None else None
        return "" if node is None else node.kind

    def cards_in(self, area: QRectF) -> list[QRectF]:
        """The rectangles of the shown cards that meet ``area``."""
        if not self.lazy:
            return [
                item.scene_card_rect()
                for item in self.items(area)
                if hasattr(item, "scene_card_rect") and item.isVisible()
            ]
        hidden = self.hidden_ids
        found = self.grid().cards_in(area.left(), area.top(), area.right(), area.bottom())
        return [self.card_rect_of(node_id) for node_id in found if node_id not in hidden]

    def card_bounds(self) -> QRectF:
        """The shown cards' extent, from the model's positions (all cards are one size): asking the items one by
        one from Python took a tenth of a second at 10,000 cards, and a lazy chart has few."""
        org = self.org
        if org is None:
            return QRectF()
        hidden = self.hidden_ids
        if hidden:
            nodes = [node for node in org.nodes() if node.id not in hidden]
            xs, ys = list(map(_X, nodes)), list(map(_Y, nodes))
        else:  # two sweeps in C
            xs, ys = list(map(_X, org.nodes())), list(map(_Y, org.nodes()))
        if not xs:
            return QRectF()
        left, top = min(xs), min(ys)
        return QRectF(
            left - CARD_WIDTH / 2, top - CARD_HEIGHT / 2, max(xs) - left + CARD_WIDTH, max(ys) - top + CARD_HEIGHT
        )

    def has_card_in(self, area: QRectF) -> bool:
        """Whether any shown card meets ``area``. A lazy chart whose grid is not made yet scans the model instead
        of making it (a fit of a large org just opened asks this; the grid costs a fifth of a second at 100,000
        cards)."""
        if not self.lazy or self._grid is not None:
            return any(card.intersects(area) for card in self.cards_in(area))
        hidden = self.hidden_ids
        left, right = area.left() - CARD_WIDTH / 2, area.right() + CARD_WIDTH / 2
        top, bottom = area.top() - CARD_HEIGHT / 2, area.bottom() + CARD_HEIGHT / 2
        return any(
            left < node.x < right and top < node.y < bottom and node.id not in hidden for node in self.org.nodes()
        )

    def card_ids_in(self, area: QRectF) -> list[str]:
        """Ids of the shown cards that meet ``area`` (lazy charts: from the grid, made or not)."""
        if not self.lazy:
            return [
                item.node_id
                for item in self.items(area)
                if hasattr(item, "node_id") and item.isVisible() and item.scene_card_rect().intersects(area)
            ]
        hidden = self.hidden_ids
        return [
            node_id
            for node_id in self.grid().cards_in(area.left(), area.top(), area.right(), area.bottom())
            if node_id not in hidden
        ]

    # -- making items ------------------------------------------------------------------

    def item_for(self, node_id: str):
        """The card's item, made now (with its linked cards and links) when the chart is lazy and it has none."""
        item = self.node_items.get(node_id)
        if item is None and self.lazy and self.org is not None and node_id in self.org:
            self.materialise([node_id])
            item = self.node_items.get(node_id)
        return item

    def link_item_for(self, key: LinkKey):
        item = self.link_items.get(key)
        if item is None and self.lazy:
            self.materialise([key.source, key.target])
            item = self.link_items.get(key)
        return item

    def materialise(self, node_ids: Iterable[str]) -> None:
        """Make items for these cards, every card linked to them, and the links between cards with items."""
        org = self.org
        wanted = {node_id for node_id in node_ids if node_id in org}
        for node_id in list(wanted):
            for link in org.links_of(node_id):
                wanted.add(link.source)
                wanted.add(link.target)
        self._make_cards(wanted)

    def _make_cards(self, node_ids: Iterable[str]) -> None:
        org = self.org
        new = [node_id for node_id in node_ids if node_id not in self.node_items]
        if not new:
            return
        pairs = set()
        made = []
        with collector_paused():
            for node_id in new:
                self._dress(self._add_node_item(org.node(node_id), grow=False))
            for node_id in new:
                for link in org.links_of(node_id):
                    key = link.key
                    if key not in self.link_items and key.source in self.node_items and key.target in self.node_items:
                        made.append(self._add_link_item(link, rebend=False))
                        self._dress_link(made[-1])
                        pairs.add(self._pair(key))
        for pair in pairs:
            self._rebend(pair)
        if self.link_layer is not None:
            self.link_layer.add(made)
        self.cards_made.emit(new)

    def _drop_cards(self, node_ids: Iterable[str]) -> None:
        """Take these cards' items (and their links') out of the scene; the model keeps the cards."""
        for node_id in node_ids:
            item = self.node_items.pop(node_id, None)
            if item is None:
                continue
            for link in list(item.link_items):
                link.detach()
                self.link_items.pop(link.link_key, None)
                self.removeItem(link)
            self._tooltips.pop(node_id, None)
            self.removeItem(item)
        # Nothing to take out of the picture of links: what is dropped lies beyond the view and its margin.

    def _pinned_ids(self) -> set[str]:
        """Cards whose items must stay: selected ones, those of selected links, the one under the mouse."""
        pinned: set[str] = set()
        for item in self.selectedItems():
            node_id = getattr(item, "node_id", None)
            if node_id is not None:
                pinned.add(node_id)
            key = getattr(item, "link_key", None)
            if key is not None:
                pinned.update((key.source, key.target))
        grabber = self.mouseGrabberItem()
        if getattr(grabber, "node_id", None) is not None:
            pinned.add(grabber.node_id)
        return pinned

    # -- following the model -------------------------------------------------------------

    def _lazy_node_added(self, node: Node) -> None:
        if self._grid is not None:
            self._grid.add_card(node.id, node.x, node.y)
        self._grow_to(card_rect_at(node.x, node.y))
        self.invalidate_blocks()
        if self.in_readable_view(node.x, node.y):
            self.materialise([node.id])

    def _lazy_link_added(self, link: Link) -> None:
        """Keep the invariant: a link whose one card has an item gets its other card made too."""
        if self._grid is not None:
            self._grid.add_link(link.key)
        made = (link.source in self.node_items, link.target in self.node_items)
        if made == (True, False):
            self._make_cards([link.target])
        elif made == (False, True):
            self._make_cards([link.source])
        self.invalidate_blocks()

    def _follow_lazy_change(self, old: Node, new: Node, made: bool) -> None:
        """A lazy chart: file a moved card again, redraw the blocks, and make the card if it came into view."""
        moved = (old.x, old.y) != (new.x, new.y)
        if moved and self._grid is not None:
            self._grid.move_card(new.id, new.x, new.y)
        if moved:
            self._grow_to(card_rect_at(new.x, new.y))
        if moved or (old.kind, old.vacant) != (new.kind, new.vacant):
            self.invalidate_blocks()
        if not made:
            self.layout_version += moved
        if not made and moved and self.in_readable_view(new.x, new.y):
            self.materialise([new.id])

    def _dress(self, item: NodeItem) -> NodeItem:
        """Show the view state and the badge on a card made after they were set (a lazy chart's)."""
        node_id = item.node_id
        bright = self.highlighted_ids
        item.setVisible(node_id not in self.hidden_ids)
        item.setOpacity(1.0 if bright is None or node_id in bright else DIMMED_ALPHA)
        item.set_folded_count(self.fold_counts.get(node_id, 0))
        badge = self._badges.get(node_id)
        if badge is not None:
            item.set_badge(*badge)
        return item

    def _dress_link(self, item: LinkItem) -> None:
        key, hidden, bright = item.link_key, self.hidden_ids, self.highlighted_ids
        if hidden or bright is not None:
            item.setVisible(key.source not in hidden and key.target not in hidden)
            lit = bright is None or (key.source in bright and key.target in bright)
            item.setOpacity(1.0 if lit else DIMMED_ALPHA)

    # -- following the view --------------------------------------------------------------

    def show_region(self, shown: QRectF, zoom: float) -> None:
        """A view shows ``shown`` at ``zoom``: close enough to read, give what is there items; drop the rest."""
        if not self.lazy or self.org is None:
            return
        self._shown = (QRectF(shown), zoom)
        if zoom >= DETAIL_THRESHOLD:
            self._follow_view()

    def _follow_view(self) -> None:
        shown, _zoom = self._shown
        grow_x, grow_y = shown.width() * VIEW_MARGIN, shown.height() * VIEW_MARGIN
        area = shown.adjusted(-grow_x, -grow_y, grow_x, grow_y)
        grid = self.grid(links=True)
        keep = set(grid.cards_in(area.left(), area.top(), area.right(), area.bottom()))
        for source, target, _kind in grid.links_across(area.left(), area.top(), area.right(), area.bottom()):
            if source in keep and target in keep:
                continue
            (x1, y1), (x2, y2) = grid.position(source), grid.position(target)
            if _meets(x1, y1, x2, y2, area):
                keep.update((source, target))
        # Every link of a card in view crosses the view, so its other card is kept already; only the cards
        # kept for the selection need theirs (a dragged card takes its links along).
        pinned = self._pinned_ids()
        needed = keep | pinned
        for node_id in pinned:
            for key in grid.links_of(node_id):
                needed.update(key[:2])
        self._drop_cards([node_id for node_id in self.node_items if node_id not in needed])
        self._make_cards(needed)

    def in_readable_view(self, x: float, y: float) -> bool:
        """Whether a card at (x, y) lies in the part of the chart a view shows close enough to read."""
        if self._shown is None:
            return False
        shown, zoom = self._shown
        return zoom >= DETAIL_THRESHOLD and shown.intersects(card_rect_at(x, y))

    def materialise_area(self, area: QRectF) -> None:
        """Give the cards in ``area`` items (a rubber band drawn over far-away blocks selects them)."""
        if self.lazy and self.org is not None and not area.isEmpty():
            self.materialise(self.card_ids_in(area))

    def card_id_at(self, x: float, y: float) -> str | None:
        """The shown card at (x, y), from the grid (lazy charts)."""
        if not self.lazy or self.org is None:
            return None
        found = self.card_ids_in(QRectF(x, y, 0.001, 0.001))
        return found[-1] if found else None
