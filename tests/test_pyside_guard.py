"""Guard against the PySide6 6.12.0 bug on CPython 3.11 that drops a reference to None on calls into Qt.

With the bug, every call returning None takes one reference away from None;
after a few thousand calls the interpreter aborts with ``none_dealloc``. On
Python 3.12+ None is immortal and its count never moves, so the count check
passes there by design; the pin check holds everywhere.
"""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

CALLS = 400

# Runs in a child process: with the bug, the parent test run would itself abort.
PROBE = f"""
import sys
from PySide6 import QtCore, QtGui, QtWidgets
app = QtWidgets.QApplication(["guard"])
obj, point, rect = QtCore.QObject(), QtCore.QPointF(), QtCore.QRectF()
widget, colour = QtWidgets.QWidget(), QtGui.QColor()
before = sys.getrefcount(None)
for i in range({CALLS}):
    obj.setObjectName("guard")
    point.setX(i)
    rect.setWidth(i)
    widget.setToolTip("")
    colour.setRed(i % 255)
print(before - sys.getrefcount(None))
"""


def test_calls_into_qt_do_not_leak_references_to_none():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, f"Qt calls crashed the interpreter (exit {out.returncode}): {out.stderr[-500:]}"
    lost = int(out.stdout.strip().splitlines()[-1])
    # A few references may move for unrelated reasons; the bug costs one per call.
    assert lost < CALLS // 4, f"None lost {lost} references over {CALLS * 5} calls into Qt"


def _pyside_allows(version: str, python: str) -> bool:
    """Whether the project's PySide6 requirements let ``version`` install on CPython ``python``."""
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    environment = {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "platform_python_implementation": "CPython",
        "implementation_name": "cpython",
    }
    applying = [
        requirement
        for requirement in map(Requirement, pyproject["project"]["dependencies"])
        if requirement.name.lower() == "pyside6-essentials"
        and (requirement.marker is None or requirement.marker.evaluate(environment))
    ]
    assert len(applying) == 1, f"one PySide6 requirement must apply on Python {python}, not {len(applying)}"
    return applying[0].specifier.contains(version)


def test_pyside_pin_excludes_the_broken_release_on_python_311_only():
    assert not _pyside_allows("6.12.0", "3.11")
    for python in ("3.12", "3.13", "3.14"):
        assert _pyside_allows("6.12.0", python), f"Python {python} users are held back from 6.12.0"
    for python in ("3.11", "3.12", "3.13"):
        assert _pyside_allows("6.11.3", python)
        assert _pyside_allows("6.12.1", python)


def test_installed_pyside_is_not_the_broken_release_on_python_311():
    import PySide6

    if sys.version_info < (3, 12):
        assert PySide6.__version__ != "6.12.0"
