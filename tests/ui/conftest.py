"""Fixtures for the editor's tests: a main window with throw-away settings and answerable dialogs."""

from __future__ import annotations

import gc

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from planner.ui.document import Document
from planner.ui.mainwindow import MainWindow


@pytest.fixture(scope="session", autouse=True)
def no_window_left_behind(qapp):
    """At the end of the editor's tests no window may be left alive: one would outlive the QApplication.

    Windows still alive then are destroyed only at interpreter shutdown, which is where crashes at exit come from.
    """
    yield
    QApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    left = [f"{type(w).__name__} {w.windowTitle()!r}" for w in QApplication.topLevelWidgets()]
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # Documents made without a window (command and state-machine tests) live on in reference cycles with
    # their org. Collected at exit in whatever order the collector picks, an undo stack could be deleted
    # after the Python side of its commands: empty the stacks and collect while everything is still whole.
    for document in [obj for obj in gc.get_objects() if isinstance(obj, Document)]:
        if shiboken6.isValid(document) and shiboken6.isValid(document.undo_stack):
            document.undo_stack.clear()
    gc.collect()
    assert not left, f"top-level widgets left alive after the UI tests: {', '.join(left)}"


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    """A shown main window whose dialogs never block: errors and prompts are recorded, prompts answer Discard.

    (pytest-qt closes the window before fixtures are torn down; a modal prompt then would hang the run.)
    """
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.errors = []
    win.prompts = []
    win.show_error = lambda title, text, details="": win.errors.append((title, text, details))

    def discard():
        win.prompts.append(win.document.display_name())
        return QMessageBox.StandardButton.Discard

    win.ask_to_save = discard
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    # Made the active window, as a window the user just opened is: a window left over by an earlier test
    # must not keep the keyboard focus.
    win.activateWindow()
    win.raise_()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=2000)
    return win


def show_org(win, org, path=None):
    """Put ``org`` in the window as if it had been opened, with its analysis up to date."""
    win.document.replace(org, path)
    win.analysis.run_now()
    QApplication.processEvents()


def _send_mouse(widget, kind, pos: QPoint, button, buttons, modifiers=Qt.KeyboardModifier.NoModifier):
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons, modifiers)
    QApplication.sendEvent(widget, event)


def drag_in_view(view, start: QPointF, end: QPointF, steps: int = 5, modifiers=Qt.KeyboardModifier.NoModifier):
    """Press at ``start``, move to ``end`` and release, in scene coordinates, with the left button held."""
    viewport = view.viewport()
    a, b = view.mapFromScene(start), view.mapFromScene(end)
    left = Qt.MouseButton.LeftButton
    _send_mouse(viewport, QEvent.Type.MouseButtonPress, a, left, left, modifiers)
    for i in range(1, steps + 1):
        point = QPoint(a.x() + (b.x() - a.x()) * i // steps, a.y() + (b.y() - a.y()) * i // steps)
        _send_mouse(viewport, QEvent.Type.MouseMove, point, Qt.MouseButton.NoButton, left, modifiers)
    _send_mouse(viewport, QEvent.Type.MouseButtonRelease, b, left, Qt.MouseButton.NoButton, modifiers)
    QApplication.processEvents()


def click_in_view(view, pos: QPointF, modifiers=Qt.KeyboardModifier.NoModifier):
    viewport = view.viewport()
    point = view.mapFromScene(pos)
    left = Qt.MouseButton.LeftButton
    _send_mouse(viewport, QEvent.Type.MouseButtonPress, point, left, left, modifiers)
    _send_mouse(viewport, QEvent.Type.MouseButtonRelease, point, left, Qt.MouseButton.NoButton, modifiers)
    QApplication.processEvents()
