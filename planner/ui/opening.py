"""Opening an org file behind a progress window: read in a worker thread, then drawn with the window painting.

Reading a 10,000-card file takes a second or more and drawing its chart
several: done in one go on the GUI thread, the window froze, and the file
dialog just closed stayed painted over it. :class:`Opening` reads the file in
a :class:`ReadWorker` (the reader is Qt-free) while the window keeps painting,
and shows a progress window, like Arrange's, when the reading lasts; its
Cancel leaves the current document as it is. The chart is then built on the
GUI thread (Qt items can be made nowhere else), reporting its progress so the
window and the progress window are repainted between batches of cards.
Clicks and keys wait until the org is open: the document must not change
under the work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QProgressDialog, QWidget

from planner.collector import settle, thaw
from planner.io import load_org
from planner.model.org import Org
from planner.ui.canvas.scene import EditorScene

#: The progress window shows only when reading lasts longer than this (small files show nothing).
PROGRESS_DELAY_MS = 400
#: From this many cards on, drawing the chart shows the progress window at once.
LARGE_CHART = 2000
#: How long after a large chart is shown the collector scans it once (after its first paint).
SETTLE_AFTER_MS = 100
#: Readers whose file the user gave up on: kept alive until they finish (a running QThread must not die).
_ABANDONED: set[ReadWorker] = set()


class ReadWorker(QThread):
    """Reads one org file away from the GUI thread; the GUI takes :attr:`org` or :attr:`error` when done."""

    def __init__(self, path: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.org: Org | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.org = load_org(self.path)
        except BaseException as error:  # noqa: BLE001 - raised again on the GUI thread (LoadError included)
            self.error = error


class Opening(QObject):
    """Reads and draws org files for one window, with a progress window for large ones."""

    def __init__(self, scene: EditorScene, chart: QWidget, dialog_parent: QWidget) -> None:
        super().__init__(dialog_parent)
        self.scene = scene
        self.chart = chart
        self.dialog_parent = dialog_parent
        #: While a file is read or drawn: its progress window (shown only if the work lasts).
        self.progress_dialog: QProgressDialog | None = None

    def _dialog(self, text: str) -> QProgressDialog:
        dialog = QProgressDialog(text, "Cancel", 0, 0, self.dialog_parent)
        dialog.setWindowTitle("Opening")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        dialog.setMinimumWidth(360)
        return dialog

    def _done_with(self, dialog: QProgressDialog) -> None:
        self.progress_dialog = None
        # reset() also stops the dialog's own timer, which would otherwise show it after the work.
        dialog.reset()
        dialog.hide()
        dialog.deleteLater()
        # Paint the window where the dialog was, before whatever comes next holds the thread.
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

    def read(self, path: str, name: str) -> Org | None:
        """Read ``path`` in a worker thread; the org, or None when the user cancelled. Raises LoadError."""
        worker = ReadWorker(path)
        dialog = self._dialog(f"Reading “{name}”…")
        self.progress_dialog = dialog
        show_later = QTimer(self)
        show_later.setSingleShot(True)
        show_later.timeout.connect(lambda: dialog.wasCanceled() or dialog.show())
        # The worker's end must wake the waiting loop below: a queued call into this thread does.
        worker.finished.connect(show_later.stop)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        try:
            worker.start()
            show_later.start(PROGRESS_DELAY_MS)
            while not worker.isFinished() and not dialog.wasCanceled():
                flags = QEventLoop.ProcessEventsFlag.WaitForMoreEvents
                if not dialog.isVisible():
                    flags |= QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
                QCoreApplication.processEvents(flags, 50)
            if dialog.wasCanceled():
                return None  # the worker finishes on its own; its org is dropped with it
            worker.wait()
            if worker.error is not None:
                raise worker.error
            return worker.org
        finally:
            show_later.stop()
            QGuiApplication.restoreOverrideCursor()
            self._done_with(dialog)
            if worker.isFinished():
                worker.deleteLater()
            else:
                _ABANDONED.add(worker)
                worker.finished.connect(lambda: _ABANDONED.discard(worker))
                worker.finished.connect(worker.deleteLater)

    @contextmanager
    def quiet_chart(self) -> Iterator[None]:
        """While a file is opened: an empty chart does not say how to start drawing (the file is on its way)."""
        if not hasattr(self.chart, "opening_file"):
            yield
            return
        self.chart.opening_file = True
        self.chart.viewport().update()
        try:
            yield
        finally:
            self.chart.opening_file = False
            self.chart.viewport().update()

    @staticmethod
    def finish() -> None:
        """Wait for readers of files the user gave up on (before the application quits)."""
        for worker in list(_ABANDONED):
            worker.wait()

    def draw(self, org: Org, name: str, replace: Callable[[], None]) -> None:
        """Run ``replace`` (which builds the chart of ``org``) with a progress window for a large chart.

        ``name`` says where the org comes from, as the progress window words it: "“org.json”", "the HR export".
        """
        thaw()  # the org being replaced may hold cycles: they are the collector's again
        if len(org) < LARGE_CHART:
            replace()
            return
        dialog = self._dialog(f"Drawing {len(org):,} cards of {name}…")
        dialog.setCancelButton(None)  # half a chart cannot be shown: drawing runs to its end
        dialog.setMinimumDuration(0)
        dialog.adjustSize()
        self.progress_dialog = dialog
        dialog.show()
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

        def follow(done: int, total: int) -> None:
            dialog.setMaximum(total)
            dialog.setValue(done)
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self.scene.building_progress = follow
        # The chart (and its overview map) is painted once, when whole: painting it half-built after every
        # batch of cards would cost more than building it.
        self.chart.setUpdatesEnabled(False)
        try:
            replace()
            # Fitted before its first paint: painted at the old zoom first, the new chart showed in the wrong
            # place for as long as that paint of thousands of cards took.
            fit = getattr(self.chart, "fit_all", None)
            if fit is not None:
                fit()
        finally:
            self.chart.setUpdatesEnabled(True)
            self.scene.building_progress = None
            QGuiApplication.restoreOverrideCursor()
            self._done_with(dialog)
        # Once the chart is painted, the collector scans the new org once, not on the user's first edit.
        QTimer.singleShot(SETTLE_AFTER_MS, settle)
