"""The fonts shipped in ``resources/fonts`` (DejaVu Sans), registered with Qt's font database.

Qt draws text only with fonts it can find; on a machine without any (a bare
container, a minimal server) a chart would come out with empty boxes for
text. :func:`register_shipped_fonts` adds the shipped files to the running
application's font database once, so the editor, the chart exports and
printing always have DejaVu Sans, whatever the system has.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase

from planner.resources import resource_path

#: The family the shipped files provide; exports name it, with a generic fallback in SVG.
SHIPPED_FAMILY = "DejaVu Sans"

_registered: list[str] | None = None


def register_shipped_fonts() -> list[str]:
    """Register the shipped font files (once per process, after the application exists); their families."""
    global _registered
    if _registered is None:
        families: set[str] = set()
        try:
            files = sorted(resource_path("fonts").glob("*.ttf"))
        except FileNotFoundError:
            files = []
        for path in files:
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id != -1:
                families.update(QFontDatabase.applicationFontFamilies(font_id))
        _registered = sorted(families)
    return list(_registered)
