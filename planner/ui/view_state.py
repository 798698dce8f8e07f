"""View state for working with large orgs: find step by step, filter (dim the rest) and fold.

Folding a leader hides everyone reporting to it; folding a product hides its
teams, their backlog owners, its strategy owners and stakeholders; a filter by
kind or by product dims every other card. Folds and filters are view state
only: they are not saved in the file and not undoable, and they start afresh
with each opened org. :class:`ViewState` owns the find field and the filter
box the window puts in its toolbar, and registers its actions (Find Next,
Fold…) in the window's :class:`~planner.ui.actions.ActionRegistry`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QLineEdit, QMenu, QWidget

from planner.model.org import Org
from planner.model.vocabulary import LEADER, NODE_KINDS, NODE_LABELS, PRODUCT
from planner.ui.actions import ActionRegistry
from planner.ui.canvas.folding import cards_of_kind, cards_of_product, folded_away, hidden_by_folds
from planner.ui.canvas.scene import EditorScene
from planner.ui.document import Document
from planner.wording import plural


class FindField(QLineEdit):
    """The toolbar's find box: Enter finds the next match, Escape hands the keyboard back to the chart."""

    def __init__(self, chart: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chart = chart

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self._chart.setFocus(Qt.FocusReason.ShortcutFocusReason)
            event.accept()
            return
        super().keyPressEvent(event)


class ViewState(QObject):
    """Find, filter and fold over one document's chart."""

    def __init__(
        self,
        document: Document,
        scene: EditorScene,
        chart: QWidget,
        registry: ActionRegistry,
        show_nodes: Callable[[list[str]], None],
        show_status: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.scene = scene
        self.show_nodes = show_nodes
        self.show_status = show_status
        self.folded: set[str] = set()
        #: ("kind", kind) or ("product", product id), or None: every card bright.
        self.filter: tuple[str, str] | None = None
        self._matches: list[str] = []
        self._match_index = -1
        self._query = ""
        self._org: Org | None = None
        #: The file whose org the view shows, to tell another org (New, Open) from a reload of the same.
        self._shown_path: str | None = document.path
        self._reapply = QTimer(self)
        self._reapply.setSingleShot(True)
        self._reapply.setInterval(0)
        self._reapply.timeout.connect(self._refresh)
        self.find_field = FindField(chart, parent)
        self.find_field.setObjectName("find")
        self.find_field.setPlaceholderText("Find a card…")
        self.find_field.setClearButtonEnabled(True)
        self.find_field.setMaximumWidth(240)
        self.find_field.setToolTip(
            "Find cards by name or title; Enter shows the next match, Esc goes back to the chart"
        )
        self.find_field.returnPressed.connect(self.find_step)
        self.find_field.textChanged.connect(self._forget_matches)
        self.filter_combo = QComboBox(parent)
        self.filter_combo.setObjectName("filter")
        self.filter_combo.setToolTip("Highlight the cards of one kind or of one product; the rest are dimmed")
        self.filter_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.filter_combo.setMinimumContentsLength(12)
        self.filter_combo.activated.connect(self._on_filter_chosen)
        self.filter_menu = QMenu("&Highlight", parent)
        self.filter_menu.aboutToShow.connect(self._fill_filter_menu)
        self._register(registry)
        document.org_replaced.connect(self._on_org_replaced)
        scene.unfold_requested.connect(self.unfold)
        self._on_org_replaced(document.org)

    def _register(self, registry: ActionRegistry) -> None:
        key = QKeySequence.StandardKey
        registry.add("edit.find", "&Find…", self.focus_find, key.Find, "Find cards by name or title")
        registry.add(
            "edit.find_next",
            "Find &Next",
            self.find_step,
            key.FindNext,
            "Show the next card that matches the find field",
        )
        registry.add(
            "edit.find_previous",
            "Find Pre&vious",
            lambda: self.find_step(backwards=True),
            key.FindPrevious,
            "Show the previous matching card",
        )
        registry.add(
            "view.fold",
            "&Fold",
            self.toggle_fold_selected,
            "Ctrl+Shift+F",
            "Fold or unfold the selected leader's reports or product's people",
        )
        registry.add("view.unfold_all", "&Unfold All", self.unfold_all, tip="Show every folded card again")
        registry.add("view.clear_filter", "Show &All Cards", self.clear_filter, tip="Undim every card")

    def focus_find(self) -> None:
        self.find_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_field.selectAll()

    # -- following the document ------------------------------------------------------------

    def _on_org_replaced(self, org: Org) -> None:
        if self._org is not None:
            self._org.changed.disconnect(self._schedule)
        self._org = org
        org.changed.connect(self._schedule)
        self.folded.clear()
        self.filter = None
        if self.document.path is None or self.document.path != self._shown_path:
            # Another org (New, Open): a query typed for the last one is of no use. A reload keeps it.
            self.find_field.clear()
        self._shown_path = self.document.path
        self._forget_matches()
        self._refresh()

    def detach(self) -> None:
        if self._org is not None:
            self._org.changed.disconnect(self._schedule)
            self._org = None

    def _schedule(self) -> None:
        # A burst of edits (a multi-delete, an undo of a paste) re-applies the view state once.
        if self.folded or self.filter is not None:
            self._reapply.start()
        if any(not self._org or node_id not in self._org for node_id in self._matches):
            self._forget_matches()

    def _refresh(self) -> None:
        org = self.document.org
        self.folded = {node_id for node_id in self.folded if node_id in org}
        if self.filter is not None and self.filter[0] == "product" and self.filter[1] not in org:
            self.filter = None
        hidden, counts = hidden_by_folds(org, self.folded)
        self.scene.set_view_state(hidden, counts, self.highlighted())
        self._fill_filter_combo()

    # -- filter -----------------------------------------------------------------------------

    def highlighted(self) -> set[str] | None:
        """The cards the filter keeps bright, or None when there is no filter."""
        if self.filter is None:
            return None
        what, value = self.filter
        org = self.document.org
        return cards_of_kind(org, value) if what == "kind" else cards_of_product(org, value)

    def set_filter(self, kind: str | None = None, product: str | None = None) -> None:
        """Dim every card but those of ``kind``, or of ``product`` and its people; neither: undim all."""
        if kind is not None:
            self.filter = ("kind", kind)
        elif product is not None:
            self.filter = ("product", product)
        else:
            self.filter = None
        self._refresh()
        bright = self.highlighted()
        if bright is None:
            self.show_status("Every card shown")
        else:
            self.show_status(f"{plural(len(bright), 'card')} highlighted; the others are dimmed")

    def clear_filter(self) -> None:
        self.set_filter()

    def _filter_choices(self) -> list[tuple[str, tuple[str, str] | None]]:
        org = self.document.org
        choices: list[tuple[str, tuple[str, str] | None]] = [("All cards", None)]
        present = {node.kind for node in org.nodes()}
        choices += [(f"{NODE_LABELS[kind]}s", ("kind", kind)) for kind in NODE_KINDS if kind in present]
        products = sorted((node for node in org.nodes() if node.kind == PRODUCT), key=lambda n: n.label.casefold())
        choices += [(f"Product: {node.label}", ("product", node.id)) for node in products]
        return choices

    def _fill_filter_combo(self) -> None:
        combo = self.filter_combo
        combo.blockSignals(True)
        combo.clear()
        choices = self._filter_choices()
        for text, choice in choices:
            combo.addItem(text, choice)
        # Found in the list rather than by asking the combo for each item's data (thousands of products).
        combo.setCurrentIndex(next((i for i, (_text, choice) in enumerate(choices) if choice == self.filter), 0))
        combo.blockSignals(False)

    def _fill_filter_menu(self) -> None:
        self.filter_menu.clear()
        for text, choice in self._filter_choices():
            action = self.filter_menu.addAction(text, lambda c=choice: self._choose_filter(c))
            action.setCheckable(True)
            action.setChecked(choice == self.filter)

    def _on_filter_chosen(self, index: int) -> None:
        self._choose_filter(self.filter_combo.itemData(index))

    def _choose_filter(self, choice) -> None:
        if choice is None:
            self.set_filter()
        elif choice[0] == "kind":
            self.set_filter(kind=choice[1])
        else:
            self.set_filter(product=choice[1])

    # -- folding ------------------------------------------------------------------------------

    def can_fold(self, node_id: str) -> bool:
        node = self.document.org.get(node_id)
        return node is not None and node.kind in (LEADER, PRODUCT) and bool(folded_away(self.document.org, node_id))

    def fold(self, node_id: str) -> bool:
        """Hide what reports to this leader, or this product's people; the card shows "+N"."""
        if not self.can_fold(node_id):
            return False
        self.folded.add(node_id)
        self._refresh()
        count = len(folded_away(self.document.org, node_id))
        self.show_status(f"{plural(count, 'card')} folded under {self.document.org.node(node_id).label}")
        return True

    def unfold(self, node_id: str) -> bool:
        if node_id not in self.folded:
            return False
        count = len(folded_away(self.document.org, node_id))
        self.folded.discard(node_id)
        self._refresh()
        # Replaces the "N cards folded under …" message, which would no longer be true.
        self.show_status(f"{plural(count, 'card')} shown again under {self.document.org.node(node_id).label}")
        return True

    def unfold_all(self) -> None:
        had = bool(self.folded)
        self.folded.clear()
        self._refresh()
        if had:
            self.show_status("Every card shown again")

    def toggle_fold_selected(self) -> None:
        selected = self.scene.selected_node_ids()
        if len(selected) != 1:
            self.show_status("Select one leader or product to fold or unfold")
            return
        node_id = selected[0]
        if node_id in self.folded:
            self.unfold(node_id)
        elif not self.fold(node_id):
            self.show_status("Only a leader with reports or a product with people can be folded")

    def reveal(self, node_id: str) -> None:
        """Unfold whatever hides ``node_id``."""
        org = self.document.org
        hiding = {root for root in self.folded if node_id in folded_away(org, root)}
        if hiding:
            self.folded -= hiding
            self._refresh()

    def extend_context_menu(self, menu: QMenu, node_ids: list[str]) -> None:
        """Add Fold/Unfold to a card's right-click menu."""
        if len(node_ids) != 1:
            return
        node_id = node_ids[0]
        if node_id in self.folded:
            menu.addSeparator()
            menu.addAction(f"&Unfold (+{len(folded_away(self.document.org, node_id))})", lambda: self.unfold(node_id))
        elif self.can_fold(node_id):
            node = self.document.org.node(node_id)
            what = "Reports" if node.kind == LEADER else "Teams and People"
            menu.addSeparator()
            menu.addAction(f"&Fold {what} ({len(folded_away(self.document.org, node_id))})", lambda: self.fold(node_id))

    # -- find ---------------------------------------------------------------------------------

    def _forget_matches(self, *_ignored) -> None:
        self._matches = []
        self._match_index = -1
        self._query = ""

    def matches(self, query: str) -> list[str]:
        """Ids of the cards whose name, title or id matches ``query``, in reading order."""
        query = query.strip().casefold()
        if not query:
            return []
        found = [
            node
            for node in self.document.org.nodes()
            if query in node.name.casefold() or query in node.title.casefold() or query == node.id.casefold()
        ]
        found.sort(key=lambda node: (node.y, node.x, node.id))
        return [node.id for node in found]

    def find_step(self, text: str | None = None, backwards: bool = False) -> list[str]:
        """Select and show the next (or previous) card matching ``text`` (the find field's text)."""
        query = (self.find_field.text() if text is None else text).strip()
        if not query:
            self.focus_find()
            return []
        if query.casefold() != self._query:
            self._matches = self.matches(query)
            self._query = query.casefold()
            self._match_index = len(self._matches) if backwards else -1
        if not self._matches:
            self.show_status(f"No card matches “{query}”")
            return []
        step = -1 if backwards else 1
        self._match_index = (self._match_index + step) % len(self._matches)
        node_id = self._matches[self._match_index]
        self.reveal(node_id)
        self.show_nodes([node_id])
        self.show_status(
            f"Match {self._match_index + 1} of {len(self._matches)} for “{query}”: "
            f"{self.document.org.node(node_id).label} (Enter or F3 for the next)"
        )
        return list(self._matches)
