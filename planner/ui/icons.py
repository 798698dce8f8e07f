"""Toolbar icons drawn as strokes on a unit square, in the palette's text colour.

Drawing them (instead of shipping bitmaps or relying on an icon theme that
Windows and macOS lack) keeps them sharp at any DPI and right in light and
dark palettes; :func:`action_icon` renders one for 1x, 2x and 3x screens.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap


def _lines(path: QPainterPath, *points: tuple[float, float]) -> None:
    path.moveTo(*points[0])
    for point in points[1:]:
        path.lineTo(*point)


@cache
def icon_path(name: str) -> QPainterPath:
    path = QPainterPath()
    if name == "new":
        _lines(
            path,
            (0.62, 0.12),
            (0.24, 0.12),
            (0.24, 0.88),
            (0.76, 0.88),
            (0.76, 0.26),
            (0.62, 0.12),
            (0.62, 0.26),
            (0.76, 0.26),
        )
        _lines(path, (0.5, 0.44), (0.5, 0.72))
        _lines(path, (0.36, 0.58), (0.64, 0.58))
    elif name == "open":
        _lines(path, (0.12, 0.8), (0.12, 0.22), (0.38, 0.22), (0.46, 0.32), (0.82, 0.32), (0.82, 0.44))
        _lines(path, (0.12, 0.8), (0.24, 0.46), (0.92, 0.46), (0.8, 0.8), (0.12, 0.8))
    elif name == "save":
        _lines(path, (0.5, 0.14), (0.5, 0.6))
        _lines(path, (0.32, 0.44), (0.5, 0.62), (0.68, 0.44))
        _lines(path, (0.18, 0.66), (0.18, 0.86), (0.82, 0.86), (0.82, 0.66))
    elif name == "undo":
        path.moveTo(0.3, 0.42)
        path.cubicTo(0.42, 0.26, 0.82, 0.24, 0.84, 0.56)
        path.cubicTo(0.84, 0.76, 0.66, 0.84, 0.5, 0.84)
        _lines(path, (0.3, 0.2), (0.3, 0.42), (0.52, 0.42))
    elif name == "redo":
        path.moveTo(0.7, 0.42)
        path.cubicTo(0.58, 0.26, 0.18, 0.24, 0.16, 0.56)
        path.cubicTo(0.16, 0.76, 0.34, 0.84, 0.5, 0.84)
        _lines(path, (0.7, 0.2), (0.7, 0.42), (0.48, 0.42))
    elif name == "connect":
        path.addEllipse(QPointF(0.24, 0.7), 0.11, 0.11)
        path.addEllipse(QPointF(0.76, 0.3), 0.11, 0.11)
        path.moveTo(0.33, 0.63)
        path.cubicTo(0.5, 0.62, 0.5, 0.38, 0.67, 0.37)
    elif name == "delete":
        _lines(path, (0.16, 0.26), (0.84, 0.26))
        _lines(path, (0.4, 0.26), (0.42, 0.14), (0.58, 0.14), (0.6, 0.26))
        _lines(path, (0.24, 0.26), (0.3, 0.86), (0.7, 0.86), (0.76, 0.26))
        _lines(path, (0.44, 0.42), (0.44, 0.72))
        _lines(path, (0.56, 0.42), (0.56, 0.72))
    elif name == "fit":
        for x, y, dx, dy in ((0.14, 0.14, 1, 1), (0.86, 0.14, -1, 1), (0.14, 0.86, 1, -1), (0.86, 0.86, -1, -1)):
            _lines(path, (x, y + dy * 0.22), (x, y), (x + dx * 0.22, y))
        path.addRect(QRectF(0.36, 0.38, 0.28, 0.24))
    elif name == "arrange":
        path.addRect(QRectF(0.38, 0.12, 0.24, 0.18))
        path.addRect(QRectF(0.1, 0.7, 0.24, 0.18))
        path.addRect(QRectF(0.66, 0.7, 0.24, 0.18))
        _lines(path, (0.5, 0.3), (0.5, 0.5))
        _lines(path, (0.22, 0.7), (0.22, 0.5), (0.78, 0.5), (0.78, 0.7))
    return path


def action_icon(name: str, color: QColor | None = None, size: int = 20) -> QIcon:
    """An icon of the named shape (``new``, ``open``, ``save``, ``undo``, ``redo``, ``connect``...)."""
    if color is None:
        color = QGuiApplication.palette().color(QPalette.ColorRole.ButtonText)
    icon = QIcon()
    for mode, alpha in ((QIcon.Mode.Normal, 1.0), (QIcon.Mode.Disabled, 0.35)):
        tint = QColor(color)
        tint.setAlphaF(alpha)
        for scale in (1, 2, 3):
            pixmap = QPixmap(QSize(size * scale, size * scale))
            pixmap.setDevicePixelRatio(scale)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.scale(size, size)
            pen = QPen(tint, 1.6 / size)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPath(icon_path(name))
            painter.end()
            icon.addPixmap(pixmap, mode)
    return icon
