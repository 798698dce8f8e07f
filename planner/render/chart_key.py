"""The chart's key (roles, links, finding rings, a proposal's new cards) and the NEW tag, for exports and printing."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem

from planner.chart.theme import LINK_STYLES, Theme, draw_arrowhead, draw_glyph
from planner.model.vocabulary import LINK_KINDS, NODE_LABELS

RING_COLORS = {"error": "#dc2626", "warning": "#d97706", "info": "#2563eb"}
#: The tag and ring of a card that a proposal adds.
NEW_COLOR = "#15803d"


class LegendItem(QGraphicsItem):
    """A key under the chart: the roles and link kinds it shows and, when marked, what the rings mean."""

    ROW = 26.0
    GAP = 22.0

    def __init__(self, kinds: list[str], links: list[str], marked: bool, theme: Theme, new: bool = False) -> None:
        super().__init__()
        self.theme = theme
        self.font = QFont()
        self.font.setPointSizeF(9.0)
        metrics = QFontMetricsF(self.font)
        self.rows: list[list[tuple[str, str, float]]] = []
        self.rows.append([("kind", kind, 26 + metrics.horizontalAdvance(NODE_LABELS[kind])) for kind in kinds])
        if links:
            self.rows.append([("link", kind, 50 + metrics.horizontalAdvance(LINK_KINDS[kind].label)) for kind in links])
        marks = []
        if marked:
            marks += [
                ("severity", severity, 30 + metrics.horizontalAdvance(f"{severity} finding"))
                for severity in RING_COLORS
            ]
        if new:
            marks.append(("new", "", 44 + metrics.horizontalAdvance(_NEW_KEY)))
        if marks:
            self.rows.append(marks)
        self.width = max((sum(w for _, _, w in row) + self.GAP * (len(row) - 1) for row in self.rows), default=0.0)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.width, self.ROW * len(self.rows))

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(self.font)
        for index, row in enumerate(self.rows):
            x = 0.0
            for what, key, width in row:
                rect = QRectF(x, index * self.ROW, width, self.ROW)
                getattr(self, f"_paint_{what}")(painter, rect, key)
                x += width + self.GAP

    def _label(self, painter: QPainter, rect: QRectF, indent: float, text: str) -> None:
        painter.setPen(self.theme.text)
        painter.drawText(rect.adjusted(indent, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_kind(self, painter: QPainter, rect: QRectF, kind: str) -> None:
        disc = QRectF(rect.left(), rect.center().y() - 9, 18, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.theme.kind_tint(kind))
        painter.drawEllipse(disc)
        draw_glyph(painter, kind, disc.adjusted(3, 3, -3, -3), self.theme.kind_color(kind))
        self._label(painter, rect, 26, NODE_LABELS[kind])

    def _paint_link(self, painter: QPainter, rect: QRectF, kind: str) -> None:
        y = rect.center().y()
        painter.setPen(self.theme.link_pen(kind))
        painter.drawLine(QPointF(rect.left(), y), QPointF(rect.left() + 38, y))
        draw_arrowhead(
            painter, QPointF(rect.left() + 40, y), 0.0, LINK_STYLES[kind].head, self.theme.link_color(kind), 9.0
        )
        self._label(painter, rect, 50, LINK_KINDS[kind].label)

    def _paint_severity(self, painter: QPainter, rect: QRectF, severity: str) -> None:
        painter.setPen(QPen(QColor(RING_COLORS[severity]), 3.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(rect.left() + 1, rect.center().y() - 8, 20, 16), 5, 5)
        self._label(painter, rect, 30, f"{severity} finding")

    def _paint_new(self, painter: QPainter, rect: QRectF, key: str) -> None:
        paint_new_tag(painter, QPointF(rect.left(), rect.center().y() - 8), self.font)
        self._label(painter, rect, 44, _NEW_KEY)


_NEW_KEY = "new in this proposal"


def paint_new_tag(painter: QPainter, top_left: QPointF, font: QFont) -> QRectF:
    """A green "NEW" pill at ``top_left``; return its rectangle."""
    bold = QFont(font)
    bold.setWeight(QFont.Weight.Bold)
    bold.setPointSizeF(font.pointSizeF() * 0.85)
    width = QFontMetricsF(bold).horizontalAdvance("NEW") + 10
    rect = QRectF(top_left, QSizeF(width, 16))
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(NEW_COLOR))
    painter.drawRoundedRect(rect, 4, 4)
    painter.setFont(bold)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "NEW")
    painter.restore()
    return rect


class NewTagItem(QGraphicsItem):
    """The NEW tag over the top-left corner of a card the proposal adds."""

    def __init__(self, font: QFont) -> None:
        super().__init__()
        self.font = QFont(font)
        self.font.setPointSizeF(10.0)
        self.setZValue(3.0)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, 60, 16)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint_new_tag(painter, QPointF(0, 0), self.font)
