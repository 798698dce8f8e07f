"""A Qt application for rendering, made on demand and headless when there is no display.

The chart and the PDF report need a ``QApplication`` (fonts, the graphics
scene). Inside the editor one already exists and is reused. From the command
line :func:`ensure_app` makes one, first choosing Qt's ``offscreen`` platform
when neither ``DISPLAY`` nor ``WAYLAND_DISPLAY`` is set, so that reports and
exports work on servers and in CI. The fonts shipped in ``resources/fonts`` are
registered either way (:mod:`planner.render.fonts`).
"""

from __future__ import annotations

import os

from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import QApplication

from planner.render.fonts import SHIPPED_FAMILY, register_shipped_fonts


def ensure_app() -> QApplication:
    """The running ``QApplication``, or a new one (offscreen when there is no display), with the shipped fonts."""
    app = QApplication.instance()
    if app is not None:
        register_shipped_fonts()
        return app
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication(["planner"])
    # The shipped DejaVu Sans: the same text on every machine, and never empty boxes on one without fonts.
    if SHIPPED_FAMILY in register_shipped_fonts():
        app.setFont(QFont(SHIPPED_FAMILY))
    else:
        # Name the font fontconfig really picked: SVG viewers do not know Qt's generic "Sans Serif".
        app.setFont(QFont(QFontInfo(QFont()).family()))
    return app
