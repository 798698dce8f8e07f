"""Working with large orgs in the editor: find step by step, filter, fold, arrange and print.

:class:`LargeOrgTools` adds its actions to the main window's menus and
toolbar and keeps the view state that goes with them. Folding a leader hides
everyone reporting to it; folding a product hides its teams, their backlog
owners, its strategy owners and stakeholders; a filter by kind or by product
dims every other card. Folds and filters are view state only: they are not
saved in the file and not undoable, and they start afresh with each opened
org. Arranging (layered or as a reporting tree, the whole chart or the
selected cards) is one undoable move. A large arrangement is worked out in a
worker thread from a snapshot of the org, behind a modal progress dialog that
shows only if the work lasts and whose Cancel leaves the chart as it was; the
positions are applied on the GUI thread. Printing paints the chart through
:func:`planner.render.chart.paint_pages`, fitted to one page or tiled.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QComboBox, QMenu, QProgressDialog, QPushButton

from planner.layout import LayoutCancelled, LayoutGraph, arrange_graph, read_graph
from planner.model.org import Org
from planner.model.vocabulary import LEADER, NODE_KINDS, NODE_LABELS, PRODUCT
from planner.ui.canvas.folding import cards_of_kind, cards_of_product, folded_away, hidden_by_folds

#: Above this many cards, arranging runs in a worker thread and the window keeps answering.
BACKGROUND_ARRANGE_NODES = 1000
#: The progress dialog appears only when arranging lasts longer than this (quick work shows nothing).
PROGRESS_DELAY_MS = 500
#: Undo texts of the two arrangements: (whole chart, selection).
ARRANGE_TEXTS = {
    "layered": ("Arrange chart", "Arrange selection"),
    "tree": ("Arrange as reporting tree", "Arrange selection as reporting tree"),
}


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


class ArrangeWorker(QThread):
    """Works out an arrangement from a snapshot of the org, away from the GUI thread.

    The worker never sees the org: it lays out the :class:`~planner.layout.LayoutGraph`
    read on the GUI thread, and the GUI applies :attr:`positions` when it is done.
    """

    #: (steps done, steps in all), emitted from the worker thread.
    progressed = Signal(int, int)

    def __init__(self, graph: LayoutGraph, style: str, keep_place: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.graph = graph
        self.style = style
        self.keep_place = keep_place
        self.positions: dict[str, tuple[float, float]] | None = None
        self.cancelled = False
        self.error: BaseException | None = None
        self._stop_requested = False

    def request_stop(self) -> None:
        """Ask the layout to stop at its next step (called from the GUI thread)."""
        self._stop_requested = True

    def run(self) -> None:
        try:
            self.positions = arrange_graph(self.graph, self.style, self.keep_place, self._report)
        except LayoutCancelled:
            self.cancelled = True
        except BaseException as error:  # noqa: BLE001 - handed to the GUI thread, which raises it there
            self.error = error

    def _report(self, done: int, total: int) -> bool:
        self.progressed.emit(done, total)
        return not self._stop_requested


class LargeOrgTools(QObject):
    """Find, filter, fold, arrange and print for one :class:`~planner.ui.mainwindow.MainWindow`."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.folded: set[str] = set()
        #: ("kind", kind) or ("product", product id), or None: every card bright.
        self.filter: tuple[str, str] | None = None
        self._matches: list[str] = []
        self._match_index = -1
        self._query = ""
        self._org: Org | None = None
        #: While a large arrangement runs: its progress dialog (shown only if the work lasts).
        self.progress_dialog: QProgressDialog | None = None
        self._arranging: ArrangeWorker | None = None
        self._org_changed_while_arranging = False
        self._show_progress = QTimer(self)
        self._show_progress.setSingleShot(True)
        self._show_progress.timeout.connect(self._show_progress_dialog)
        self._reapply = QTimer(self)
        self._reapply.setSingleShot(True)
        self._reapply.setInterval(0)
        self._reapply.timeout.connect(self._refresh)
        self._build_actions()
        self._install()
        window.document.org_replaced.connect(self._on_org_replaced)
        window.scene.unfold_requested.connect(self.unfold)
        self._on_org_replaced(window.document.org)

    # -- set-up ---------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, tip: str = "", checkable: bool = False) -> QAction:
        action = QAction(text, self.window)
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.find_next_action = self._action("Find &Next", lambda: self.find_step(), key.FindNext,
                                             "Show the next card that matches the find field")
        self.find_previous_action = self._action("Find Pre&vious", lambda: self.find_step(backwards=True),
                                                 key.FindPrevious, "Show the previous matching card")
        self.arrange_tree_action = self._action(
            "Arrange as Reporting &Tree", lambda: self.arrange("tree"), "Ctrl+Shift+T",
            "Lay the chart out along the reporting lines, managers above their reports (the selection only, if any)")
        self.print_action = self._action("&Print…", self.print_dialog, key.Print, "Print the chart")
        self.overview_action = self._action("Show &Overview Map", self.window.view.overview.set_wanted,
                                            tip="Show a small map of the whole chart while part of it is out of view",
                                            checkable=True)
        self.overview_action.setChecked(True)
        self.unfold_all_action = self._action("&Unfold All", self.unfold_all, tip="Show every folded card again")
        self.clear_filter_action = self._action("Show &All Cards", self.clear_filter, tip="Undim every card")
        self.fold_action = self._action("&Fold", self.toggle_fold_selected, "Ctrl+Shift+F",
                                        "Fold or unfold the selected leader's reports or product's people")

    def _menu(self, title: str) -> QMenu | None:
        for action in self.window.menuBar().actions():
            if action.menu() is not None and action.text().replace("&", "") == title:
                return action.menu()
        return None

    def _install(self) -> None:
        window = self.window
        file_menu = self._menu("File")
        if file_menu is not None:
            file_menu.insertAction(window.close_action, self.print_action)
            file_menu.insertSeparator(window.close_action)
        edit_menu = self._menu("Edit")
        if edit_menu is not None:
            edit_menu.insertAction(window.connect_action, self.find_next_action)
            edit_menu.insertAction(window.connect_action, self.find_previous_action)
            edit_menu.addAction(self.arrange_tree_action)
        view_menu = self._menu("View")
        if view_menu is not None:
            first_dock = window.palette_dock.toggleViewAction()
            view_menu.insertAction(first_dock, self.overview_action)
            view_menu.insertSeparator(first_dock)
            self.filter_menu = QMenu("&Highlight", view_menu)
            self.filter_menu.aboutToShow.connect(self._fill_filter_menu)
            view_menu.insertMenu(first_dock, self.filter_menu)
            view_menu.insertAction(first_dock, self.fold_action)
            view_menu.insertAction(first_dock, self.unfold_all_action)
            view_menu.insertSeparator(first_dock)
        self.filter_combo = QComboBox(window.toolbar)
        self.filter_combo.setObjectName("filter")
        self.filter_combo.setToolTip("Highlight the cards of one kind or of one product; the rest are dimmed")
        self.filter_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.filter_combo.setMinimumContentsLength(12)
        self.filter_combo.activated.connect(self._on_filter_chosen)
        find_widget_action = next((a for a in window.toolbar.actions()
                                   if window.toolbar.widgetForAction(a) is window.find_field), None)
        if find_widget_action is not None:
            window.toolbar.insertWidget(find_widget_action, self.filter_combo)
        else:
            window.toolbar.addWidget(self.filter_combo)
        window.find_field.textChanged.connect(self._forget_matches)

    # -- following the document ------------------------------------------------------------

    def _on_org_replaced(self, org: Org) -> None:
        if self._org is not None:
            self._org.changed.disconnect(self._schedule)
        self._org = org
        org.changed.connect(self._schedule)
        self.folded.clear()
        self.filter = None
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
        org = self.window.document.org
        self.folded = {node_id for node_id in self.folded if node_id in org}
        if self.filter is not None and self.filter[0] == "product" and self.filter[1] not in org:
            self.filter = None
        hidden, counts = hidden_by_folds(org, self.folded)
        self.window.scene.set_view_state(hidden, counts, self.highlighted())
        self._fill_filter_combo()

    # -- filter -----------------------------------------------------------------------------

    def highlighted(self) -> set[str] | None:
        """The cards the filter keeps bright, or None when there is no filter."""
        if self.filter is None:
            return None
        what, value = self.filter
        org = self.window.document.org
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
            self.window.show_status("Every card shown")
        else:
            self.window.show_status(f"{_plural(len(bright), 'card')} highlighted; the others are dimmed")

    def clear_filter(self) -> None:
        self.set_filter()

    def _filter_choices(self) -> list[tuple[str, tuple[str, str] | None]]:
        org = self.window.document.org
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
        for text, choice in self._filter_choices():
            combo.addItem(text, choice)
        index = next((i for i in range(combo.count()) if combo.itemData(i) == self.filter), 0)
        combo.setCurrentIndex(index)
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
        node = self.window.document.org.get(node_id)
        return node is not None and node.kind in (LEADER, PRODUCT) and bool(folded_away(self.window.document.org,
                                                                                          node_id))

    def fold(self, node_id: str) -> bool:
        """Hide what reports to this leader, or this product's people; the card shows "+N"."""
        if not self.can_fold(node_id):
            return False
        self.folded.add(node_id)
        self._refresh()
        count = len(folded_away(self.window.document.org, node_id))
        self.window.show_status(f"{_plural(count, 'card')} folded under "
                                f"{self.window.document.org.node(node_id).label}")
        return True

    def unfold(self, node_id: str) -> bool:
        if node_id not in self.folded:
            return False
        self.folded.discard(node_id)
        self._refresh()
        return True

    def unfold_all(self) -> None:
        self.folded.clear()
        self._refresh()

    def toggle_fold_selected(self) -> None:
        selected = self.window.scene.selected_node_ids()
        if len(selected) != 1:
            self.window.show_status("Select one leader or product to fold or unfold")
            return
        node_id = selected[0]
        if node_id in self.folded:
            self.unfold(node_id)
        elif not self.fold(node_id):
            self.window.show_status("Only a leader with reports or a product with people can be folded")

    def reveal(self, node_id: str) -> None:
        """Unfold whatever hides ``node_id``."""
        org = self.window.document.org
        hiding = {root for root in self.folded if node_id in folded_away(org, root)}
        if hiding:
            self.folded -= hiding
            self._refresh()

    def extend_context_menu(self, menu: QMenu, node_ids: list[str]) -> None:
        """Add Fold/Unfold to a card's right-click menu, the tree arrangement to a selection's."""
        if len(node_ids) > 1:
            menu.addAction(self.arrange_tree_action)
        if len(node_ids) != 1:
            return
        node_id = node_ids[0]
        if node_id in self.folded:
            menu.addSeparator()
            menu.addAction(f"&Unfold (+{len(folded_away(self.window.document.org, node_id))})",
                           lambda: self.unfold(node_id))
        elif self.can_fold(node_id):
            node = self.window.document.org.node(node_id)
            what = "Reports" if node.kind == LEADER else "Teams and People"
            menu.addSeparator()
            menu.addAction(f"&Fold {what} ({len(folded_away(self.window.document.org, node_id))})",
                           lambda: self.fold(node_id))

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
        found = [node for node in self.window.document.org.nodes()
                 if query in node.name.casefold() or query in node.title.casefold() or query == node.id.casefold()]
        found.sort(key=lambda node: (node.y, node.x, node.id))
        return [node.id for node in found]

    def find_step(self, text: str | None = None, backwards: bool = False) -> list[str]:
        """Select and show the next (or previous) card matching ``text`` (the find field's text)."""
        window = self.window
        query = (window.find_field.text() if text is None else text).strip()
        if not query:
            window.focus_find()
            return []
        if query.casefold() != self._query:
            self._matches = self.matches(query)
            self._query = query.casefold()
            self._match_index = len(self._matches) if backwards else -1
        if not self._matches:
            window.show_status(f"No card matches “{query}”")
            return []
        step = -1 if backwards else 1
        self._match_index = (self._match_index + step) % len(self._matches)
        node_id = self._matches[self._match_index]
        self.reveal(node_id)
        window.focus_nodes([node_id])
        window.show_status(f"Match {self._match_index + 1} of {len(self._matches)} for “{query}”: "
                           f"{window.document.org.node(node_id).label} (Enter or F3 for the next)")
        return list(self._matches)

    # -- arrange --------------------------------------------------------------------------------

    def arrange(self, mode: str = "layered") -> bool:
        """Lay out the whole chart, or only the selected cards when two or more are selected: one undo step.

        Above :data:`BACKGROUND_ARRANGE_NODES` cards the layout runs in a worker
        thread behind a progress dialog; cancelling it moves nothing.
        """
        window = self.window
        org = window.document.org
        selected = window.scene.selected_node_ids()
        chosen = selected if len(selected) > 1 else None
        style = mode if mode in ARRANGE_TEXTS else "layered"
        whole, part = ARRANGE_TEXTS[style]
        text = whole if chosen is None else part
        graph = read_graph(org, chosen)

        def apply(positions: dict[str, tuple[float, float]]) -> bool:
            moved = window.document.move_nodes(positions, text)
            if moved and chosen is None:
                window.view.fit_all()
            window.show_status(f"{text}: done" if moved else "The cards are already arranged that way")
            return moved

        if len(graph.ids) > BACKGROUND_ARRANGE_NODES:
            return self._arrange_in_background(graph, style, chosen is not None, text, apply)
        return apply(arrange_graph(graph, style, keep_place=chosen is not None))

    def _arrange_in_background(self, graph: LayoutGraph, style: str, keep_place: bool, text: str,
                               apply: Callable[[dict[str, tuple[float, float]]], bool]) -> bool:
        """Work the positions out in a worker thread while the window keeps painting, then ``apply`` them.

        Until the progress dialog shows, the user's clicks and keys wait (they
        are delivered afterwards); once it shows it is modal, so the org cannot
        change under the worker. Should it change all the same, the result is
        dropped rather than applied to a different chart. Cancelling applies
        nothing and returns False. The positions are applied on this thread
        while the dialog, if shown, says so and can no longer be cancelled.
        """
        window = self.window
        org = window.document.org
        count = _plural(len(graph.ids), "card")
        worker = ArrangeWorker(graph, style, keep_place, self)
        dialog = QProgressDialog(f"Arranging {count}…", "", 0, 0, window)
        cancel_button = QPushButton("Cancel", dialog)
        dialog.setCancelButton(cancel_button)
        dialog.setWindowTitle(text)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setMinimumWidth(360)
        self.progress_dialog = dialog
        self._arranging = worker
        self._org_changed_while_arranging = False
        worker.progressed.connect(self._follow_arrangement)
        # The worker's end must wake the waiting loop below: a queued call into this thread does.
        worker.finished.connect(self._show_progress.stop)
        dialog.canceled.connect(self._cancel_arrangement)
        org.changed.connect(self._note_change_while_arranging)
        watching = True
        window.statusBar().showMessage(f"Arranging {count}…")
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        try:
            worker.start()
            self._show_progress.start(PROGRESS_DELAY_MS)
            while not worker.isFinished():
                flags = QEventLoop.ProcessEventsFlag.WaitForMoreEvents
                if not dialog.isVisible():
                    flags |= QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
                QCoreApplication.processEvents(flags)
            worker.wait()
            self._show_progress.stop()
            # From here on the only change to the org is the arrangement itself.
            org.changed.disconnect(self._note_change_while_arranging)
            watching = False
            if worker.error is not None:
                raise worker.error
            if worker.cancelled or dialog.wasCanceled():
                window.show_status("Arranging cancelled: no card moved")
                return False
            if self._org_changed_while_arranging:
                window.show_status("The chart changed while it was being arranged: no card moved")
                return False
            if dialog.isVisible():
                cancel_button.setEnabled(False)
                dialog.setLabelText(f"Placing {count}…")
                dialog.setValue(dialog.maximum())
                dialog.repaint()
            return apply(worker.positions or {})
        finally:
            if worker.isRunning():
                # Only an error on this side gets here with the worker still busy: a running QThread must not die.
                worker.request_stop()
                worker.wait()
            self._show_progress.stop()
            if watching:
                org.changed.disconnect(self._note_change_while_arranging)
            QGuiApplication.restoreOverrideCursor()
            self.progress_dialog = None
            self._arranging = None
            # reset() also stops the dialog's own timer, which would otherwise show it after the work.
            dialog.reset()
            dialog.hide()
            dialog.deleteLater()
            worker.deleteLater()

    def _show_progress_dialog(self) -> None:
        if self.progress_dialog is not None and not self.progress_dialog.wasCanceled():
            self.progress_dialog.show()

    def _follow_arrangement(self, done: int, total: int) -> None:
        dialog = self.progress_dialog
        if dialog is not None and not dialog.wasCanceled():
            dialog.setMaximum(total)
            dialog.setValue(done)

    def _cancel_arrangement(self) -> None:
        if self._arranging is not None:
            self._arranging.request_stop()
            self.window.statusBar().showMessage("Cancelling the arrangement…")

    def _note_change_while_arranging(self) -> None:
        self._org_changed_while_arranging = True

    # -- print ----------------------------------------------------------------------------------

    def print_dialog(self) -> bool:
        """Ask for a printer and print the chart (one page, or tiled when the user asks for it)."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from planner.ui.printing import choose_tiling, print_chart

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self.window)
        dialog.setWindowTitle("Print Chart")
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False
        tiled = choose_tiling(self.window)
        if tiled is None:
            return False
        self.window.analysis.run_now()
        pages = print_chart(self.window.document.org, printer, tiled, self.window.analysis.result)
        self.window.show_status(f"Chart sent to the printer ({_plural(pages, 'page')})")
        return True
