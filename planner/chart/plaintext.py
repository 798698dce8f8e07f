"""Showing text from org files exactly as typed wherever Qt would guess it is markup.

Labels, tooltips and message boxes treat a string that looks like HTML as
rich text: a card named ``<img src=...>`` would show a picture from the disk
and a name holding a link would open the browser when clicked. Names, notes,
messages that quote them and file names are the user's text, so they go
through here before Qt sees them.
"""

from __future__ import annotations

from PySide6.QtGui import Qt


def tooltip(text: str) -> str:
    """``text`` as a tooltip that shows every character as typed (tags included) and wraps long lines."""
    if not text:
        return ""
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)
