"""Refresh docs/screenshot.png, the README's picture of the editor.

Run ``PYTHONPATH=. python tools/make_screenshot.py``.

The picture is made by the app itself, 1600×1000, on the built-in scale-up
sample with one of its findings clicked (a team taking its priorities from two
backlog owners), so the cards it is about show selected. With a display
(``DISPLAY`` or ``WAYLAND_DISPLAY`` set) the window is a real one, shown while
the picture is taken; without one it is drawn offscreen.
"""

import os

if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from planner.resources import sample_path  # noqa: E402
from planner.ui.app import screenshot  # noqa: E402

if __name__ == "__main__":
    out = screenshot(
        sample_path("scaleup"), "docs/screenshot.png", size=(1600, 1000), finding="OWN003", fold_legend=True
    )
    print(f"wrote {out}")
