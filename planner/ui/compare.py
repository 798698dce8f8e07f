"""Compare the open plan with another org file: a list of the differences beside the chart, marks on the cards.

File › Compare With… loads another org and treats it as the baseline and the
open document as the proposal (:func:`planner.diff.diff_orgs`): cards only in
this plan are marked *New*, cards whose details differ *Changed*, and the
:class:`CompareWidget` lists those, the cards only in the other file (which the
chart cannot show), the links added and removed, and the gaps this plan fixes
or introduces, under the one-line summary. The comparison follows the edits
made while it is shown. Choosing an entry selects its cards; Clear removes the
list and the marks. File › Save As Proposal… starts a scenario: the plan is
saved under a new name, “<name> – proposal.json”, as “<org> (proposal)”.
The marks are :class:`CompareMark` items laid over the cards as children, so
the cards themselves need to know nothing about comparing.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyleOptionGraphicsItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.chart.node_item import NodeItem
from planner.chart.plaintext import tooltip
from planner.chart.theme import current_theme, kind_icon, severity_icon
from planner.diff import OrgDiff, diff_orgs, link_sentence
from planner.io import LoadError, load_org
from planner.model.org import Org
from planner.model.vocabulary import NODE_LABELS

#: How the marks and list entries look: (tag text, light colour, dark colour).
MARKS = {
    "added": ("New", "#2b8a3e", "#51cf66"),
    "changed": ("Changed", "#1864ab", "#74c0fc"),
    "removed": ("Removed", "#c92a2a", "#ff8787"),
}
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
REFRESH_DELAY_MS = 400


def mark_color(state: str) -> QColor:
    _, light, dark = MARKS[state]
    return QColor(dark if current_theme().dark else light)


def proposal_name(org_name: str) -> str:
    """“Northwind” → “Northwind (proposal)”, said once only."""
    return org_name if org_name.endswith(" (proposal)") else f"{org_name} (proposal)"


def proposal_file_name(path: str | None, org_name: str) -> str:
    """“northwind.json” → “northwind – proposal.json”, in the same folder; from the org's name when unsaved."""
    if path:
        source = Path(path)
        return str(source.with_name(f"{source.stem} – proposal.json"))
    stem = re.sub(r'[\\/:*?"<>|]+', "-", org_name).strip(" .-") or "org"
    return f"{stem} – proposal.json"


class CompareMark(QGraphicsItem):
    """A coloured ring around a card and a tag over its top-left corner (“New”, “Changed”); never hit."""

    def __init__(self, card: NodeItem, state: str) -> None:
        super().__init__(card)
        self.state = state
        self.ring = card.card_rect().adjusted(-5, -5, 5, 5)
        self.font = QFont()
        self.font.setPointSizeF(7.5)
        self.font.setWeight(QFont.Weight.Bold)
        text = MARKS[state][0]
        width = QFontMetricsF(self.font).horizontalAdvance(text) + 12
        self.tag = QRectF(self.ring.left() + 10, self.ring.top() - 9, width, 16)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent, False)
        self.setZValue(2.0)

    def boundingRect(self) -> QRectF:
        return self.ring.united(self.tag).adjusted(-2, -2, 2, 2)

    def shape(self) -> QPainterPath:
        # Clicks and hovers go through to the card underneath.
        return QPainterPath()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        color = mark_color(self.state)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ring_pen = QPen(color, 2.5)
        # A ring a few pixels wide at any zoom: zoomed out over a large chart is when the marks matter most.
        ring_pen.setCosmetic(True)
        painter.setPen(ring_pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(self.ring, 12, 12)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(self.tag, 8, 8)
        painter.setFont(self.font)
        painter.setPen(QColor("#ffffff") if not current_theme().dark else QColor("#111111"))
        painter.drawText(self.tag, Qt.AlignmentFlag.AlignCenter, MARKS[self.state][0])


class CompareWidget(QWidget):
    """The differences as a list: summary on top, then a group per kind of difference."""

    #: The user chose an entry; select these cards (ids in the open plan).
    nodes_requested = Signal(list)
    #: The user chose a link entry that exists in the open plan.
    link_requested = Signal(object)
    #: The user chose something the chart cannot show (the text says why).
    message = Signal(str)
    clear_requested = Signal()
    compare_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel("Compare this plan with another org file: File › Compare With…", self)
        self.summary.setObjectName("compare_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("compare_list")
        self.tree.setAccessibleName("Differences")
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.currentItemChanged.connect(self._on_current)
        self.compare_button = QPushButton("Compare With…", self)
        self.compare_button.clicked.connect(self.compare_requested)
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.setToolTip("Remove the comparison and its marks from the chart")
        self.clear_button.clicked.connect(self.clear_requested)
        self.clear_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compare_button)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)

    def show_diff(self, diff: OrgDiff, other_name: str) -> None:
        """List ``diff`` (baseline: the file ``other_name``; proposal: the open plan)."""
        current_key = self._entry_key(self.tree.currentItem())
        self.tree.blockSignals(True)
        self.tree.clear()
        plan, other = diff.proposed, diff.current
        self.summary.setText(
            f"Compared with {other_name}: this plan {diff.summary()}"
            if not diff.is_empty or diff.fixed or diff.introduced
            else f"Compared with {other_name}: no difference"
        )
        self._group(
            "Added",
            f"in this plan, not in {other_name}",
            "added",
            [(n.label, NODE_LABELS[n.kind], ("nodes", (n.id,)), kind_icon(n.kind)) for n in diff.added],
        )
        self._group(
            "Removed",
            f"only in {other_name}",
            "removed",
            [
                (n.label, NODE_LABELS[n.kind], ("absent", f"{n.label} is only in {other_name}"), kind_icon(n.kind))
                for n in diff.removed
            ],
        )
        self._group(
            "Changed",
            "",
            "changed",
            [
                (c.after.label, "; ".join(c.phrases()), ("nodes", (c.after.id,)), kind_icon(c.after.kind))
                for c in diff.changed
            ],
        )
        self._group(
            "Links added",
            "",
            None,
            [(link_sentence(plan, link), "", ("link", link.key), None) for link in diff.links_added],
        )
        self._group(
            "Links removed",
            f"only in {other_name}",
            None,
            [
                (link_sentence(other, link), "", ("absent", f"This link is only in {other_name}"), None)
                for link in diff.links_removed
            ],
        )
        self._group(
            "Gaps fixed",
            f"found in {other_name}, not in this plan",
            None,
            [(f"{f.code} · {f.message}", "", ("nodes", f.nodes), severity_icon(f.severity)) for f in diff.fixed],
        )
        self._group(
            "Gaps introduced",
            f"found in this plan, not in {other_name}",
            None,
            [(f"{f.code} · {f.message}", "", ("nodes", f.nodes), severity_icon(f.severity)) for f in diff.introduced],
        )
        self.clear_button.setEnabled(True)
        self._restore_current(current_key)
        self.tree.blockSignals(False)

    def clear(self) -> None:
        self.tree.clear()
        self.summary.setText("Compare this plan with another org file: File › Compare With…")
        self.clear_button.setEnabled(False)

    def entries(self, group: str) -> list[str]:
        """The texts listed under ``group`` (“Added”, “Removed”…), for tests and screen readers alike."""
        for index in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(index)
            if top.data(0, ENTRY_ROLE) == group:
                return [top.child(i).text(0) for i in range(top.childCount())]
        return []

    def select_entry(self, group: str, row: int) -> None:
        for index in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(index)
            if top.data(0, ENTRY_ROLE) == group:
                self.tree.setCurrentItem(top.child(row))
                return

    def _group(self, title: str, hint: str, state: str | None, rows: list) -> None:
        if not rows:
            return
        top = QTreeWidgetItem(self.tree, [f"{title} ({len(rows)})"])
        top.setData(0, ENTRY_ROLE, title)
        top.setToolTip(0, tooltip(hint or title))
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        if state is not None:
            top.setForeground(0, mark_color(state))
        for text, detail, entry, icon in rows:
            item = QTreeWidgetItem(top, [f"{text} — {detail}" if detail else text])
            item.setData(0, ENTRY_ROLE, entry)
            item.setToolTip(0, tooltip(item.text(0)))
            if icon is not None:
                item.setIcon(0, icon)
        top.setExpanded(True)

    @staticmethod
    def _entry_key(item: QTreeWidgetItem | None):
        return None if item is None else (item.parent().data(0, ENTRY_ROLE) if item.parent() else None, item.text(0))

    def _restore_current(self, key) -> None:
        if key is None:
            return
        for index in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(index)
            for row in range(top.childCount()):
                if (top.data(0, ENTRY_ROLE), top.child(row).text(0)) == key:
                    self.tree.setCurrentItem(top.child(row))
                    return

    def _on_current(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        entry = item.data(0, ENTRY_ROLE) if item is not None and item.parent() is not None else None
        if entry is None:
            return
        what, value = entry
        if what == "nodes":
            self.nodes_requested.emit(list(value))
        elif what == "link":
            self.link_requested.emit(value)
        else:
            self.message.emit(f"{value}: the chart, which shows this plan, cannot show it")


class Comparison(QObject):
    """The window's comparison: its actions, its dock, the marks, and Save As Proposal."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.other: Org | None = None
        self.other_path: str | None = None
        self.diff: OrgDiff | None = None
        self._marked: dict[str, str] = {}
        # A large org's cards get items as they come into view: mark those when they do.
        window.scene.cards_made.connect(self._mark_made)
        self.widget = CompareWidget(window)
        self.dock = QDockWidget("Compare", window)
        self.dock.setObjectName("compare_dock")
        self.dock.setWidget(self.widget)
        self.dock.hide()
        self.compare_action = QAction("Compare &With…", window)
        self.compare_action.setStatusTip("Show how this plan differs from another org file, and mark it on the chart")
        self.compare_action.triggered.connect(self.compare_dialog)
        self.clear_action = QAction("C&lear Comparison", window)
        self.clear_action.setStatusTip("Remove the comparison and its marks")
        self.clear_action.triggered.connect(self.clear)
        self.clear_action.setEnabled(False)
        self.proposal_action = QAction("Save As &Proposal…", window)
        self.proposal_action.setStatusTip("Save a copy of this plan as a proposal to work on, and go on in it")
        self.proposal_action.triggered.connect(self.save_as_proposal)
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_DELAY_MS)
        self._refresh.timeout.connect(self.refresh)
        self.widget.nodes_requested.connect(window.focus_nodes)
        self.widget.link_requested.connect(self._select_link)
        self.widget.message.connect(window.show_status)
        self.widget.clear_requested.connect(self.clear)
        self.widget.compare_requested.connect(self.compare_dialog)
        window.document.undo_stack.indexChanged.connect(self._on_edit)
        window.document.org_replaced.connect(self._on_org_replaced)

    def place_dock(self) -> None:
        """Beside the chart, sharing the inspector's side as a tab."""
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.window.tabifyDockWidget(self.window.inspector_dock, self.dock)
        self.dock.hide()

    # -- asking ---------------------------------------------------------------------

    def ask_compare_path(self) -> str:
        doc = self.window.document
        start = str(Path(doc.path).parent) if doc.path else ""
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Compare With", start, "Org files (*.json *.graphml);;All files (*)"
        )
        return path

    def ask_proposal_path(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self.window, "Save As Proposal", suggested, "Planner files (*.json)")
        if path and not Path(path).suffix:
            path += ".json"
        return path

    # -- comparing ------------------------------------------------------------------

    def compare_dialog(self) -> bool:
        path = self.ask_compare_path()
        return self.compare_with(path) if path else False

    def compare_with(self, path: str | Path) -> bool:
        """Compare the open plan with the org in ``path``; on a file that cannot be read, say why."""
        path = str(path)
        try:
            other = load_org(path)
        except LoadError as exc:
            self.window.show_error(
                f"“{Path(path).name}” could not be opened for comparing.", exc.summary(), exc.details()
            )
            return False
        self.other, self.other_path = other, path
        self.refresh()
        self.dock.show()
        self.dock.raise_()
        self.clear_action.setEnabled(True)
        self.window.show_status(f"Compared with {path}: {self.diff.summary()}")
        return True

    def refresh(self) -> None:
        if self.other is None:
            return
        doc = self.window.document
        self.diff = diff_orgs(self.other, doc.org)  # checked with the open plan's profile, a profile file included
        self.widget.show_diff(self.diff, Path(self.other_path).name)
        self._mark({n.id: "added" for n in self.diff.added} | {c.after.id: "changed" for c in self.diff.changed})

    def clear(self) -> None:
        self._refresh.stop()
        self.other = self.other_path = self.diff = None
        self._mark({})
        self.widget.clear()
        self.clear_action.setEnabled(False)

    def marks(self) -> dict[str, str]:
        """Card id → "added" or "changed", as shown on the chart now."""
        return {
            node_id: state
            for node_id, state in self._marked.items()
            if self._mark_of(self.window.scene.node_items.get(node_id)) is not None
        }

    def _mark(self, states: dict[str, str]) -> None:
        items = self.window.scene.node_items
        for node_id in self._marked:
            mark = self._mark_of(items.get(node_id))
            if mark is not None:
                mark.setParentItem(None)
                self.window.scene.removeItem(mark)
        for node_id, state in states.items():
            card = items.get(node_id)
            if card is not None:
                CompareMark(card, state)
        self._marked = dict(states)

    def _mark_made(self, node_ids: list[str]) -> None:
        items = self.window.scene.node_items
        for node_id in node_ids:
            state = self._marked.get(node_id)
            card = items.get(node_id)
            if state is not None and card is not None and self._mark_of(card) is None:
                CompareMark(card, state)

    @staticmethod
    def _mark_of(card: NodeItem | None) -> CompareMark | None:
        if card is None:
            return None
        return next((child for child in card.childItems() if isinstance(child, CompareMark)), None)

    def _select_link(self, key) -> None:
        self.window.scene.select(link_keys=[key])
        self.window.view.show_rect(self.window.scene.nodes_rect([key.source, key.target]))

    def _on_edit(self, _index: int = 0) -> None:
        if self.other is not None:
            self._refresh.start()

    def _on_org_replaced(self, _org: Org) -> None:
        # Another plan is open: the cards the marks sat on are gone; compare again from the menu.
        self._marked = {}
        if self.other is not None:
            self.clear()

    # -- scenarios ------------------------------------------------------------------

    def save_as_proposal(self) -> bool:
        """Save the plan as “<name> – proposal.json”, named “<org> (proposal)”, and go on editing that file."""
        doc = self.window.document
        path = self.ask_proposal_path(proposal_file_name(doc.path, doc.org.name))
        if not path:
            return False
        renamed = proposal_name(doc.org.name) != doc.org.name
        if renamed:
            doc.rename_org(proposal_name(doc.org.name))
        if not self.window.save_to(path):
            if renamed:
                doc.undo_stack.undo()
            return False
        return True
