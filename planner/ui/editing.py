"""Edits started from the chart: add, link (by mouse or keyboard), delete, copy, cut, paste, duplicate.

:class:`ChartEditing` turns what the user does on the chart into calls on the
:class:`~planner.ui.document.Document` (each an undoable command), then
selects and shows the result. Refusals (a link no kind allows, a paste the
model rejects) go to the status bar; nothing here changes the model directly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu

from planner.model.geometry import CARD_HEIGHT, CARD_WIDTH, GRID
from planner.model.org import LinkKey
from planner.model.vocabulary import LINK_KINDS, NODE_DESCRIPTIONS, NODE_KINDS, NODE_LABELS, allowed_link_kinds
from planner.ui.canvas.scene import EditorScene
from planner.ui.canvas.view import ChartView
from planner.ui.clipboard import put_cards
from planner.ui.document import CLIPBOARD_MIME, Document, EditRefused

#: How many of the cards nearest the middle of the view a new card's spot is checked against.
SPOT_NEIGHBOURS = 40
#: A new card is placed where it can be linked to this many of its nearest cards by lines crossing no card.
LINE_OF_SIGHT = 4


def _distance2(a: QPointF, b: QPointF) -> float:
    return (a.x() - b.x()) ** 2 + (a.y() - b.y()) ** 2


def _crosses(start: QPointF, end: QPointF, rect: QRectF) -> bool:
    """Whether the segment from ``start`` to ``end`` passes through ``rect`` (Liang–Barsky clipping)."""
    dx, dy = end.x() - start.x(), end.y() - start.y()
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, start.x() - rect.left()),
        (dx, rect.right() - start.x()),
        (-dy, start.y() - rect.top()),
        (dy, rect.bottom() - start.y()),
    ):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


@dataclass(frozen=True)
class LinkChoice:
    """One link the keyboard can draw between two selected cards."""

    source: str
    target: str
    kind: str
    text: str


class ChartEditing(QObject):
    """Edits on one document's chart, with the selection and the status bar kept in step."""

    def __init__(
        self,
        document: Document,
        scene: EditorScene,
        view: ChartView,
        focus_name: Callable[[], None],
        show_status: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.scene = scene
        self.view = view
        self.focus_name = focus_name
        self.show_status = show_status
        self.paste_count = 0
        #: Asked before Delete removes this many selected cards; False keeps them (the window asks in the Gaps panel).
        self.confirm_delete: Callable[[int], bool] | None = None

    # -- cards ------------------------------------------------------------------------------

    def add_node_at(self, kind: str, pos: QPointF) -> str | None:
        """Add a card of ``kind`` at (or near) ``pos`` and select it, ready to be named."""
        if kind not in NODE_KINDS:
            return None
        spot = self.scene.free_spot_near(pos)
        node_id = self.document.add_node(kind, spot.x(), spot.y())
        self.scene.select([node_id])
        # In view, clear of the legend and the map, and big enough to read while it is named.
        self.view.show_rect(self.scene.nodes_rect([node_id]))
        self.focus_name()
        self.show_status(f"Added a {NODE_LABELS[kind].lower()}. {NODE_DESCRIPTIONS[kind]}")
        return node_id

    def add_node_in_view(self, kind: str) -> str | None:
        """Add a card from the palette near the middle of the view, where links to it will cross no card."""
        if kind not in NODE_KINDS:
            return None
        spot = self.open_spot(self.view.mapToScene(self.view.viewport().rect().center()))
        return self.add_node_at(kind, spot)

    def open_spot(self, centre: QPointF) -> QPointF:
        """A point near ``centre``, a card's gap away from every card, where straight lines from the new card to
        its nearest cards pass through no other card, and where no link drawn runs through the new card.

        Cards added one after the other otherwise land in a row, and linking the first to the last draws a
        line through the rest.
        """
        shown = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        # Steps on the grid: a card and two grid squares of air each way.
        step_x, step_y = (math.ceil((size + 4 * GRID) / (2 * GRID)) * 2 * GRID for size in (CARD_WIDTH, CARD_HEIGHT))
        snapped = QPointF(round(centre.x() / GRID) * GRID, round(centre.y() / GRID) * GRID)
        # Rows staggered by half a step, as in a honeycomb: fewer cards in line with each other.
        candidates = [
            QPointF(snapped.x() + (i + (j % 2) / 2) * step_x, snapped.y() + j * step_y)
            for i in range(-4, 5)
            for j in range(-4, 5)
        ]
        # In view and clear of the legend and the map first (no scrolling away from where the user looks),
        # then the nearest.
        offset = self.view.viewport().geometry().topLeft()
        panels = [
            self.view.mapToScene(panel.geometry().translated(-offset)).boundingRect()
            for panel in (self.view.legend, self.view.overview)
            if panel.isVisible()
        ]

        def in_sight(point: QPointF) -> bool:
            card = QRectF(point.x() - CARD_WIDTH / 2, point.y() - CARD_HEIGHT / 2, CARD_WIDTH, CARD_HEIGHT)
            return shown.contains(card) and not any(panel.intersects(card) for panel in panels)

        candidates.sort(key=lambda point: (not in_sight(point), _distance2(point, snapped)))
        around = QRectF(snapped.x() - 5 * step_x, snapped.y() - 5 * step_y, 10 * step_x, 10 * step_y).united(shown)
        cards = sorted(
            self.scene.cards_in(around),
            key=lambda rect: _distance2(rect.center(), centre),
        )[:SPOT_NEIGHBOURS]
        links = [
            (item.source.scene_card_rect().center(), item.target.scene_card_rect().center())
            for item in self.scene.items(around)
            if getattr(item, "link_key", None) is not None
        ]
        best: tuple[int, QPointF] | None = None
        for point in candidates:
            card = QRectF(point.x() - CARD_WIDTH / 2, point.y() - CARD_HEIGHT / 2, CARD_WIDTH, CARD_HEIGHT)
            if any(card.adjusted(-2 * GRID, -2 * GRID, 2 * GRID, 2 * GRID).intersects(other) for other in cards):
                continue
            nearest = sorted(cards, key=lambda rect: _distance2(rect.center(), point))[:LINE_OF_SIGHT]
            crossings = sum(
                _crosses(point, other.center(), third) for other in nearest for third in cards if third is not other
            )
            crossings += sum(_crosses(start, end, card) for start, end in links)
            if crossings == 0:
                return point
            if best is None or crossings < best[0]:
                best = (crossings, point)
        # A crowded view: the free spot that the fewest lines would cross.
        return best[1] if best is not None else self.scene.free_spot_near(centre)

    def delete_selection(self) -> None:
        node_ids = self.scene.selected_node_ids()
        if node_ids and self.confirm_delete is not None and not self.confirm_delete(len(node_ids)):
            return
        self.document.remove(node_ids, self.scene.selected_link_keys())

    def select_all(self) -> None:
        self.scene.select_all()

    # -- links ------------------------------------------------------------------------------

    def request_link(self, source: str, target: str, kind: str | None = None) -> bool:
        """Link two cards with the kind their roles suggest; refusals go to the status bar."""
        try:
            link = self.document.add_link(source, target, kind)
        except EditRefused as exc:
            self.show_status(str(exc))
            return False
        org = self.document.org
        self.scene.select(link_keys=[link.key])
        others = len(self.document.allowed_kinds(link.key)) - 1
        hint = " Right-click it to choose another kind." if others > 0 else ""
        self.show_status(f"{org.node(source).label} {LINK_KINDS[link.kind].label} {org.node(target).label}.{hint}")
        return True

    def link_choices(self, first: str, second: str) -> list[LinkChoice]:
        """Every link the rules allow between two cards, either way round, not yet drawn."""
        org = self.document.org
        choices = []
        for source, target in ((first, second), (second, first)):
            a, b = org.node(source), org.node(target)
            for kind in allowed_link_kinds(a.kind, b.kind):
                if not org.has_link(LinkKey(source, target, kind)):
                    choices.append(LinkChoice(source, target, kind, f"{a.label} {LINK_KINDS[kind].label} {b.label}"))
        return choices

    def link_selected(self, choose: Callable[[list[LinkChoice]], LinkChoice | None] | None = None) -> bool:
        """Link the two selected cards with a kind chosen from those allowed (a menu, by keyboard)."""
        node_ids = self.scene.selected_node_ids()
        if len(node_ids) != 2:
            self.show_status("Select two cards to link them (Ctrl+click adds a card to the selection)")
            return False
        choices = self.link_choices(*node_ids)
        if not choices:
            org = self.document.org
            self.show_status(
                f"No link can join {org.node(node_ids[0]).label} and {org.node(node_ids[1]).label}, "
                "or every allowed link is drawn already"
            )
            return False
        choice = (choose or self._choose_in_menu)(choices)
        if choice is None:
            return False
        return self.request_link(choice.source, choice.target, choice.kind)

    def _choose_in_menu(self, choices: list[LinkChoice]) -> LinkChoice | None:
        menu = QMenu(self.view)
        for choice in choices:
            action = menu.addAction(choice.text)
            action.setData(choices.index(choice))
            action.setStatusTip(LINK_KINDS[choice.kind].meaning)
        menu.setActiveAction(menu.actions()[0])
        # Just under the two cards, so that the menu covers neither of them.
        rect = self.view.mapFromScene(self.scene.nodes_rect(self.scene.selected_node_ids())).boundingRect()
        spot = QPoint(rect.left(), rect.bottom() + 6)
        if not self.view.viewport().rect().contains(spot):
            spot = QPoint(40, 40)
        picked = menu.exec(self.view.viewport().mapToGlobal(spot))
        menu.deleteLater()
        return choices[picked.data()] if picked is not None else None

    def change_link_kind(self, key: LinkKey, kind: str) -> None:
        try:
            self.document.change_link_kind(key, kind)
        except EditRefused as exc:
            self.show_status(str(exc))
            return
        self.scene.select(link_keys=[LinkKey(key.source, key.target, kind)])

    def reverse_link(self, key: LinkKey) -> None:
        try:
            self.document.reverse_link(key)
        except EditRefused as exc:
            self.show_status(str(exc))
            return
        self.scene.select(link_keys=[LinkKey(key.target, key.source, key.kind)])

    def set_connect_mode(self, on: bool) -> None:
        self.scene.connect_mode = on
        self.scene.cancel_connection()
        if on:
            self.view.viewport().setCursor(Qt.CursorShape.CrossCursor)
            self.show_status("Connect mode: drag from one card to another to link them (Esc or C to leave)")
        else:
            self.view.viewport().unsetCursor()

    # -- clipboard ----------------------------------------------------------------------------

    def copy(self) -> bool:
        node_ids = self.scene.selected_node_ids()
        if not node_ids:
            return False
        put_cards(
            CLIPBOARD_MIME,
            self.document.copy_payload(node_ids),
            "\n".join(self.document.org.node(n).label for n in node_ids),
        )
        self.paste_count = 0
        return True

    def cut(self) -> None:
        if self.copy():
            count = len(self.scene.selected_node_ids())
            self.document.remove(
                self.scene.selected_node_ids(),
                self.scene.selected_link_keys(),
                text=f"Cut {count} card{'s' if count != 1 else ''}",
            )

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or not mime.hasFormat(CLIPBOARD_MIME):
            self.show_status("The clipboard holds no cards")
            return
        self.paste_count += 1
        self._paste(bytes(mime.data(CLIPBOARD_MIME).data()).decode("utf-8"), self.paste_count)

    def duplicate(self) -> None:
        node_ids = self.scene.selected_node_ids()
        if node_ids:
            self._paste(self.document.copy_payload(node_ids), 1)

    def _paste(self, payload: str, times: int) -> None:
        try:
            new_ids = self.document.paste_payload(payload, offset=40.0 * times)
        except EditRefused as exc:
            self.show_status(str(exc))
            return
        self.scene.select(new_ids)
        self.view.ensureVisible(self.scene.nodes_rect(new_ids), 40, 40)

    @staticmethod
    def clipboard_has_cards() -> bool:
        mime = QGuiApplication.clipboard().mimeData()
        return mime is not None and mime.hasFormat(CLIPBOARD_MIME)
