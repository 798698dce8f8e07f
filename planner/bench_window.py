"""The benchmark's window step: a large org opened in the editor's own window, until its chart is on screen.

The ``first frame`` step of :mod:`planner.bench` times a bare view of the
scene; a user opens a file in the whole window, whose map, panels, status bar
and background check all follow the new org. This step runs in a child
process, so that nothing measured before it is still in memory: a fresh
window (settings in a scratch file) opens the file with ``File › Open``'s own
code and the time is taken when the chart, and the overview map when it
shows, have first been painted with the new org.

Run alone: ``python -m planner.bench_window FILE`` prints the figures as JSON.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: How long the child waits for the first frame before it gives up (a failed run shows as nan, not as fast).
GIVE_UP_SECONDS = 120


def first_frame_in_window(path: str) -> dict:
    """Open ``path`` in a fresh editor window; seconds (and processor seconds) until the chart and map are painted."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from planner.ui.canvas.overview import OverviewWidget
    from planner.ui.canvas.view import ChartView
    from planner.ui.mainwindow import MainWindow

    app = QApplication.instance() or QApplication([])
    painted: dict[str, float] = {}
    window = None

    def timed(cls, key: str) -> None:
        real = cls.paintEvent

        def paint(self, event) -> None:
            real(self, event)
            if window is not None and len(window.document.org):
                painted.setdefault(key, time.perf_counter())

        cls.paintEvent = paint

    # Before the window is made: PySide looks an override up once per object.
    timed(ChartView, "chart")
    timed(OverviewWidget, "map")
    scratch = tempfile.mkdtemp(prefix="planner-bench-")
    window = MainWindow(QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1600, 1000)
    window.show()
    for _ in range(3):
        app.processEvents()
    cpu, start = time.process_time(), time.perf_counter()
    opened = window.open_path(path)
    overview = window.view.overview
    while opened and time.perf_counter() - start < GIVE_UP_SECONDS:
        if "chart" in painted and ("map" in painted or not overview.isVisible()):
            break
        app.processEvents()
    done = max(painted.values()) if opened and "chart" in painted else float("nan")
    return {"seconds": done - start, "cpu_seconds": time.process_time() - cpu, "cards": len(window.document.org)}


def measure_window_open(size: int, workdir: Path) -> list[dict]:
    """The ``open in the window`` row: a synthetic org of ``size`` cards opened in a child process's window."""
    from planner.io import native
    from planner.layout import layered_layout
    from planner.synthetic import synthetic_org

    path = workdir / f"window-{size}.json"
    org = synthetic_org(size, seed=size)
    org.move_nodes(layered_layout(org))
    native.save(org, path)
    del org
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(workdir / "config"))
    code = f"from planner.bench_window import main; main([{str(path)!r}])"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=Path(__file__).parents[1]
    )
    figures = {"seconds": float("nan")}
    if out.returncode == 0 and out.stdout.strip():
        figures = json.loads(out.stdout.strip().splitlines()[-1])
    row = {"size": size, "step": "open in the window", "seconds": figures["seconds"]}
    if "cpu_seconds" in figures:
        row["cpu_seconds"] = figures["cpu_seconds"]
    return [row]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    figures = first_frame_in_window(args[0])
    print(json.dumps(figures))
    sys.stdout.flush()
    os._exit(0)  # the window's teardown is not measured, and must not keep the parent waiting


if __name__ == "__main__":
    sys.exit(main())
