"""The far-away chart of a large org, drawn from the model: one item, cards as blocks, links as hairlines.

A chart drawn lazily (:mod:`planner.chart.lazy`) has card items only for
what was in view. Far out, :class:`ChartBlocks` draws every card and link
straight from the model's positions: blocks in the kinds' colours,
hairlines in the links' colours, one ``drawRects``/``drawLines`` per colour,
dimmed and hidden as the view state says and with the findings' corner marks.
What it draws is kept as a picture of the view, a little larger than the view
so that small pans reuse it, and drawn again only when the zoom changes, the
view leaves the picture, or something it shows changed
(:meth:`ChartBlocks.invalidate`); cards getting or losing items changes
nothing here. Those that have items are drawn again on top by the scene's
:class:`~planner.chart.sketch.ChartSketch`, where they are while dragged and
with their selection, as in a small chart.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QTransform
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from planner.chart.release import release_later
from planner.chart.sketch import SceneOverlay, card_block_color, link_block_color
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH
from planner.model.vocabulary import is_link_allowed

#: The picture covers the view and this share of its size again on every side.
_MARGIN = 0.25
#: Cards and links are batched by vertical strips of this width (scene units), so that a picture of part of
#: the chart draws only the strips it covers; links wider than a strip are drawn into every picture.
_STRIP = 8000.0


class ChartBlocks(SceneOverlay):
    """Paints every card and link of the model as blocks and hairlines (those with items are drawn again on top)."""

    def __init__(self, scene) -> None:
        super().__init__(scene, z=-2.0)
        self._batches: tuple | None = None
        self._badges: list | None = None
        #: Group → (its coordinates, the Qt rectangles or lines made from them when first drawn): kept from one
        #: gathering to the next for every group whose coordinates did not change.
        self._made: dict[tuple, tuple[list, list]] = {}
        #: The picture of the last view: (its scale, the scene area it covers, the image).
        self._picture: tuple[tuple[float, float], QRectF, QImage] | None = None
        #: How many blocks and lines the last gathering found (what tests look at).
        self.counts = (0, 0)
        #: Drawn straight onto the painter's device (exports: vector in a PDF or SVG), without a kept picture.
        self.direct = False

    def take_drawing(self) -> list:
        """Hand over what was gathered and made (a quarter of a million rectangles and lines at 100,000 cards),
        to be let go of a slice at a time (:mod:`planner.chart.release`); the blocks are gathered again if
        painted."""
        taken = [part for coords, shapes in self._made.values() for part in (coords, shapes)]
        if self._batches is not None:
            taken += [batch[2] for kind in self._batches for batch in kind]
        self._batches, self._made, self._picture = None, {}, None
        return taken

    def invalidate(self) -> None:
        """Gather the cards and links again at the next paint."""
        self._batches = None
        self.invalidate_badges()

    def invalidate_badges(self) -> None:
        """Gather only the findings' marks again (a new analysis: the cards and links stay as they are)."""
        self._badges = None
        self.invalidate_picture()

    def invalidate_picture(self) -> None:
        """Draw the picture again from what was gathered (the item's extent changed)."""
        self._picture = None
        self.update()

    # -- gathering -----------------------------------------------------------------------

    def _gather(self) -> tuple:
        """Every shown card and link, grouped by strip and colour, as coordinates: the Qt rectangles and lines
        are made only for the groups a picture draws (:meth:`_shapes`), and a group that did not change since the
        last gathering keeps those it had (making a quarter of a million of them costs most of the work)."""
        scene = self._scene
        org = scene.org
        if org is None:
            self.counts = (0, 0)
            self._made = {}
            return ([], [])
        hidden, bright = scene.hidden_ids, scene.highlighted_ids
        half_width = CARD_WIDTH / 2
        places: dict[str, tuple[float, float, str]] = {}
        cards: dict[tuple, list[tuple[float, float]]] = {}
        for node in org.nodes():
            node_id, x, y, kind = node.id, node.x, node.y, node.kind
            places[node_id] = (x, y, kind)
            if node_id in hidden:
                continue
            group = (
                "card",
                (x - half_width) // _STRIP,
                kind,
                node.vacant,
                bright is not None and node_id not in bright,
            )
            coords = cards.get(group)
            if coords is None:
                coords = cards[group] = []
            coords.append((x, y))
        links: dict[tuple, list[tuple[float, float, float, float]]] = {}
        for source, target, kind in org.link_triples():
            if source in hidden or target in hidden:
                continue
            x1, y1, source_kind = places[source]
            x2, y2, target_kind = places[target]
            low, high = (x1, x2) if x1 <= x2 else (x2, x1)
            strip = low // _STRIP if high - low <= _STRIP else None
            dimmed = bright is not None and not (source in bright and target in bright)
            group = ("link", strip, kind, source_kind, target_kind, dimmed)
            coords = links.get(group)
            if coords is None:
                coords = links[group] = []
            coords.append((x1, y1, x2, y2))
        old, made = self._made, {}
        for group, coords in (*cards.items(), *links.items()):
            kept = old.get(group)
            if kept is not None and kept[0] == coords:  # compared in C: milliseconds for the whole chart
                made[group] = (coords, kept[1])
        # Shapes of groups that changed (all of them after a filter dims cards) are let go a slice at a time.
        release_later(shapes for group, (_coords, shapes) in old.items() if group not in made)
        self._made = made
        self.counts = (sum(map(len, cards.values())), sum(map(len, links.values())))
        link_batches = [
            [group[1], self._link_color(group[2], not is_link_allowed(*group[2:5]), group[5]), coords, group]
            for group, coords in links.items()
        ]
        card_batches = [[group[1], self._card_color(*group[2:5]), coords, group] for group, coords in cards.items()]
        return (link_batches, card_batches)

    def _shapes(self, batch: list) -> list:
        """The Qt rectangles or lines of a group, made the first time it is drawn."""
        _strip, _color, coords, group = batch
        kept = self._made.get(group)
        if kept is not None and kept[0] is coords:
            return kept[1]
        if group[0] == "card":
            left, top = CARD_WIDTH / 2, CARD_HEIGHT / 2
            shapes = [QRectF(x - left, y - top, CARD_WIDTH, CARD_HEIGHT) for x, y in coords]
        else:
            shapes = [QLineF(x1, y1, x2, y2) for x1, y1, x2, y2 in coords]
        self._made[group] = (coords, shapes)
        return shapes

    def _gather_badges(self) -> list:
        """The findings' corner marks (a few thousand at most: quick to gather)."""
        scene = self._scene
        org = scene.org
        if org is None:
            return []
        hidden, bright = scene.hidden_ids, scene.highlighted_ids
        badges: dict[str, list[QRectF]] = {}
        for node_id, (severity, _count) in scene.badges.items():
            if node_id in hidden or (bright is not None and node_id not in bright):
                continue
            node = org.get(node_id)
            if node is not None:
                left, top = node.x - CARD_WIDTH / 2, node.y - CARD_HEIGHT / 2
                badges.setdefault(severity, []).append(QRectF(left + CARD_WIDTH - 40, top, 40, 30))
        theme = scene.theme
        return [(theme.severity_color(severity), rects) for severity, rects in badges.items()]

    def _link_color(self, kind: str, invalid: bool, dimmed: bool) -> QColor:
        return link_block_color(self._scene.theme, kind, invalid, dimmed)

    def _card_color(self, kind: str, vacant: bool, dimmed: bool) -> QColor:
        return card_block_color(self._scene.theme, kind, vacant, dimmed)

    # -- painting ------------------------------------------------------------------------

    def draw(self, painter: QPainter, area: QRectF | None = None) -> None:
        """The blocks and hairlines, in scene units, with ``painter``'s transform: all, or those of the strips
        ``area`` meets (no picture kept)."""
        if self._batches is None:
            self._batches = self._gather()
        if self._badges is None:
            self._badges = self._gather_badges()
        links, cards = self._batches
        badges = self._badges
        # A link of a strip reaches at most one strip further right; a card never does.
        first, last = (-math.inf, math.inf) if area is None else (area.left() / _STRIP - 2, area.right() / _STRIP)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for batch in links:
            strip = batch[0]
            if strip is None or first <= strip <= last:
                painter.setPen(QPen(batch[1], 0))
                painter.drawLines(self._shapes(batch))
        painter.setPen(Qt.PenStyle.NoPen)
        for batch in cards:
            if first <= batch[0] <= last:
                painter.setBrush(batch[1])
                painter.drawRects(self._shapes(batch))
        for color, rects in badges:
            painter.setBrush(color)
            painter.drawRects(rects)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        world = painter.worldTransform()
        if self.direct or world.isRotating() or painter.device() is None:
            self.draw(painter)
            return
        inverse, invertible = world.inverted()
        if not invertible:
            return
        device = painter.device()
        shown = inverse.mapRect(QRectF(0, 0, device.width(), device.height())).intersected(self.rect())
        if shown.isEmpty():
            return
        scale = (world.m11(), world.m22())
        picture = self._picture
        if picture is None or picture[0] != scale or not picture[1].contains(shown):
            # The first picture at a scale covers the view alone (a large org just opened or a zoom: drawing the
            # margin too made half as many rectangles and lines again); once the view moves, a margin is added.
            margin = _MARGIN if picture is not None and picture[0] == scale else 0.0
            picture = self._picture = self._draw_picture(world, shown, device.devicePixelRatioF(), margin)
        _, covered, image = picture
        corner = world.map(covered.topLeft())
        painter.save()
        painter.resetTransform()
        painter.drawImage(QPointF(round(corner.x()), round(corner.y())), image)
        painter.restore()

    def _draw_picture(self, world: QTransform, shown: QRectF, ratio: float, margin: float = _MARGIN) -> tuple:
        """A picture of the blocks around ``shown`` (scene units) at ``world``'s scale, ``margin`` of its size
        larger on every side."""
        grow_x, grow_y = shown.width() * margin, shown.height() * margin
        covered = shown.adjusted(-grow_x, -grow_y, grow_x, grow_y).intersected(self.rect())
        scale_x, scale_y = abs(world.m11()), abs(world.m22())
        width = max(1, math.ceil(covered.width() * scale_x * ratio))
        height = max(1, math.ceil(covered.height() * scale_y * ratio))
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setTransform(QTransform.fromScale(world.m11(), world.m22()))
        painter.translate(-covered.left(), -covered.top())
        painter.setClipRect(covered)
        self.draw(painter, covered)
        painter.end()
        return ((world.m11(), world.m22()), covered, image)
