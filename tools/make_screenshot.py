"""Refresh docs/screenshot.png, the README's picture of the editor.

Run ``PYTHONPATH=. python tools/make_screenshot.py``.

The picture is made by the app itself, offscreen, on the built-in scale-up sample.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from planner.resources import sample_path  # noqa: E402
from planner.ui.app import screenshot  # noqa: E402

if __name__ == "__main__":
    out = screenshot(sample_path("scaleup"), "docs/screenshot.png", size=(1440, 900))
    print(f"wrote {out}")
