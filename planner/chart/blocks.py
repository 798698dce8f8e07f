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
        self._rects: dict = {}
        self._lines: dict = {}
        #: The picture of the last view: (its scale, the scene area it covers, the image).
        self._picture: tuple[tuple[float, float], QRectF, QImage] | None = None
        #: How many blocks and lines the last gathering found (what tests look at).
        self.counts = (0, 0)

    def take_drawing(self) -> list:
        """Hand over what was gathered (a quarter of a million rectangles and lines at 100,000 cards), to be let go
        of a slice at a time (:mod:`planner.chart.release`); the blocks are gathered again if painted."""
        batches = self._batches or ([], [])
        taken = [shapes for batch in batches for _strip, _color, shapes in batch]
        taken += [self._rects, self._lines]
        self._batches, self._rects, self._lines, self._picture = None, {}, {}, None
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
        scene = self._scene
        org = scene.org
        if org is None:
            self.counts = (0, 0)
            return ([], [])
        hidden, bright = scene.hidden_ids, scene.highlighted_ids
        half_width, half_height = CARD_WIDTH / 2, CARD_HEIGHT / 2
        # Rectangles and lines are kept from one gathering to the next while their cards stay put: making
        # a quarter of a million of them again costs most of the gathering.
        old_rects, old_lines = self._rects, self._lines
        rects_now: dict[str, tuple[float, float, QRectF]] = {}
        lines_now: dict[tuple, tuple[float, float, float, float, QLineF]] = {}
        places: dict[str, tuple[float, float, str]] = {}
        cards: dict[tuple[float, str, bool, bool], list[QRectF]] = {}
        for node in org.nodes():
            node_id, x, y, kind = node.id, node.x, node.y, node.kind
            places[node_id] = (x, y, kind)
            if node_id in hidden:
                continue
            kept = old_rects.get(node_id)
            if kept is None or kept[0] != x or kept[1] != y:
                kept = (x, y, QRectF(x - half_width, y - half_height, CARD_WIDTH, CARD_HEIGHT))
            rects_now[node_id] = kept
            group = ((x - half_width) // _STRIP, kind, node.vacant, bright is not None and node_id not in bright)
            rects = cards.get(group)
            if rects is None:
                rects = cards[group] = []
            rects.append(kept[2])
        links: dict[tuple[float | None, str, str, str, bool], list[QLineF]] = {}
        for key in org.link_triples():
            source, target, kind = key
            if source in hidden or target in hidden:
                continue
            x1, y1, source_kind = places[source]
            x2, y2, target_kind = places[target]
            line = old_lines.get(key)
            if line is None or line[0] != x1 or line[1] != y1 or line[2] != x2 or line[3] != y2:
                line = (x1, y1, x2, y2, QLineF(x1, y1, x2, y2))
            lines_now[key] = line
            dimmed = bright is not None and not (source in bright and target in bright)
            low, high = (x1, x2) if x1 <= x2 else (x2, x1)
            strip = low // _STRIP if high - low <= _STRIP else None
            group = (strip, kind, source_kind, target_kind, dimmed)
            lines = links.get(group)
            if lines is None:
                lines = links[group] = []
            lines.append(line[4])
        self._rects, self._lines = rects_now, lines_now
        self.counts = (sum(map(len, cards.values())), sum(map(len, links.values())))
        return (
            [
                (strip, self._link_color(kind, not is_link_allowed(kind, source_kind, target_kind), dimmed), lines)
                for (strip, kind, source_kind, target_kind, dimmed), lines in links.items()
            ],
            [
                (strip, self._card_color(kind, vacant, dimmed), rects)
                for (strip, kind, vacant, dimmed), rects in cards.items()
            ],
        )

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
        for strip, color, lines in links:
            if strip is None or first <= strip <= last:
                painter.setPen(QPen(color, 0))
                painter.drawLines(lines)
        painter.setPen(Qt.PenStyle.NoPen)
        for strip, color, rects in cards:
            if first <= strip <= last:
                painter.setBrush(color)
                painter.drawRects(rects)
        for color, rects in badges:
            painter.setBrush(color)
            painter.drawRects(rects)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        world = painter.worldTransform()
        if world.isRotating() or painter.device() is None:
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
            picture = self._picture = self._draw_picture(world, shown, device.devicePixelRatioF())
        _, covered, image = picture
        corner = world.map(covered.topLeft())
        painter.save()
        painter.resetTransform()
        painter.drawImage(QPointF(round(corner.x()), round(corner.y())), image)
        painter.restore()

    def _draw_picture(self, world: QTransform, shown: QRectF, ratio: float) -> tuple:
        """A picture of the blocks around ``shown`` (scene units) at ``world``'s scale."""
        grow_x, grow_y = shown.width() * _MARGIN, shown.height() * _MARGIN
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
