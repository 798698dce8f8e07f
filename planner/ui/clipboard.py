"""Copied cards on the system clipboard, handed over so that they cannot outlive the Python interpreter.

A ``QMimeData`` made in Python is a PySide wrapper whose C++ destructor calls
back into Python. Once the clipboard owns it, it lives as long as the
clipboard does: on platforms without a system clipboard (offscreen, minimal:
tests, CI, screenshots) that is a process-wide static destroyed by the C
library's exit handlers, after the interpreter has finalized, and the
call-back then crashes the process on its way out. :func:`put_cards` therefore
registers, once, an exit hook that swaps our data for a clipboard entry Qt makes
itself in C++ (the same plain text, no wrapper) while Python still runs.
"""

from __future__ import annotations

import atexit

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

_hook_registered = False


def put_cards(mime_type: str, payload: str, text: str) -> None:
    """Put cards (``payload`` under ``mime_type``) and their names as plain ``text`` on the clipboard."""
    global _hook_registered
    mime = QMimeData()
    mime.setData(mime_type, payload.encode("utf-8"))
    mime.setText(text)
    QGuiApplication.clipboard().setMimeData(mime)
    if not _hook_registered:
        # atexit runs its hooks last-registered first, so this one runs before PySide's own clean-up.
        atexit.register(release_cards, mime_type)
        _hook_registered = True


def release_cards(mime_type: str) -> None:
    """If the clipboard still holds our cards, leave only their text there, in data Qt owns outright."""
    if QGuiApplication.instance() is None:
        return
    clipboard = QGuiApplication.clipboard()
    mime = clipboard.mimeData()
    if mime is None or not mime.hasFormat(mime_type):
        return
    clipboard.setText(mime.text())
