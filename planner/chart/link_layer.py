"""The links of a lazily made chart seen close up, kept as one picture of the view while nothing changes.

A view at the middle of a large layered chart is crossed by hundreds of long
links; each painted by its own item costs a call into Python and a dashed,
antialiased stroke on every frame, and scrolling repaints them all. On a
lazily made chart (:mod:`planner.chart.lazy`) the scene lets one
:class:`LinkLayer` draw every link item that is neither selected, hovered nor
joined to a selected card (those paint themselves, live while dragged) into a
picture of the view and a margin around it, and copies that picture on later
frames: the other link items keep Qt's ``ItemHasNoContents`` flag (they still
take clicks and hovers). The picture is drawn again when the zoom changes,
the view leaves it, or a link in it changes (:meth:`LinkLayer.invalidate`).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from planner.chart.sketch import SceneOverlay

_NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents

#: The picture covers the view and this share of its size again on every side.
_MARGIN = 0.25


class LinkLayer(SceneOverlay):
    """Paints the scene's quiet link items (those with no contents of their own) from a cached picture."""

    def __init__(self, scene) -> None:
        super().__init__(scene, z=-1.5)
        #: (scale, the scene area covered, the image, the device pixel of its top-left corner).
        self._picture: tuple | None = None
        #: How many times the picture was drawn whole (what tests look at).
        self.drawn = 0

    def invalidate(self) -> None:
        if self._picture is not None:
            self._picture = None
            self.update()

    def add(self, items) -> None:
        """Links just made: draw them into the picture as it is (no need to draw it all again)."""
        if self._picture is None:
            return
        scale, covered, image, origin = self._picture
        painter = self._painter_on(image, scale, origin)
        self._draw_links(painter, covered, [item for item in items if item.flags() & _NO_CONTENTS])
        painter.end()
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        world = painter.worldTransform()
        inverse, invertible = world.inverted()
        device = painter.device()
        if world.isRotating() or not invertible or device is None:
            return
        shown = inverse.mapRect(QRectF(0, 0, device.width(), device.height())).intersected(self.rect())
        if shown.isEmpty():
            return
        scale = (world.m11(), world.m22(), world.dx() % 1.0, world.dy() % 1.0)
        picture = self._picture
        if picture is None or picture[0] != scale:
            picture = self._draw_picture(world, shown, device.devicePixelRatioF(), None)
        elif not picture[1].contains(shown):
            picture = self._draw_picture(world, shown, device.devicePixelRatioF(), picture)
        self._picture = picture
        _, _, image, origin = picture
        corner = world.map(QPointF(0, 0))
        painter.save()
        painter.resetTransform()
        painter.drawImage(
            QPointF(origin[0] + round(corner.x() - world.dx() % 1.0), origin[1] + round(corner.y() - world.dy() % 1.0)),
            image,
        )
        painter.restore()

    @staticmethod
    def _painter_on(image: QImage, scale: tuple, origin: tuple[int, int]) -> QPainter:
        """A painter on ``image`` mapping scene units to its pixels (its top-left is device pixel ``origin``)."""
        painter = QPainter(image)
        painter.translate(-origin[0] + scale[2], -origin[1] + scale[3])
        painter.scale(scale[0], scale[1])
        return painter

    def _draw_links(self, painter: QPainter, area: QRectF, items) -> None:
        painter.save()
        painter.setClipRect(area)
        for item in items:
            if item.isVisible() and item.sceneBoundingRect().intersects(area):
                painter.setOpacity(item.opacity())
                item.draw(painter, area)
        painter.restore()

    def _draw_picture(self, world: QTransform, shown: QRectF, ratio: float, old: tuple | None) -> tuple:
        """A picture of the quiet links around ``shown``; what ``old`` (at the same zoom) has is copied from it."""
        grow_x, grow_y = shown.width() * _MARGIN, shown.height() * _MARGIN
        wanted = shown.adjusted(-grow_x, -grow_y, grow_x, grow_y).intersected(self.rect())
        scale = (world.m11(), world.m22(), world.dx() % 1.0, world.dy() % 1.0)
        # The picture's pixels are the view's pixels (scene point 0, 0 at the same fraction of a pixel), so that
        # a picture copied into the next one after a scroll lands exactly.
        left = math.floor(wanted.left() * scale[0])
        top = math.floor(wanted.top() * scale[1])
        right = math.ceil(wanted.right() * scale[0]) + 1
        bottom = math.ceil(wanted.bottom() * scale[1]) + 1
        covered = QRectF(
            (left - scale[2]) / scale[0],
            (top - scale[3]) / scale[1],
            (right - left) / scale[0],
            (bottom - top) / scale[1],
        )
        image = QImage(
            max(1, round((right - left) * ratio)),
            max(1, round((bottom - top) * ratio)),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.setDevicePixelRatio(ratio)
        image.fill(Qt.GlobalColor.transparent)
        links = [item for item in self._scene.link_items.values() if item.flags() & _NO_CONTENTS]
        if old is not None:
            _, old_covered, old_image, old_origin = old
            painter = QPainter(image)
            painter.drawImage(QPointF(old_origin[0] - left, old_origin[1] - top), old_image)
            painter.end()
            kept = old_covered.intersected(covered)
            areas = _outside(covered, kept)
        else:
            areas = [covered]
            self.drawn += 1
        painter = self._painter_on(image, scale, (left, top))
        for area in areas:
            self._draw_links(painter, area, links)
        painter.end()
        return (scale, covered, image, (left, top))


def _outside(outer: QRectF, inner: QRectF) -> list[QRectF]:
    """``outer`` less ``inner`` (inside it), as up to four rectangles."""
    if inner.isEmpty():
        return [outer]
    parts = [
        QRectF(outer.left(), outer.top(), outer.width(), inner.top() - outer.top()),
        QRectF(outer.left(), inner.bottom(), outer.width(), outer.bottom() - inner.bottom()),
        QRectF(outer.left(), inner.top(), inner.left() - outer.left(), inner.height()),
        QRectF(inner.right(), inner.top(), outer.right() - inner.right(), inner.height()),
    ]
    return [part for part in parts if part.width() > 0 and part.height() > 0]
