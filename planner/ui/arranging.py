"""Arranging the chart: one undoable move, worked out in a worker thread for large orgs.

Arranging (layered or as a reporting tree, the whole chart or the selected
cards) is one undoable move. A large arrangement is worked out in a worker
thread from a snapshot of the org, behind a modal progress dialog that shows
only if the work lasts and whose Cancel leaves the chart as it was; the
positions are applied on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QProgressDialog, QPushButton, QStatusBar, QWidget

from planner.layout import LayoutCancelled, LayoutGraph, arrange_graph, read_graph
from planner.ui.canvas.scene import EditorScene
from planner.ui.document import Document
from planner.wording import plural

#: Above this many cards, arranging runs in a worker thread and the window keeps answering.
BACKGROUND_ARRANGE_NODES = 1000
#: The progress dialog appears only when arranging lasts longer than this (quick work shows nothing).
PROGRESS_DELAY_MS = 500
#: Undo texts of the two arrangements: (whole chart, selection).
ARRANGE_TEXTS = {
    "layered": ("Arrange chart", "Arrange selection"),
    "tree": ("Arrange as reporting tree", "Arrange selection as reporting tree"),
}


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


class Arranger(QObject):
    """Arranges one document's chart (or the selected cards) on request."""

    def __init__(
        self,
        document: Document,
        scene: EditorScene,
        fit_all: Callable[[], None],
        show_status: Callable[[str], None],
        status_bar: QStatusBar,
        dialog_parent: QWidget,
    ) -> None:
        super().__init__(dialog_parent)
        self.document = document
        self.scene = scene
        self.fit_all = fit_all
        self.show_status = show_status
        self.status_bar = status_bar
        self.dialog_parent = dialog_parent
        #: While a large arrangement runs: its progress dialog (shown only if the work lasts).
        self.progress_dialog: QProgressDialog | None = None
        self._arranging: ArrangeWorker | None = None
        self._org_changed_while_arranging = False
        self._show_progress = QTimer(self)
        self._show_progress.setSingleShot(True)
        self._show_progress.timeout.connect(self._show_progress_dialog)

    def arrange(self, mode: str = "layered") -> bool:
        """Lay out the whole chart, or only the selected cards when two or more are selected: one undo step.

        Above :data:`BACKGROUND_ARRANGE_NODES` cards the layout runs in a worker
        thread behind a progress dialog; cancelling it moves nothing.
        """
        org = self.document.org
        selected = self.scene.selected_node_ids()
        chosen = selected if len(selected) > 1 else None
        style = mode if mode in ARRANGE_TEXTS else "layered"
        whole, part = ARRANGE_TEXTS[style]
        text = whole if chosen is None else part
        graph = read_graph(org, chosen)

        def apply(positions: dict[str, tuple[float, float]]) -> bool:
            moved = self.document.move_nodes(positions, text)
            if moved and chosen is None:
                self.fit_all()
            self.show_status(f"{text}: done" if moved else "The cards are already arranged that way")
            return moved

        if len(graph.ids) > BACKGROUND_ARRANGE_NODES:
            return self._arrange_in_background(graph, style, chosen is not None, text, apply)
        return apply(arrange_graph(graph, style, keep_place=chosen is not None))

    def _arrange_in_background(
        self,
        graph: LayoutGraph,
        style: str,
        keep_place: bool,
        text: str,
        apply: Callable[[dict[str, tuple[float, float]]], bool],
    ) -> bool:
        """Work the positions out in a worker thread while the window keeps painting, then ``apply`` them.

        Until the progress dialog shows, the user's clicks and keys wait (they
        are delivered afterwards); once it shows it is modal, so the org cannot
        change under the worker. Should it change all the same, the result is
        dropped rather than applied to a different chart. Cancelling applies
        nothing and returns False. The positions are applied on this thread
        while the dialog, if shown, says so and can no longer be cancelled.
        """
        org = self.document.org
        count = plural(len(graph.ids), "card")
        worker = ArrangeWorker(graph, style, keep_place, self)
        dialog = QProgressDialog(f"Arranging {count}…", "", 0, 0, self.dialog_parent)
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
        self.status_bar.showMessage(f"Arranging {count}…")
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
                self.show_status("Arranging cancelled: no card moved")
                return False
            if self._org_changed_while_arranging:
                self.show_status("The chart changed while it was being arranged: no card moved")
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
            self.status_bar.showMessage("Cancelling the arrangement…")

    def _note_change_while_arranging(self) -> None:
        self._org_changed_while_arranging = True
