"""One card of the chart: a node drawn in its kind's colour and glyph, with name, title and tags.

A :class:`NodeItem` knows nothing of the model: the scene gives it what to show
(:meth:`set_content`, :meth:`set_badge`) and moves it; the item draws itself
and keeps its links attached. In the editor (``interactive``) it is selectable
and movable and shows a connector handle on hover, from which the editor's
scene starts a new link. Its position is the centre of the card, as in the model.
Below a zoom of about 0.5 it paints only its name in large type, with a
larger connector handle; further out the scene's
:class:`~planner.chart.sketch.ChartSketch` draws every card at once and the
item paints nothing, so that charts of thousands of nodes stay fluid. Below
0.5 a folded card's "+N" is no longer its own tag but a marker of constant size
on screen (:func:`paint_fold_marker`, drawn for all folded cards by
:class:`~planner.chart.fold_markers.FoldMarkers`), still a click away from
unfolding. Far out the connector handle is neither drawn nor active: a card a
few pixels wide leaves no room to aim at it, and Connect mode links from
anywhere on a card instead.
The item is a ``QGraphicsRectItem`` with no pen so that Qt answers
``boundingRect`` in C++: Python is then only called to paint and to hit-test.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsView,
    QStyle,
    QStyleOptionGraphicsItem,
    QWidget,
)

from planner.chart.plaintext import tooltip as plain_tooltip
from planner.chart.theme import Theme, current_theme, draw_glyph
from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH

#: Below this zoom cards are plain blocks and links hairlines without heads (drawn by the scene's sketch).
DETAIL_THRESHOLD = 0.22
#: Below this zoom (and above the previous one) a card shows only its name, in large type.
SUMMARY_THRESHOLD = 0.5

_RADIUS = 9.0
_BADGE_RADIUS = 10.0
_CONNECTOR_RADIUS = 7.0
# Zoomed out the handle grows in the scene so that it stays a target on screen (and inside the card's bounds).
_SUMMARY_CONNECTOR_RADIUS = 14.0
_GLYPH_DISC = 38.0
_PAD = 12.0

_CARD_RECT = QRectF(-CARD_WIDTH / 2, -CARD_HEIGHT / 2, CARD_WIDTH, CARD_HEIGHT)
# Room for the selection halo, the badge over the top-right corner and the connector.
_BOUNDS_MARGIN = _BADGE_RADIUS * 1.4 + 3
_BOUNDS = _CARD_RECT.adjusted(-_BOUNDS_MARGIN, -_BOUNDS_MARGIN, _BOUNDS_MARGIN, _BOUNDS_MARGIN)
_FLAGS = QGraphicsItem.GraphicsItemFlag.ItemIsSelectable | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
_NO_PEN = Qt.PenStyle.NoPen


def view_zoom(widget: QWidget | None) -> float:
    """The zoom of the chart view whose viewport is ``widget`` (1.0 when the event came from elsewhere)."""
    view = widget.parentWidget() if widget is not None else None
    return view.transform().m11() if isinstance(view, QGraphicsView) else 1.0


def fold_marker_rect(count: int, metrics: QFontMetricsF) -> QRectF:
    """The zoomed-out "+N" marker in screen pixels, relative to the folded card's bottom-right corner."""
    height = metrics.height() + 4
    width = metrics.horizontalAdvance(f"+{count}") + height
    return QRectF(-height / 2, -height / 2, width, height)


def paint_fold_marker(
    painter: QPainter, corner: QPointF, count: int, color: QColor, theme: Theme, font: QFont, metrics: QFontMetricsF
) -> None:
    """ "+N" in a pill of the same size on screen at any zoom, at the card corner ``corner`` (scene units)."""
    rect = fold_marker_rect(count, metrics).translated(painter.worldTransform().map(corner))
    painter.save()
    painter.resetTransform()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(theme.card, 1.5))
    painter.setBrush(color)
    painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    painter.setFont(font)
    text = QColor("#ffffff")
    text.setAlphaF(color.alphaF())
    painter.setPen(text)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"+{count}")
    painter.restore()


@cache
def _band() -> QPainterPath:
    """The kind's colour band down a card's left edge, clipped by the rounded corners (the same for all)."""
    card = QPainterPath()
    card.addRoundedRect(_CARD_RECT.adjusted(0.5, 0.5, -0.5, -0.5), _RADIUS, _RADIUS)
    strip = QPainterPath()
    strip.addRect(QRectF(_CARD_RECT.left(), _CARD_RECT.top(), 5.0, _CARD_RECT.height()))
    return card.intersected(strip)


class CardFonts:
    """Fonts and metrics shared by every card (measuring text per paint would be slow)."""

    def __init__(self, base: QFont | None = None) -> None:
        base = QFont(base) if base is not None else QFont()
        base.setPointSizeF(10.0)
        self.name = QFont(base)
        self.name.setWeight(QFont.Weight.DemiBold)
        self.title = QFont(base)
        self.title.setPointSizeF(9.0)
        self.tag = QFont(base)
        self.tag.setPointSizeF(7.5)
        self.tag.setWeight(QFont.Weight.Bold)
        self.badge = QFont(base)
        self.badge.setPointSizeF(7.5)
        self.badge.setWeight(QFont.Weight.Bold)
        self.summary = QFont(self.name)
        self.summary.setPointSizeF(16.0)
        self.summary.setWeight(QFont.Weight.Bold)
        self.name_metrics = QFontMetricsF(self.name)
        self.marker = QFont(base)
        self.marker.setPointSizeF(8.5)
        self.marker.setWeight(QFont.Weight.Bold)
        self.summary_metrics = QFontMetricsF(self.summary)
        self.marker_metrics = QFontMetricsF(self.marker)
        self.title_metrics = QFontMetricsF(self.title)
        self.tag_metrics = QFontMetricsF(self.tag)


class NodeItem(QGraphicsRectItem):
    """A card: draggable, selectable, with a connector handle on its right edge."""

    Type = QGraphicsItem.UserType + 1

    def __init__(self, node_id: str, fonts: CardFonts, theme: Theme | None = None, interactive: bool = True) -> None:
        super().__init__(_BOUNDS)
        self.setPen(_NO_PEN)
        self.node_id = node_id
        self.fonts = fonts
        self.theme = theme or current_theme()
        self.kind = ""
        self.name = ""
        self.title = ""
        self.vacant = False
        #: While a link is being drawn: "accept" or "refuse" when the pointer is over this card.
        self.drop_hint: str | None = None
        self.badge_severity: str | None = None
        self.badge_count = 0
        self.link_items: set = set()
        #: Where the model last put the card; the scene compares after a drag.
        self.committed_pos = QPointF()
        self._hovered = False
        self._elided: tuple[str, str] | None = None
        #: "+N": how many cards are folded away under this one (view state, drawn as a tag).
        self.folded_count = 0
        if interactive:
            self.setFlags(_FLAGS)
            self.setAcceptHoverEvents(True)
        self.setZValue(1.0)

    def type(self) -> int:
        return NodeItem.Type

    # -- content ----------------------------------------------------------------

    def set_content(self, kind: str, name: str, title: str, vacant: bool, tooltip: str = "") -> None:
        self.kind, self.name, self.title, self.vacant = kind, name, title, vacant
        self._elided = None
        self.setToolTip(plain_tooltip(tooltip))
        self.update()

    def set_badge(self, severity: str | None, count: int = 0) -> None:
        if (severity, count) == (self.badge_severity, self.badge_count):
            return
        self.badge_severity, self.badge_count = severity, count
        self.update()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.update()

    def set_drop_hint(self, hint: str | None) -> None:
        if hint != self.drop_hint:
            self.drop_hint = hint
            self.update()

    def set_folded_count(self, count: int) -> None:
        if count != self.folded_count:
            self.folded_count = count
            self.update()

    def place(self, pos: QPointF) -> None:
        """Move the card to where the model says it is, its links along."""
        self.committed_pos = QPointF(pos)
        if self.pos() != pos:
            self.setPos(pos)
            self.adjust_links()

    def adjust_links(self) -> None:
        for link in self.link_items:
            link.adjust()

    # -- geometry ---------------------------------------------------------------

    def card_rect(self) -> QRectF:
        return QRectF(_CARD_RECT)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.card_rect(), _RADIUS, _RADIUS)
        if self._hovered or self.isSelected():
            path.addEllipse(self.connector_center(), _SUMMARY_CONNECTOR_RADIUS + 3, _SUMMARY_CONNECTOR_RADIUS + 3)
        return path

    def connector_center(self) -> QPointF:
        return QPointF(CARD_WIDTH / 2, 0.0)

    @staticmethod
    def connector_radius(zoom: float) -> float:
        """The handle's radius in the scene at ``zoom``; 0 far out, where it is neither drawn nor active."""
        if zoom < DETAIL_THRESHOLD:
            return 0.0
        return _CONNECTOR_RADIUS if zoom >= SUMMARY_THRESHOLD else _SUMMARY_CONNECTOR_RADIUS

    def is_on_connector(self, item_pos: QPointF, zoom: float = 1.0) -> bool:
        radius = self.connector_radius(zoom)
        if not radius:
            return False
        delta = item_pos - self.connector_center()
        return delta.x() ** 2 + delta.y() ** 2 <= (radius + 4) ** 2

    def is_on_folded_tag(self, item_pos: QPointF, zoom: float = 1.0) -> bool:
        """Whether ``item_pos`` is on the card's own "+N" tag, drawn close up (a click there unfolds it)."""
        if not self.folded_count or zoom < SUMMARY_THRESHOLD:
            return False
        corner = QRectF(CARD_WIDTH / 2 - 90, CARD_HEIGHT / 2 - 16, 90, 32)
        return corner.contains(item_pos)

    def scene_card_rect(self) -> QRectF:
        return self.card_rect().translated(self.pos())

    # -- Qt events ----------------------------------------------------------------

    def hoverEnterEvent(self, event) -> None:
        self._hovered = True
        self.update()
        super().hoverEnterEvent(event)

    def hoverMoveEvent(self, event) -> None:
        on_connector = self.is_on_connector(event.pos(), view_zoom(event.widget()))
        cursor = Qt.CursorShape.CrossCursor if on_connector else Qt.CursorShape.ArrowCursor
        self.setCursor(cursor)
        super().hoverMoveEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self._hovered = False
        self.unsetCursor()
        self.update()
        super().hoverLeaveEvent(event)

    # -- painting ---------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        theme = self.theme
        color = theme.kind_color(self.kind)
        rect = self.card_rect()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        if lod < DETAIL_THRESHOLD:
            self._paint_block(painter, rect, color, selected)
            return
        if lod < SUMMARY_THRESHOLD:
            self._paint_summary(painter, rect, color, selected)
            return

        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected:
            halo = QColor(theme.selection)
            halo.setAlphaF(0.35)
            painter.setPen(QPen(halo, 6.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), _RADIUS + 2, _RADIUS + 2)

        ring = self._drop_ring_color()
        if ring is not None:
            painter.setPen(QPen(ring, 4.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), _RADIUS + 3, _RADIUS + 3)

        if self.vacant:
            fill = QColor(theme.card)
            fill.setAlphaF(0.72)
            border = QPen(color, 1.6, Qt.PenStyle.DashLine)
            border.setDashPattern([4.0, 3.0])
        else:
            fill = theme.card
            border = QPen(theme.selection if selected else theme.card_border, 1.6 if selected else 1.0)
        painter.setPen(border)
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), _RADIUS, _RADIUS)

        # The kind's colour as a band down the left edge, clipped by the rounded card.
        if not self.vacant:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawPath(_band())

        disc = QRectF(rect.left() + _PAD + 2, -_GLYPH_DISC / 2, _GLYPH_DISC, _GLYPH_DISC)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.kind_tint(self.kind))
        painter.drawEllipse(disc)
        draw_glyph(painter, self.kind, disc.adjusted(8, 8, -8, -8), color)

        self._paint_text(painter, rect, disc, color)

        if self.badge_severity:
            self._paint_badge(painter, rect)
        if self.folded_count:
            self._paint_folded_tag(painter, rect, color)
        if self._hovered or selected:
            self._paint_connector(painter, color, _CONNECTOR_RADIUS)

    def _drop_ring_color(self) -> QColor | None:
        """While a link is drawn over this card: blue when it can take the link, red when it cannot."""
        if self.drop_hint is None:
            return None
        return self.theme.selection if self.drop_hint == "accept" else self.theme.severity_color("error")

    def _paint_block(self, painter: QPainter, rect: QRectF, color: QColor, selected: bool) -> None:
        fill = QColor(color)
        if self.vacant:
            fill.setAlphaF(0.45)
        ring = self._drop_ring_color()
        painter.setPen(
            QPen(ring, 12.0) if ring is not None else QPen(self.theme.selection, 8.0) if selected else Qt.PenStyle.NoPen
        )
        painter.setBrush(fill)
        painter.drawRect(rect)
        if self.badge_severity:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.theme.severity_color(self.badge_severity))
            painter.drawRect(QRectF(rect.right() - 40, rect.top(), 40, 30))

    def _paint_summary(self, painter: QPainter, rect: QRectF, color: QColor, selected: bool) -> None:
        """Zoomed out: the kind's colour and the name in large type, readable across the whole chart."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(self.theme.card)
        if self.vacant:
            fill.setAlphaF(0.7)
            border = QPen(color, 3.0, Qt.PenStyle.DashLine)
        else:
            border = QPen(color, 3.0)
        if selected:
            border = QPen(self.theme.selection, 6.0)
        ring = self._drop_ring_color()
        if ring is not None:  # zoomed out, the ring is the card's border, thick enough to see
            border = QPen(ring, 9.0)
        painter.setPen(border)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect.adjusted(1.5, 1.5, -1.5, -1.5), _RADIUS, _RADIUS)
        band = QRectF(rect.left() + 1.5, rect.top() + 1.5, 14.0, rect.height() - 3)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(band, 4, 4)
        text_rect = rect.adjusted(26, 4, -10, -4)
        key = ("summary", text_rect.width())
        if self._elided is None or self._elided[0] != key:
            self._elided = (key, (self._two_lines(self.name, text_rect.width()), ""))
        painter.setFont(self.fonts.summary)
        painter.setPen(self.theme.text)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self._elided[1][0])
        if self.badge_severity:
            painter.setPen(QPen(self.theme.canvas, 3.0))
            painter.setBrush(self.theme.severity_color(self.badge_severity))
            painter.drawEllipse(QPointF(rect.right() - 2, rect.top() + 2), _BADGE_RADIUS * 1.4, _BADGE_RADIUS * 1.4)
        if self._hovered or selected:
            self._paint_connector(painter, color, _SUMMARY_CONNECTOR_RADIUS)

    def _two_lines(self, text: str, width: float) -> str:
        """``text`` broken at a space to fit two lines of ``width``, the rest elided."""
        metrics = self.fonts.summary_metrics
        if metrics.horizontalAdvance(text) <= width:
            return text
        words = text.split()
        first = ""
        while words and metrics.horizontalAdvance((first + " " + words[0]).strip()) <= width:
            first = (first + " " + words.pop(0)).strip()
        if not first:
            return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        rest = metrics.elidedText(" ".join(words), Qt.TextElideMode.ElideRight, width)
        return f"{first}\n{rest}" if rest else first

    def _text_lines(self, name_width: float, title_width: float) -> tuple[str, str]:
        key = (name_width, title_width)
        if self._elided is None or self._elided[0] != key:
            name = self.fonts.name_metrics.elidedText(self.name, Qt.TextElideMode.ElideRight, name_width)
            title = self.fonts.title_metrics.elidedText(self.title, Qt.TextElideMode.ElideRight, title_width)
            self._elided = (key, (name, title))
        return self._elided[1]

    def _paint_text(self, painter: QPainter, rect: QRectF, disc: QRectF, color: QColor) -> None:
        left = disc.right() + 10
        right = rect.right() - _PAD
        tag_width = 0.0
        if self.vacant:
            tag_width = self._paint_vacant_tag(painter, QPointF(right + 4, rect.top() + 7), color) + 2
        name, title = self._text_lines(right - left - tag_width, right - left)
        name_height = self.fonts.name_metrics.height()
        title_height = self.fonts.title_metrics.height()
        top = -(name_height + (title_height + 2 if title else 0)) / 2
        painter.setFont(self.fonts.name)
        painter.setPen(self.theme.text)
        painter.drawText(
            QRectF(left, top, right - left - tag_width, name_height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            name,
        )
        if title:
            painter.setFont(self.fonts.title)
            painter.setPen(self.theme.secondary_text)
            painter.drawText(
                QRectF(left, top + name_height + 2, right - left, title_height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                title,
            )

    def _paint_vacant_tag(self, painter: QPainter, top_right: QPointF, color: QColor) -> float:
        text = "Vacant"
        metrics = self.fonts.tag_metrics
        width = metrics.horizontalAdvance(text) + 10
        height = metrics.height() + 2
        tag = QRectF(top_right.x() - width, top_right.y(), width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.theme.kind_tint(self.kind))
        painter.drawRoundedRect(tag, height / 2, height / 2)
        painter.setFont(self.fonts.tag)
        painter.setPen(color)
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)
        return width

    def _paint_folded_tag(self, painter: QPainter, rect: QRectF, color: QColor) -> None:
        """ "+N" in a pill on the bottom edge: that many cards are folded away under this one."""
        font, metrics = self.fonts.tag, self.fonts.tag_metrics
        text = f"+{self.folded_count}"
        height = metrics.height() + 4
        width = metrics.horizontalAdvance(text) + height
        tag = QRectF(rect.right() - width - 8, rect.bottom() - height / 2, width, height)
        painter.setPen(QPen(self.theme.card, 2.0))
        painter.setBrush(color)
        painter.drawRoundedRect(tag, height / 2, height / 2)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_badge(self, painter: QPainter, rect: QRectF) -> None:
        center = QPointF(rect.right() - 2, rect.top() + 2)
        painter.setPen(QPen(self.theme.canvas, 2.0))
        painter.setBrush(self.theme.severity_color(self.badge_severity))
        painter.drawEllipse(center, _BADGE_RADIUS, _BADGE_RADIUS)
        painter.setFont(self.fonts.badge)
        painter.setPen(QColor("#ffffff") if self.badge_severity != "warning" else QColor("#1f1300"))
        text = str(self.badge_count) if self.badge_count < 10 else "9+"
        painter.drawText(
            QRectF(center.x() - _BADGE_RADIUS, center.y() - _BADGE_RADIUS, 2 * _BADGE_RADIUS, 2 * _BADGE_RADIUS),
            Qt.AlignmentFlag.AlignCenter,
            text,
        )

    def _paint_connector(self, painter: QPainter, color: QColor, radius: float) -> None:
        center = self.connector_center()
        painter.setPen(QPen(self.theme.card, 2.0 * radius / _CONNECTOR_RADIUS))
        painter.setBrush(color)
        painter.drawEllipse(center, radius, radius)
        painter.setPen(QPen(QColor("#ffffff"), 1.6 * radius / _CONNECTOR_RADIUS))
        arm = radius * 0.5
        painter.drawLine(QPointF(center.x() - arm, center.y()), QPointF(center.x() + arm, center.y()))
        painter.drawLine(QPointF(center.x(), center.y() - arm), QPointF(center.x(), center.y() + arm))
