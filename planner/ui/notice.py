"""A quiet notice in the status bar for a file just written, with a button to open it; the busy message.

It replaces the "open it now?" message box, which came late (after the
report was written) and took the next click or key press for its own: the
notice asks for nothing, stays a while, and the user goes on working.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStatusBar, QWidget

#: How long the notice stays when the user does nothing with it.
NOTICE_MS = 20000


@contextmanager
def busy_status(status_bar: QStatusBar, text: str) -> Iterator[None]:
    """A wait cursor, and ``text`` in the status bar at once, for work that holds the window."""
    status_bar.showMessage(text)
    status_bar.repaint()
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()
        if status_bar.currentMessage() == text:  # done (or failed): it no longer says what happens
            status_bar.clearMessage()


class WrittenNotice(QWidget):
    """ "Gap report saved to x.pdf [Open] [×]" in the status bar, hidden until a file is written."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("written_notice")
        self.path = ""
        self.label = QLabel(self)
        self.open_button = QPushButton("Open", self)
        self.open_button.setObjectName("open_written")
        self.open_button.clicked.connect(self.open_file)
        self.dismiss_button = QPushButton("×", self)
        self.dismiss_button.setFlat(True)
        self.dismiss_button.setToolTip("Dismiss")
        self.dismiss_button.setAccessibleName("Dismiss")
        self.dismiss_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.open_button)
        layout.addWidget(self.dismiss_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def announce(self, path: str, what: str) -> None:
        self.path = str(Path(path).resolve())
        self.label.setText(f"{what} saved to “{Path(path).name}”")
        self.open_button.setToolTip(f"Open {self.path} with the desktop's viewer")
        self.show()
        self._timer.start(NOTICE_MS)

    def open_file(self) -> bool:
        self.hide()
        return QDesktopServices.openUrl(QUrl.fromLocalFile(self.path))
