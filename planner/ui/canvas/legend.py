"""The chart's legend: what each card colour and each line style means, floating over the view.

It paints itself from :mod:`planner.chart.theme`, so it always matches the cards
and links, in light and dark palettes alike. A click folds it into a small tab
(and unfolds it again), so that it never stands in the way of the chart.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QWidget

from planner.chart.theme import LINK_STYLES, Theme, current_theme, draw_arrowhead, draw_glyph
from planner.model.vocabulary import LINK_KINDS, NODE_KINDS, NODE_LABELS

_ROW = 19.0
_PAD = 10.0
_MARGIN = 12


class LegendWidget(QWidget):
    """A translucent key in the bottom-left corner of the chart view."""

    def __init__(self, view) -> None:
        super().__init__(view)
        self._view = view
        self.theme: Theme = current_theme()
        self.collapsed = False
        self._user_choice = False
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._font = QFont(self.font())
        self._font.setPointSizeF(8.5)
        self._head_font = QFont(self._font)
        self._head_font.setWeight(QFont.Weight.Bold)
        metrics = QFontMetricsF(self._font)
        self._role_width = 34 + max(metrics.horizontalAdvance(NODE_LABELS[k]) for k in NODE_KINDS)
        self._link_width = 52 + max(metrics.horizontalAdvance(spec.label) for spec in LINK_KINDS.values())
        rows = max(len(NODE_KINDS) + 1, len(LINK_KINDS))
        self._full_size = QSize(int(self._role_width + self._link_width + 3 * _PAD), int(_PAD * 2 + _ROW * (rows + 1)))
        head = QFontMetricsF(self._head_font)
        self._folded_size = QSize(int(head.horizontalAdvance("Legend ▸") + 2 * _PAD), int(_ROW + _PAD))
        self.set_collapsed(False)

    def fold_if_cramped(self, viewport: QSize) -> None:
        """Fold away in a small view, unless the user unfolded the legend themselves."""
        if self._user_choice:
            return
        cramped = viewport.height() < self._full_size.height() * 2.6 or viewport.width() < self._full_size.width() * 2.2
        if cramped != self.collapsed:
            self.set_collapsed(cramped)

    def set_collapsed(self, collapsed: bool) -> None:
        self.collapsed = collapsed
        self.resize(self._folded_size if collapsed else self._full_size)
        self.setToolTip("Show the legend" if collapsed else "Fold the legend away")
        self.reposition()
        self.update()

    def choose_collapsed(self, collapsed: bool) -> None:
        """Fold or unfold as the user asks (a click): it stays so whatever the view's size."""
        self._user_choice = True
        self.set_collapsed(collapsed)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.choose_collapsed(not self.collapsed)
            event.accept()
            return
        super().mousePressEvent(event)

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.update()

    def reposition(self) -> None:
        viewport = self._view.viewport().geometry()
        self.move(viewport.left() + _MARGIN, viewport.bottom() - self.height() - _MARGIN)

    def showEvent(self, event) -> None:
        self.reposition()
        super().showEvent(event)

    def paintEvent(self, event) -> None:
        theme = self.theme
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        panel = QColor(theme.card)
        panel.setAlphaF(0.94)
        painter.setPen(QPen(theme.card_border, 1.0))
        painter.setBrush(panel)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        if self.collapsed:
            painter.setFont(self._head_font)
            painter.setPen(theme.secondary_text)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, "Legend ▸")
            painter.end()
            return

        left = _PAD
        top = _PAD
        painter.setFont(self._head_font)
        painter.setPen(theme.secondary_text)
        painter.drawText(QRectF(left, top, self._role_width, _ROW), Qt.AlignmentFlag.AlignVCenter, "Roles")
        painter.drawText(QRectF(self.rect()).adjusted(0, top, -_PAD, 0), Qt.AlignmentFlag.AlignRight, "▾")
        painter.drawText(
            QRectF(left + self._role_width + _PAD, top, self._link_width, _ROW), Qt.AlignmentFlag.AlignVCenter, "Links"
        )
        painter.setFont(self._font)
        y = top + _ROW
        for kind in NODE_KINDS:
            self._role_row(painter, QRectF(left, y, self._role_width, _ROW), kind)
            y += _ROW
        self._vacant_row(painter, QRectF(left, y, self._role_width, _ROW))
        y = top + _ROW
        for kind, spec in LINK_KINDS.items():
            self._link_row(painter, QRectF(left + self._role_width + _PAD, y, self._link_width, _ROW), kind, spec.label)
            y += _ROW
        painter.end()

    def _role_row(self, painter: QPainter, rect: QRectF, kind: str) -> None:
        disc = QRectF(rect.left(), rect.center().y() - 8, 16, 16)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.theme.kind_tint(kind))
        painter.drawEllipse(disc)
        draw_glyph(painter, kind, disc.adjusted(3, 3, -3, -3), self.theme.kind_color(kind))
        painter.setPen(self.theme.text)
        painter.drawText(rect.adjusted(24, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, NODE_LABELS[kind])

    def _vacant_row(self, painter: QPainter, rect: QRectF) -> None:
        box = QRectF(rect.left(), rect.center().y() - 6, 16, 12)
        pen = QPen(self.theme.secondary_text, 1.2, Qt.PenStyle.DashLine)
        pen.setDashPattern([2.5, 2.0])
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(self.theme.text)
        painter.drawText(rect.adjusted(24, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, "Vacant (to hire)")

    def _link_row(self, painter: QPainter, rect: QRectF, kind: str, label: str) -> None:
        y = rect.center().y()
        start, end = QPointF(rect.left(), y), QPointF(rect.left() + 38, y)
        painter.setPen(self.theme.link_pen(kind, 0.8))
        painter.drawLine(start, QPointF(end.x() - 2, y))
        style = LINK_STYLES[kind]
        draw_arrowhead(painter, end, 0.0, style.head, self.theme.link_color(kind), 8.0)
        painter.setPen(self.theme.text)
        painter.drawText(rect.adjusted(46, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, label)
